"""What the ring page shows, as plain functions of what Neo4j returns.

A ring is read in one query (ring, members, shared identifiers, evidence
claims) and kept briefly in a cache, so the time slider, the table and the
graph re-cut it without asking the database again. What goes to the browser
is bounded whatever the ring's size: the graph draws at most ``MAX_NODES``
nodes (the ring's leads, then the most active members and the identifiers
they share, then the places, practitioners and devices with most claims) and
says how many it left out; the claims table is paged on the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from ringscope.dashboard.elements import edge_element, merge_elements, node_element
from ringscope.dashboard.grid_model import rows_response
from ringscope.dashboard.i18n import date_axis, format_datetime, t
from ringscope.graph.db import QueryRunner

__all__ = ["CSV_COLUMNS", "TABLE_COLUMNS", "MAX_NODES", "RingView", "RingGraph", "load_ring", "ring_graph",
           "claim_rows", "claims_in_period", "timeline_figure", "breakdown_figure", "score_breakdown", "summary",
           "neighbour_elements", "month_marks"]

#: the order of a claim row in the ``app_ring`` query
_CLAIM_COLUMNS = ["claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person",
                  "person_node", "person_name", "facility", "facility_node", "facility_name", "practitioner",
                  "practitioner_node", "practitioner_name", "device_node", "device"]

#: what the evidence download holds: claims and who was on them, never identifier values
CSV_COLUMNS = ("claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person", "person_name",
               "facility", "facility_name", "practitioner", "practitioner_name")
#: what the evidence table shows (and may be sorted and filtered on)
TABLE_COLUMNS = ("claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person_name",
                 "facility_name", "practitioner_name")
#: the most nodes the ring graph draws: beyond a few hundred a browser lays out slowly and nobody reads it
MAX_NODES = 150


@dataclass(frozen=True)
class RingView:
    """One ring as read from Neo4j."""

    ring_id: str
    ring: dict[str, Any]
    members: list[dict[str, Any]]
    claims: pd.DataFrame
    shared: list[dict[str, Any]]


@dataclass(frozen=True)
class RingGraph:
    """The cytoscape elements drawn, and how many of the candidate nodes they show."""

    elements: list[dict[str, Any]]
    shown: int
    total: int


def load_ring(runner: QueryRunner, ring_id: str) -> RingView | None:
    """The ring ``ring_id`` with its members, evidence claims and shared identifiers, or None."""
    rows = runner.read("app_ring", ring_id=ring_id)
    if not rows:
        return None
    row = rows[0]
    claims = pd.DataFrame(row["claims"], columns=_CLAIM_COLUMNS).sort_values("settled_at", kind="stable")
    claims = claims.reset_index(drop=True)
    claims["day"] = pd.to_datetime(claims["settled_at"].str.slice(0, 10), errors="coerce")
    return RingView(ring_id, dict(row["ring"]), [dict(m) for m in row["members"]], claims,
                    [dict(s) for s in row["shared"]])


def month_marks(claims: pd.DataFrame) -> list[str]:
    """The months (``YYYY-MM``) the claims span, first to last: the time slider's steps."""
    days = claims["day"].dropna()
    if days.empty:
        return []
    return [str(p) for p in pd.period_range(days.min().to_period("M"), days.max().to_period("M"), freq="M")]


def claims_in_period(claims: pd.DataFrame, months: list[str], period: list[int] | None) -> pd.DataFrame:
    """The claims whose month lies within the slider's ``[first, last]`` month indexes."""
    if not period or not months:
        return claims
    first, last = pd.Period(months[period[0]], "M"), pd.Period(months[period[1]], "M")
    month = claims["day"].dt.to_period("M")
    return claims[(month >= first) & (month <= last)]


_ON_CLAIMS = (("person", ["Person"]), ("facility", ["Facility"]), ("practitioner", ["Practitioner"]))


def _candidates(view: RingView, claims: pd.DataFrame, role: str | None) -> dict[str, tuple[tuple, Any]]:
    """Every node the graph could draw, by id: (rank key, how to build its element); lower keys first.

    Tier 0: members with a lead role (organiser, recruiter, the facility, the
    doctor...); tier 1: other members and the identifiers members share;
    tier 2: places, practitioners and devices that are only on the claims.
    Within a tier, the more claims (or owners), the earlier.
    """
    ids = pd.concat([claims[f"{column}_node"] for column, _ in _ON_CLAIMS] + [claims["device_node"]])
    activity = ids.dropna().value_counts().to_dict()
    found: dict[str, tuple[tuple, Any]] = {}
    for m in view.members:
        tier = 1 if m["role"] in (None, "", "cardholder") else 0
        found[m["id"]] = ((tier, -activity.get(m["id"], 0), -(m.get("member_score") or 0), m["id"]),
                          lambda m=m: node_element(m["id"], m["labels"], role, key=m["key"], name=m["name"],
                                                   ring_role=m["role"]))
    for identifier in view.shared:
        found.setdefault(identifier["id"], ((1, -len(identifier["owners"]), 0, identifier["id"]),
                                            lambda i=identifier: node_element(i["id"], i["labels"], role,
                                                                              value=i["value"])))
    for column, labels in _ON_CLAIMS:
        seen = claims.dropna(subset=[f"{column}_node"]).drop_duplicates(f"{column}_node")
        for row in seen[[f"{column}_node", column, f"{column}_name"]].itertuples(index=False):
            found.setdefault(row[0], ((2, -activity.get(row[0], 0), 0, row[0]),
                                      lambda r=row, labels=labels: node_element(r[0], labels, role, key=r[1],
                                                                                name=r[2])))
    devices = claims.dropna(subset=["device_node"]).drop_duplicates("device_node")
    for node, value in devices[["device_node", "device"]].itertuples(index=False):
        found.setdefault(node, ((2, -activity.get(node, 0), 0, node),
                                lambda n=node, v=value: node_element(n, ["Device"], role, value=v)))
    return found


