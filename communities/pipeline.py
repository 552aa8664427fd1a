"""The detection run as named steps: context, facility evidence, jobs, rings.

Pure: :func:`detect_tables` takes :class:`Tables` and returns a
:class:`DetectionResult`; reading Neo4j and writing files or Ring nodes stay
at the edges (:mod:`ringscope.communities.output`,
:mod:`ringscope.graph.projections`, :mod:`ringscope.graph.rings_store`).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Callable

from ringscope.communities.context import build_context
from ringscope.communities.heap import keep_big_arrays_mapped
from ringscope.communities.job_admissions import co_admission_job
from ringscope.communities.job_flow import prescription_flow_job
from ringscope.communities.job_identifiers import lent_groups, shared_identifier_job
from ringscope.communities.job_impersonation import impersonation_job
from ringscope.communities.job_lockstep import lockstep_job
from ringscope.communities.job_resale import drug_resale_job
from ringscope.communities.job_services import fictitious_services_job
from ringscope.communities.job_shop import shop_cashout_job
from ringscope.communities.job_stock import packs_sold_again, returned_packs, stock_evidence, trace_evidence
from ringscope.communities.model import DetectionResult, JobResult
from ringscope.communities.rings import build_rings
from ringscope.communities.tables import Tables

__all__ = ["detect_tables", "JOB_NAMES", "run_id_for", "UNREAD"]

JOB_NAMES = ("shared_identifiers", "lockstep", "co_admission", "impersonation", "prescription_flow",
             "drug_resale", "fictitious_services", "shop_cashout")

#: contract columns of the big tables that no step reads, so readers may leave them out
#: (``read_tables(..., skip=UNREAD)``): at a million persons the fee lines' names alone are
#: a gigabyte. A test keeps this list honest against the jobs' code.
UNREAD = {"claims": ("auth_method", "discharged_at"), "claim_items": ("line_no", "item_name"),
          "identifiers": ("first_seen", "last_seen")}


def run_id_for(fingerprint: str, params: dict) -> str:
    """A run id from the input's fingerprint and the parameters: same data, same settings, same id."""
    text = fingerprint + json.dumps(params, sort_keys=True, default=str)
    return "D-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _traced(ctx) -> tuple:
    """Traceability evidence per facility, and per person the packs that came back to the market:
    both read off the packs sold on two claims or more, found once."""
    again = packs_sold_again(ctx)
    return trace_evidence(ctx, sold_again=again), returned_packs(ctx, again)


def detect_tables(tables: Tables, *, seed: int = 0, fingerprint: str = "",
                  on_step: Callable[[str, float], None] | None = None) -> DetectionResult:
    """Run every job on ``tables`` and merge their candidates into rings.

    The same tables and seed give the same rings (ids, scores, members).
    """
    timings: dict[str, float] = {}

    def timed(name: str, call: Callable):
        start = time.perf_counter()
        value = call()
        timings[name] = round(time.perf_counter() - start, 3)
        if on_step:
            on_step(name, timings[name])
        return value

    if tables.claims.empty:
        jobs = [JobResult(name, {}, [], skipped="no claims loaded") for name in JOB_NAMES]
        params = {"seed": seed, "jobs": {}}
        return DetectionResult(run_id_for(fingerprint, params), [], jobs, {**params, "tables": tables.present()})
    keep_big_arrays_mapped()  # each step's big arrays go back to the system when it is done
    ctx = timed("context", lambda: build_context(tables))
    stock = timed("stock_evidence", lambda: stock_evidence(ctx))
    trace, returned = timed("trace_evidence", lambda: _traced(ctx))
    evidence = [e for e in (stock, trace) if e.skipped is None]
    steps: dict[str, Callable[[], JobResult]] = {
        "shared_identifiers": lambda: shared_identifier_job(ctx, evidence, seed=seed),
        "lockstep": lambda: lockstep_job(ctx, evidence, seed=seed, lent=lent),
        "co_admission": lambda: co_admission_job(ctx, seed=seed),
        "impersonation": lambda: impersonation_job(ctx, seed=seed),
        "prescription_flow": lambda: prescription_flow_job(ctx, seed=seed),
        # after shared_identifiers (JOB_NAMES' order): a lender's cards are his ring, no broker's
        # sellers, no collector's cards and no shop's bursts
        "drug_resale": lambda: drug_resale_job(ctx, evidence, seed=seed, lent=lent, returned=returned,
                                                 lenders=lenders),
        "fictitious_services": lambda: fictitious_services_job(ctx, seed=seed),
        "shop_cashout": lambda: shop_cashout_job(ctx, evidence, seed=seed, lent=lent),
    }
    done: dict[str, JobResult] = {}
    lent: frozenset[str] = frozenset()
    lenders: list[frozenset[str]] = []
    for name in JOB_NAMES:
        done[name] = result = timed(name, steps[name])
        result.seconds = timings[name]
        if name == "shared_identifiers":
            lenders = lent_groups(result)
            lent = frozenset().union(*lenders)
    jobs = list(done.values())
    for extra in (stock, trace):
        jobs.append(JobResult(extra.signal, {}, [], skipped=extra.skipped, seconds=timings[
            "stock_evidence" if extra.signal == "stock_excess" else "trace_evidence"]))
    candidates = [c for job in jobs for c in job.candidates]
    rings = timed("rings", lambda: build_rings(candidates, ctx.claims, persons=ctx.person,
                                                    facilities=ctx.facility))
    params = {"seed": seed, "jobs": {job.job: job.params for job in jobs}}
    return DetectionResult(run_id_for(fingerprint, params), rings, jobs,
                           {**params, "timings_s": timings, "tables": tables.present()})
