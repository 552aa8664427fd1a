"""The ``ringscope`` command line: a thin layer over objects tests build directly.

Each command lives with its area (``ringscope.graph.server_cli``,
``ringscope.synthetic.cli``, ...) and is imported only when called, so
``ringscope --help`` stays fast. Every ``RingscopeError`` becomes one line on
standard error and the exit status the data contract gives it; a traceback is
shown only with ``RINGSCOPE_DEBUG=1``.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ringscope import __version__
from ringscope.errors import RingscopeError

__all__ = ["main", "COMMANDS"]

#: command name -> "module:attribute" of its click command.
COMMANDS: dict[str, str] = {
    "server": "ringscope.graph.server_cli:server",
    "cypher": "ringscope.graph.console_cli:cypher",
    "generate": "ringscope.synthetic.cli:generate",
    "ingest": "ringscope.ingest.cli:ingest",
    "detect": "ringscope.communities.cli:detect",
    "evaluate": "ringscope.communities.cli:evaluate",
    "serve": "ringscope.dashboard.cli:serve",
    "users": "ringscope.dashboard.cli:users",
    "audit": "ringscope.dashboard.cli:audit",
    "demo": "ringscope.demo:demo",
}


def _debug() -> bool:
    return os.environ.get("RINGSCOPE_DEBUG") not in (None, "", "0")


def _available(name: str) -> bool:
    module_name = COMMANDS[name].partition(":")[0]
    return importlib.util.find_spec(module_name) is not None


class _Failure(click.ClickException):
    """A ``RingscopeError`` on its way out, keeping the contract's exit status."""

    def __init__(self, error: RingscopeError):
        super().__init__(str(error))
        self.exit_code = error.exit_code

    def show(self, file=None) -> None:
        click.echo(f"ringscope: error: {self.format_message()}", err=True)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _available(name):
            return None
        module_name, _, attribute = COMMANDS[name].partition(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RingscopeError as error:
            if _debug():
                raise
            raise _Failure(error) from error
        except KeyboardInterrupt:
            click.echo("ringscope: interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:  # the contract promises one line, never a traceback
            if _debug():
                raise
            raise _Failure(RingscopeError(f"unexpected {type(error).__name__}: {error} "
                                          "(RINGSCOPE_DEBUG=1 shows the traceback)")) from error


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ringscope")
def main() -> None:
    """ringscope: find organised fraud rings in 医保 claims."""
