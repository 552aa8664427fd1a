"""Path finder: shortest paths between two entities, and the paths through shared identifiers."""

from __future__ import annotations

import dash
import dash_cytoscape as cyto
from dash import Input, Output, State, callback, dcc, html

from ringscope.dashboard.context import app_context, current_lang, current_user
from ringscope.dashboard.elements import STYLESHEET
from ringscope.dashboard.explore import find_paths
from ringscope.dashboard.i18n import t

dash.register_page(__name__, path="/paths", title="ringscope")


def _graph(graph_id: str) -> cyto.Cytoscape:
    return cyto.Cytoscape(id=graph_id, elements=[], stylesheet=STYLESHEET, layout={"name": "breadthfirst"},
                          style={"height": "380px", "border": "1px solid #ddd"})


def layout(source: str = "", target: str = "", **_query: str) -> html.Div:
    lang = current_lang()
    return html.Div([html.H3(t("paths_title", lang)),
                     dcc.Input(id="paths-source", value=source, placeholder=t("paths_from", lang)),
                     dcc.Input(id="paths-target", value=target, placeholder=t("paths_to", lang)),
                     html.Button(t("paths_go", lang), id="paths-go"), html.Div(id="paths-message"),
                     html.H4(t("paths_shortest", lang)), _graph("paths-shortest"),
                     html.H4(t("paths_identifiers", lang)), _graph("paths-identifiers")])


@callback(Output("paths-shortest", "elements"), Output("paths-identifiers", "elements"),
          Output("paths-message", "children"), Input("paths-go", "n_clicks"), State("paths-source", "value"),
          State("paths-target", "value"), prevent_initial_call=True)
def draw(_clicks: int, source: str | None, target: str | None) -> tuple:
    found = find_paths(app_context().runner, source or "", target or "", current_user().role)
    if not found or not (found["shortest"] or found["identifiers"]):
        return [], [], t("paths_none", current_lang())
    return found["shortest"], found["identifiers"], ""
