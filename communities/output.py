"""Writing a detection run to the contract's files: rings.csv, ring_members.csv, run.json.

Files are written to a temporary name and renamed into place, so a failed
run never leaves a half-written rings.csv next to an older run.json.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from ringscope.communities.model import DetectionResult

__all__ = ["write_run", "RING_COLUMNS", "MEMBER_COLUMNS", "fingerprint_frames"]

RING_COLUMNS = ("ring_id", "typology", "score", "size", "n_claims", "fund_paid", "first_seen", "last_seen",
                "summary", "summary_zh", "summary_en", "breakdown", "jobs", "region_code")
MEMBER_COLUMNS = ("ring_id", "entity_type", "entity_id", "role", "member_score")
_LIBRARIES = ("ringscope", "pandas", "numpy", "igraph", "leidenalg", "networkx", "scipy", "neo4j")


def fingerprint_frames(counts: dict[str, int], sample: str = "") -> str:
    """A short hash of table sizes and a content sample, naming the input of a run."""
    text = json.dumps(counts, sort_keys=True) + sample
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name if name != "igraph" else "igraph")
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def _atomic_write(path: Path, write) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        write(handle)
    os.replace(partial, path)


def write_run(result: DetectionResult, out_dir: str | Path, *, fingerprint: str, extra: dict | None = None) -> Path:
    """Write the run's three files into ``out_dir`` (created if needed); returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def rings(handle) -> None:
        writer = csv.writer(handle)
        writer.writerow(RING_COLUMNS)
        for ring in result.rings:
            writer.writerow([ring.ring_id, ring.typology, f"{ring.score:.4f}", ring.size, ring.n_claims,
                             f"{ring.fund_paid:.2f}", ring.first_seen, ring.last_seen, ring.summary,
                             ring.summary_zh, ring.summary_en, json.dumps(ring.breakdown, sort_keys=True),
                             ";".join(ring.jobs), ring.region_code])

    def members(handle) -> None:
        writer = csv.writer(handle)
        writer.writerow(MEMBER_COLUMNS)
        for ring in result.rings:
            for member in ring.members:
                writer.writerow([ring.ring_id, member.entity_type, member.entity_id, member.role,
                                 f"{member.score:.4f}"])

    record = {
        "run_id": result.run_id,
        "fingerprint": fingerprint,
        "parameters": result.params,
        "libraries": _versions(),
        "jobs": [{"job": j.job, "skipped": j.skipped, "candidates": len(j.candidates), "seconds": j.seconds}
                 for j in result.jobs],
        "notes": [f"{j.job} skipped: {j.skipped}" for j in result.jobs if j.skipped],
        "rings": len(result.rings),
        "flagged": sum(1 for r in result.rings if r.score >= 0.5),
        **(extra or {}),
    }
    _atomic_write(out / "rings.csv", rings)
    _atomic_write(out / "ring_members.csv", members)
    _atomic_write(out / "run.json", lambda h: json.dump(record, h, ensure_ascii=False, indent=2, default=str))
    return out
