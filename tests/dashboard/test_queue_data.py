"""Server-side sort, filter and paging of the queue, and triage validation (no database)."""

from __future__ import annotations

import pandas as pd
import pytest

from ringscope.dashboard.queue_data import COLUMNS, Triage, page_rows, validate_triage
from ringscope.errors import ConfigError


def _frame(n: int = 250) -> pd.DataFrame:
    rows = [{"ring_id": f"R{i:04d}", "score": (i * 37 % 100) / 100, "typology": ["card_cashout", "card_lending"][i % 2],
             "size": 3 + i % 7, "n_claims": 10 + i, "fund_paid": 1000.0 * i, "region": "410102",
             "first_seen": "2024-01-01", "last_seen": "2024-03-05", "status": "new" if i % 5 else "confirmed",
             "assignee": None} for i in range(n)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_queu001_pages_and_counts():
    answer = page_rows(_frame(), {"startRow": 100, "endRow": 200}, "zh")
    assert answer["rowCount"] == 250 and len(answer["rowData"]) == 100
    assert answer["rowData"][0]["ring_id"] == "R0100"
    assert answer["rowData"][0]["ring_link"] == "[R0100](/ring/R0100)"
    assert answer["rowData"][0]["last_seen"] == "2024年3月5日"


def test_queu002_sorts_on_the_server():
    answer = page_rows(_frame(), {"startRow": 0, "endRow": 5, "sortModel": [{"colId": "fund_paid", "sort": "desc"}]}, "en")
    assert [row["fund_paid"] for row in answer["rowData"]] == [249000.0, 248000.0, 247000.0, 246000.0, 245000.0]


def test_queu003_filters_numbers_and_translated_labels():
    request = {"startRow": 0, "endRow": 500, "filterModel": {
        "score": {"filterType": "number", "type": "greaterThan", "filter": 0.9},
        "typology_label": {"filterType": "text", "type": "contains", "filter": "借卡"}}}
    answer = page_rows(_frame(), request, "zh")
    frame = _frame()
    expected = frame[(frame.score > 0.9) & (frame.typology == "card_lending")]
    assert answer["rowCount"] == len(expected) > 0
    assert {row["ring_id"] for row in answer["rowData"]} == set(expected.ring_id)


def test_queu004_status_filter_in_english():
    request = {"filterModel": {"status_label": {"filterType": "text", "type": "equals", "filter": "confirmed"}}}
    assert page_rows(_frame(), request, "en")["rowCount"] == 50


def test_queu005_unknown_filter_column_refused():
    with pytest.raises(ConfigError, match="'password_hash'"):
        page_rows(_frame(), {"filterModel": {"password_hash": {"filterType": "text", "filter": "x"}}}, "en")


def test_queu006_decisions_need_a_reason_and_a_deciding_role():
    with pytest.raises(ConfigError, match="triage_need_reason"):
        validate_triage("investigator", Triage(status="confirmed"))
    with pytest.raises(ConfigError, match="triage_need_reason"):
        validate_triage("investigator", Triage(status="in_review", decision="fraud"))
    with pytest.raises(ConfigError, match="triage_forbidden"):
        validate_triage("analyst", Triage(status="in_review"))
    with pytest.raises(ConfigError, match="'closed'"):
        validate_triage("investigator", Triage(status="closed"))
    kept = validate_triage("investigator", Triage("dismissed", "", " family ", "", " a household "))
    assert kept == Triage("dismissed", None, "family", "", "a household")


def test_queu007_ring_link_column_filters_and_sorts_on_the_ring_id():
    request = {"sortModel": [{"colId": "ring_link", "sort": "desc"}],
               "filterModel": {"ring_link": {"filterType": "text", "type": "startsWith", "filter": "r00"}}}
    answer = page_rows(_frame(), request, "en")
    assert answer["rowCount"] == 100 and answer["rowData"][0]["ring_id"] == "R0099"
