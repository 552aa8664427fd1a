"""Writing a detection run back to Neo4j: DetectionRun, Ring, HAS_MEMBER, EVIDENCED_BY.

Idempotent per run: the run and its rings are MERGEd by id and a ring's
member and evidence links are replaced, so writing the same result twice
leaves the same graph. Evidence links are capped at ``max_evidence`` claims
per ring (the strongest job's claims first would need ranking; the cap keeps
a hospital-sized ring from writing tens of thousands of links), and the cap is
recorded on the run.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from ringscope.communities.model import DetectionResult
from ringscope.graph.db import QueryRunner

__all__ = ["write_rings", "MAX_EVIDENCE"]

MAX_EVIDENCE = 500


def write_rings(runner: QueryRunner, result: DetectionResult, *, fingerprint: str,
                max_evidence: int = MAX_EVIDENCE) -> int:
    """Write ``result`` to the store; returns the number of rings written."""
    record = {"fingerprint": fingerprint, "parameters": json.dumps(result.params, sort_keys=True, default=str),
              "rings": len(result.rings), "flagged": sum(1 for r in result.rings if r.score >= 0.5),
              "max_evidence": max_evidence}
    runner.write("rings_record_run", run_id=result.run_id, record=record,
                 started_at=datetime.now(timezone.utc).isoformat())
    rings = [{"ring_id": r.ring_id, "first_seen": r.first_seen, "last_seen": r.last_seen,
              "props": {"typology": r.typology, "score": r.score, "size": r.size, "n_claims": r.n_claims,
                        "fund_paid": r.fund_paid, "summary": r.summary, "summary_zh": r.summary_zh,
                        "summary_en": r.summary_en, "breakdown": json.dumps(r.breakdown, sort_keys=True),
                        "jobs": list(r.jobs), "region_code": r.region_code or None}} for r in result.rings]
    runner.write_batches("rings_merge", rings, batch_size=2000, run_id=result.run_id)
    members = [{"ring_id": r.ring_id, "entity_type": m.entity_type, "entity_id": m.entity_id,
                "role": m.role, "score": m.score} for r in result.rings for m in r.members]
    runner.write_batches("rings_members", members, batch_size=10_000)
    evidence = [{"ring_id": r.ring_id, "claim_id": c} for r in result.rings
                for c in sorted(r.claim_ids)[:max_evidence]]
    runner.write_batches("rings_evidence", evidence, batch_size=10_000)
    return len(rings)
