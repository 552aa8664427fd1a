"""The door: a plain login form outside Dash, and a guard in front of everything else.

A stranger is served the login form and nothing more: not the Dash page
shell, not ``/_dash-layout`` or ``/_dash-dependencies``, no script bundle and
no callback. The session is Flask's signed cookie (HttpOnly, SameSite=Lax);
its secret lives under ``RINGSCOPE_HOME`` so sessions survive a restart.
"""

from __future__ import annotations

import html
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import flask

from ringscope.dashboard import users
from ringscope.dashboard.context import app_context, current_user, record
from ringscope.dashboard.i18n import normalise_language, t
from ringscope.settings import Settings

__all__ = ["install", "safe_next", "PUBLIC_ENDPOINTS"]

PUBLIC_ENDPOINTS = frozenset({"ringscope_login"})


def _secret(settings: Settings) -> bytes:
    path = Path(settings.home) / "app-secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip().encode("ascii")


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only (no open redirect).

    >>> safe_next("/ring/R1"), safe_next("//evil.example/"), safe_next("https://evil.example/")
    ('/ring/R1', '/', '/')
    """
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


_FORM = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;background:#f4f6f8}}form{{width:300px;margin:12vh auto;background:#fff;
padding:24px;border-radius:6px;box-shadow:0 1px 4px #0002}}input{{width:100%;margin:6px 0 14px;padding:6px;
box-sizing:border-box}}.error{{color:#b00}}</style></head><body>
<form method="post" action="/login?next={next}&amp;lang={lang}" id="login-form"><h2>{title}</h2>
<p class="error" id="login-error">{error}</p>
<label>{user_label}<input name="username" id="login-username" autocomplete="username" autofocus></label>
<label>{password_label}<input name="password" id="login-password" type="password"
autocomplete="current-password"></label>
<button type="submit" id="login-submit">{submit}</button>
<p><a id="login-language" href="/login?next={next}&amp;lang={other}">{switch}</a></p></form></body></html>"""


def _form(lang: str, next_path: str, error: str = "", status: int = 200) -> flask.Response:
    page = _FORM.format(lang=lang, other="en" if lang == "zh" else "zh", next=html.escape(next_path),
                        title=f"{t('app_title', lang)} · {t('login_title', lang)}", error=html.escape(error),
                        user_label=t("login_user", lang), password_label=t("login_password", lang),
                        submit=t("login_submit", lang), switch=t("switch_language", lang))
    return flask.Response(page, status=status, mimetype="text/html")


def _login() -> flask.Response:
    request = flask.request
    lang = normalise_language(request.args.get("lang"))
    next_path = safe_next(request.args.get("next"))
    if request.method == "GET":
        return _form(lang, next_path)
    name = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    context = app_context()
    keys = (f"user:{name}", f"addr:{request.remote_addr}")
    wait = max(context.throttle.wait(key) for key in keys)
    if wait > 0:
        return _form(lang, next_path, t("login_throttled", lang, seconds=int(wait) + 1), 429)
    user = users.authenticate(context.runner, name, password)
    if user is None:
        for key in keys:
            context.throttle.failed(key)
        record("login_failed", name, {"address": request.remote_addr}, user=name or "anonymous")
        return _form(lang, next_path, t("login_failed", lang), 401)
    for key in keys:
        context.throttle.succeeded(key)
    flask.session.clear()
    flask.session.permanent = True
    flask.session.update(user=user.name, role=user.role, lang=user.lang)
    record("login", user.name, {"address": request.remote_addr}, user=user.name)
    return flask.redirect(next_path)


def _logout() -> flask.Response:
    user = current_user()
    if user:
        record("logout", user.name, user=user.name)
    flask.session.clear()
    return flask.redirect("/login")


def _language(code: str) -> flask.Response:
    user = current_user()
    lang = users.set_language(app_context().runner, user.name, code)
    flask.session["lang"] = lang
    return flask.redirect(safe_next(flask.request.args.get("next")))


def _guard() -> flask.Response | None:
    if flask.request.endpoint in PUBLIC_ENDPOINTS or current_user() is not None:
        return None
    if flask.request.method == "GET" and not flask.request.path.startswith("/_"):
        return flask.redirect(f"/login?next={flask.request.full_path.rstrip('?')}")
    return flask.Response('{"error": "login required"}', status=401, mimetype="application/json")


def install(server: flask.Flask, settings: Settings) -> None:
    """Add the login, logout and language routes and the guard to ``server``."""
    server.secret_key = _secret(settings)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_NAME="ringscope_session",
                         PERMANENT_SESSION_LIFETIME=timedelta(hours=12))
    server.add_url_rule("/login", "ringscope_login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "ringscope_logout", _logout)
    server.add_url_rule("/lang/<code>", "ringscope_language", _language)
    server.before_request(_guard)