def _pairs(claims: pd.DataFrame, source: str, target: str, relation: str, kept: set[str]) -> list[dict[str, Any]]:
    linked = claims[claims[source].isin(kept) & claims[target].isin(kept)].groupby([source, target]).size()
    return [edge_element(a, b, relation, int(n)) for (a, b), n in linked.items()]


def ring_graph(view: RingView, claims: pd.DataFrame, role: str | None, *, limit: int = MAX_NODES) -> RingGraph:
    """Members, the practitioners, facilities and devices on ``claims``, shared identifiers, and their links.

    At most ``limit`` nodes, the most telling first (see :func:`_candidates`);
    edges only between drawn nodes.
    """
    candidates = _candidates(view, claims, role)
    ranked = sorted(candidates.items(), key=lambda item: item[1][0])[:limit]
    kept = {node for node, _ in ranked}
    nodes = [build() for _, (_, build) in ranked]
    edges = (_pairs(claims, "person_node", "facility_node", "CLAIMED_AT", kept)
             + _pairs(claims, "person_node", "practitioner_node", "TREATED_BY", kept)
             + _pairs(claims, "person_node", "device_node", "VIA", kept))
    for identifier in view.shared:
        if identifier["id"] in kept:
            edges += [edge_element(owner, identifier["id"], "HAS_IDENTIFIER") for owner in identifier["owners"]
                      if owner in kept]
    return RingGraph(merge_elements([], nodes + edges), len(kept), len(candidates))


def claim_rows(claims: pd.DataFrame, request: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """The evidence table's ``getRowsResponse``: claims filtered, sorted and paged; times in ``lang``."""
    return rows_response(claims[list(TABLE_COLUMNS)], request, TABLE_COLUMNS, derive={
        "settled_at": lambda page: page["settled_at"].map(lambda value: format_datetime(value, lang))})


def neighbour_elements(runner: QueryRunner, node_id: str, role: str | None, *, limit: int = 25,
                       claims: int = 2000) -> list[dict[str, Any]]:
    """The expand action: ``node_id``'s strongest neighbours and the edges to them."""
    rows = runner.read("app_neighbours", node=node_id, limit=limit, claims=claims)
    nodes = [node_element(r["id"], r["labels"], role, key=r["key"], name=r["name"], value=r["value"],
                          classes="expanded") for r in rows]
    return nodes + [edge_element(node_id, r["id"], r["via"], int(r["weight"])) for r in rows]


def timeline_figure(claims: pd.DataFrame, lang: str) -> go.Figure:
    """Claims per day as bars, so that bursts stand out, with fund paid on hover."""
    daily = claims.dropna(subset=["day"]).groupby("day").agg(claims=("claim_id", "size"),
                                                             fund_paid=("fund_paid", "sum")).reset_index()
    axis = date_axis(lang)
    figure = go.Figure(go.Bar(x=daily["day"], y=daily["claims"], customdata=daily["fund_paid"],
                              hovertemplate=f"%{{x|{axis['hoverformat']}}}: %{{y}} · ¥%{{customdata:,.0f}}<extra></extra>"))
    figure.update_layout(margin=dict(l=30, r=10, t=30, b=30), height=220, title=t("ring_timeline", lang),
                         yaxis_title=t("col_n_claims", lang), xaxis=axis)
    return figure


def score_breakdown(ring: Mapping[str, Any]) -> dict[str, float]:
    """The ring's score by signal: the ``breakdown`` JSON detection writes, or ``signal_<name>`` properties."""
    signals = ring.get("breakdown", ring.get("signals"))
    if isinstance(signals, str):
        try:
            signals = json.loads(signals)
        except ValueError:
            signals = None
    found = {str(k): float(v) for k, v in (signals or {}).items() if isinstance(v, (int, float))}
    found.update({key.removeprefix("signal_"): float(value) for key, value in ring.items()
                  if key.startswith("signal_") and isinstance(value, (int, float))})
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def breakdown_figure(ring: Mapping[str, Any], lang: str) -> go.Figure:
    """Horizontal bars, one a signal."""
    scores = score_breakdown(ring)
    figure = go.Figure(go.Bar(x=list(scores.values()), y=list(scores), orientation="h"))
    figure.update_layout(margin=dict(l=140, r=10, t=30, b=30), height=40 + 28 * max(len(scores), 2),
                         title=t("ring_breakdown", lang), yaxis=dict(autorange="reversed"))
    return figure


def summary(ring: Mapping[str, Any], lang: str) -> str:
    """The ring's one-sentence reason in ``lang`` (the other language, or ``summary``, if missing)."""
    other = "en" if lang == "zh" else "zh"
    return str(ring.get(f"summary_{lang}") or ring.get("summary") or ring.get(f"summary_{other}") or "")
