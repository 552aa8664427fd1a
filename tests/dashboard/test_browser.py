"""The real app in headless Chromium: log in, queue, ring, expand, decide, reveal, audit, language.

One test walks the whole day of an investigator (a handful of page loads keeps
CI inside its budget) and saves the README's screenshots on the way; it ends
by asserting the browser console logged no errors.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conftest import PASSWORD
from graphdata import ID_CARDS, RING_ID, write_test_rings

pytestmark = [pytest.mark.neo4j, pytest.mark.browser,
              # selenium 4.2 (pinned by dash[testing]) still calls urllib3 2's deprecated getheader()
              pytest.mark.filterwarnings("ignore:HTTPResponse.getheader:DeprecationWarning")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def served(app, world):
    write_test_rings(world)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
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


def test_brow001_an_investigators_day(served, browser, app):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(served + "/")
    _wait(browser, "#login-username").send_keys("wang")
    browser.find_element(By.ID, "login-password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login-submit").click()

    _wait(browser, "#queue-grid .ag-row", None)
    _wait(browser, "#queue-grid", RING_ID)
    assert "空刷套现" in browser.find_element(By.ID, "queue-grid").text
    # Triage from the queue: the grid shows the new status without a reload.
    browser.find_element(By.CSS_SELECTOR, "#queue-grid .ag-row [col-id='typology_label']").click()
    _wait(browser, "#queue-triage-title", RING_ID)
    browser.find_element(By.ID, "queue-status").click()
    option = "//*[contains(@class, 'dash-dropdown-option')][normalize-space()='研判中']"
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.XPATH, option))[0].click()
    browser.find_element(By.ID, "queue-notes").send_keys("同一设备集中刷卡")
    browser.find_element(By.ID, "queue-save").click()
    _wait(browser, "#queue-message", "已保存")
    _wait(browser, "#queue-grid", "研判中")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "queue.png"))

    browser.find_element(By.LINK_TEXT, RING_ID).click()
    _wait(browser, "#ring-summary", "5名参保人")
    _wait(browser, "#ring-graph canvas")
    count = "return document.getElementById('ring-graph')._cyreg.cy.elements().length"
    before = WebDriverWait(browser, 20).until(lambda d: d.execute_script(count))
    browser.execute_script("document.getElementById('ring-graph')._cyreg.cy"
                           ".nodes('.person').filter(n => n.data('key') === 'P1').emit('tap')")
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(count) > before)
    browser.find_element(By.ID, "ring-decision").send_keys("确认套现")
    browser.find_element(By.ID, "ring-reason").send_keys("三天内集中刷卡，共用设备")
    browser.find_element(By.ID, "ring-save").click()
    _wait(browser, "#ring-message", "已保存")
    browser.save_screenshot(str(SCREENSHOTS / "ring.png"))

    browser.get(served + "/entity/person/P1")
    card = ID_CARDS["P1"]
    _wait(browser, "#entity-identity", card[:4] + "**********" + card[-4:])
    assert card not in browser.page_source
    browser.find_element(By.ID, "entity-reveal-reason").send_keys("核实身份")
    browser.find_element(By.ID, "entity-reveal-button").click()
    _wait(browser, "#entity-revealed", card)
    browser.save_screenshot(str(SCREENSHOTS / "entity.png"))

    browser.get(served + "/audit")
    _wait(browser, "#audit-grid", "reveal")
    assert "person:P1" in browser.find_element(By.ID, "audit-grid").text

    browser.find_element(By.ID, "shell-language").click()
    _wait(browser, "#shell-nav_queue", "Alert queue")
    browser.get(served + "/")
    _wait(browser, "#queue-grid", "Card cash-out")
    runner = app.server.extensions["ringscope"].runner
    assert runner.read("users_get", user_name="wang")[0]["lang"] == "en"
    assert _errors(browser) == []
