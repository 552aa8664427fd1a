"""The admin's user management, as plain functions the users page calls.

Only an admin lists or adds accounts; the check is made here, on the server,
so a forged callback from another role is refused whatever the page showed.
A new account is audited (``user_add``, with its role, never its password),
and nothing a page gets back carries a password or its hash.
"""

from __future__ import annotations

from typing import Any

from ringscope.dashboard import audit
from ringscope.dashboard.access import may
from ringscope.dashboard.i18n import format_datetime, role_label
from ringscope.dashboard.users import User, add_user
from ringscope.errors import ConfigError
from ringscope.graph.db import QueryRunner
from ringscope.settings import Settings

__all__ = ["user_rows", "add_account", "USER_COLUMNS"]

#: what the users table shows: no password, no hash
USER_COLUMNS = ("name", "role", "lang", "created_at")


def _check_admin(actor: User | None) -> User:
    if actor is None or not may(actor.role, "manage_users"):
        raise ConfigError("users_forbidden")
    return actor


def user_rows(runner: QueryRunner, actor: User | None, lang: str) -> list[dict[str, Any]]:
    """Every account as the users table shows it (role in ``lang``); refused unless ``actor`` is an admin."""
    _check_admin(actor)
    return [{"name": row["name"], "role": role_label(row["role"], lang), "lang": row["lang"] or "",
             "created_at": format_datetime(row["created_at"], lang)} for row in runner.read("users_list")]


def add_account(runner: QueryRunner, settings: Settings, actor: User | None, name: str | None, role: str | None,
                password: str | None) -> User:
    """Create the account ``name`` with ``role`` for the admin ``actor`` and audit it.

    Raises ``ConfigError``: ``users_forbidden`` for a non-admin, otherwise
    naming what is wrong with the name, role or password.
    """
    admin = _check_admin(actor)
    user = add_user(runner, name or "", role or "", password or "")
    audit.record(runner, settings, admin.name, "user_add", user.name, {"role": user.role})
    return user
