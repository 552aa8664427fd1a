"""``create_app(settings, runner=...)``: the investigators' Dash app, one instance per call.

The Flask server gets the login guard before Dash is attached, so no Dash
route (layout, dependencies, callbacks, bundles) ever answers a stranger.
Pages live in ``dashboard/pages/``, one a file; the shell here holds the
navigation, the signed-in user and the language switch.
"""

from __future__ import annotations

from pathlib import Path

import dash
import flask
from dash import dcc, html

from ringscope.dashboard import auth
from ringscope.dashboard.access import may
from ringscope.dashboard.context import EXTENSION, AppContext, current_user
from ringscope.dashboard.i18n import role_label, t
from ringscope.graph.db import QueryRunner, connect
from ringscope.settings import Settings, load_settings

__all__ = ["create_app", "shell"]

PAGES = Path(__file__).resolve().parent / "pages"
_NAV = (("nav_queue", "/"), ("nav_search", "/search"), ("nav_paths", "/paths"), ("nav_audit", "/audit"))


def shell() -> html.Div:
    """The frame around every page: navigation, who is signed in, language, log out."""
    user = current_user()
    if user is None:
        return html.Div([dcc.Location(id="shell-url"), dash.page_container])
    lang = user.lang
    other = "en" if lang == "zh" else "zh"
    nav = _NAV + ((("nav_users", "/users"),) if may(user.role, "manage_users") else ())
    links = [dcc.Link(t(key, lang), href=href, id=f"shell-{key}", style={"marginRight": "18px"})
             for key, href in nav]
    right = html.Span([
        html.Span(f"{user.name} ({role_label(user.role, lang)})", id="shell-user", style={"marginRight": "14px"}),
        html.A(t("switch_language", lang), href=f"/lang/{other}", id="shell-language",
               style={"marginRight": "14px"}),
        html.A(t("nav_logout", lang), href="/logout", id="shell-logout"),
    ], style={"float": "right"})
    bar = html.Div([html.B(t("app_title", lang), style={"marginRight": "24px"}), *links, right],
                   style={"padding": "10px 16px", "background": "#eef2f6", "borderBottom": "1px solid #ccd"})
    return html.Div([dcc.Location(id="shell-url"), bar,
                     html.Div(dash.page_container, style={"padding": "12px 16px"})],
                    style={"fontFamily": "sans-serif"})


def create_app(settings: Settings | None = None, runner: QueryRunner | None = None) -> dash.Dash:
    """Build the app on ``runner`` (or a new connection from ``settings``)."""
    settings = settings or load_settings()
    runner = runner or connect(settings)
    runner.apply("app_schema")
    server = flask.Flask("ringscope.dashboard")
    server.extensions[EXTENSION] = AppContext(runner, settings)
    auth.install(server, settings)
    app = dash.Dash("ringscope.dashboard", server=server, use_pages=True, pages_folder=str(PAGES),
                    suppress_callback_exceptions=True, title="ringscope", update_title=None,
                    serve_locally=True)
    app.layout = shell
    return app
