"""The dashboard's docstring examples run, so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["access", "auth", "cache", "elements", "grid_model", "i18n", "users"])
def test_doct001_examples_hold(module):
    result = doctest.testmod(importlib.import_module(f"ringscope.dashboard.{module}"))
    assert result.attempted > 0 and result.failed == 0
