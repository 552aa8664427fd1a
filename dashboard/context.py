"""What a request needs, found through Flask: the app's runner and settings, and the signed-in user.

Pages and callbacks call these instead of holding globals, so several apps
(one per test) can live in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import flask

from ringscope.dashboard import audit
from ringscope.dashboard.cache import TTLCache
from ringscope.dashboard.i18n import normalise_language
from ringscope.dashboard.users import Throttle, User
from ringscope.graph.db import QueryRunner
from ringscope.settings import Settings

__all__ = ["AppContext", "app_context", "current_user", "current_lang", "record", "EXTENSION"]

EXTENSION = "ringscope"


@dataclass
class AppContext:
    """Everything one app instance shares between requests."""

    runner: QueryRunner
    settings: Settings
    throttle: Throttle = field(default_factory=Throttle)
    queue_cache: TTLCache = field(default_factory=lambda: TTLCache(ttl=5.0, size=4))
    ring_cache: TTLCache = field(default_factory=lambda: TTLCache(ttl=30.0, size=16))


def app_context() -> AppContext:
    """The context of the app serving this request."""
    return flask.current_app.extensions[EXTENSION]


def current_user() -> User | None:
    """The signed-in user of this request, from the signed session cookie."""
    name, role = flask.session.get("user"), flask.session.get("role")
    if not name or not role:
        return None
    return User(name, role, normalise_language(flask.session.get("lang")))


def current_lang() -> str:
    """The signed-in user's language (Chinese when nobody is signed in)."""
    user = current_user()
    return user.lang if user else normalise_language(None)


def record(action: str, target: str = "", detail: Mapping[str, Any] | None = None,
           user: str | None = None) -> audit.AuditEntry:
    """Write an audit entry for the signed-in user (or ``user``)."""
    context = app_context()
    who = user or (current_user().name if current_user() else "anonymous")
    return audit.record(context.runner, context.settings, who, action, target, detail)
