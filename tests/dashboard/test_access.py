"""Roles, masking and masked search input."""

from __future__ import annotations

import pytest

from ringscope.dashboard.access import ROLES, check_role, mask, mask_for, masked_pattern, may
from ringscope.errors import ConfigError


def test_acce001_id_card_masked_like_the_issue():
    assert mask("410102199001011234") == "4101**********1234"


@pytest.mark.parametrize("value", ["410102199001011234", "13800138000", "6222020200112233445", "abc"])
def test_acce002_at_least_half_hidden(value):
    shown = sum(char != "*" for char in mask(value))
    assert shown <= len(value) / 2


def test_acce003_only_case_officers_see_identifiers_in_clear():
    card = "410102199001011234"
    assert mask_for("case_officer", "id_card", card) == card
    for role in set(ROLES) - {"case_officer"}:
        assert mask_for(role, "id_card", card) != card
        assert mask_for(role, "phone", "13800138000") != "13800138000"
    assert mask_for("analyst", "address", "1 Main St") == "1 Main St"


def test_acce004_permissions():
    assert may("admin", "manage_users") and not may("investigator", "manage_users")
    assert may("investigator", "reveal") and not may("analyst", "reveal")
    assert not may("analyst", "decide") and may("case_officer", "decide")
    assert not may(None, "view") and not may("admin", "no such permission")


def test_acce005_unknown_role_named():
    with pytest.raises(ConfigError, match="'boss'"):
        check_role("boss")


def test_acce006_masked_input():
    assert masked_pattern("4101**********1234") == ("4101", "1234")
    assert masked_pattern("**1234") == ("", "1234")
    assert masked_pattern("4101") is None
