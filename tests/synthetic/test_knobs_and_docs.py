"""Every knob does something and is documented; docstring examples run; the CLI wraps the API."""

from __future__ import annotations

import doctest
import importlib
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from ringscope.cli import main
from ringscope.synthetic.claims import TRAP_KINDS
from ringscope.synthetic.knobs import BehaviourKnobs, RingKnobs, TrapKnobs, TYPOLOGIES

SOURCE = Path(importlib.import_module("ringscope.synthetic").__file__).parent
CODE = {p.name: p.read_text(encoding="utf-8") for p in SOURCE.glob("*.py")}
README = (SOURCE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("knob", [f.name for cls in (BehaviourKnobs, TrapKnobs, RingKnobs) for f in fields(cls)])
def test_every_knob_is_read_by_the_generator(knob):
    users = [name for name, text in CODE.items() if name != "knobs.py" and f".{knob}" in text]
    assert users, f"knob {knob} is never read"


@pytest.mark.parametrize("knob", [f.name for f in fields(TrapKnobs)])
def test_every_trap_knob_is_documented(knob):
    assert f"`{knob}`" in README


@pytest.mark.parametrize("name", list(TYPOLOGIES) + list(TRAP_KINDS))
def test_every_typology_and_trap_is_described(name):
    assert name in README


@pytest.mark.parametrize("module", ["ids", "knobs", "sampling"])
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(f"ringscope.synthetic.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_cli_writes_an_extract_and_refuses_bad_options(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["generate", "--out", str(tmp_path / "x"), "--persons", "1000", "--seed", "2",
                                "--no-rings"])
    assert done.exit_code == 0, done.output
    assert "rings: none" in done.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == sorted(
        f"{t}.csv" for t in ("persons", "facilities", "practitioners", "claims", "claim_items", "identifiers",
                             "purchases", "labels"))
    again = runner.invoke(main, ["generate", "--out", str(tmp_path / "x"), "--persons", "1000", "--format", "parquet"])
    assert again.exit_code == 0, again.output
    assert {p.suffix for p in (tmp_path / "x").iterdir()} == {".parquet"}, "a rerun replaces the other format"
    refused = runner.invoke(main, ["generate", "--out", str(tmp_path / "y"), "--format", "xlsx"])
    assert refused.exit_code == 2 and "xlsx" in refused.output
    assert not (tmp_path / "y").exists()
