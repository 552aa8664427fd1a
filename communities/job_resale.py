"""Job: drugs obtained far beyond need, at several facilities (回流药).

Per person and drug, the quantity obtained over the period is compared with
the median quantity of the drug's regular users (two purchases or more):
a cancer patient filling a standard dose at one DTP pharmacy is at the
median however expensive the drug. Excess counts only for the drugs whose
usual unit price is in the top quarter, obtained at ``min_facilities`` or
more facilities. Flagged persons are joined by identifiers (a broker's
phone or account) or by buying the same drug at the same facility in the
same week; components of that graph are the candidates.
"""

from __future__ import annotations

import igraph as ig
import pandas as pd

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate
from ringscope.communities.job_admissions import recruiters
from ringscope.communities.job_stock import FacilityEvidence
from ringscope.communities.model import JobResult
from ringscope.communities.partition import leiden_communities
from ringscope.communities.stats import saturate

__all__ = ["drug_resale_job", "PARAMS"]

PARAMS = {"excess_ratio": 3.0, "min_facilities": 2, "price_quantile": 0.75, "min_persons": 3}


def drug_resale_job(ctx: Context, facility_evidence: list[FacilityEvidence], *, seed: int = 0,
                    params: dict | None = None) -> JobResult:
    """Candidate drug-resale groups."""
    p = {**PARAMS, **(params or {}), "seed": seed}
    lines = ctx.tables.claim_items
    if lines is None or lines.empty:
        return JobResult("drug_resale", p, [], skipped="no claim_items")
    lines = lines[lines["item_type"].fillna("drug") == "drug"]
    lines = lines.merge(ctx.claims[["claim_id", "person_id", "facility_id", "day", "fund_paid"]], on="claim_id")
    price = lines.groupby("item_code")["unit_price"].median()
    expensive = set(price.index[price >= price.quantile(p["price_quantile"])])
    lines = lines[lines["item_code"].isin(expensive)]
    use = lines.groupby(["person_id", "item_code"]).agg(q=("quantity", "sum"), buys=("claim_id", "nunique"),
                                                         facilities=("facility_id", "nunique")).reset_index()
    usual = use[use["buys"] >= 2].groupby("item_code")["q"].median()
    use["ratio"] = use["q"] / use["item_code"].map(usual)
    bad = use[(use["ratio"] >= p["excess_ratio"]) & (use["facilities"] >= p["min_facilities"])]
    if bad.empty:
        return JobResult("drug_resale", p, [])
    flagged = set(bad["person_id"])
    names = {pid: i for i, pid in enumerate(sorted(flagged))}
    edges = []
    for key, holders in ctx.links.items():
        inside = [names[h] for h in holders if h in names]
        edges += [(inside[0], other) for other in inside[1:]]
    hits = lines[lines["person_id"].isin(flagged)].assign(week=lambda f: f["day"].dt.to_period("W").astype(str))
    for _, group in hits.groupby(["item_code", "facility_id", "week"]):
        inside = sorted({names[x] for x in group["person_id"]})
        edges += [(inside[0], other) for other in inside[1:]]
    graph = ig.Graph(n=len(names), edges=edges).simplify()
    graph.es["weight"] = [1.0] * graph.ecount()
    run = leiden_communities(graph, seed=seed)
    order = sorted(flagged)
    out = []
    for group in run.groups():
        persons = {order[v] for v in group}
        if len(persons) < p["min_persons"]:
            continue
        mine = bad[bad["person_id"].isin(persons)]
        claims = hits[hits["person_id"].isin(persons)]
        link, facts = ctx.link_signal(persons)
        brokers = recruiters(ctx, persons)
        stock = max((e.strength.get(f, 0.0) for e in facility_evidence for f in set(claims["facility_id"])), default=0.0)
        facts.update(persons=len(persons), facilities=int(claims["facility_id"].nunique()),
                     supply_ratio=round(float(mine["ratio"].median()), 1), drugs=int(mine["item_code"].nunique()),
                     claims=int(claims["claim_id"].nunique()))
        out.append(candidate(
            "drug_resale", "drug_resale",
            persons={**{pid: ("cardholder", 0.8) for pid in persons}, **{b: ("organiser", 0.9) for b in brokers}},
            signals={"excess_supply": saturate(float(mine["ratio"].median()) - 2, 2.0),
                     "many_facilities": saturate(float(mine["facilities"].median()) - 1, 2.0),
                     "shared_identifier": link, "stock_excess": stock},
            facts=facts, claim_ids=claims["claim_id"]))
    return JobResult("drug_resale", {**p, **run.params}, out)
