"""The detection modules' docstring examples run, so they stay true (every module of
``ringscope.communities`` that has examples, found by walking the package: a new module's
examples are run without being listed here)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ringscope.communities as communities

MODULES = [m.name for m in pkgutil.iter_modules(communities.__path__)]


@pytest.mark.parametrize("module", MODULES)
def test_examples_hold(module):
    result = doctest.testmod(importlib.import_module(f"ringscope.communities.{module}"))
    assert result.failed == 0


def test_the_examples_are_found():
    """At least the statistics and the new module's examples are run (an empty walk would pass)."""
    attempted = {m: doctest.testmod(importlib.import_module(f"ringscope.communities.{m}")).attempted
                 for m in ("stats", "untreated_cards")}
    assert all(attempted.values()), attempted
