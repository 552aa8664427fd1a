"""``ringscope serve``, ``ringscope users add`` and ``ringscope audit verify``: thin commands over the app's objects."""

from __future__ import annotations

import sys

import click

from ringscope.dashboard.access import ROLES
from ringscope.errors import RingscopeError

__all__ = ["serve", "users", "audit"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8050, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the investigators' web app."""
    from ringscope.dashboard.app import create_app

    app = create_app()
    click.echo(f"ringscope app on http://{host}:{port}/ (Ctrl+C stops it)")
    app.run(host=host, port=port, debug=False)


@click.group()
def users() -> None:
    """Accounts for the web app (the admin's tool)."""


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
def users_add(name: str, role: str) -> None:
    """Create the account NAME; the password is read from standard input."""
    from ringscope.dashboard import audit as trail
    from ringscope.dashboard.users import add_user
    from ringscope.graph.db import connect
    from ringscope.settings import load_settings

    settings = load_settings()
    with connect(settings) as runner:
        user = add_user(runner, name, role, _read_password())
        trail.record(runner, settings, "cli", "user_add", user.name, {"role": user.role})
    click.echo(f"user {user.name} added with role {user.role}")


@click.group()
def audit() -> None:
    """The app's audit trail."""


class _BrokenChain(RingscopeError):
    """The audit chain does not hold."""


@audit.command("verify")
def audit_verify() -> None:
    """Check every entry's hash chain in Neo4j and its JSONL mirror; name the first broken entry."""
    from ringscope.dashboard.audit import verify
    from ringscope.graph.db import connect
    from ringscope.settings import load_settings

    settings = load_settings()
    with connect(settings) as runner:
        check = verify(runner, settings)
    if not check.ok:
        raise _BrokenChain(f"audit trail broken at entry {check.broken_seq}: {check.reason} "
                           f"({check.entries} entries before it hold)")
    click.echo(f"audit trail ok: {check.entries} entries")
