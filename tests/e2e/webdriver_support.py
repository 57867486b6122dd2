"""Selenium support for the web app tests: a headless Chromium, signing in through the real OAuth pages, and
small waiting and screenshot helpers.

Chromium and its driver come from the system (Debian: `apt-get install chromium chromium-driver`). They are
looked up as TERN_CHROMIUM / TERN_CHROMEDRIVER when set, else as `chromium`, `chromium-browser` or
`google-chrome` and `chromedriver` on PATH. Without them (or without the selenium package) the test module is
skipped with a message saying what to install. Selenium Manager is kept offline: it must never download a browser.

Screenshots go to $TERN_E2E_ARTIFACTS/screenshots when that is set, else to a temporary folder (printed once).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlparse

import pytest

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoAlertPresentException,
        StaleElementReferenceException,
        TimeoutException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement
    from selenium.webdriver.support.ui import WebDriverWait

    SELENIUM_ERROR: Optional[str] = None
except ImportError as e:  # the module is skipped below, with this reason
    SELENIUM_ERROR = f"selenium is not installed ({e}); pip install -r tests/e2e/requirements.txt"

WAIT_TIMEOUT = 20.0
DESKTOP_SIZE = (1440, 900)
PHONE_SIZE = (390, 844)

# Runs before any page script: records alert()/confirm()/prompt() calls and CSP violations, so a test can tell
# that hostile content did not run and that the app itself needs nothing the policy forbids.
_INSTRUMENTATION = """
(() => {
  window.__ternAlerts = [];
  window.__ternCspViolations = [];
  for (const name of ["alert", "confirm", "prompt"]) {
    const original = window[name];
    window[name] = function (...args) {
      window.__ternAlerts.push(name + ":" + String(args[0]));
      return original.apply(this, args);
    };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    const where = (e.sourceFile || "") + ":" + e.lineNumber;
    window.__ternCspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + where);
  });
})();
"""


def find_browser() -> tuple[Optional[str], Optional[str]]:
    """(chromium, chromedriver) paths, or None for each that is missing."""
    browser = os.environ.get("TERN_CHROMIUM")
    if not browser:
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
            browser = shutil.which(name)
            if browser:
                break
    driver = os.environ.get("TERN_CHROMEDRIVER") or shutil.which("chromedriver")
    return browser, driver


def skip_reason() -> Optional[str]:
    """Why the browser tests cannot run here, or None when they can."""
    if SELENIUM_ERROR:
        return SELENIUM_ERROR
    browser, driver = find_browser()
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    if missing:
        return (
            f"{' and '.join(missing)} not found: install them (Debian: apt-get install chromium chromium-driver) "
            "or point TERN_CHROMIUM / TERN_CHROMEDRIVER at them"
        )
    return None


def screenshot_dir() -> Path:
    folder = os.environ.get("TERN_E2E_ARTIFACTS")
    path = Path(folder) / "screenshots" if folder else Path(tempfile.gettempdir()) / "tern-webapp-screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Browser:
    """One headless Chromium window (its own profile, so its own localStorage and cookies)."""

    def __init__(self, width: int, height: int) -> None:
        browser, driver_path = find_browser()
        assert browser and driver_path, skip_reason()
        os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never download anything
        self.profile = tempfile.mkdtemp(prefix="tern-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for arg in (
            "--headless=new",
            f"--window-size={width},{height}",
            f"--user-data-dir={self.profile}",
            "--no-sandbox",  # containers and CI run as root
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--lang=en-US",
            "--force-device-scale-factor=1",
        ):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        service = Service(executable_path=driver_path, log_output=os.devnull)
        self.driver: WebDriver = webdriver.Chrome(options=options, service=service)
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(30)
        self.set_size(width, height)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _INSTRUMENTATION})
        self.network_log: list[dict[str, Any]] = []

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # --- window -------------------------------------------------------------------------------------

    def set_size(self, width: int, height: int) -> None:
        """Sets the viewport (not the outer window) to exactly width x height CSS pixels."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def color_scheme(self, scheme: str) -> None:
        """Emulates prefers-color-scheme ("light" or "dark")."""
        self.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
        )

    def screenshot(self, name: str) -> Path:
        path = screenshot_dir() / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    # --- pages --------------------------------------------------------------------------------------

    def get(self, url: str) -> None:
        self.driver.get(url)

    def path(self) -> str:
        return urlparse(self.driver.current_url).path

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait(self, condition: Callable[[WebDriver], Any], message: str, timeout: float = WAIT_TIMEOUT) -> Any:
        """Waits until `condition(driver)` is truthy and returns it; fails with `message` and the page state."""
        try:
            # A re-rendered element goes stale between polls; the next poll finds the new one.
            wait = WebDriverWait(
                self.driver, timeout, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException]
            )
            return wait.until(condition)
        except TimeoutException:
            pytest.fail(f"{message} (after {timeout:.0f} s)\n{self.describe()}", pytrace=False)

    def find(self, css: str, within: Optional[WebElement] = None) -> WebElement:
        return self.wait(
            lambda d: _first_displayed((within or d).find_elements(By.CSS_SELECTOR, css)),
            f"no visible element matches {css!r}",
        )

    def find_all(self, css: str, within: Any = None) -> list[WebElement]:
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def describe(self) -> str:
        """The URL, the visible text of the page (shortened) and any browser console errors, for failures."""
        try:
            text = self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException as e:
            text = f"(no body: {e.__class__.__name__})"
        if len(text) > 2500:
            text = text[:2500] + "…"
        return f"URL: {self.driver.current_url}\n--- page text ---\n{text}\n--- console ---\n{self.console_errors()}"

    def console_errors(self) -> str:
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            return "(unavailable)"
        return "\n".join(e.get("message", "") for e in entries if e.get("level") in ("SEVERE", "WARNING")) or "(none)"

    # --- what the page did ---------------------------------------------------------------------------

    def alerts(self) -> list[str]:
        """alert/confirm/prompt calls made by the page, plus an alert still open (if any)."""
        calls = list(self.js("return window.__ternAlerts || []"))
        try:
            alert = self.driver.switch_to.alert
            calls.append(f"open alert: {alert.text}")
        except NoAlertPresentException:
            pass
        return calls

    def csp_violations(self) -> list[str]:
        return list(self.js("return window.__ternCspViolations || []"))

    def requested_urls(self) -> list[str]:
        """Every URL the browser asked for so far (HTTP requests and WebSocket handshakes), from the DevTools
        network log, accumulated across calls."""
        for entry in self.driver.get_log("performance"):
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if message.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
                params = message.get("params", {})
                url = params.get("request", {}).get("url") or params.get("url")
                if url:
                    self.network_log.append({"method": message["method"], "url": url})
        return [item["url"] for item in self.network_log]


