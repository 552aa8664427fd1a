"""How fast ``ringscope ingest`` loads generated extracts: bulk first load, re-run, online top-up.

    .venv/bin/python benchmarks/ingest.py [--persons 20000 200000] [--online-persons 20000] [--write]

For each size: generate an extract (``ringscope generate``), first-load it into
a fresh embedded Neo4j (the bulk importer), run the same directory again (the
Bolt path finds everything there), then load a second, smaller extract with
new claims over Bolt into the populated store, and a third one (the next seed)
into the same store on the same running server. The first top-up meets a JVM
the bulk load has just restarted (its write path not yet compiled: about 35k
claims of warm-up); the second one is what a server in daily use sees. Peak
RSS is sampled every 0.2 s for the ingest's Python process and for every JVM
it runs (server and importer). ``--persons 1000000`` is the memory check on request.
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
    load_before = os.getloadavg()[0]
    wall, python_mib, java_mib = _peak_rss(process, server)
    reader.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"ingest of {folder} failed: {process.stderr.read()[-2000:]}")
    report = json.loads(out[0])
    report.update(wall=wall, python_mib=python_mib, java_mib=java_mib, load=(load_before, os.getloadavg()[0]))
    print(json.dumps({k: report[k] for k in ("method", "wall", "load", "python_mib", "java_mib", "timings", "loaded")}),
          flush=True)
    return report


def _rows(report: dict, table: str) -> int:
    return next((f["loaded"] for f in report["files"] if f["table"] == table), 0)


def _top_up(name: str, report: dict) -> list[tuple[str, str]]:
    claims = _rows(report, "claims")
    return [
        (f"{name}: {claims:,} new claims, end to end (s)", f"{report['wall']:.1f}"),
        (f"{name}: claims/s in create_claims (with fee lines)",
         f"{claims / report['timings']['create_claims']:,.0f}"),
        (f"{name}: claims/s end to end", f"{claims / report['wall']:,.0f}"),
        (f"{name}: peak RSS Python / JVM (MiB)", f"{report['python_mib']:,.0f} / {report['java_mib']:,.0f}"),
        (f"{name}: load average (1 min) at start / end", "{:.1f} / {:.1f}".format(*report["load"])),
    ]


def measure(persons: int, online_persons: int, seed: int, work: Path) -> list[tuple[str, str]]:
    data = work / f"extract-{persons}"
    more, again = work / f"more-{online_persons}", work / f"again-{online_persons}"
    began = time.monotonic()
    subprocess.run([*RINGSCOPE, "generate", "--out", str(data), "--seed", str(seed), "--persons", str(persons)],
                   check=True, capture_output=True)
    generate_s = time.monotonic() - began
    for folder, offset in ((more, 1), (again, 2)):
        subprocess.run([*RINGSCOPE, "generate", "--out", str(folder), "--seed", str(seed + offset),
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
        warm = _ingest(again, env)
    finally:
        EmbeddedServer(settings).stop()
    claims, rows = _rows(first, "claims"), first["loaded"]
    importer_s = first["timings"]["run_importer"]
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
        ("first load: load average (1 min) at start / end", "{:.1f} / {:.1f}".format(*first["load"])),
        ("re-run of the same directory (s)", f"{rerun['wall']:.1f} ({rerun['wall'] / first['wall']:.0%} of first)"),
    ] + _top_up("online top-up, server just restarted by the first load", online) + _top_up(
        "second top-up, same running server", warm)


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
