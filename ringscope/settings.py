"""Every setting ringscope reads, in one declarative table.

Settings come from the environment; a ``settings.env`` file in the working
directory (``NAME=value`` lines) may mirror them, the environment winning.
The README's settings table is checked against ``SETTINGS`` by a test, so a
setting cannot be added without being documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ringscope.errors import ConfigError

__all__ = ["Setting", "SETTINGS", "Settings", "load_settings"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("RINGSCOPE_HOME", "./var",
            "Folder for the embedded Neo4j's data and logs, its generated password, "
            "the audit trail and reject files."),
    Setting("RINGSCOPE_BOLT_PORT", "7687", "Bolt port of the embedded Neo4j (always bound to 127.0.0.1)."),
    Setting("RINGSCOPE_NEO4J_HEAP", "4g", "Java heap of the embedded Neo4j (-Xmx), sized for a 24 GiB machine."),
    Setting("RINGSCOPE_NEO4J_PAGECACHE", "6g", "Page cache of the embedded Neo4j."),
    Setting("RINGSCOPE_START_TIMEOUT", "180", "Seconds to wait for the embedded Neo4j to answer Bolt."),
    Setting("NEO4J_URI", None, "An external Neo4j 5 server (bolt:// or neo4j://); when set nothing is started."),
    Setting("NEO4J_USER", "neo4j", "User for the external server named by NEO4J_URI."),
    Setting("NEO4J_PASSWORD", None, "Password for the external server named by NEO4J_URI."),
    Setting("NEO4J_DATABASE", "neo4j", "Database name on the server."),
    Setting("RINGSCOPE_DEBUG", "", "Set to 1 to print a full traceback instead of a one-line reason."),
)

_UNITS = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _parse_size(name: str, value: str) -> int:
    text = value.strip().lower().removesuffix("b")
    try:
        if text and text[-1] in _UNITS:
            return int(float(text[:-1]) * _UNITS[text[-1]])
        return int(text)
    except ValueError:
        raise ConfigError(f"{name} must be a size such as 512m or 4g, got {value!r}") from None


def _parse_int(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {value!r}") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {number}")
    return number


@dataclass(frozen=True)
class Settings:
    """The typed values of ``SETTINGS`` for one process."""

    home: Path
    bolt_port: int
    neo4j_heap: str
    neo4j_pagecache_bytes: int
    start_timeout_s: int
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    debug: bool

    @property
    def external(self) -> bool:
        """True when ringscope must use a server it did not start."""
        return bool(self.neo4j_uri)


def _read_settings_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def load_settings(environ: Mapping[str, str] | None = None, settings_file: Path | None = None) -> Settings:
    """Read every setting, environment over ``settings.env`` over defaults."""
    env = dict(_read_settings_file(settings_file or Path("settings.env")))
    env.update(os.environ if environ is None else environ)
    known = {s.name for s in SETTINGS}
    values = {s.name: env.get(s.name) or s.default for s in SETTINGS}
    unknown = sorted(k for k in env if k.startswith("RINGSCOPE_") and k not in known)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]}; known settings: {', '.join(sorted(known))}")
    _parse_size("RINGSCOPE_NEO4J_HEAP", values["RINGSCOPE_NEO4J_HEAP"])
    return Settings(
        home=Path(values["RINGSCOPE_HOME"]).expanduser().resolve(),
        bolt_port=_parse_int("RINGSCOPE_BOLT_PORT", values["RINGSCOPE_BOLT_PORT"], 1, 65535),
        neo4j_heap=values["RINGSCOPE_NEO4J_HEAP"],
        neo4j_pagecache_bytes=_parse_size("RINGSCOPE_NEO4J_PAGECACHE", values["RINGSCOPE_NEO4J_PAGECACHE"]),
        start_timeout_s=_parse_int("RINGSCOPE_START_TIMEOUT", values["RINGSCOPE_START_TIMEOUT"], 1, 3600),
        neo4j_uri=values["NEO4J_URI"],
        neo4j_user=values["NEO4J_USER"],
        neo4j_password=values["NEO4J_PASSWORD"],
        neo4j_database=values["NEO4J_DATABASE"],
        debug=values["RINGSCOPE_DEBUG"] not in ("", "0", "false", "no", None),
    )
