"""Job: persons tied by identifiers across households (借卡, card collectors).

A phone shared by two is a family; a phone, account or device that ties
persons of many different households together is an organiser's. The graph
has a vertex per person and per identifier that spans at least
``min_households`` households (addresses), household-aware by construction;
components are split by Leiden (see :mod:`ringscope.communities.partition`).
Independent signals scored per group: households tied (identifiers table and
claim devices), bursts of different cards on one personal device, and one
personal device used at several facilities.
"""

from __future__ import annotations

import igraph as ig

from ringscope.communities.context import Context
from ringscope.communities.evidence import candidate, find_bursts
from ringscope.communities.model import JobResult
from ringscope.communities.partition import leiden_communities
from ringscope.communities.stats import saturate

__all__ = ["shared_identifier_job", "PARAMS"]

PARAMS = {"min_households": 3, "min_persons": 3, "burst_window_min": 30, "split_above": 12}


def shared_identifier_job(ctx: Context, *, seed: int = 0, params: dict | None = None) -> JobResult:
    """Candidate card-lending groups from identifiers that span households.

    Examples
    --------
    See ``tests/communities/test_job_identifiers.py`` for hand-made cases.
    """
    p = {**PARAMS, **(params or {})}
    if not ctx.links:
        return JobResult("shared_identifiers", p, [], skipped="no identifier shared by two persons")
    names: dict[str, int] = {}
    edges: list[tuple[int, int]] = []
    for key, holders in ctx.links.items():
        households = {ctx.household.get(h, h) for h in holders}
        if len(households) < p["min_households"]:
            continue
        hub = names.setdefault(f"id:{key[0]}:{key[1]}", len(names))
        edges += [(hub, names.setdefault(f"p:{h}", len(names))) for h in holders]
    graph = ig.Graph(n=len(names), edges=edges)
    graph.vs["name"] = list(names)
    graph.es["weight"] = [1.0] * len(edges)
    run = leiden_communities(graph, seed=seed, split_above=p["split_above"])
    personal = ctx.claims[ctx.claims["device_id"].notna() & ~ctx.claims["device_id"].isin(ctx.terminal_devices)]
    out = []
    for group in run.groups():
        labels = [graph.vs[v]["name"] for v in group]
        persons = {label[2:] for label in labels if label.startswith("p:")}
        if len(persons) < p["min_persons"]:
            continue
        link, facts = ctx.link_signal(persons)
        mine = personal[personal["person_id"].isin(persons)]
        bursts = find_bursts(mine.assign(place=mine["device_id"]), "place",
                             window=p["burst_window_min"], min_cards=3, surprise=0.0)
        most_cards = max((len(set(b.persons)) for b in bursts), default=0)
        spread = int(mine.groupby("device_id")["facility_id"].nunique().max()) if len(mine) else 0
        hubs = [label for label in labels if label.startswith("id:")]
        degree = {label[2:]: graph.degree(v) for v, label in zip(group, labels) if label.startswith("p:")}
        organiser = max(degree, key=lambda k: (degree[k], k)) if max(degree.values()) > 1 else None
        facts.update(persons=len(persons), identifiers=len(hubs), cards_in_window=most_cards,
                     device_facilities=spread, claims=int(len(mine)),
                     fund_paid=float(mine["fund_paid"].sum()))
        out.append(candidate(
            "shared_identifiers", "card_lending",
            persons={pid: ("organiser" if pid == organiser else "cardholder", 1.0 if pid == organiser else 0.8)
                     for pid in persons},
            signals={"shared_identifier": link,
                     "device_burst": saturate(most_cards - 2, 3.0),
                     "device_spread": saturate(spread - 1, 2.0)},
            facts=facts, claim_ids=mine["claim_id"]))
    return JobResult("shared_identifiers", {**p, **run.params}, out)
