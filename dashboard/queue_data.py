"""The alert queue's data: the newest run's rings with their triage state, and the
server-side sort, filter and paging that the grid's infinite row model asks for.

Sorting and filtering happen on an in-memory frame of at most a few tens of
thousands of rings (read once, cached a few seconds), which keeps a page of
the queue well under the 300 ms the issue asks for at 10,000 rings; column
names come from an allow-list, never from the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from ringscope.dashboard.access import may
from ringscope.dashboard.i18n import STATUSES, format_date, status_label, typology_label
from ringscope.errors import ConfigError
from ringscope.graph.db import QueryRunner

__all__ = ["COLUMNS", "load_queue", "page_rows", "Triage", "validate_triage", "save_triage", "get_triage"]

COLUMNS = ("ring_id", "score", "typology", "size", "n_claims", "fund_paid", "region", "first_seen",
           "last_seen", "status", "assignee")
_NUMERIC = {"score", "size", "n_claims", "fund_paid"}
#: grid columns that show a derived value but filter and sort on the stored one
_ALIASES = {"ring_link": "ring_id"}
_FINAL = {"confirmed", "dismissed", "referred"}


def load_queue(runner: QueryRunner) -> pd.DataFrame:
    """Every ring of the newest detection run, one row each, highest score first."""
    frame = pd.DataFrame([dict(r) for r in runner.read("app_queue_rings")], columns=list(COLUMNS))
    for column in _NUMERIC:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)


def _text_mask(values: pd.Series, spec: Mapping[str, Any]) -> pd.Series:
    needle = str(spec.get("filter") or "").lower()
    text = values.fillna("").astype(str).str.lower()
    kind = spec.get("type", "contains")
    if kind == "equals":
        return text == needle
    if kind == "notEqual":
        return text != needle
    if kind == "startsWith":
        return text.str.startswith(needle)
    if kind == "endsWith":
        return text.str.endswith(needle)
    if kind == "notContains":
        return ~text.str.contains(needle, regex=False)
    return text.str.contains(needle, regex=False)


def _number_mask(values: pd.Series, spec: Mapping[str, Any]) -> pd.Series:
    value, kind = spec.get("filter"), spec.get("type", "equals")
    if value is None:
        return pd.Series(True, index=values.index)
    value = float(value)
    tests = {"equals": values == value, "notEqual": values != value, "lessThan": values < value,
             "lessThanOrEqual": values <= value, "greaterThan": values > value,
             "greaterThanOrEqual": values >= value}
    if kind == "inRange":
        return (values >= value) & (values <= float(spec.get("filterTo", value)))
    return tests.get(kind, pd.Series(True, index=values.index))


def _filter(frame: pd.DataFrame, model: Mapping[str, Any]) -> pd.DataFrame:
    for column, spec in (model or {}).items():
        column = _ALIASES.get(column, column)
        if column not in frame.columns or column not in COLUMNS + ("typology_label", "status_label"):
            raise ConfigError(f"cannot filter on column {column!r}")
        parts = spec.get("conditions") or [spec]
        test = _number_mask if spec.get("filterType") == "number" else _text_mask
        masks = [test(frame[column], part) for part in parts]
        combined = masks[0]
        for extra in masks[1:]:
            combined = (combined | extra) if spec.get("operator") == "OR" else (combined & extra)
        frame = frame[combined]
    return frame


def _sort(frame: pd.DataFrame, model: list[Mapping[str, Any]]) -> pd.DataFrame:
    wanted = [(_ALIASES.get(m.get("colId"), m.get("colId")), m.get("sort") != "desc") for m in model or []]
    wanted = [(column, ascending) for column, ascending in wanted if column in frame.columns]
    if not wanted:
        return frame
    columns, ascending = [c for c, _ in wanted], [a for _, a in wanted]
    return frame.sort_values(columns, ascending=ascending, kind="stable", na_position="last")


def page_rows(frame: pd.DataFrame, request: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """Answer the grid's ``getRowsRequest``: the asked slice, sorted and filtered, labelled in ``lang``."""
    request = request or {}
    shown = frame.assign(typology_label=frame["typology"].map(lambda v: typology_label(v, lang)),
                         status_label=frame["status"].map(lambda v: status_label(v, lang)))
    shown = _sort(_filter(shown, request.get("filterModel") or {}), request.get("sortModel") or [])
    start = max(0, int(request.get("startRow") or 0))
    end = max(start, int(request.get("endRow") or start + 100))
    page = shown.iloc[start:end].copy()
    for column in ("first_seen", "last_seen"):
        page[column] = page[column].map(lambda v: format_date(v, lang))
    page["ring_link"] = page["ring_id"].map(lambda ring_id: f"[{ring_id}](/ring/{ring_id})")
    page = page.astype(object).where(page.notna(), None)
    return {"rowData": page.to_dict("records"), "rowCount": len(shown)}


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
