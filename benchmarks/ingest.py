"""How fast ``ringscope ingest`` loads generated extracts: bulk first load, re-run, online top-up.

    .venv/bin/python benchmarks/ingest.py [--persons 20000 200000] [--online-persons 20000] [--write]

For each size: generate an extract (``ringscope generate``), first-load it into
a fresh embedded Neo4j (the bulk importer), run the same directory again (the
Bolt path finds everything there), then load a second, smaller extract with
new claims over Bolt into the populated store. Peak RSS is sampled every
0.2 s for the ingest's Python process and for every JVM it runs (server and
importer). ``--persons 1000000`` is the memory check on request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import embedded_environment  # noqa: E402

from ringscope.graph.db import connect  # noqa: E402
from ringscope.graph.server import EmbeddedServer  # noqa: E402
from ringscope.settings import load_settings  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RINGSCOPE = [sys.executable, "-m", "ringscope"]


def _peak_rss(process: subprocess.Popen, server: EmbeddedServer) -> tuple[float, float, float]:
    """Wait for ``process``; return (wall s, peak Python RSS MiB, peak JVM RSS MiB).

    The JVMs are the ingest's children (the importer, a server it started) and
    the embedded server found through its pid file (started by an earlier run).
    """
    began, python_peak, java_peak = time.monotonic(), 0, 0
    root = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            python_peak = max(python_peak, root.memory_info().rss)
            jvms = {child.pid: child for child in root.children(recursive=True) if "java" in child.name()}
            if (pid := server.status().pid) is not None:
                jvms.setdefault(pid, psutil.Process(pid))
            java_peak = max([java_peak, *(jvm.memory_info().rss for jvm in jvms.values())])
        except psutil.Error:
            pass
        time.sleep(0.2)
    return time.monotonic() - began, python_peak / 2**20, java_peak / 2**20


def _ingest(folder: Path, env: dict[str, str], extra: list[str] = ()) -> dict:
    server = EmbeddedServer(load_settings(env, settings_file=Path("/nonexistent")))
    process = subprocess.Popen([*RINGSCOPE, "ingest", str(folder), "--json", *extra], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(process.stdout.read()))
    reader.start()
    wall, python_mib, java_mib = _peak_rss(process, server)
    reader.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"ingest of {folder} failed: {process.stderr.read()[-2000:]}")
    report = json.loads(out[0])
    report.update(wall=wall, python_mib=python_mib, java_mib=java_mib)
    print(json.dumps({k: report[k] for k in ("method", "wall", "python_mib", "java_mib", "timings", "loaded")}),
          flush=True)
    return report


def _rows(report: dict, table: str) -> int:
    return next((f["loaded"] for f in report["files"] if f["table"] == table), 0)


def measure(persons: int, online_persons: int, seed: int, work: Path) -> list[tuple[str, str]]:
    data, more = work / f"extract-{persons}", work / f"more-{online_persons}"
    began = time.monotonic()
    subprocess.run([*RINGSCOPE, "generate", "--out", str(data), "--seed", str(seed), "--persons", str(persons)],
                   check=True, capture_output=True)
    generate_s = time.monotonic() - began
    subprocess.run([*RINGSCOPE, "generate", "--out", str(more), "--seed", str(seed + 1),
                    "--persons", str(online_persons)], check=True, capture_output=True)
    env = embedded_environment(work / "home")
    env["RINGSCOPE_NEO4J_HEAP"], env["RINGSCOPE_NEO4J_PAGECACHE"] = "4g", "4g"
    settings = load_settings(env, settings_file=Path("/nonexistent"))
    try:
        first = _ingest(data, env)
        with connect(settings) as runner:
            store = runner.read("ingest_count_store")[0]
        rerun = _ingest(data, env)
        online = _ingest(more, env)
    finally:
        EmbeddedServer(settings).stop()
    claims, rows = _rows(first, "claims"), first["loaded"]
    importer_s = first["timings"]["run_importer"]
    online_claims = _rows(online, "claims")
    return [
        ("persons", f"{persons:,}"),
        ("rows loaded (all tables)", f"{rows:,}"),
        ("claims / fee lines", f"{claims:,} / {_rows(first, 'claim_items'):,}"),
        ("store after first load: nodes / relationships", f"{store['nodes']:,} / {store['relationships']:,}"),
        ("generate (s)", f"{generate_s:.1f}"),
        ("first load, bulk, end to end (s)", f"{first['wall']:.1f}"),
        ("  of which validation (s)", f"{sum(v for k, v in first['timings'].items() if k.startswith('validate_')):.1f}"),
        ("  of which writing importer files (s)", f"{first['timings']['write_import_files']:.1f}"),
        ("  of which importer (s)", f"{importer_s:.1f}"),
        ("  of which server stop + start + constraints (s)",
         f"{sum(first['timings'].get(k, 0) for k in ('stop_server', 'start_server', 'create_constraints')):.1f}"),
        ("first load: claims/s end to end", f"{claims / first['wall']:,.0f}"),
        ("first load: rows/s end to end", f"{rows / first['wall']:,.0f}"),
        ("importer: records (nodes + relationships)/s",
         f"{(store['nodes'] + store['relationships']) / importer_s:,.0f}"),
        ("peak RSS first load: Python / JVM (MiB)", f"{first['python_mib']:,.0f} / {first['java_mib']:,.0f}"),
        ("re-run of the same directory (s)", f"{rerun['wall']:.1f} ({rerun['wall'] / first['wall']:.0%} of first)"),
        (f"online top-up: {online_claims:,} new claims, end to end (s)", f"{online['wall']:.1f}"),
        ("online top-up: claims/s in create_claims (with fee lines)",
         f"{online_claims / online['timings']['create_claims']:,.0f}"),
        ("online top-up: claims/s end to end", f"{online_claims / online['wall']:,.0f}"),
        ("peak RSS online top-up: Python / JVM (MiB)", f"{online['python_mib']:,.0f} / {online['java_mib']:,.0f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--online-persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="append the figures to benchmarks/RESULTS.md")
    args = parser.parse_args()
    for persons in args.persons:
        with tempfile.TemporaryDirectory(prefix="ringscope-bench-") as work:
            figures = measure(persons, args.online_persons, args.seed, Path(work))
        table = "\n".join(["| figure | value |", "|---|---|", *(f"| {k} | {v} |" for k, v in figures)])
        print(f"\n{persons:,} persons\n{table}", flush=True)
        if args.write:
            machine = (f"{platform.node()}: {psutil.cpu_count()} cores, "
                       f"{psutil.virtual_memory().total / 2**30:.0f} GiB")
            command = (f".venv/bin/python benchmarks/ingest.py --persons {persons} "
                       f"--online-persons {args.online_persons} --seed {args.seed} --write")
            with RESULTS.open("a", encoding="utf-8") as results:
                results.write(f"\n## Ingest, {persons:,} persons ({date.today()}, {machine})\n\n"
                              f"`{command}`\n\n{table}\n")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
