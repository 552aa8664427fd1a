"""The server side of dash-ag-grid's infinite row model: filter, sort and slice a frame.

Both the alert queue and a ring's evidence claims are too long to ship to the
browser whole, so the grid asks for one block of rows at a time
(``getRowsRequest``) and these functions answer it from an in-memory frame.
Column names come from the caller's allow-list, never from the request.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Collection, Mapping

import pandas as pd

from ringscope.errors import ConfigError

__all__ = ["filter_frame", "sort_frame", "request_slice", "json_records", "rows_response", "refetch_rows_js"]


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


def filter_frame(frame: pd.DataFrame, model: Mapping[str, Any] | None, allowed: Collection[str],
                 aliases: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``frame`` that pass the grid's ``filterModel``.

    ``aliases`` maps a shown column to the stored one it filters on; a column
    outside ``allowed`` is refused with a ``ConfigError`` naming it.

    >>> frame = pd.DataFrame({"n": [1, 5, 9], "name": ["a", "b", "ab"]})
    >>> filter_frame(frame, {"n": {"filterType": "number", "type": "greaterThan", "filter": 2},
    ...                      "name": {"filterType": "text", "type": "contains", "filter": "b"}}, {"n", "name"})["n"].tolist()
    [5, 9]
    """
    for column, spec in (model or {}).items():
        column = (aliases or {}).get(column, column)
        if column not in frame.columns or column not in allowed:
            raise ConfigError(f"cannot filter on column {column!r}")
        parts = spec.get("conditions") or [spec]
        test = _number_mask if spec.get("filterType") == "number" else _text_mask
        masks = [test(frame[column], part) for part in parts]
        combined = masks[0]
        for extra in masks[1:]:
            combined = (combined | extra) if spec.get("operator") == "OR" else (combined & extra)
        frame = frame[combined]
    return frame


def sort_frame(frame: pd.DataFrame, model: list[Mapping[str, Any]] | None,
               aliases: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` in the grid's ``sortModel`` order (unknown columns are ignored, blanks last)."""
    wanted = [((aliases or {}).get(m.get("colId"), m.get("colId")), m.get("sort") != "desc") for m in model or []]
    wanted = [(column, ascending) for column, ascending in wanted if column in frame.columns]
    if not wanted:
        return frame
    columns, ascending = [c for c, _ in wanted], [a for _, a in wanted]
    return frame.sort_values(columns, ascending=ascending, kind="stable", na_position="last")


def request_slice(request: Mapping[str, Any] | None, block: int = 100) -> slice:
    """The rows a ``getRowsRequest`` asks for (``block`` rows when it names no end).

    >>> request_slice({"startRow": 100, "endRow": 200}), request_slice(None)
    (slice(100, 200, None), slice(0, 100, None))
    """
    request = request or {}
    start = max(0, int(request.get("startRow") or 0))
    return slice(start, max(start, int(request.get("endRow") or start + block)))


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame``'s rows as JSON-ready dicts, missing values as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def rows_response(frame: pd.DataFrame, request: Mapping[str, Any] | None, allowed: Collection[str], *,
                  aliases: Mapping[str, str] | None = None,
                  derive: Mapping[str, Callable[[pd.DataFrame], pd.Series]] | None = None) -> dict[str, Any]:
    """The grid's ``getRowsResponse``: ``frame`` filtered, sorted and sliced as ``request`` asks.

    ``derive`` adds (or replaces) shown columns computed on the slice only,
    such as dates written in the user's language, so sorting and filtering
    still see the stored values.

    >>> frame = pd.DataFrame({"n": [3, 1, 2]})
    >>> rows_response(frame, {"sortModel": [{"colId": "n", "sort": "asc"}], "startRow": 0, "endRow": 2}, {"n"},
    ...               derive={"twice": lambda page: page["n"] * 2})
    {'rowData': [{'n': 1, 'twice': 2}, {'n': 2, 'twice': 4}], 'rowCount': 3}
    """
    request = request or {}
    shown = sort_frame(filter_frame(frame, request.get("filterModel"), allowed, aliases), request.get("sortModel"),
                       aliases)
    page = shown.iloc[request_slice(request)].copy()
    for column, compute in (derive or {}).items():
        page[column] = compute(page)
    return {"rowData": json_records(page), "rowCount": len(shown)}


def refetch_rows_js(grid_id: str, *, purge: bool = False) -> str:
    """A clientside callback body that makes the grid ``grid_id`` ask the server for its rows again.

    The infinite row model keeps the blocks it fetched; when the rows change
    on the server (a decision, another period) the grid must be told. With
    ``purge`` the old rows give way to "loading" at once (the rows are a
    different set); without, they stay until the new ones arrive.

    >>> "refreshInfiniteCache" in refetch_rows_js("queue-grid")
    True
    """
    method = "purgeInfiniteCache" if purge else "refreshInfiniteCache"
    return ("function (_changed) { window.dash_ag_grid.getApiAsync(" + json.dumps(grid_id) + ")"
            ".then(function (api) { api." + method + "(); }); return Date.now(); }")
