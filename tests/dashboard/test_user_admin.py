"""User management: only an admin lists and adds accounts, every addition is audited, no password comes back."""

from __future__ import annotations

import json

import pytest

from conftest import login
from dashcalls import post_callback
from ringscope.dashboard.user_admin import add_account, user_rows
from ringscope.dashboard.users import User, authenticate
from ringscope.errors import ConfigError

pytestmark = pytest.mark.neo4j

ROOT, WANG = User("root", "admin"), User("wang", "investigator")


def _text(answer) -> str:
    return json.dumps(answer.get_json(), ensure_ascii=False)


def _add_inputs(name: str, role: str, password: str) -> tuple[list[dict], list[dict]]:
    return ([{"id": "users-add", "property": "n_clicks", "value": 1}],
            [{"id": "users-name", "property": "value", "value": name},
             {"id": "users-role", "property": "value", "value": role},
             {"id": "users-password", "property": "value", "value": password}])


def test_uadm001_admin_adds_an_audited_account(world, app_settings):
    user = add_account(world, app_settings, ROOT, " qian ", "analyst", "qian's long password")
    assert user == User("qian", "analyst")
    assert authenticate(world, "qian", "qian's long password").role == "analyst"
    entry = world.read("audit_recent", user="root", target="qian", limit=1)[0]
    assert entry["action"] == "user_add" and json.loads(entry["detail"]) == {"role": "analyst"}
    rows = {row["name"]: row for row in user_rows(world, ROOT, "zh")}
    assert rows["qian"]["role"] == "分析员" and rows["root"]["role"] == "管理员"
    assert rows["qian"]["created_at"].startswith("20") and "年" in rows["qian"]["created_at"]
    assert all(set(row) == {"name", "role", "lang", "created_at"} for row in rows.values())


def test_uadm002_refusals(world, app_settings):
    for actor in (WANG, User("li", "analyst"), User("zhao", "case_officer"), None):
        with pytest.raises(ConfigError, match="users_forbidden"):
            add_account(world, app_settings, actor, "sun", "admin", "a long password")
        with pytest.raises(ConfigError, match="users_forbidden"):
            user_rows(world, actor, "en")
    assert world.read("users_get", user_name="sun") == []
    with pytest.raises(ConfigError, match="'root' exists"):
        add_account(world, app_settings, ROOT, "root", "admin", "a long password")
    with pytest.raises(ConfigError, match="'boss'"):
        add_account(world, app_settings, ROOT, "sun", "boss", "a long password")


def test_uadm003_non_admins_are_refused_over_http(app):
    client = app.server.test_client()
    login(client, "wang")
    page = post_callback(app, client, "_pages_content.children",
                         [{"id": "_pages_location", "property": "pathname", "value": "/users"},
                          {"id": "_pages_location", "property": "search", "value": ""}])
    text = _text(page)
    assert "仅管理员可管理用户" in text and "users-grid" not in text and "zhao" not in text
    answer = post_callback(app, client, "users-message.children", *_add_inputs("mallory", "admin", "a long password"))
    assert "仅管理员可管理用户" in _text(answer)
    assert app.server.extensions["ringscope"].runner.read("users_get", user_name="mallory") == []
    assert "shell-nav_users" not in client.get("/_dash-layout").get_data(as_text=True)


def test_uadm004_admin_adds_over_http_and_the_password_never_comes_back(app):
    client = app.server.test_client()
    login(client, "root")
    assert "shell-nav_users" in client.get("/_dash-layout").get_data(as_text=True)
    secret = "feng's secret password"
    answer = post_callback(app, client, "users-message.children", *_add_inputs("feng", "case_officer", secret))
    body = answer.get_json()["response"]
    assert body["users-message"]["children"] == "已新增用户 feng（案件承办人）"
    assert body["users-password"]["value"] == ""
    assert "feng" in {row["name"] for row in body["users-grid"]["rowData"]}
    assert secret not in _text(answer) and "argon2" not in _text(answer)
    assert authenticate(app.server.extensions["ringscope"].runner, "feng", secret).role == "case_officer"
    assert login(app.server.test_client(), "feng", secret).status_code == 302