def _first_displayed(elements: list[Any]) -> Any:
    for element in elements:
        try:
            if element.is_displayed():
                return element
        except WebDriverException:
            continue
    return None


@pytest.fixture(scope="module")
def browsers(server: Any) -> Iterator[Callable[..., Browser]]:
    """Opens browsers for a module: `browsers()` or `browsers(width, height)`. They belong to the module's `server`
    (conftest.py) and are closed before it stops, so no open page keeps a connection to a stopping server."""
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    opened: list[Browser] = []

    def open_browser(width: int = DESKTOP_SIZE[0], height: int = DESKTOP_SIZE[1]) -> Browser:
        browser = Browser(width, height)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.quit()


def sign_in(browser: Browser, base_url: str, login: str, password: str, start_path: str = "/web/home") -> None:
    """Signs in like a person: opens the app, which sends the browser to the server's sign-in page; fills it;
    approves the consent page when the server shows one; waits until the app is back and shows the home column."""
    browser.get(base_url + start_path)
    # The server may show its sign-in form on /oauth/authorize itself or redirect to /auth/sign_in.
    browser.wait(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "input[name=password]") or d.find_elements(By.CSS_SELECTOR, ".shell")
        ),
        "the app neither sent the browser to the sign-in page nor started",
    )
    if browser.find_all("input[name=password]"):
        assert not browser.path().startswith("/web/"), f"a password field inside the app: {browser.path()}"
        browser.find("input[name=username]").send_keys(login)
        password_field = browser.find("input[name=password]")
        password_field.send_keys(password)
        password_field.submit()
        # Either the consent page, or (for a trusted redirect URI) straight back into the app.
        browser.wait(
            lambda d: (
                d.find_elements(By.CSS_SELECTOR, "button[name=decision][value=approve]")
                or urlparse(d.current_url).path.startswith("/web/")
                and urlparse(d.current_url).path != "/web/callback"
            ),
            "after signing in, neither the consent page nor the app appeared",
        )
        approve = browser.find_all("button[name=decision][value=approve]")
        if approve:
            approve[0].click()
    browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".shell .me-link"), "the app did not start after sign-in")
    assert browser.js("return localStorage.getItem('tern.token')"), "no token was stored after sign-in"
