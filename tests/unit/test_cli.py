"""The command line's promises: a one-line reason and the contract's exit codes."""

from __future__ import annotations

from click.testing import CliRunner

from ringscope.cli import COMMANDS, main


def test_cli001_help_lists_the_commands_that_exist():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("server", "cypher", "demo"):
        assert name in result.output


def test_cli002_bad_setting_is_one_line_exit_2():
    result = CliRunner(env={"RINGSCOPE_BOLT_PORT": "not-a-port"}).invoke(main, ["server", "status"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "ringscope: error: RINGSCOPE_BOLT_PORT must be an integer, got 'not-a-port'"]


def test_cli003_bad_param_is_refused_before_connecting():
    result = CliRunner(env={"RINGSCOPE_BOLT_PORT": "1"}).invoke(main, ["cypher", "RETURN 1", "--param", "oops"])
    assert result.exit_code == 2 and "NAME=VALUE, got 'oops'" in result.output


def test_cli004_every_registered_command_points_at_a_module_attribute():
    for name, target in COMMANDS.items():
        module, _, attribute = target.partition(":")
        assert module.startswith("ringscope.") and attribute, name
