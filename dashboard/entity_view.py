"""The entity profile: identity (masked by role), identifiers and who shares them,
claims over time, rings, and where it was treated against where it is insured.

Revealing a masked value is its own function: it checks the role, demands a
reason and writes the audit entry before the value leaves the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ringscope.dashboard.access import SENSITIVE_KINDS, mask_for, may
from ringscope.dashboard.elements import ENTITY_KINDS, node_kind
from ringscope.dashboard.i18n import CODES, code_label, date_axis, format_date, t
from ringscope.errors import ConfigError
from ringscope.graph.db import QueryRunner

__all__ = ["EntityView", "load_entity", "identity_rows", "identifier_rows", "sensitive_values", "reveal",
           "claims_figure", "region_rows", "IDENTITY_FIELDS"]

IDENTITY_FIELDS = ("name", "id_card", "gender", "birth_date", "region_code", "insurance_type", "death_date",
                   "kind", "level", "ownership", "role", "department", "facility_id", "beds")
_KIND_OF_FIELD = {"id_card": "id_card"}
_DATE_FIELDS = frozenset({"birth_date", "death_date"})


@dataclass(frozen=True)
class EntityView:
    """One person, practitioner or facility as read from Neo4j."""

    kind: str
    key: str
    node: str
    props: dict[str, Any]
    identifiers: list[dict[str, Any]]
    claims: pd.DataFrame
    rings: list[dict[str, Any]]


def load_entity(runner: QueryRunner, kind: str, key: str, *, claim_limit: int = 20_000) -> EntityView | None:
    """The entity ``kind``/``key`` and what its profile shows, or None when there is none."""
    if kind not in ENTITY_KINDS:
        raise ConfigError(f"unknown entity kind {kind!r}; kinds are {', '.join(ENTITY_KINDS)}")
    rows = runner.read("app_entity", kind=kind, key=key)
    if not rows:
        return None
    node = rows[0]["id"]
    claims = pd.DataFrame([dict(r) for r in runner.read("app_entity_claims", node=node, limit=claim_limit)],
                          columns=["day", "region", "claims", "fund_paid"])
    return EntityView(kind, key, node, {k: v for k, v in dict(rows[0]["props"]).items()},
                      [dict(r) for r in runner.read("app_entity_identifiers", node=node)], claims,
                      [dict(r) for r in runner.read("app_entity_rings", node=node)])


def _text(value: Any) -> str:
    return "" if value is None else str(value.iso_format() if hasattr(value, "iso_format") else value)


def identity_rows(view: EntityView, role: str | None, lang: str) -> list[dict[str, str]]:
    """``field``/``value`` rows of the identity block, sensitive fields masked for ``role``, dates in ``lang``."""
    return [{"field": name, "value": format_date(view.props[name], lang) if name in _DATE_FIELDS
             else code_label(name, view.props[name], lang) if name in CODES
             else mask_for(role, _KIND_OF_FIELD.get(name, name), _text(view.props[name]))}
            for name in IDENTITY_FIELDS if view.props.get(name) not in (None, "")]


def identifier_rows(view: EntityView, role: str | None) -> list[dict[str, Any]]:
    """One row per identifier: its kind, its (masked) value and who else holds it."""
    rows = []
    for identifier in view.identifiers:
        kind = node_kind(identifier["labels"])
        others = ", ".join(f"{o['name'] or o['key']} ({o['key']})" for o in identifier["others"])
        if identifier["n_others"] > len(identifier["others"]):
            others += f" … +{identifier['n_others'] - len(identifier['others'])}"
        rows.append({"kind": kind, "value": mask_for(role, kind, identifier["value"]), "shared_with": others,
                     "n_others": identifier["n_others"]})
    return rows


def sensitive_values(view: EntityView) -> list[tuple[str, str]]:
    """The (kind, value) pairs a reveal may show: the identity card, then sensitive identifiers."""
    found = [("id_card", _text(view.props["id_card"]))] if view.props.get("id_card") else []
    for identifier in view.identifiers:
        kind = node_kind(identifier["labels"])
        pair = (kind, identifier["value"])
        if kind in SENSITIVE_KINDS and pair not in found:
            found.append(pair)
    return found


def reveal(view: EntityView, index: int, role: str | None, reason: str | None) -> tuple[str, str]:
    """The clear (kind, value) at ``index`` of :func:`sensitive_values`, when the role may and a reason is given.

    Raises ``ConfigError`` with the i18n key of the refusal; the caller audits a success.
    """
    if not may(role, "reveal") and not may(role, "see_identifiers"):
        raise ConfigError("reveal_forbidden")
    if not (reason or "").strip():
        raise ConfigError("reveal_need_reason")
    values = sensitive_values(view)
    if not 0 <= index < len(values):
        raise ConfigError(f"no sensitive value number {index}")
    return values[index]


def claims_figure(view: EntityView, lang: str) -> go.Figure:
    """Claims per day, coloured by the region where they were treated."""
    figure = go.Figure()
    for region, part in view.claims.groupby(view.claims["region"].fillna("?")):
        figure.add_bar(x=part["day"], y=part["claims"], name=str(region))
    figure.update_layout(barmode="stack", height=240, margin=dict(l=30, r=10, t=30, b=30),
                         title=t("entity_claims", lang), xaxis=date_axis(lang))
    return figure


def region_rows(view: EntityView) -> list[dict[str, Any]]:
    """Claims per treating region, the insuring region marked, most claims first."""
    insured = view.props.get("region_code") if view.kind == "person" else None
    totals = view.claims.groupby(view.claims["region"].fillna("?"))["claims"].sum().sort_values(ascending=False)
    return [{"region": region, "claims": int(n), "insured": region == insured} for region, n in totals.items()]
