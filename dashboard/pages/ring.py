"""Ring view: members and links, time slider, timeline, score by signal, evidence claims, triage."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_cytoscape as cyto
from dash import Input, Output, State, callback, dcc, html, no_update

from ringscope.dashboard.context import app_context, current_lang, current_user, record
from ringscope.dashboard.elements import STYLESHEET, merge_elements
from ringscope.dashboard.i18n import format_date, t, typology_label
from ringscope.dashboard.pages._triage import save_from_form, triage_form
from ringscope.dashboard.ring_view import (CSV_COLUMNS, breakdown_figure, claims_in_period, load_ring,
                                           month_marks, neighbour_elements, ring_elements, summary,
                                           timeline_figure)

dash.register_page(__name__, path_template="/ring/<ring_id>", title="ringscope")

_TABLE = ("claim_id", "settled_at", "visit_type", "total_amount", "fund_paid", "person_name", "facility_name",
          "practitioner_name")
_HEADERS = {"claim_id": "col_claim_id", "settled_at": "col_settled_at", "visit_type": "col_visit_type",
            "total_amount": "col_total_amount", "fund_paid": "col_fund_paid", "person_name": "col_person",
            "facility_name": "col_facility", "practitioner_name": "col_practitioner"}


def _view(ring_id: str):
    context = app_context()
    return context.ring_cache.get(ring_id, lambda: load_ring(context.runner, ring_id))


def layout(ring_id: str | None = None, **_query: str) -> html.Div:
    lang, role = current_lang(), current_user().role
    view = _view(ring_id) if ring_id else None
    if view is None:
        return html.Div(t("ring_not_found", lang), id="ring-missing")
    ring, months = view.ring, month_marks(view.claims)
    elements = ring_elements(view, view.claims, role)
    marks = {i: m for i, m in enumerate(months)} if len(months) <= 24 else {0: months[0], len(months) - 1: months[-1]}
    header = html.H3([f"{t('ring_title', lang)} {ring_id} · {typology_label(ring.get('typology'), lang)} · ",
                      html.Span(f"{float(ring.get('score') or 0):.2f}", id="ring-score"),
                      f" · {format_date(ring.get('first_seen'), lang)} – {format_date(ring.get('last_seen'), lang)}"])
    graph = cyto.Cytoscape(id="ring-graph", elements=elements, stylesheet=STYLESHEET,
                           layout={"name": "cose" if len(elements) < 400 else "concentric", "animate": False},
                           style={"height": "520px", "border": "1px solid #ddd"})
    table = dag.AgGrid(id="ring-claims", rowData=view.claims[list(_TABLE)].to_dict("records"),
                       columnDefs=[{"field": c, "headerName": t(_HEADERS[c], lang)} for c in _TABLE],
                       defaultColDef={"sortable": True, "filter": True, "resizable": True},
                       dashGridOptions={"pagination": True, "paginationPageSize": 50},
                       style={"height": "380px"})
    return html.Div([
        dcc.Store(id="ring-id", data=ring_id), dcc.Store(id="ring-months", data=months), header,
        html.P(summary(ring, lang), id="ring-summary"),
        html.Div([html.Div([html.Small(t("ring_expand_hint", lang)), graph, html.Div(id="ring-selected"),
                            html.Label(t("ring_period", lang)),
                            dcc.RangeSlider(id="ring-period", min=0, max=max(len(months) - 1, 0), step=1,
                                            value=[0, max(len(months) - 1, 0)], marks=marks)],
                           style={"flex": "3"}),
                  html.Div([dcc.Graph(id="ring-breakdown", figure=breakdown_figure(ring, lang)),
                            triage_form("ring", lang, ring_id)], style={"flex": "1", "marginLeft": "16px"})],
                 style={"display": "flex"}),
        dcc.Graph(id="ring-timeline", figure=timeline_figure(view.claims, lang)),
        html.H4(t("ring_claims", lang)), html.Button(t("ring_download", lang), id="ring-download-button"),
        dcc.Download(id="ring-download"), table,
    ])


@callback(Output("ring-graph", "elements"), Output("ring-timeline", "figure"), Output("ring-claims", "rowData"),
          Input("ring-period", "value"), State("ring-id", "data"), State("ring-months", "data"),
          prevent_initial_call=True)
def refresh(period: list[int], ring_id: str, months: list[str]) -> tuple:
    view = _view(ring_id)
    claims = claims_in_period(view.claims, months, period)
    return (ring_elements(view, claims, current_user().role), timeline_figure(claims, current_lang()),
            claims[list(_TABLE)].to_dict("records"))


@callback(Output("ring-graph", "elements", allow_duplicate=True), Input("ring-graph", "tapNodeData"),
          State("ring-graph", "elements"), prevent_initial_call=True)
def expand(tapped: dict | None, elements: list) -> list:
    if not tapped:
        return no_update
    return merge_elements(elements, neighbour_elements(app_context().runner, tapped["id"], current_user().role))


@callback(Output("ring-selected", "children"), Input("ring-graph", "tapNodeData"), prevent_initial_call=True)
def selected(node: dict | None) -> object:
    if not node or node.get("kind") not in ("person", "practitioner", "facility"):
        return ""
    return dcc.Link(f"{node['label']} ({node['key']}) →", href=f"/entity/{node['kind']}/{node['key']}",
                    id="ring-selected-link")


@callback(Output("ring-download", "data"), Input("ring-download-button", "n_clicks"), State("ring-id", "data"),
          State("ring-months", "data"), State("ring-period", "value"), prevent_initial_call=True)
def download(_clicks: int, ring_id: str, months: list[str], period: list[int]) -> dict:
    claims = claims_in_period(_view(ring_id).claims, months, period)
    record("download", ring_id, {"what": "evidence_claims_csv", "rows": len(claims)})
    return dcc.send_data_frame(claims[list(CSV_COLUMNS)].to_csv, f"ring-{ring_id}-claims.csv", index=False)


@callback(Output("ring-message", "children"), Input("ring-save", "n_clicks"), State("ring-id", "data"),
          State("ring-status", "value"), State("ring-assignee", "value"), State("ring-notes", "value"),
          State("ring-decision", "value"), State("ring-reason", "value"), prevent_initial_call=True)
def save(_clicks: int, ring_id: str, status: str, assignee: str | None, notes: str, decision: str,
         reason: str) -> str:
    return save_from_form(ring_id, status, assignee, notes, decision, reason)
