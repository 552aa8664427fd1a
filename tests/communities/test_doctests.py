"""The detection modules' docstring examples run, so they stay true (every module of
``ringscope.communities`` with examples, found by walking the package: a new module's
examples are run without being listed here)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ringscope.communities as communities


def _with_examples(name: str) -> bool:
    module = importlib.import_module(f"ringscope.communities.{name}")
    return any(test.examples for test in doctest.DocTestFinder().find(module))


MODULES = [m.name for m in pkgutil.iter_modules(communities.__path__) if _with_examples(m.name)]


@pytest.mark.parametrize("module", MODULES)
def test_examples_hold(module):
    result = doctest.testmod(importlib.import_module(f"ringscope.communities.{module}"))
    assert result.attempted > 0 and result.failed == 0


def test_the_walk_finds_the_modules_with_examples():
    """An empty walk would run nothing and pass: the statistics and the untreated-cards examples
    are among those found."""
    assert {"stats", "untreated_cards"} <= set(MODULES)
