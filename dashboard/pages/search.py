"""Search by name, ID number (masked input accepted), phone, facility or ring id."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from ringscope.dashboard.context import app_context, current_lang, current_user
from ringscope.dashboard.explore import search
from ringscope.dashboard.i18n import t

dash.register_page(__name__, path="/search", title="ringscope")


def layout(**_query: str) -> html.Div:
    lang = current_lang()
    return html.Div([html.H3(t("search_title", lang)),
                     dcc.Input(id="search-text", placeholder=t("search_placeholder", lang), debounce=True,
                               style={"width": "60%"}),
                     html.Button(t("search_go", lang), id="search-go"), html.Div(id="search-results")])


@callback(Output("search-results", "children"), Input("search-go", "n_clicks"), Input("search-text", "value"),
          prevent_initial_call=True)
def results(_clicks: int | None, text: str | None) -> object:
    lang, user = current_lang(), current_user()
    found = search(app_context().runner, text or "", user.role)
    if not found:
        return html.P(t("search_none", lang))
    label = {"ring": "label_Ring", "person": "label_Person", "practitioner": "label_Practitioner",
             "facility": "label_Facility"}
    return html.Ul([html.Li([f"{t(label.get(row['kind'], 'label_Identifier'), lang)} · ",
                             dcc.Link(f"{row['key']} {row['name']}", href=row["href"]),
                             f" {row['id_card']}" if row["id_card"] else ""]) for row in found])
