"""The app on the real server: the door holds for strangers, and pages serve signed-in users."""

from __future__ import annotations

import json

import flask
import pytest

from conftest import ACCOUNTS, PASSWORD, login
from graphdata import ID_CARDS, RING_ID, RING_PERSONS, SHARED_PHONE, write_test_rings

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def ring(world):
    return write_test_rings(world)


def _secrets() -> list[str]:
    return [RING_ID, *ID_CARDS.values(), SHARED_PHONE, *(f"测试{p}" for p in RING_PERSONS), "康源大药房"]


def _callback_payload(app, key: str) -> dict:
    spec = app.callback_map[key]
    return {"output": key, "outputs": [], "inputs": [{"id": i["id"], "property": i["property"], "value": None}
                                                      for i in spec["inputs"]],
            "state": [{"id": s["id"], "property": s["property"], "value": None} for s in spec["state"]],
            "changedPropIds": []}


def test_app001_stranger_gets_the_login_page_and_nothing_else(app, ring):
    owner = app.server.test_client()
    assert login(owner, "wang").status_code == 302
    owner.get("/_dash-layout")  # lets Dash register every page's callbacks
    stranger = app.server.test_client()
    routes = ["/", "/ring/some-ring", "/entity/person/P1", "/search", "/paths", "/audit", "/users", "/_dash-layout",
              "/_dash-dependencies", "/_reload-hash", "/_favicon.ico", "/assets/x.css", "/lang/en", "/logout"]
    routes += sorted({rule.rule for rule in app.server.url_map.iter_rules() if "<" not in rule.rule} - {"/login"})
    bodies = []
    for route in routes:
        answer = stranger.get(route)
        assert answer.status_code in (302, 401), route
        if answer.status_code == 302:
            assert answer.headers["Location"].startswith("/login"), route
        bodies.append(answer.get_data(as_text=True))
    assert app.callback_map, "no callbacks were registered"
    for key in app.callback_map:
        answer = stranger.post("/_dash-update-component", json=_callback_payload(app, key))
        assert answer.status_code == 401, key
        bodies.append(answer.get_data(as_text=True))
    bodies.append(stranger.get("/login").get_data(as_text=True))
    for body in bodies:
        for secret in _secrets():
            assert secret not in body


def test_app002_login_sets_a_safe_cookie_and_logs_it(app, ring):
    client = app.server.test_client()
    answer = login(client, "li")
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/_dash-layout").status_code == 200
    runner = app.server.extensions["ringscope"].runner
    assert runner.read("audit_recent", user="li", target=None, limit=1)[0]["action"] == "login"


def test_app003_wrong_passwords_are_slowed_down(app):
    client = app.server.test_client()
    answers = [login(client, "zhao", "wrong password").status_code for _ in range(4)]
    assert answers[:3] == [401, 401, 401] and answers[3] == 429
    assert login(client, "zhao").status_code == 429  # even the right password waits
    throttle = app.server.extensions["ringscope"].throttle
    for key in ("user:zhao", "addr:127.0.0.1"):
        throttle.succeeded(key)


def test_app004_next_is_kept_on_this_site(app):
    client = app.server.test_client()
    assert client.get(f"/ring/{RING_ID}").headers["Location"] == f"/login?next=/ring/{RING_ID}"
    answer = client.post("/login?next=https://evil.example/", data={"username": "root", "password": PASSWORD})
    assert answer.headers["Location"] == "/"


