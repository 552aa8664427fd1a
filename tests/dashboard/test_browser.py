"""The real app in headless Chromium: log in, queue, ring, expand, decide, reveal, audit, language.

One test walks the whole day of an investigator (a handful of page loads keeps
CI inside its budget) and saves the README's screenshots on the way; it ends
by asserting the browser console logged no errors. The store holds demo data,
not a hand-made fixture: a small generated extract (1,000 persons), ingested
and run through detection as ``make demo`` does (about 50 s on 2 cores), so
the screenshots show rings as detection finds them.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conftest import PASSWORD

pytestmark = [pytest.mark.neo4j, pytest.mark.browser,
              # selenium 4.2 (pinned by dash[testing]) still calls urllib3 2's deprecated getheader()
              pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


DEMO_PERSONS, DEMO_SEED = 1000, 1


@pytest.fixture(scope="module")
def demo_app(runner, settings, app_settings, tmp_path_factory):
    """The app over a generated, ingested and detected extract, with the investigator ``wang``."""
    from ringscope.communities.cli import run_detect
    from ringscope.dashboard.app import create_app
    from ringscope.dashboard.users import add_user
    from ringscope.ingest.job import IngestOptions, ingest_directory
    from ringscope.synthetic import generate

    folder = tmp_path_factory.mktemp("demo")
    generate(folder / "data", seed=DEMO_SEED, persons=DEMO_PERSONS)
    ingest_directory(IngestOptions(data_dir=folder / "data", rejects_dir=folder / "rejects", online=True), settings)
    assert run_detect(folder / "out", runner=runner)["rings"] > 0
    add_user(runner, "wang", "investigator", PASSWORD)
    return create_app(app_settings, runner=runner)


@pytest.fixture(scope="module")
def story(demo_app):
    """What the walk looks for: the queue's top ring, its summary, and a person on its claims with an ID card."""
    from ringscope.dashboard.entity_view import load_entity
    from ringscope.dashboard.queue_data import load_queue
    from ringscope.dashboard.ring_view import load_ring, summary

    runner = demo_app.server.extensions["ringscope"].runner
    top = load_queue(runner).iloc[0]
    view = load_ring(runner, top["ring_id"])
    members = [m["key"] for m in view.members if "Person" in m["labels"]]
    person = next(key for key in members + view.claims["person"].dropna().tolist()
                  if load_entity(runner, "person", key).props.get("id_card"))
    return {"ring": top["ring_id"], "typology": top["typology"], "summary": summary(view.ring, "zh")[:12],
            "person": person, "id_card": load_entity(runner, "person", person).props["id_card"]}


@pytest.fixture(scope="module")
def served(demo_app):
    server = make_server("127.0.0.1", 0, demo_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("chromium and chromedriver are needed for the browser tests (make browser installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, css: str, text: str | None = None, timeout: float = 20):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, timeout)
    if text is None:
        return wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    return driver.find_element(By.CSS_SELECTOR, css)


def _errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_brow001_an_investigators_day(served, browser, demo_app, story):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from ringscope.dashboard.i18n import code_label, typology_label

    ring_id, card = story["ring"], story["id_card"]
    browser.get(served + "/")
    _wait(browser, "#login-username").send_keys("wang")
    browser.find_element(By.ID, "login-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-submit").click()

    _wait(browser, "#queue-grid .ag-row", None)
    _wait(browser, "#queue-grid", ring_id)
    assert typology_label(story["typology"], "zh") in browser.find_element(By.ID, "queue-grid").text
    # Triage from the queue (the top row is the top ring): the grid shows the new status without a reload.
    browser.find_element(By.CSS_SELECTOR, "#queue-grid .ag-row[row-index='0'] [col-id='typology_label']").click()
    _wait(browser, "#queue-triage-title", ring_id)
    browser.find_element(By.ID, "queue-status").click()
    option = "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='研判中']"
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.XPATH, option))[0].click()
    browser.find_element(By.ID, "queue-notes").send_keys("与稽核科共同核查")
    browser.find_element(By.ID, "queue-save").click()
    _wait(browser, "#queue-message", "已保存")
    _wait(browser, "#queue-grid", "研判中")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "queue.png"))

    browser.find_element(By.LINK_TEXT, ring_id).click()
    _wait(browser, "#ring-summary", story["summary"])
    _wait(browser, "#ring-graph canvas")
    _wait(browser, "#ring-claims .ag-row", None)
    cy = "document.getElementById('ring-graph')._cyreg.cy"
    count = f"return {cy}.elements().length"
    before = WebDriverWait(browser, 20).until(lambda d: d.execute_script(count))
    browser.execute_script(f"{cy}.nodes('.facility, .practitioner, .person')[0].emit('tap')")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(count) > before)
    browser.find_element(By.ID, "ring-decision").send_keys("移送稽核")
    browser.find_element(By.ID, "ring-reason").send_keys("多项信号一致，证据结算已导出")
    browser.find_element(By.ID, "ring-save").click()
    _wait(browser, "#ring-message", "已保存")
    browser.save_screenshot(str(SCREENSHOTS / "ring.png"))

    browser.get(served + f"/entity/person/{story['person']}")
    _wait(browser, "#entity-identity", card[:4] + "*" * (len(card) - 8) + card[-4:])
    assert card not in browser.page_source
    browser.find_element(By.ID, "entity-reveal-reason").send_keys("核实身份")
    browser.find_element(By.ID, "entity-reveal-button").click()
    _wait(browser, "#entity-revealed", card)
    browser.save_screenshot(str(SCREENSHOTS / "entity.png"))

    browser.get(served + "/audit")
    _wait(browser, "#audit-grid", code_label("audit_action", "reveal", "zh"))
    assert f"person:{story['person']}" in browser.find_element(By.ID, "audit-grid").text

    browser.find_element(By.ID, "shell-language").click()
    _wait(browser, "#shell-nav_queue", "Alert queue")
    browser.get(served + "/")
    _wait(browser, "#queue-grid", typology_label(story["typology"], "en"))
    runner = demo_app.server.extensions["ringscope"].runner
    assert runner.read("users_get", user_name="wang")[0]["lang"] == "en"
    assert _errors(browser) == []
