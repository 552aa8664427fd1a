"""The settings table: parsing, refusal of bad values, and documentation coverage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ringscope.errors import ConfigError
from ringscope.settings import SETTINGS, load_settings

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = Path("/nonexistent")


def test_sett001_defaults():
    settings = load_settings({}, settings_file=NOWHERE)
    assert settings.bolt_port == 7687
    assert settings.home == Path("./var").resolve()
    assert not settings.external


def test_sett002_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([A-Z0-9_]+)`\s*\|", readme, flags=re.MULTILINE))
    missing = {setting.name for setting in SETTINGS} - documented
    assert not missing, f"settings missing from the README's table: {sorted(missing)}"
    unknown = documented - {setting.name for setting in SETTINGS}
    assert not unknown, f"README documents settings that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("RINGSCOPE_BOLT_PORT", "seventy", "RINGSCOPE_BOLT_PORT must be an integer, got 'seventy'"),
    ("RINGSCOPE_BOLT_PORT", "70000", "between 1 and 65535, got 70000"),
    ("RINGSCOPE_NEO4J_PAGECACHE", "lots", "size such as 512m or 4g, got 'lots'"),
    ("RINGSCOPE_COLOUR", "blue", "unknown setting RINGSCOPE_COLOUR"),
])
def test_sett003_bad_values_are_named(name, value, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings({name: value}, settings_file=NOWHERE)


def test_sett004_settings_file_mirrors_environment(tmp_path):
    mirror = tmp_path / "settings.env"
    mirror.write_text("# local\nRINGSCOPE_BOLT_PORT=7999\nRINGSCOPE_NEO4J_PAGECACHE=1g\n", encoding="utf-8")
    settings = load_settings({"RINGSCOPE_BOLT_PORT": "7777"}, settings_file=mirror)
    assert settings.bolt_port == 7777, "the environment wins over the file"
    assert settings.neo4j_pagecache_bytes == 1 << 30
