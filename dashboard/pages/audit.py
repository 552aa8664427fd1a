"""Audit trail: the newest entries (an admin sees everyone's, others their own)."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import html

from ringscope.dashboard.access import may
from ringscope.dashboard.audit import recent
from ringscope.dashboard.context import app_context, current_lang, current_user
from ringscope.dashboard.i18n import code_label, format_datetime, grid_locale, t

dash.register_page(__name__, path="/audit", title="ringscope")

_COLUMNS = (("seq", "#"), ("at", "col_at"), ("user", "col_user"), ("action", "col_action"), ("target", "col_target"),
            ("detail", "col_detail"))


def layout(**_query: str) -> html.Div:
    lang, user = current_lang(), current_user()
    who = None if may(user.role, "read_all_audit") else user.name
    rows = [{**entry.__dict__, "at_shown": format_datetime(entry.at, lang),
             "action": code_label("audit_action", entry.action, lang)}
            for entry in recent(app_context().runner, user=who, limit=500)]
    # The time sorts and filters on the stored ISO value and shows in the user's language.
    shown = {"at": {"valueFormatter": {"function": "params.data.at_shown"}}}
    columns = [{"field": field, "headerName": key if key == "#" else t(key, lang), **shown.get(field, {})}
               for field, key in _COLUMNS]
    return html.Div([html.H3(t("audit_title", lang)),
                     dag.AgGrid(id="audit-grid", rowData=rows, columnDefs=columns, columnSize="responsiveSizeToFit",
                                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                                dashGridOptions={"localeText": grid_locale(lang)}, style={"height": "600px"})])
