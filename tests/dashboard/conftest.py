"""Fixtures for the app: a loaded world, accounts for every role, an app on the test server."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import flask
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from graphdata import load_world  # noqa: E402

from ringscope.dashboard.users import add_user  # noqa: E402

PASSWORD = "correct horse battery"
ACCOUNTS = {"wang": "investigator", "zhao": "case_officer", "li": "analyst", "root": "admin"}


@pytest.fixture(scope="module")
def app_settings(settings, tmp_path_factory):
    """The test server's settings with a home of the module's own (audit mirror, app secret)."""
    return dataclasses.replace(settings, home=tmp_path_factory.mktemp("app-home"))


@pytest.fixture(scope="module")
def world(runner, settings, tmp_path_factory):
    """The small world ingested, and one account per role."""
    load_world(tmp_path_factory.mktemp("world"), settings)
    for name, role in ACCOUNTS.items():
        add_user(runner, name, role, PASSWORD)
    return runner


@pytest.fixture(scope="module")
def app(world, app_settings):
    from ringscope.dashboard.app import create_app

    return create_app(app_settings, runner=world)


def login(client: flask.testing.FlaskClient, name: str, password: str = PASSWORD):
    return client.post("/login", data={"username": name, "password": password})


@pytest.fixture
def as_user(app):
    """Run plain page functions as a signed-in user: ``with as_user("wang"): ...``."""
    def enter(name: str, lang: str = "zh"):
        context = app.server.test_request_context("/")
        context.push()
        flask.session.update(user=name, role=ACCOUNTS[name], lang=lang)
        return _Popper(context)

    return enter


class _Popper:
    def __init__(self, context):
        self.context = context

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.pop()
