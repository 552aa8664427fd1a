"""What the ring page shows, as plain functions of what Neo4j returns.

A ring is read once (members, evidence claims, shared identifiers: three
queries) and kept briefly in a cache, so the time slider, the table and the
graph re-cut it without asking the database again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd
import plotly.graph_objects as go

from ringscope.dashboard.elements import edge_element, merge_elements, node_element
from ringscope.dashboard.i18n import t
from ringscope.graph.db import QueryRunner

__all__ = ["CSV_COLUMNS", "RingView", "load_ring", "ring_elements", "claims_in_period", "timeline_figure",
           "breakdown_figure", "score_breakdown", "summary", "neighbour_elements", "month_marks"]

_CLAIM_COLUMNS = ["claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person",
                  "person_node", "person_name", "facility", "facility_node", "facility_name", "practitioner",
                  "practitioner_node", "practitioner_name", "device_node", "device"]

#: what the evidence download holds: claims and who was on them, never identifier values
CSV_COLUMNS = ("claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person", "person_name",
               "facility", "facility_name", "practitioner", "practitioner_name")


@dataclass(frozen=True)
class RingView:
    """One ring as read from Neo4j."""

    ring_id: str
    ring: dict[str, Any]
    members: list[dict[str, Any]]
    claims: pd.DataFrame
    shared: list[dict[str, Any]]


def load_ring(runner: QueryRunner, ring_id: str) -> RingView | None:
    """The ring ``ring_id`` with its members, evidence claims and shared identifiers, or None."""
    rows = runner.read("app_ring", ring_id=ring_id)
    if not rows:
        return None
    claims = pd.DataFrame([dict(r) for r in runner.read("app_ring_claims", ring_id=ring_id)],
                          columns=_CLAIM_COLUMNS)
    claims["day"] = pd.to_datetime(claims["settled_at"].str.slice(0, 10), errors="coerce")
    return RingView(ring_id, dict(rows[0]["ring"]),
                    [dict(r) for r in runner.read("app_ring_members", ring_id=ring_id)], claims,
                    [dict(r) for r in runner.read("app_ring_shared_identifiers", ring_id=ring_id)])


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


def _pairs(claims: pd.DataFrame, source: str, target: str, relation: str) -> list[dict[str, Any]]:
    linked = claims.dropna(subset=[source, target]).groupby([source, target]).size()
    return [edge_element(a, b, relation, int(n)) for (a, b), n in linked.items()]


def ring_elements(view: RingView, claims: pd.DataFrame, role: str | None) -> list[dict[str, Any]]:
    """Members, the practitioners, facilities and devices on ``claims``, and their links."""
    nodes = [node_element(m["id"], m["labels"], role, key=m["key"], name=m["name"], ring_role=m["role"])
             for m in view.members]
    for column, labels in (("facility", ["Facility"]), ("practitioner", ["Practitioner"]),
                           ("person", ["Person"])):
        seen = claims.dropna(subset=[f"{column}_node"]).drop_duplicates(f"{column}_node")
        nodes += [node_element(row[f"{column}_node"], labels, role, key=row[column], name=row[f"{column}_name"])
                  for row in seen.to_dict("records")]
    devices = claims.dropna(subset=["device_node"]).drop_duplicates("device_node")
    nodes += [node_element(row["device_node"], ["Device"], role, value=row["device"])
              for row in devices.to_dict("records")]
    edges = (_pairs(claims, "person_node", "facility_node", "CLAIMED_AT")
             + _pairs(claims, "person_node", "practitioner_node", "TREATED_BY")
             + _pairs(claims, "person_node", "device_node", "VIA"))
    for identifier in view.shared:
        nodes.append(node_element(identifier["id"], identifier["labels"], role, value=identifier["value"]))
        edges += [edge_element(owner, identifier["id"], "HAS_IDENTIFIER") for owner in identifier["owners"]]
    return merge_elements([], nodes + edges)


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
    figure = go.Figure(go.Bar(x=daily["day"], y=daily["claims"], customdata=daily["fund_paid"],
                              hovertemplate="%{x|%Y-%m-%d}: %{y} · ¥%{customdata:,.0f}<extra></extra>"))
    figure.update_layout(margin=dict(l=30, r=10, t=30, b=30), height=220, title=t("ring_timeline", lang),
                         yaxis_title=t("col_n_claims", lang))
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