def test_app005_queue_lists_the_ring_with_labels(app, ring, as_user):
    queue = __import__("sys").modules["ringscope.dashboard.pages.queue"]
    with as_user("wang"):
        answer = queue.rows({"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}})
    assert answer["rowCount"] == 1
    row = answer["rowData"][0]
    assert (row["ring_id"], row["typology_label"], row["size"], row["status_label"]) == (RING_ID, "空刷套现", 7, "新预警")
    assert row["region"] == "410102" and row["n_claims"] == 15  # looked up from the members: none stored


def test_app005b_queue_uses_the_region_detection_stored(app, ring, as_user):
    from ringscope.dashboard.queue_data import load_queue

    runner = app.server.extensions["ringscope"].runner
    write_test_rings(runner, region_code="419999")
    try:
        assert load_queue(runner)["region"].tolist() == ["419999"]
        app.server.extensions["ringscope"].queue_cache.invalidate()
        with as_user("wang"):
            assert _page("queue").rows({"startRow": 0, "endRow": 10})["rowData"][0]["region"] == "419999"
    finally:
        write_test_rings(runner)
        app.server.extensions["ringscope"].queue_cache.invalidate()
    assert load_queue(runner)["region"].isna().all()


def test_app006_decision_is_stored_audited_and_shown(app, ring, as_user):
    triage = __import__("sys").modules["ringscope.dashboard.pages._triage"]
    queue = __import__("sys").modules["ringscope.dashboard.pages.queue"]
    with as_user("li"):
        assert triage.save_from_form(RING_ID, "confirmed", "wang", "", "fraud", "burst") == "当前角色无权记录研判"
    with as_user("wang", "en"):
        before = queue.rows({"startRow": 0, "endRow": 10})["rowData"][0]  # the queue is cached now
        assert "Confirmed" in queue.save(1, RING_ID, "confirmed", "wang", "n", "fraud", "burst at F1")
        row = queue.rows({"startRow": 0, "endRow": 10})["rowData"][0]
    # The save empties the cache, so the very next page the grid asks for carries the decision.
    assert before["status"] != "confirmed"
    assert (row["status"], row["status_label"], row["assignee"]) == ("confirmed", "Confirmed", "wang")
    runner = app.server.extensions["ringscope"].runner
    entry = runner.read("audit_recent", user="wang", target=RING_ID, limit=1)[0]
    assert entry["action"] == "decision" and json.loads(entry["detail"])["reason"] == "burst at F1"


def _page(name: str):
    return __import__("sys").modules[f"ringscope.dashboard.pages.{name}"]


def test_app007_ring_view_graph_timeline_and_expand(app, ring, as_user):
    from ringscope.dashboard.ring_view import load_ring, neighbour_elements, ring_graph, score_breakdown

    runner = app.server.extensions["ringscope"].runner
    view = load_ring(runner, RING_ID)
    assert len(view.claims) == 15 and len(view.members) == 7
    assert score_breakdown(view.ring) == {"burst": 0.9, "shared_identifier": 0.8, "stock_excess": 0.4}
    drawn = ring_graph(view, view.claims, "investigator")
    elements = drawn.elements
    assert drawn.shown == drawn.total == 9  # 5 persons, F1, D2 (the members), device DEV1, the shared phone
    capped = ring_graph(view, view.claims, "investigator", limit=4)
    kept = {e["data"]["id"]: e["data"] for e in capped.elements if "source" not in e["data"]}
    assert (capped.shown, capped.total, len(kept)) == (4, 9, 4)
    assert {"P1", "F1", "D2"} <= {d["key"] for d in kept.values()}  # organiser, facility, pharmacist lead
    assert all({e["data"]["source"], e["data"]["target"]} <= set(kept) for e in capped.elements if "source" in e["data"])
    labels = {e["data"]["label"] for e in elements if "source" not in e["data"]}
    assert "测试P1" in labels and "1380***8000" not in labels and SHARED_PHONE not in labels
    assert any(e["data"].get("relation") == "HAS_IDENTIFIER" for e in elements)
    p6 = next(e for e in neighbour_elements(runner, view.members[0]["id"], "investigator") if e["data"].get("kind"))
    assert p6["data"]["id"]
    with as_user("wang"):
        shown = _page("ring").layout(ring_id=RING_ID)
        text = str(shown)
        assert "5名参保人3天内" in text and "ring-graph" in text
        elements, note, figure = _page("ring").refresh([0, 0], RING_ID, ["2024-03"])
        assert figure.data[0].y.sum() == 15 and note == ""
        rows = _page("ring").claims_page({"startRow": 0, "endRow": 10}, RING_ID, ["2024-03"], [0, 0])
        assert rows["rowCount"] == 15 and len(rows["rowData"]) == 10
        assert rows["rowData"][0]["settled_at"].startswith("2024年3月1日")


def test_app008_entity_profile_masks_and_reveal_is_audited(app, ring, as_user):
    with as_user("wang"):
        text = str(_page("entity").layout(kind="person", key="P1"))
        assert ID_CARDS["P1"] not in text and ID_CARDS["P1"][:4] + "**********" + ID_CARDS["P1"][-4:] in text
        assert RING_ID in text and "测试P2" in text  # shares the phone
        assert "1980年1月1日" in text  # the birth date, written as Chinese writes a day
        assert _page("entity").do_reveal(1, ["person", "P1"], 0, "  ") == "查看明文必须填写理由"
        assert _page("entity").do_reveal(1, ["person", "P1"], 0, "核实身份") == ID_CARDS["P1"]
    with as_user("li"):
        assert _page("entity").do_reveal(1, ["person", "P1"], 0, "curious") == "当前角色无权查看明文"
    runner = app.server.extensions["ringscope"].runner
    entry = runner.read("audit_recent", user="wang", target="person:P1", limit=1)[0]
    assert entry["action"] == "reveal" and "核实身份" in entry["detail"]


def test_app009_search_by_masked_id_phone_name_and_ring(app, ring, as_user):
    from ringscope.dashboard.explore import search

    runner = app.server.extensions["ringscope"].runner
    card = ID_CARDS["P3"]
    assert {r["key"] for r in search(runner, card[:4] + "*" * 10 + card[-4:], "investigator")} == {"P3"}
    assert {r["key"] for r in search(runner, SHARED_PHONE, "investigator")} == {"P1", "P2", "P3"}
    assert {r["key"] for r in search(runner, "康源", "investigator")} == {"F1"}
    assert [r["href"] for r in search(runner, RING_ID, "analyst")] == [f"/ring/{RING_ID}"]
    assert search(runner, "x' OR 1=1 //", "analyst") == []


def test_app010_paths_through_identifiers(app, ring):
    from ringscope.dashboard.explore import find_paths

    runner = app.server.extensions["ringscope"].runner
    found = find_paths(runner, "P1", "P3", "investigator")
    kinds = {e["data"]["kind"] for e in found["identifiers"] if "source" not in e["data"]}
    assert "phone" in kinds and {"P1", "P3"} <= {e["data"].get("key") for e in found["identifiers"]}
    assert found["shortest"]
    assert find_paths(runner, "P1", "nobody", "investigator") is None
