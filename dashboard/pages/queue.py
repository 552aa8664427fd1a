"""Alert queue: the newest run's rings, sorted, filtered and paged on the server; triage beside it."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from ringscope.dashboard.context import app_context, current_lang
from ringscope.dashboard.grid_model import refetch_rows_js
from ringscope.dashboard.i18n import grid_locale, t
from ringscope.dashboard.pages._triage import save_from_form, triage_form, triage_values
from ringscope.dashboard.queue_data import fill_regions, load_queue, page_rows

dash.register_page(__name__, path="/", title="ringscope")

_NUMBER = {"filter": "agNumberColumnFilter", "type": "numericColumn"}
_COLUMNS = (("ring_link", "col_ring_id", {"cellRenderer": "markdown", "minWidth": 140}),
            ("score", "col_score", {**_NUMBER, "valueFormatter": {"function": "d3.format('.2f')(params.value)"}}),
            ("typology_label", "col_typology", {"minWidth": 120}), ("size", "col_size", _NUMBER),
            ("n_claims", "col_n_claims", _NUMBER),
            ("fund_paid", "col_fund_paid", {**_NUMBER, "valueFormatter": {"function": "d3.format(',.0f')(params.value)"}}),
            ("region", "col_region", {"minWidth": 80}), ("first_seen", "col_first_seen", {"filter": False, "minWidth": 130}),
            ("last_seen", "col_last_seen", {"filter": False, "minWidth": 130}), ("status_label", "col_status", {"minWidth": 80}),
            ("assignee", "col_assignee", {}))


def layout(**_query: str) -> html.Div:
    lang = current_lang()
    columns = [{"field": field, "headerName": t(key, lang), **extra} for field, key, extra in _COLUMNS]
    grid = dag.AgGrid(id="queue-grid", columnDefs=columns, rowModelType="infinite",
                      defaultColDef={"sortable": True, "filter": "agTextColumnFilter", "resizable": True,
                                     "floatingFilter": True},
                      dashGridOptions={"localeText": grid_locale(lang), "cacheBlockSize": 100, "maxBlocksInCache": 20,
                                       "rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                        "enableClickSelection": True},
                                       "pagination": True, "paginationPageSize": 100},
                      columnSize="responsiveSizeToFit", style={"height": "620px"})
    return html.Div([html.H3(t("queue_title", lang)),
                     html.Div([html.Div(grid, style={"flex": "4"}),
                               html.Div(triage_form("queue", lang), style={"flex": "1", "marginLeft": "16px"})],
                              style={"display": "flex"}),
                     dcc.Store(id="queue-ring"), dcc.Store(id="queue-refreshed")])


@callback(Output("queue-grid", "getRowsResponse"), Input("queue-grid", "getRowsRequest"))
def rows(request: dict | None) -> dict:
    context = app_context()
    frame = context.queue_cache.get("queue", lambda: load_queue(context.runner))
    answer = page_rows(frame, request, current_lang())
    return {**answer, "rowData": fill_regions(context.runner, answer["rowData"])}


@callback(Output("queue-ring", "data"), Output("queue-triage-title", "children"),
          Output("queue-status", "value"), Output("queue-assignee", "value"), Output("queue-notes", "value"),
          Output("queue-decision", "value"), Output("queue-reason", "value"),
          Input("queue-grid", "selectedRows"), prevent_initial_call=True)
def select(selected: list | None) -> tuple:
    if not selected:
        return (no_update,) * 7
    ring_id = selected[0]["ring_id"]
    return (ring_id, f"{t('triage_title', current_lang())}: {ring_id}", *triage_values(ring_id))


@callback(Output("queue-message", "children"), Input("queue-save", "n_clicks"), State("queue-ring", "data"),
          State("queue-status", "value"), State("queue-assignee", "value"), State("queue-notes", "value"),
          State("queue-decision", "value"), State("queue-reason", "value"), prevent_initial_call=True)
def save(_clicks: int, ring_id: str | None, status: str, assignee: str | None, notes: str, decision: str,
         reason: str) -> str:
    return save_from_form(ring_id, status, assignee, notes, decision, reason)


# After a save the grid asks the server for the rows it shows again (the infinite row model keeps
# its blocks otherwise), so the ring's new status appears without a reload.
clientside_callback(refetch_rows_js("queue-grid"), Output("queue-refreshed", "data"),
                    Input("queue-message", "children"), prevent_initial_call=True)
