"""The account pages in a real browser (headless Chromium, see webdriver_support.py): a person signs up on
/auth/sign_up, confirms the address with the link from the mail (the server sends it to an SMTP server on loopback,
see smtp_sink.py), signs in, lands in the web app, edits the profile on /settings/profile, and finds the change on
the public profile page with JavaScript turned off.

Screenshots of the sign-up page and of each settings page are saved for people to look at
(see webdriver_support.screenshot_dir).
"""

from __future__ import annotations

import secrets

import requests
from smtp_sink import SmtpSink, first_link
from tern_server import DEFAULT_PASSWORD, TernServer, unique_name
from webdriver_support import DESKTOP_SIZE, Browser, browsers  # noqa: F401 (fixture)

try:
    from selenium.webdriver.common.by import By
except ImportError:  # the browser tests skip through the `browsers` fixture
    pass

# The test signs up and in; the per-address limit on that is not what it tests.
TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}
# The module's server sends its mail to `smtp_sink` (conftest.py).
TERN_SERVER_MAIL = True

DISPLAY_NAME = "Quiet Héron"
BIO = "Watches birds & writes <b>not bold</b> code."


def heading(browser: Browser) -> str:
    return browser.find("main h1").text


def wait_for_heading(browser: Browser, text: str) -> None:
    browser.wait(
        lambda d: any(h.text == text for h in d.find_elements(By.CSS_SELECTOR, "main h1")),
        f"no page titled {text!r}",
    )


def fill(browser: Browser, css: str, value: str) -> None:
    field = browser.find(css)
    field.clear()
    field.send_keys(value)


def submit(browser: Browser, form_action: str) -> None:
    browser.find(f'form[action="{form_action}"] button[type=submit]').click()


def assert_page_fits(browser: Browser) -> None:
    """No horizontal scrolling."""
    width = browser.js("return document.documentElement.scrollWidth")
    viewport = browser.js("return window.innerWidth")
    assert width <= viewport, f"{browser.path()} is {width}px wide in a {viewport}px window"


def full_screenshot(browser: Browser, name: str) -> None:
    """A screenshot of the whole page, not only of the window's height."""
    height = browser.js("return document.documentElement.scrollHeight")
    browser.set_size(DESKTOP_SIZE[0], max(DESKTOP_SIZE[1], height))
    try:
        browser.screenshot(name)
    finally:
        browser.set_size(*DESKTOP_SIZE)


