"""Ring view: members and links, time slider, timeline, score by signal, evidence claims, triage."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_cytoscape as cyto
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from ringscope.dashboard.context import app_context, current_lang, current_user, record
from ringscope.dashboard.elements import STYLESHEET, merge_elements
from ringscope.dashboard.grid_model import refetch_rows_js
from ringscope.dashboard.i18n import format_date, grid_locale, t, typology_label
from ringscope.dashboard.pages._triage import save_from_form, triage_form
from ringscope.dashboard.ring_view import (CSV_COLUMNS, TABLE_COLUMNS, RingGraph, breakdown_figure,
                                           claim_rows, claims_in_period, load_ring, month_marks,
                                           neighbour_elements, ring_graph, summary, timeline_figure)

dash.register_page(__name__, path_template="/ring/<ring_id>", title="ringscope")

_HEADERS = {"claim_id": "col_claim_id", "settled_at": "col_settled_at", "visit_type": "col_visit_type",
            "total_amount": "col_total_amount", "fund_paid": "col_fund_paid", "person_name": "col_person",
            "facility_name": "col_facility", "practitioner_name": "col_practitioner"}


def _view(ring_id: str):
    context = app_context()
    return context.ring_cache.get(ring_id, lambda: load_ring(context.runner, ring_id))


def _note(graph: RingGraph, lang: str) -> str:
    return t("ring_graph_capped", lang, shown=graph.shown, total=graph.total) if graph.shown < graph.total else ""


def layout(ring_id: str | None = None, **_query: str) -> html.Div:
    lang, role = current_lang(), current_user().role
    view = _view(ring_id) if ring_id else None
    if view is None:
        return html.Div(t("ring_not_found", lang), id="ring-missing")
    ring, months = view.ring, month_marks(view.claims)
    drawn = ring_graph(view, view.claims, role)
    marks = {i: m for i, m in enumerate(months)} if len(months) <= 24 else {0: months[0], len(months) - 1: months[-1]}
    header = html.H3([f"{t('ring_title', lang)} {ring_id} · {typology_label(ring.get('typology'), lang)} · ",
                      html.Span(f"{float(ring.get('score') or 0):.2f}", id="ring-score"),
                      f" · {format_date(ring.get('first_seen'), lang)} – {format_date(ring.get('last_seen'), lang)}"])
    graph = cyto.Cytoscape(id="ring-graph", elements=drawn.elements, stylesheet=STYLESHEET,
                           layout={"name": "cose", "animate": False},
                           style={"height": "520px", "border": "1px solid #ddd"})
    columns = [{"field": c, "headerName": t(_HEADERS[c], lang), **({"filter": False} if c == "settled_at" else {})}
               for c in TABLE_COLUMNS]
    table = dag.AgGrid(id="ring-claims", columnDefs=columns, rowModelType="infinite",
                       defaultColDef={"sortable": True, "filter": True, "resizable": True},
                       dashGridOptions={"localeText": grid_locale(lang), "pagination": True, "paginationPageSize": 50,
                                        "cacheBlockSize": 50},
                       style={"height": "380px"})
    return html.Div([
        dcc.Store(id="ring-id", data=ring_id), dcc.Store(id="ring-months", data=months),
        dcc.Store(id="ring-claims-refetched"), header,
        html.P(summary(ring, lang), id="ring-summary"),
        html.Div([html.Div([html.Small(t("ring_expand_hint", lang)), html.Small(_note(drawn, lang), id="ring-graph-note",
                                                                                 style={"marginLeft": "12px"}),
                            graph, html.Div(id="ring-selected"),
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


@callback(Output("ring-graph", "elements"), Output("ring-graph-note", "children"), Output("ring-timeline", "figure"),
          Input("ring-period", "value"), State("ring-id", "data"), State("ring-months", "data"),
          prevent_initial_call=True)
def refresh(period: list[int], ring_id: str, months: list[str]) -> tuple:
    view, lang = _view(ring_id), current_lang()
    claims = claims_in_period(view.claims, months, period)
    drawn = ring_graph(view, claims, current_user().role)
    return drawn.elements, _note(drawn, lang), timeline_figure(claims, lang)


# Another period is another set of rows: the table drops the ones it holds and asks the server again.
clientside_callback(refetch_rows_js("ring-claims", purge=True), Output("ring-claims-refetched", "data"),
                    Input("ring-period", "value"), prevent_initial_call=True)


@callback(Output("ring-claims", "getRowsResponse"), Input("ring-claims", "getRowsRequest"),
          State("ring-id", "data"), State("ring-months", "data"), State("ring-period", "value"))
def claims_page(request: dict | None, ring_id: str, months: list[str], period: list[int] | None) -> dict:
    view = _view(ring_id)
    if view is None:
        return {"rowData": [], "rowCount": 0}
    return claim_rows(claims_in_period(view.claims, months or [], period), request, current_lang())


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
