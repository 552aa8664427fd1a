"""Accounts on the real server: argon2 hashes, refusals that name the value, the CLI, the brake."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ringscope.cli import main
from ringscope.dashboard.users import Throttle, add_user, authenticate, get_user, set_language
from ringscope.errors import ConfigError

pytestmark = pytest.mark.neo4j


def test_user001_add_and_authenticate(runner):
    add_user(runner, "chen", "investigator", "a long password")
    assert authenticate(runner, "chen", "a long password").role == "investigator"
    assert authenticate(runner, "chen", "a wrong password") is None
    assert authenticate(runner, "nobody", "a long password") is None
    assert "a long password" not in str(runner.read("users_get", user_name="chen")[0]["password_hash"])


def test_user002_refusals_name_the_value(runner):
    with pytest.raises(ConfigError, match="'chief'"):
        add_user(runner, "sun", "chief", "a long password")
    with pytest.raises(ConfigError, match="at least 8"):
        add_user(runner, "sun", "analyst", "short")
    add_user(runner, "zhou", "analyst", "a long password")
    with pytest.raises(ConfigError, match="'zhou' exists"):
        add_user(runner, "zhou", "admin", "another password")


def test_user003_language_sticks(runner):
    add_user(runner, "wu", "analyst", "a long password")
    assert get_user(runner, "wu").lang == "zh"
    set_language(runner, "wu", "en")
    assert authenticate(runner, "wu", "a long password").lang == "en"


def test_user004_cli_reads_the_password_from_stdin(neo4j_env, runner):
    result = CliRunner().invoke(main, ["users", "add", "zheng", "--role", "case_officer"],
                                input="stdin password\n", env=neo4j_env)
    assert result.exit_code == 0, result.output
    assert authenticate(runner, "zheng", "stdin password").role == "case_officer"
    again = CliRunner().invoke(main, ["users", "add", "zheng", "--role", "admin"], input="x" * 9 + "\n",
                               env=neo4j_env)
    assert again.exit_code == 2 and "exists already" in again.output


def test_user005_throttle_doubles_then_forgives():
    now = [100.0]
    throttle = Throttle(free=3, base=1.0, cap=8.0, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("k")
    assert throttle.wait("k") == 1.0
    for _ in range(5):
        throttle.failed("k")
    assert throttle.wait("k") == 8.0
    throttle.succeeded("k")
    assert throttle.wait("k") == 0.0
