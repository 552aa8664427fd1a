"""The triage form (assign, status, notes, decision and reason) shared by the queue and ring pages."""

from __future__ import annotations

from dash import dcc, html

from ringscope.dashboard.context import app_context, current_lang, current_user, record
from ringscope.dashboard.i18n import STATUSES, status_label, t
from ringscope.dashboard.queue_data import Triage, get_triage, save_triage, validate_triage
from ringscope.dashboard.users import list_users
from ringscope.errors import ConfigError

__all__ = ["triage_form", "triage_values", "save_from_form"]


def triage_form(page: str, lang: str, ring_id: str | None = None) -> html.Div:
    """The form, its ids prefixed with ``page``; filled with ``ring_id``'s triage when given."""
    status, assignee, notes, decision, reason = triage_values(ring_id) if ring_id else ("new", None, "", "", "")
    users = [user.name for user in list_users(app_context().runner)]
    field = {"width": "100%", "marginBottom": "8px"}
    return html.Div([
        html.H4(f"{t('triage_title', lang)}: {ring_id}" if ring_id else t("triage_title", lang),
                id=f"{page}-triage-title"),
        html.Label(t("triage_status", lang)),
        dcc.Dropdown(id=f"{page}-status", value=status, clearable=False, style=field,
                     options=[{"label": status_label(code, lang), "value": code} for code in STATUSES]),
        html.Label(t("triage_assignee", lang)),
        dcc.Dropdown(id=f"{page}-assignee", value=assignee, options=users, style=field),
        html.Label(t("triage_notes", lang)),
        dcc.Textarea(id=f"{page}-notes", value=notes, style={**field, "height": "70px"}),
        html.Label(t("triage_decision", lang)),
        dcc.Input(id=f"{page}-decision", value=decision, style=field),
        html.Label(t("triage_reason", lang)),
        dcc.Input(id=f"{page}-reason", value=reason, style=field),
        html.Button(t("triage_save", lang), id=f"{page}-save"),
        html.Div(id=f"{page}-message", style={"marginTop": "8px"}),
    ])


def triage_values(ring_id: str) -> tuple:
    """The form's values for ``ring_id``: status, assignee, notes, decision, reason."""
    triage = get_triage(app_context().runner, ring_id)
    return triage.status, triage.assignee, triage.notes, triage.decision, triage.reason


def save_from_form(ring_id: str | None, status: str, assignee: str | None, notes: str | None,
                   decision: str | None, reason: str | None) -> str:
    """Validate, store and audit a triage from the form; returns the message to show."""
    lang, user = current_lang(), current_user()
    if not ring_id or user is None:
        return ""
    try:
        triage = validate_triage(user.role, Triage(status, assignee, notes or "", decision or "", reason or ""))
    except ConfigError as error:
        key = str(error)
        return t(key, lang) if key.startswith("triage_") else key
    context = app_context()
    save_triage(context.runner, ring_id, user.name, triage)
    context.queue_cache.invalidate()
    record("decision", ring_id, {"status": triage.status, "assignee": triage.assignee, "notes": triage.notes,
                                 "decision": triage.decision, "reason": triage.reason})
    return f"{t('triage_saved', lang)} · {status_label(triage.status, lang)}"
