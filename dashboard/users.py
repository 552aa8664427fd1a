"""App accounts: argon2-hashed passwords in (:User) nodes, and a brake on guessing.

Only an admin manages users (the ``ringscope users`` command is the admin's
tool: whoever runs it owns the database). A login that fails repeatedly for
one name or one address is made to wait, doubling each time, so guessing a
password costs hours instead of seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ringscope.dashboard.access import check_role
from ringscope.dashboard.i18n import DEFAULT_LANGUAGE, normalise_language
from ringscope.errors import ConfigError
from ringscope.graph.db import QueryRunner

__all__ = ["User", "add_user", "authenticate", "get_user", "list_users", "set_language", "Throttle"]

_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class User:
    """A signed-in person as the app needs them: name, role and language."""

    name: str
    role: str
    lang: str = DEFAULT_LANGUAGE


def add_user(runner: QueryRunner, name: str, role: str, password: str) -> User:
    """Create an account; the password is stored only as an argon2id hash."""
    name = name.strip()
    if not name or len(name) > 64:
        raise ConfigError(f"user name must be 1 to 64 characters, got {name!r}")
    check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ConfigError(f"password for {name!r} must have at least {MIN_PASSWORD_LENGTH} characters")
    created = runner.write("users_create", user_name=name, role=role, password_hash=_HASHER.hash(password),
                           lang=DEFAULT_LANGUAGE)
    if not created:
        raise ConfigError(f"user {name!r} exists already")
    return User(name, role)


def get_user(runner: QueryRunner, name: str) -> User | None:
    """The account ``name``, or None."""
    rows = runner.read("users_get", user_name=name)
    return User(rows[0]["name"], rows[0]["role"], normalise_language(rows[0]["lang"])) if rows else None


def list_users(runner: QueryRunner) -> list[User]:
    """Every account, by name (the assignee choices)."""
    return [User(row["name"], row["role"]) for row in runner.read("users_list")]


def authenticate(runner: QueryRunner, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs, else None (unknown names cost the same time)."""
    rows = runner.read("users_get", user_name=name) if name else []
    stored = rows[0]["password_hash"] if rows else None
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if not rows:
        return None
    if _HASHER.check_needs_rehash(stored):
        runner.write("users_set_password_hash", user_name=name, password_hash=_HASHER.hash(password))
    return User(rows[0]["name"], rows[0]["role"], normalise_language(rows[0]["lang"]))


def set_language(runner: QueryRunner, name: str, lang: str) -> str:
    """Remember ``lang`` for ``name``, so it sticks across sessions; returns the language kept."""
    lang = normalise_language(lang)
    runner.write("users_set_language", user_name=name, lang=lang)
    return lang


_DUMMY_HASH = _HASHER.hash("not a password anyone has")


@dataclass
class Throttle:
    """Counts failed logins per key (user name, address); says how long a key must wait.

    After ``free`` failures each further one doubles the wait, up to ``cap``
    seconds. A success clears the key.

    >>> clock = [0.0]
    >>> throttle = Throttle(free=2, base=1.0, cap=60.0, clock=lambda: clock[0])
    >>> for _ in range(4): throttle.failed("wang")
    >>> throttle.wait("wang")
    4.0
    >>> clock[0] = 5.0; throttle.wait("wang")
    0.0
    """

    free: int = 3
    base: float = 1.0
    cap: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, key: str) -> None:
        with self._lock:
            count, _ = self._failures.get(key, (0, 0.0))
            self._failures[key] = (count + 1, self.clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def wait(self, key: str) -> float:
        """Seconds ``key`` must still wait before its next attempt (0 when it may try now)."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
        if count < self.free:
            return 0.0
        delay = min(self.cap, self.base * 2 ** (count - self.free))
        return max(0.0, last + delay - self.clock())
