"""Every label exists in both languages; dates follow each language."""

from __future__ import annotations

import pytest

from ringscope.dashboard.i18n import STATUSES, TEXT, TYPOLOGIES, format_date, status_label, t, typology_label

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
