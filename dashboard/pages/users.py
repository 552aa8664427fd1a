"""User management (admins only): the accounts, and a form to add one with its role."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html, no_update

from ringscope.dashboard.access import ROLES
from ringscope.dashboard.context import app_context, current_lang, current_user
from ringscope.dashboard.i18n import grid_locale, role_label, t
from ringscope.dashboard.user_admin import add_account, user_rows
from ringscope.errors import ConfigError

dash.register_page(__name__, path="/users", title="ringscope")

_HEADERS = {"name": "col_user", "role": "col_role", "lang": "col_language", "created_at": "col_created_at"}


def layout(**_query: str) -> html.Div:
    lang, user = current_lang(), current_user()
    try:
        rows = user_rows(app_context().runner, user, lang)
    except ConfigError as refused:
        return html.Div(t(str(refused), lang), id="users-forbidden")
    field = {"marginRight": "8px"}
    return html.Div([
        html.H3(t("users_title", lang)),
        dag.AgGrid(id="users-grid", rowData=rows, columnSize="responsiveSizeToFit",
                   columnDefs=[{"field": f, "headerName": t(k, lang)} for f, k in _HEADERS.items()],
                   dashGridOptions={"domLayout": "autoHeight", "localeText": grid_locale(lang)}),
        html.H4(t("users_add", lang)),
        html.Div([dcc.Input(id="users-name", placeholder=t("users_name", lang), style=field),
                  dcc.Dropdown(id="users-role", value="investigator", clearable=False,
                               options=[{"label": role_label(r, lang), "value": r} for r in ROLES],
                               style={"width": "180px", **field}),
                  dcc.Input(id="users-password", type="password", placeholder=t("users_password", lang),
                            autoComplete="new-password", style=field),
                  html.Button(t("users_add", lang), id="users-add")], style={"display": "flex"}),
        html.Div(id="users-message", style={"marginTop": "8px"}),
    ])


@callback(Output("users-message", "children"), Output("users-grid", "rowData"), Output("users-password", "value"),
          Input("users-add", "n_clicks"), State("users-name", "value"), State("users-role", "value"),
          State("users-password", "value"), prevent_initial_call=True)
def add(_clicks: int, name: str | None, role: str | None, password: str | None) -> tuple:
    """Add the account; the password field is emptied whatever happens, and never sent back."""
    lang, user, context = current_lang(), current_user(), app_context()
    try:
        added = add_account(context.runner, context.settings, user, name, role, password)
    except ConfigError as refused:
        key = str(refused)
        return (t(key, lang) if key == "users_forbidden" else key), no_update, ""
    return (t("users_added", lang, name=added.name, role=role_label(added.role, lang)),
            user_rows(context.runner, user, lang), "")