def test_sign_up_confirm_and_edit_the_profile(browsers, server: TernServer, smtp_sink: SmtpSink) -> None:  # noqa: F811
    b = browsers()
    username = unique_name("heron")
    email = f"{username}@example.org"

    # Sign up.
    b.get(server.url("/auth/sign_in"))
    b.find('a[href="/auth/sign_up"]').click()
    wait_for_heading(b, "Create an account on Tern")
    assert b.driver.switch_to.active_element.get_attribute("id") == "username", "the username field has no focus"
    fill(b, "#username", username)
    fill(b, "#email", email)
    fill(b, "#password", DEFAULT_PASSWORD)
    fill(b, "#password_confirmation", DEFAULT_PASSWORD)
    b.find("input[name=agreement]").click()
    assert_page_fits(b)
    full_screenshot(b, "account-sign-up")
    submit(b, "/auth/sign_up")
    wait_for_heading(b, "Check your email")
    assert email in b.find("main p").text
    b.screenshot("account-check-your-email")

    # Confirm with the link from the mail, then sign in from the page the link opens.
    link = first_link(smtp_sink.wait_for_mail(to=email), "/auth/confirmation")
    b.get(link)
    wait_for_heading(b, "Email confirmed")
    b.find('main a[href="/auth/sign_in"]').click()
    wait_for_heading(b, "Sign in to Tern")
    fill(b, "#username", username)
    fill(b, "#password", DEFAULT_PASSWORD)
    submit(b, "/auth/sign_in")
    # The server sends a signed-in browser to the app, which gets its token without asking again.
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".shell .me-link"), "the app did not start after signing in")
    assert b.path() == "/web/home"
    assert b.js("return localStorage.getItem('tern.token')"), "the app has no token"
    assert b.find(".nav-column .me-link .acct").text == f"@{username}"

    # Edit the profile.
    b.get(server.url("/settings/profile"))
    wait_for_heading(b, "Edit profile")
    assert b.find('nav.settings a[aria-current="page"]').text == "Profile"
    assert_page_fits(b)
    full_screenshot(b, "settings-profile")
    fill(b, "#display_name", DISPLAY_NAME)
    fill(b, "#note", BIO)
    submit(b, "/settings/profile")
    b.wait(
        lambda d: any(p.text == "Your profile is saved." for p in d.find_elements(By.CSS_SELECTOR, "p.saved")),
        "no 'Your profile is saved.' after saving",
    )
    assert b.find("#display_name").get_attribute("value") == DISPLAY_NAME
    assert b.find("#note").get_attribute("value") == BIO
    full_screenshot(b, "settings-profile-saved")
    b.color_scheme("dark")
    full_screenshot(b, "settings-profile-saved-dark")
    b.color_scheme("light")
    b.console_errors()  # read and forget: the avatar on this page is test_settings_profile_shows_the_avatar's

    # The other settings pages.
    for path, title, shot in (
        ("/settings/preferences", "Preferences", "settings-preferences"),
        ("/settings/account", "Email and password", "settings-account"),
        ("/oauth/authorized_applications", "Authorized apps", "settings-authorized-apps"),
    ):
        b.get(server.url(path))
        wait_for_heading(b, title)
        assert b.find('nav.settings a[aria-current="page"]').get_attribute("href").endswith(path)
        assert_page_fits(b)
        assert b.console_errors() == "(none)", f"{path}: {b.console_errors()}"
        assert b.csp_violations() == [], path
        full_screenshot(b, shot)
    # The web app signed in through OAuth, so it is one of the apps with access, and can be revoked.
    apps = b.find_all("ul.apps li")
    assert len(apps) == 1 and apps[0].find_elements(By.CSS_SELECTOR, "form button"), "the web app is not listed"

    # The public profile shows the change, with JavaScript off (DevTools-injected scripts, such as the test's
    # instrumentation, still run: only the page's own are off).
    b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        b.get(server.url(f"/@{username}"))
        b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".profile h1"), "the public profile did not show")
        # The page's scripts would not run (the emulation holds across navigations); it has none to need.
        assert b.find_all("script") == [], "the public profile page carries scripts"
        assert b.find(".profile h1").text == DISPLAY_NAME
        note = b.find(".profile .note")
        assert "Watches birds & writes <b>not bold</b> code." in note.text, note.text
        assert note.find_elements(By.CSS_SELECTOR, "b") == [], "the bio's markup became HTML"
        b.screenshot("account-public-profile")
    finally:
        b.driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})

    # The same page as a plain HTTP client gets it.
    page = requests.get(server.url(f"/@{username}"), headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200 and DISPLAY_NAME in page.text, page.status_code
    assert "&lt;b&gt;not bold&lt;/b&gt;" in page.text and "<b>not bold" not in page.text


def test_form_errors_are_shown_next_to_the_fields(browsers, server: TernServer) -> None:  # noqa: F811
    b = browsers()
    b.get(server.url("/auth/sign_up"))
    wait_for_heading(b, "Create an account on Tern")
    fill(b, "#username", "<script>")
    fill(b, "#email", f"{secrets.token_hex(4)}@example.org")
    fill(b, "#password", DEFAULT_PASSWORD)
    fill(b, "#password_confirmation", DEFAULT_PASSWORD)
    b.find("input[name=agreement]").click()
    submit(b, "/auth/sign_up")
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "p.field-error"), "no field error after a bad username")
    errors = [p.text for p in b.find_all("p.field-error, p.error")]
    assert any(e.startswith("Username") for e in errors), errors
    # What was typed stays, as text.
    assert b.find("#username").get_attribute("value") == "<script>"
    assert b.alerts() == []
    full_screenshot(b, "account-sign-up-errors")


def test_settings_profile_shows_the_avatar(browsers, server: TernServer) -> None:  # noqa: F811
    account = server.create_account("pictured")
    b = browsers()
    # Signed out, the page sends the browser to sign in, and back.
    b.get(server.url("/settings/profile"))
    wait_for_heading(b, "Sign in to Tern")
    fill(b, "#username", account.username)
    fill(b, "#password", account.password)
    submit(b, "/auth/sign_in")
    wait_for_heading(b, "Edit profile")
    assert b.path() == "/settings/profile"
    avatar = b.find("img.avatar")
    b.wait(lambda d: b.js("return arguments[0].complete", avatar), "the avatar never finished loading")
    assert b.js("return arguments[0].naturalWidth", avatar) > 0, "the avatar did not load"
    assert b.csp_violations() == []
