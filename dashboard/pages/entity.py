"""Entity profile: identity (masked), identifiers and who shares them, claims, rings, regions, reveal."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html

from ringscope.dashboard.access import mask
from ringscope.dashboard.context import app_context, current_lang, current_user, record
from ringscope.dashboard.entity_view import (claims_figure, identifier_rows, identity_rows, load_entity,
                                             region_rows, reveal, sensitive_values)
from ringscope.dashboard.i18n import TEXT, code_label, grid_locale, t, typology_label
from ringscope.errors import ConfigError

dash.register_page(__name__, path_template="/entity/<kind>/<key>", title="ringscope")


def _grid(grid_id: str, rows: list[dict], columns: list[tuple[str, str]], lang: str) -> dag.AgGrid:
    return dag.AgGrid(id=grid_id, rowData=rows, columnDefs=[{"field": f, "headerName": t(k, lang)} for f, k in columns],
                      columnSize="responsiveSizeToFit", dashGridOptions={"domLayout": "autoHeight",
                                                                                    "localeText": grid_locale(lang)})


def layout(kind: str | None = None, key: str | None = None, **_query: str) -> html.Div:
    lang, role = current_lang(), current_user().role
    try:
        view = load_entity(app_context().runner, kind or "", key or "")
    except ConfigError:
        view = None
    if view is None:
        return html.Div(t("entity_not_found", lang), id="entity-missing")
    rings = [html.Li(dcc.Link(f"{r['ring_id']} · {typology_label(r['typology'], lang)} · {code_label('member_role', r['role'], lang)}",
                              href=f"/ring/{r['ring_id']}")) for r in view.rings]
    choices = [{"label": f"{t('kind_' + kind_, lang) if 'kind_' + kind_ in TEXT else kind_}: {mask(value)}",
                "value": index} for index, (kind_, value) in enumerate(sensitive_values(view))]
    return html.Div([
        dcc.Store(id="entity-ref", data=[view.kind, view.key]),
        html.H3(f"{t('label_' + view.kind.capitalize(), lang)} {view.props.get('name') or ''} ({view.key})"),
        html.Div([
            html.Div([html.H4(t("entity_identity", lang)),
                      _grid("entity-identity", [{**r, "field": t(f"field_{r['field']}", lang)} for r in identity_rows(view, role, lang)], [("field", "col_kind"), ("value", "col_value")], lang),
                      html.Div([dcc.Dropdown(id="entity-reveal-field", options=choices, value=0 if choices else None),
                                dcc.Input(id="entity-reveal-reason", placeholder=t("reveal_reason", lang),
                                          style={"width": "100%"}),
                                html.Button(t("reveal", lang), id="entity-reveal-button"),
                                html.Div(id="entity-revealed")], style={"marginTop": "8px"}) if choices else None],
                     style={"flex": "1"}),
            html.Div([html.H4(t("entity_identifiers", lang)),
                      _grid("entity-identifiers", [{**r, "kind": t(f"kind_{r['kind']}", lang) if f"kind_{r['kind']}" in TEXT
                                                   else r["kind"]} for r in identifier_rows(view, role)],
                            [("kind", "col_kind"), ("value", "col_value"), ("shared_with", "col_shared_with")], lang),
                      html.H4(t("entity_rings", lang)), html.Ul(rings, id="entity-rings")],
                     style={"flex": "2", "marginLeft": "16px"})], style={"display": "flex"}),
        dcc.Graph(id="entity-claims", figure=claims_figure(view, lang)),
        html.H4(t("entity_regions", lang)),
        _grid("entity-regions", [{**r, "region": r["region"] + (f" ({t('entity_insured_region', lang)})"
                                                               if r["insured"] else "")} for r in region_rows(view)],
              [("region", "col_region"), ("claims", "col_claims_there")], lang),
    ])


@callback(Output("entity-revealed", "children"), Input("entity-reveal-button", "n_clicks"),
          State("entity-ref", "data"), State("entity-reveal-field", "value"), State("entity-reveal-reason", "value"),
          prevent_initial_call=True)
def do_reveal(_clicks: int, ref: list[str], index: int | None, reason: str | None) -> str:
    lang, user = current_lang(), current_user()
    view = load_entity(app_context().runner, ref[0], ref[1])
    try:
        kind, value = reveal(view, int(index or 0), user.role, reason)
    except ConfigError as error:
        return t(str(error), lang) if str(error).startswith("reveal_") else str(error)
    record("reveal", f"{ref[0]}:{ref[1]}", {"field": kind, "reason": reason.strip()})
    return value
