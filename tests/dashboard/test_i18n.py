"""Every label exists in both languages; dates follow each language."""

from __future__ import annotations

import pytest

from ringscope.dashboard.i18n import (STATUSES, TEXT, TYPOLOGIES, format_date, format_datetime, role_label,
                                     status_label, t, typology_label)

CONTRACT_TYPOLOGIES = {"card_cashout", "induced_admission", "card_lending", "impersonation", "drug_resale",
                       "prescription_collusion", "fictitious_services", "other"}


def test_i18n001_every_text_in_both_languages():
    for table in (TEXT, TYPOLOGIES, STATUSES):
        for key, (zh, en) in table.items():
            assert zh.strip() and en.strip() and zh != en, key


def test_i18n002_contract_vocabularies_are_covered():
    assert set(TYPOLOGIES) == CONTRACT_TYPOLOGIES
    assert set(STATUSES) == {"new", "in_review", "confirmed", "dismissed", "referred"}
    assert typology_label("card_cashout", "zh") == "空刷套现"
    assert typology_label("mystery", "en") == "mystery"
    assert status_label(None, "en") == "New"


def test_i18n003_unknown_language_falls_back_to_chinese():
    assert t("nav_queue", "fr") == "预警队列"


@pytest.mark.parametrize("value,lang,expected", [
    ("2024-12-31", "zh", "2024年12月31日"), ("2024-12-31T23:59:00", "en", "31 Dec 2024"),
    (None, "en", ""), ("not a date", "zh", "not a date")])
def test_i18n004_dates(value, lang, expected):
    assert format_date(value, lang) == expected


def test_i18n005_every_identity_field_has_a_label():
    from ringscope.dashboard.entity_view import IDENTITY_FIELDS

    assert all(f"field_{name}" in TEXT for name in IDENTITY_FIELDS)


@pytest.mark.parametrize("value,lang,expected", [
    ("2024-03-05T09:41:00", "zh", "2024年3月5日 09:41"), ("2024-03-05T09:41:00", "en", "5 Mar 2024 09:41"),
    # the app's own times are stored in UTC and shown on the users' clock (UTC+8): the day can change
    ("2026-11-23T17:30:00.123456789Z", "zh", "2026年11月24日 01:30"), ("2024-03-05", "en", "5 Mar 2024")])
def test_i18n006_times(value, lang, expected):
    assert format_datetime(value, lang) == expected


def test_i18n007_plotly_date_axes_follow_the_language():
    import pandas as pd

    from ringscope.dashboard.ring_view import timeline_figure

    claims = pd.DataFrame({"claim_id": ["C1", "C2"], "fund_paid": [1.0, 2.0],
                           "day": pd.to_datetime(["2024-03-01", "2024-03-03"])})
    axes = {lang: timeline_figure(claims, lang).layout.xaxis for lang in ("zh", "en")}
    assert axes["zh"].hoverformat == "%Y年%-m月%-d日" and axes["en"].hoverformat == "%-d %b %Y"
    assert [stop.value for stop in axes["zh"].tickformatstops] == ["%Y年%-m月%-d日", "%Y年%-m月"]
    assert "%{x|%-d %b %Y}" in timeline_figure(claims, "en").data[0].hovertemplate


def test_i18n008_roles_in_both_languages():
    from ringscope.dashboard.access import ROLES

    assert {role_label(role, "zh") for role in ROLES} == {"调查员", "案件承办人", "分析员", "管理员"}
    assert role_label("admin", "en") == "Administrator" and role_label("boss", "en") == "boss"


def test_i18n009_grids_speak_chinese():
    from ringscope.dashboard.i18n import grid_locale

    words = grid_locale("zh")
    paging = {"page", "of", "to", "pageSizeSelectorLabel", "firstPage", "previousPage", "nextPage", "lastPage"}
    assert paging <= set(words) and grid_locale("en") == {}
    assert all(not value.isascii() for key, value in words.items() if key not in {"of", "pageLastRowUnknown"})
