"""The alert queue's data: the newest run's rings with their triage state, and the
server-side sort, filter and paging that the grid's infinite row model asks for.

The rings are read in one query that returns only the queue's columns, as one
list of rows (10,000 driver records cost the app more than the query itself),
and kept a few seconds in memory; sorting and filtering happen on that frame.
A ring's region is the ``region_code`` detection stores on it; rings written
before detection stored one get their members' region looked up for the rows
on screen only (:func:`fill_regions`), never for the whole queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ringscope.dashboard.access import may
from ringscope.dashboard.grid_model import rows_response
from ringscope.dashboard.i18n import STATUSES, TYPOLOGIES, format_date, status_label, typology_label
from ringscope.errors import ConfigError
from ringscope.graph.db import QueryRunner

__all__ = ["COLUMNS", "load_queue", "page_rows", "fill_regions", "Triage", "validate_triage", "save_triage",
           "get_triage"]

COLUMNS = ("ring_id", "score", "typology", "size", "n_claims", "fund_paid", "region", "first_seen",
           "last_seen", "status", "assignee")
_NUMERIC = ("score", "size", "n_claims", "fund_paid")
#: grid columns that show a derived value but filter and sort on the stored one
_ALIASES = {"ring_link": "ring_id"}
_FILTERABLE = frozenset(COLUMNS + ("typology_label", "status_label"))
_FINAL = {"confirmed", "dismissed", "referred"}


def load_queue(runner: QueryRunner) -> pd.DataFrame:
    """Every ring of the newest detection run, one row each, highest score first."""
    rows = runner.read("app_queue_rings")
    frame = pd.DataFrame(rows[0]["rows"] if rows else [], columns=list(COLUMNS))
    for column in _NUMERIC:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def _labels(codes: pd.Series, table: Mapping[str, Any], label: Any, lang: str) -> pd.Series:
    """``codes`` labelled in ``lang``: one call per distinct code, not per row."""
    names = {code: label(code, lang) for code in set(table) | set(codes.dropna().unique())}
    return codes.map(names).fillna(label(None, lang))


def _dates(column: str, lang: str):
    return lambda page: page[column].map(lambda value: format_date(value, lang))


def page_rows(frame: pd.DataFrame, request: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """Answer the grid's ``getRowsRequest``: the asked slice, sorted and filtered, labelled in ``lang``."""
    shown = frame.assign(typology_label=_labels(frame["typology"], TYPOLOGIES, typology_label, lang),
                         status_label=_labels(frame["status"], STATUSES, status_label, lang))
    return rows_response(shown, request, _FILTERABLE, aliases=_ALIASES, derive={
        "first_seen": _dates("first_seen", lang), "last_seen": _dates("last_seen", lang),
        "ring_link": lambda page: page["ring_id"].map(lambda ring_id: f"[{ring_id}](/ring/{ring_id})")})


def fill_regions(runner: QueryRunner, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with a missing ``region`` taken from the ring's members (one query for the page).

    Only needed for rings written before detection stored ``region_code``.
    """
    missing = [row["ring_id"] for row in rows if not row.get("region")]
    if not missing:
        return rows
    found = {r["ring_id"]: r["region"] for r in runner.read("app_ring_regions", ring_ids=missing)}
    return [{**row, "region": row.get("region") or found.get(row["ring_id"])} for row in rows]


@dataclass(frozen=True)
class Triage:
    """What an investigator decided about a ring."""

    status: str = "new"
    assignee: str | None = None
    notes: str = ""
    decision: str = ""
    reason: str = ""


def validate_triage(role: str | None, triage: Triage) -> Triage:
    """The triage cleaned, or a ``ConfigError`` saying what is wrong with it (in the i18n key)."""
    if not may(role, "decide"):
        raise ConfigError("triage_forbidden")
    if triage.status not in STATUSES:
        raise ConfigError(f"unknown status {triage.status!r}")
    cleaned = Triage(triage.status, (triage.assignee or None), (triage.notes or "").strip(),
                     (triage.decision or "").strip(), (triage.reason or "").strip())
    if (cleaned.decision or cleaned.status in _FINAL) and not cleaned.reason:
        raise ConfigError("triage_need_reason")
    return cleaned


def get_triage(runner: QueryRunner, ring_id: str) -> Triage:
    """The ring's current triage (``new`` and empty when nobody touched it)."""
    rows = runner.read("app_triage_get", ring_id=ring_id)
    if not rows:
        return Triage()
    row = rows[0]
    return Triage(row["status"] or "new", row["assignee"], row["notes"] or "", row["decision"] or "",
                  row["reason"] or "")


def save_triage(runner: QueryRunner, ring_id: str, user: str, triage: Triage) -> None:
    """Store the triage keyed by ``ring_id``, where a detection re-run does not touch it."""
    runner.write("app_triage_save", ring_id=ring_id, user=user, status=triage.status,
                 assignee=triage.assignee, notes=triage.notes, decision=triage.decision, reason=triage.reason)
