"""``ringscope demo``: generate, ingest, detect and serve, in one go.

The demo drives the same commands a user would type (through the command
table in :mod:`ringscope.cli`), so it shows the real product and never a
shortcut; a step whose command is not part of this build is reported as
skipped rather than faked.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import click

from ringscope.errors import RingscopeError
from ringscope.settings import load_settings

__all__ = ["demo", "DemoStep", "run_step"]


@dataclass(frozen=True)
class DemoStep:
    name: str
    status: str  # "done", "done with rejects", "skipped"
    seconds: float
    note: str


def run_step(name: str, args: list[str]) -> DemoStep:
    """Run ``ringscope NAME ARGS`` in this process and say how it went."""
    from ringscope.cli import COMMANDS, _available, main

    if name not in COMMANDS or not _available(name):
        return DemoStep(name, "skipped", 0.0, "not part of this build yet")
    command = main.get_command(click.get_current_context(silent=True), name)
    began = time.monotonic()
    click.secho(f"\n== ringscope {name} {' '.join(args)}", bold=True)
    try:
        command.main(args, prog_name=f"ringscope {name}", standalone_mode=False)
    except SystemExit as stop:  # a command may end with the contract's exit status 3
        if stop.code not in (0, None, 3):
            raise RingscopeError(f"`ringscope {name}` failed with exit status {stop.code}") from stop
        if stop.code == 3:
            return DemoStep(name, "done with rejects", time.monotonic() - began, "some rows were rejected")
    return DemoStep(name, "done", time.monotonic() - began, "")


def _label_counts() -> dict[str, int]:
    from ringscope.graph.admin import label_counts
    from ringscope.graph.db import connect

    with connect() as runner:
        return {label: count for label, count in label_counts(runner).items() if count}


def _demo_login(home: Path) -> tuple[str, str]:
    """An investigator account for the demo, created once; its password is kept (0600) under home."""
    from ringscope.dashboard.users import add_user, get_user
    from ringscope.graph.db import connect

    login_file = home / "demo-login"
    if login_file.exists():
        name, _, password = login_file.read_text(encoding="utf-8").strip().partition(" ")
        return name, password
    name, password = "demo", secrets.token_urlsafe(9)
    with connect() as runner:
        if get_user(runner, name) is None:
            add_user(runner, name, "investigator", password)
        else:
            return name, f"(set earlier; see `ringscope users` or {login_file})"
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(login_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"{name} {password}\n")
    return name, password


@click.command()
@click.option("--persons", default=20_000, show_default=True, help="Size of the synthetic population.")
@click.option("--seed", default=7, show_default=True, help="Seed of the synthetic data.")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the synthetic extract (default: RINGSCOPE_HOME/demo/data).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Where detection writes rings.csv (default: RINGSCOPE_HOME/demo/out).")
@click.option("--serve/--no-serve", default=True, show_default=True, help="End by serving the web app.")
def demo(persons: int, seed: int, data_dir: Path | None, out_dir: Path | None, serve: bool) -> None:
    """Generate synthetic claims with planted rings, ingest them, detect rings and serve the app."""
    home = load_settings().home
    data_dir = data_dir or home / "demo" / "data"
    out_dir = out_dir or home / "demo" / "out"
    steps = [run_step("generate", ["--out", str(data_dir), "--persons", str(persons), "--seed", str(seed)])]
    if (data_dir / "persons.csv").exists():
        steps.append(run_step("ingest", [str(data_dir)]))
    steps.append(run_step("detect", ["--out", str(out_dir)]))

    click.secho("\n== ringscope demo: what happened", bold=True)
    for step in steps:
        click.echo(f"  {step.name:<9} {step.status:<18} {step.seconds:7.1f} s  {step.note}")
    counts = _label_counts()
    click.echo("  graph: " + (", ".join(f"{label} {count:,}" for label, count in counts.items()) or "empty"))
    if (out_dir / "rings.csv").exists():
        click.echo(f"  rings: {out_dir / 'rings.csv'}")
    if serve:
        name, password = _demo_login(home)
        click.secho(f"\n  open http://127.0.0.1:8050/ and log in as {name} / {password}", bold=True)
        run_step("serve", [])
