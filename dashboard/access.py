"""Who may do what in the app, and how identifiers look to those who may not see them.

Roles are the data contract's four. An ID-card number, phone or bank account
is shown masked (``4101**********1234``) unless the role sees them in clear
(case officers, who hand evidence to the police); investigators and admins may
reveal one value at a time, giving a reason that goes to the audit trail;
analysts work on aggregates and never reveal.
"""

from __future__ import annotations

from ringscope.errors import ConfigError

__all__ = ["ROLES", "PERMISSIONS", "may", "check_role", "mask", "mask_for", "SENSITIVE_KINDS",
           "masked_pattern"]

ROLES = ("investigator", "case_officer", "analyst", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "download": frozenset(ROLES),
    "decide": frozenset({"investigator", "case_officer", "admin"}),
    "see_identifiers": frozenset({"case_officer"}),
    "reveal": frozenset({"investigator", "admin"}),
    "manage_users": frozenset({"admin"}),
    "read_all_audit": frozenset({"admin"}),
}

#: identifier kinds that are personal and therefore masked
SENSITIVE_KINDS = frozenset({"id_card", "phone", "bank_account", "proxy_id_card"})


def check_role(role: str) -> str:
    """``role`` itself when it is one of :data:`ROLES`; a ``ConfigError`` naming it otherwise."""
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    return role


def may(role: str | None, permission: str) -> bool:
    """True when ``role`` holds ``permission`` (an unknown permission is nobody's)."""
    return role in PERMISSIONS.get(permission, frozenset())


def mask(value: str | None) -> str:
    """Keep the first four and last four characters, star the middle.

    Short values keep less, so that at least half of a value is always hidden.

    >>> mask("410102199001011234")
    '4101**********1234'
    >>> mask("13800138000")
    '13*******00'
    >>> mask("12345"), mask("abc")
    ('1***5', '***')
    """
    if not value:
        return ""
    text = str(value)
    keep = min(4, len(text) // 4)
    if keep == 0:
        return "*" * len(text)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


def mask_for(role: str | None, kind: str, value: str | None) -> str:
    """``value`` as ``role`` may see it: masked when ``kind`` is sensitive and the role may not see it."""
    if kind in SENSITIVE_KINDS and not may(role, "see_identifiers"):
        return mask(value)
    return "" if value is None else str(value)


def masked_pattern(text: str) -> tuple[str, str] | None:
    """Split a masked search input (``4101**********1234``) into its known prefix and suffix.

    Returns None when ``text`` holds no ``*``.

    >>> masked_pattern("4101**********1234")
    ('4101', '1234')
    >>> masked_pattern("4101") is None
    True
    """
    if "*" not in text:
        return None
    prefix, _, rest = text.partition("*")
    return prefix, rest.lstrip("*").split("*")[-1]
