"""The browser app at /web, driven through a headless Chromium (see webdriver_support.py).

Two people use it at once in two browser windows: alice and bob (whose display name is hostile HTML). They sign in
through the server's own OAuth pages, post, favourite, reply and follow through the app, and see each other's
actions arrive without reloading. The checks also cover what the app promises about safety: user content stays text,
the page runs under a strict Content-Security-Policy without violating it, and no URL it requests carries a token.

Screenshots of the main screens are saved for people to look at (see webdriver_support.screenshot_dir).

With TERN_WEB_APP_DIR set in the environment the server reads the app from that folder (for working on it without
rebuilding); otherwise it serves the copy built into the binary.
"""

from __future__ import annotations

import os
import re
import secrets
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest
import requests
from people import Person, person
from tern_server import REPO_ROOT, TernServer
from webdriver_support import PHONE_SIZE, Browser, browsers, sign_in  # noqa: F401 (fixture)

TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}
if os.environ.get("TERN_WEB_APP_DIR"):
    TERN_SERVER_ENV["TERN_WEB_APP_DIR"] = os.environ["TERN_WEB_APP_DIR"]

ASSETS = REPO_ROOT / "Sources" / "WebUI" / "WebApp" / "assets"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"

try:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:  # the browser tests skip through the `browsers` fixture
    pass


# --- people and their browsers ---------------------------------------------------------------------


class Cast:
    def __init__(self, alice: Person, bob: Person) -> None:
        self.alice = alice
        self.bob = bob


@pytest.fixture(scope="module")
def cast(server: TernServer) -> Cast:
    alice = person(server, "alice")
    bob = person(server, "bob")
    bob.api.account_update_credentials(display_name=HOSTILE_NAME)
    return Cast(alice, bob)


@pytest.fixture(scope="module")
def alice_browser(browsers, server: TernServer, cast: Cast) -> Browser:  # noqa: F811
    browser = browsers()
    sign_in(browser, server.base_url, cast.alice.account.email, cast.alice.account.password)
    return browser


@pytest.fixture(scope="module")
def bob_browser(browsers, server: TernServer, cast: Cast) -> Browser:  # noqa: F811
    browser = browsers()
    sign_in(browser, server.base_url, cast.bob.account.username, cast.bob.account.password)
    return browser


# --- helpers ----------------------------------------------------------------------------------------

HOME = "section.column-home"
NOTIFICATIONS = "section.column-notifications"
MAIN = "section#main"

_FIND_ARTICLE = """
const [scope, selector, text] = arguments;
for (const root of document.querySelectorAll(scope)) {
  if (root.hidden) continue;
  for (const el of root.querySelectorAll(selector)) {
    if (el.textContent.includes(text)) return el;
  }
}
return null;
"""


def article(browser: Browser, scope: str, text: str, selector: str = "article", timeout: float = 20) -> object:
    """The first `selector` inside `scope` whose text contains `text` (waits for it)."""
    return browser.wait(
        lambda d: d.execute_script(_FIND_ARTICLE, scope, selector, text),
        f"no {selector} containing {text!r} in {scope}",
        timeout=timeout,
    )


def compose_box(browser: Browser):
    return browser.find("#compose-text")


def post_via_compose(browser: Browser, text: str, warning: Optional[str] = None) -> None:
    box = compose_box(browser)
    if warning:
        browser.find("form.compose .cw-button").click()
        browser.find("#compose-spoiler").send_keys(warning)
    box.send_keys(text)
    button = browser.find("form.compose .compose-submit")
    browser.wait(lambda d: button.is_enabled(), "the Post button stayed disabled")
    button.click()
    browser.wait(
        lambda d: compose_box(browser).get_attribute("value") == "", "the compose box was not cleared after posting"
    )


def go(browser: Browser, link_text_path: str) -> None:
    """Follows an in-app navigation link (side bar or bottom bar) by its path."""
    link = browser.find(f'a[data-nav="{link_text_path}"]')
    link.click()
    browser.wait(lambda d: browser.path() == link_text_path, f"navigation to {link_text_path} did not happen")


def mark_page(browser: Browser) -> str:
    """Puts a marker on the window; it survives only as long as the page is not reloaded."""
    marker = secrets.token_hex(4)
    browser.js("window.__ternTestMarker = arguments[0]", marker)
    return marker


def assert_not_reloaded(browser: Browser, marker: str) -> None:
    assert browser.js("return window.__ternTestMarker") == marker, "the page was reloaded"


def tag(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3)}"


# --- the page itself --------------------------------------------------------------------------------


class _PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag_name: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        for name in a:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag_name} {name}=…>")
        if tag_name == "style":
            self.problems.append("<style> element")
        if tag_name == "script":
            if not a.get("src"):
                self.problems.append("inline <script>")
            else:
                self.scripts.append(a["src"] or "")
            self._in_script = True

    def handle_endtag(self, tag_name: str) -> None:
        if tag_name == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append("script with inline code")


def test_page_has_a_strict_csp_and_no_inline_code(server: TernServer) -> None:
    page = requests.get(server.url("/web/notifications"), timeout=30)
    assert page.status_code == 200
    csp = page.headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives.get("script-src") == ["'self'"], csp
    assert directives.get("style-src") == ["'self'"], csp
    assert directives.get("default-src") == ["'none'"], csp
    assert "unsafe" not in csp, csp

    audit = _PageAudit()
    audit.feed(page.text)
    assert audit.problems == [], audit.problems
    assert audit.scripts == ["/web/assets/app.js"], audit.scripts

    # Every module the app is made of is served as JavaScript, and none writes HTML from strings.
    modules = sorted(ASSETS.glob("*.js"))
    assert len(modules) >= 7, modules
    forbidden = re.compile(
        r"\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\("
    )
    for module in modules:
        served = requests.get(server.url(f"/web/assets/{module.name}"), timeout=30)
        assert served.status_code == 200, module.name
        assert "javascript" in served.headers.get("Content-Type", ""), (module.name, served.headers)
        assert not forbidden.search(module.read_text()), f"{module.name} builds HTML from strings"
    css = requests.get(server.url("/web/assets/app.css"), timeout=30)
    assert css.status_code == 200 and "text/css" in css.headers.get("Content-Type", "")
    assert requests.get(server.url("/web/assets/missing.js"), timeout=30).status_code == 404


# --- signing in and posting ---------------------------------------------------------------------------


def test_sign_in_through_oauth_shows_the_four_columns(alice_browser: Browser, cast: Cast) -> None:
    b = alice_browser
    assert b.path() == "/web/home"
    assert "code=" not in b.driver.current_url and "state=" not in b.driver.current_url
    for selector, title in ((HOME, "Home"), (NOTIFICATIONS, "Notifications"), (MAIN, "Local")):
        heading = b.find(f"{selector} .column-title")
        assert heading.text == title, (selector, heading.text)
    assert b.find(".nav-column .me-link .acct").text == f"@{cast.alice.username}"
    assert compose_box(b).is_displayed()
    b.screenshot("home-empty")


def test_a_post_with_a_content_warning_appears_in_home_and_local(alice_browser: Browser, cast: Cast) -> None:
    b = alice_browser
    text = tag("behind-the-warning")
    warning = tag("spoilers")
    post_via_compose(b, text, warning=warning)

    for scope in (HOME, MAIN):
        found = article(b, scope, warning, selector="article.status")
        toggle = found.find_element(By.CSS_SELECTOR, ".spoiler-toggle")
        content = found.find_element(By.CSS_SELECTOR, ".status-content")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not content.is_displayed(), "the text behind a content warning is shown before asking"
        toggle.click()
        b.wait(
            lambda d, content=content: content.is_displayed() and text in content.text,
            f"'Show more' did not reveal the text in {scope}",
        )
        assert toggle.get_attribute("aria-expanded") == "true"

    mine = cast.alice.api.account_statuses(cast.alice.id, limit=5)
    posted = [s for s in mine if text in s.content]
    assert posted and posted[0].spoiler_text == warning and posted[0].visibility == "public"
    b.screenshot("home")


def test_counter_and_visibility(alice_browser: Browser, cast: Cast) -> None:
    a = alice_browser
    box = compose_box(a)
    counter = a.find("form.compose .compose-counter")
    submit = a.find("form.compose .compose-submit")
    box.send_keys("Hello https://example.org/a/very/long/path/that/counts/as/twenty-three/characters")
    # A link counts as 23 characters whatever its length, as on Mastodon.
    a.wait(lambda d: counter.text.startswith(str(500 - len("Hello ") - 23)), f"counter shows {counter.text!r}")
    assert counter.get_attribute("id") in box.get_attribute("aria-describedby")
    box.send_keys(" " + "x" * 480)
    a.wait(
        lambda d: "over" in counter.get_attribute("class") and not submit.is_enabled(), "an overlong post can be sent"
    )
    box.clear()
    box.send_keys(" ")  # the input event updates the counter
    a.wait(lambda d: not submit.is_enabled(), "an empty post can be sent")
    box.clear()

    a.find("form.compose select.compose-visibility option[value=private]").click()
    text = tag("followers-only")
    post_via_compose(a, text)
    found = article(a, HOME, text, selector="article.status")
    assert found.find_element(By.CSS_SELECTOR, ".visibility").get_attribute("title") == "Followers only"
    # Mastodon lets people boost their own followers-only posts (to their followers), and nobody else's.
    assert found.find_element(By.CSS_SELECTOR, "[data-action=boost]").is_enabled()
    posted = next(s for s in cast.alice.api.account_statuses(cast.alice.id, limit=5) if text in s.content)
    assert posted.visibility == "private"
    assert a.find("form.compose select.compose-visibility").get_attribute("value") == "public", "visibility stuck"
    assert a.js(_FIND_ARTICLE, MAIN, "article.status", text) is None, "a followers-only post is on the local timeline"


def test_favourite_and_reply_reach_the_author_without_a_reload(
    alice_browser: Browser, bob_browser: Browser, cast: Cast
) -> None:
    a, b = alice_browser, bob_browser
    marker = mark_page(a)
    question = tag("question")
    post_via_compose(a, f"Does anyone read this? {question}")

    # bob finds it on the local timeline, favourites it and answers.
    go(b, "/web/public/local")
    found = article(b, MAIN, question, selector="article.status")
    favourite = found.find_element(By.CSS_SELECTOR, "[data-action=favourite]")
    favourite.click()
    b.wait(
        lambda d: (
            d.execute_script(_FIND_ARTICLE, MAIN, "article.status", question)
            .find_element(By.CSS_SELECTOR, "[data-action=favourite]")
            .get_attribute("aria-pressed")
            == "true"
        ),
        "the favourite button did not turn on",
    )
    found = article(b, MAIN, question, selector="article.status")
    found.find_element(By.CSS_SELECTOR, "[data-action=reply]").click()
    box = compose_box(b)
    b.wait(lambda d: box.get_attribute("value").startswith(f"@{cast.alice.username} "), "the reply was not addressed")
    assert b.find("form.compose .compose-banner").text.startswith("Replying to")
    answer = tag("answer")
    box.send_keys(f"Yes, I do. {answer}")
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    b.wait(lambda d: box.get_attribute("value") == "", "Ctrl+Enter did not send the reply")

    # alice sees both in her notifications column, and bob's reply on her local timeline, live.
    fav = article(a, NOTIFICATIONS, "favourited your post", selector="article.notification")
    assert HOSTILE_NAME in fav.find_element(By.CSS_SELECTOR, ".notification-who").text
    assert question in fav.text
    mention = article(a, NOTIFICATIONS, answer, selector="article.status")
    assert mention.find_element(By.CSS_SELECTOR, ".display-name").text == HOSTILE_NAME
    article(a, MAIN, answer, selector="article.status")
    assert_not_reloaded(a, marker)

    statuses = cast.alice.api.account_statuses(cast.alice.id, limit=5)
    asked = next(s for s in statuses if question in s.content)
    assert asked.favourites_count == 1
    context = cast.alice.api.status_context(asked.id)
    assert any(answer in s.content and str(s.account.id) == cast.bob.id for s in context.descendants)
    a.screenshot("notifications")


def test_profile_follow_and_thread(alice_browser: Browser, cast: Cast) -> None:
    a = alice_browser
    who = article(a, NOTIFICATIONS, "favourited your post", selector="article.notification")
    who.find_element(By.CSS_SELECTOR, ".notification-who").click()
    a.wait(lambda d: a.path() == f"/web/@{cast.bob.username}", "the profile did not open")
    a.find(f"{MAIN} .profile-name")
    assert a.find(f"{MAIN} .profile-name").text.startswith(HOSTILE_NAME)
    assert a.find(f"{MAIN} .profile-names .acct").text == f"@{cast.bob.handle}"
    # bob's only post is a reply: the first tab leaves replies out, the second has them.
    a.wait(lambda d: "No posts here yet." in a.find(f"{MAIN} .profile-feed").text, "the Posts tab shows replies")
    tab = a.find(f"{MAIN} [role=tab][data-key=replies]")
    tab.click()
    assert tab.get_attribute("aria-selected") == "true"
    article(a, MAIN, "Yes, I do.", selector="article.status")

    follow = a.find(f"{MAIN} .follow-button")
    a.wait(lambda d: follow.is_enabled() and follow.text == "Follow", "the follow button did not become ready")
    counts = a.find(f"{MAIN} .profile-counts")
    assert "0 followers" in counts.text, counts.text
    follow.click()
    a.wait(lambda d: follow.text == "Unfollow", "following did not happen")
    assert "1 follower" in counts.text, counts.text
    relationship = cast.alice.api.account_relationships(cast.bob.id)[0]
    assert relationship.following
    a.screenshot("profile")

    # The reply's time links to its thread: the answered post above it, the reply highlighted.
    reply = article(a, MAIN, "Yes, I do.", selector="article.status")
    reply.find_element(By.CSS_SELECTOR, "a.status-time").click()
    a.wait(lambda d: re.fullmatch(rf"/web/@{cast.bob.username}/\d+", a.path()), "the thread did not open")
    detailed = a.find(f"{MAIN} article.status-detailed")
    assert "Yes, I do." in detailed.text
    articles = a.find_all(f"{MAIN} article.status")
    assert len(articles) >= 2 and "Does anyone read this?" in articles[0].text
    a.wait(lambda d: d.switch_to.active_element == detailed, "focus did not move to the opened post")
    a.screenshot("thread")

    # Back returns to the profile.
    a.find(f"{MAIN} .column-back").click()
    a.wait(lambda d: a.path() == f"/web/@{cast.bob.username}", "Back did not return to the profile")

    follow = a.find(f"{MAIN} .follow-button")
    a.wait(lambda d: follow.text == "Unfollow", "the profile forgot the follow")
    follow.click()
    a.wait(lambda d: follow.text == "Follow", "unfollowing did not happen")
    assert not cast.alice.api.account_relationships(cast.bob.id)[0].following


def _menu_action(browser: Browser, found, label: str) -> None:
    """Opens a post's "More actions" menu and picks `label`."""
    found.find_element(By.CSS_SELECTOR, "button[aria-haspopup=menu]").click()
    item = browser.wait(
        lambda d: next(
            (i for i in d.find_elements(By.CSS_SELECTOR, "[role=menu] [role=menuitem]") if i.text == label), None
        ),
        f"no menu item {label!r}",
    )
    item.click()


def _action_pressed(browser: Browser, scope: str, text: str, action: str) -> bool:
    found = browser.js(_FIND_ARTICLE, scope, "article.status", text)
    return (
        bool(found)
        and found.find_element(By.CSS_SELECTOR, f"[data-action={action}]").get_attribute("aria-pressed") == "true"
    )


def test_boost_bookmark_edit_and_delete(alice_browser: Browser, cast: Cast) -> None:
    a = alice_browser
    go(a, "/web/home")
    text = tag("first-draft")
    post_via_compose(a, text)
    found = article(a, HOME, text, selector="article.status")

    found.find_element(By.CSS_SELECTOR, "[data-action=bookmark]").click()
    a.wait(lambda d: _action_pressed(a, HOME, text, "bookmark"), "bookmarking did not show")
    article(a, HOME, text, selector="article.status").find_element(By.CSS_SELECTOR, "[data-action=boost]").click()
    a.wait(lambda d: _action_pressed(a, HOME, text, "boost"), "boosting did not show")
    status = next(
        s for s in cast.alice.api.account_statuses(cast.alice.id, limit=10) if not s.reblog and text in s.content
    )
    assert status.bookmarked and status.reblogged

    go(a, "/web/bookmarks")
    assert a.find(f"{MAIN} .column-title").text == "Bookmarks"
    article(a, MAIN, text, selector="article.status")

    # Edit through the menu: the compose box takes the text, Save replaces it everywhere.
    _menu_action(a, article(a, HOME, text, selector="article.status"), "Edit")
    box = compose_box(a)
    a.wait(lambda d: box.get_attribute("value") == text, "editing did not load the post's text")
    assert a.find("form.compose .compose-submit").text == "Save"
    edited = tag("second-draft")
    box.clear()
    box.send_keys(edited)
    a.find("form.compose .compose-submit").click()
    article(a, HOME, edited, selector="article.status")
    article(a, MAIN, edited, selector="article.status")
    assert a.js(_FIND_ARTICLE, HOME, "article.status", text) is None
    assert edited in cast.alice.api.status(status.id).content
    # The local timeline was off screen during the edit, and still shows the new text.
    go(a, "/web/public/local")
    article(a, MAIN, edited, selector="article.status")
    assert a.js(_FIND_ARTICLE, MAIN, "article.status", text) is None

    # Delete asks first, in a dialog; cancelling keeps the post.
    _menu_action(a, article(a, HOME, edited, selector="article.status"), "Delete")
    dialog = a.find("dialog[open]")
    dialog.find_element(By.CSS_SELECTOR, "button[value=cancel]").click()
    a.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"), "the dialog did not close")
    article(a, HOME, edited, selector="article.status")
    _menu_action(a, article(a, HOME, edited, selector="article.status"), "Delete")
    a.find("dialog[open] button[value=confirm]").click()
    a.wait(lambda d: d.execute_script(_FIND_ARTICLE, HOME, "article.status", edited) is None, "the post stayed in Home")
    a.wait(
        lambda d: d.execute_script(_FIND_ARTICLE, MAIN, "article.status", edited) is None, "the post stayed in Local"
    )
    go(a, "/web/bookmarks")
    a.wait(lambda d: "no bookmarks" in a.find(f"{MAIN} .feed-status").text, "Bookmarks still lists the deleted post")
    assert all(edited not in s.content for s in cast.alice.api.account_statuses(cast.alice.id, limit=10))
    assert a.alerts() == []


def _png(width: int, height: int) -> bytes:
    """A small valid PNG (a two-colour gradient), written without an imaging library."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((40 + x * 3 % 200, 110, 60 + y * 4 % 190)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_picture_with_alt_text(alice_browser: Browser, cast: Cast, tmp_path: Path) -> None:
    a = alice_browser
    go(a, "/web/home")
    picture = tmp_path / "gradient.png"
    picture.write_bytes(_png(64, 48))
    a.find_all("form.compose input[type=file]")[0].send_keys(str(picture))
    alt = a.find("form.compose .alt-text")
    a.wait(
        lambda d: not d.find_elements(By.CSS_SELECTOR, ".compose-attachment[aria-busy=true]"),
        "the upload did not finish",
    )
    description = f"A gradient from green to purple {tag('alt')}"
    alt.send_keys(description)
    text = tag("with-a-picture")
    compose_box(a).send_keys(text)
    a.find("form.compose .compose-submit").click()
    found = article(a, HOME, text, selector="article.status")
    image = found.find_element(By.CSS_SELECTOR, ".media-item img")
    assert image.get_attribute("alt") == description
    a.wait(
        lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
        "the picture did not load",
    )
    posted = next(s for s in cast.alice.api.account_statuses(cast.alice.id, limit=5) if text in s.content)
    assert [m.description for m in posted.media_attachments] == [description]
    a.screenshot("home-with-picture")

    # Editing keeps the picture and can improve its description.
    _menu_action(a, article(a, HOME, text, selector="article.status"), "Edit")
    alt = a.find("form.compose .alt-text")
    a.wait(lambda d: alt.get_attribute("value") == description, "editing did not load the alt text")
    better = f"A soft diagonal gradient {tag('alt')}"
    alt.clear()
    alt.send_keys(better)
    a.find("form.compose .compose-submit").click()
    a.wait(
        lambda d: (
            d.execute_script(_FIND_ARTICLE, HOME, "article.status", text)
            .find_element(By.CSS_SELECTOR, ".media-item img")
            .get_attribute("alt")
            == better
        ),
        "the new alt text did not show",
    )
    assert [m.description for m in cast.alice.api.status(posted.id).media_attachments] == [better]


def test_hostile_names_and_text_are_shown_as_text(alice_browser: Browser, cast: Cast) -> None:
    a = alice_browser
    go(a, "/web/public/local")
    marker = tag("hostile")
    text = f"<script>alert(2)</script> <img src=x onerror=alert(3)> <b>not bold</b> {marker}"
    cast.bob.api.status_post(text)

    found = article(a, MAIN, marker, selector="article.status")
    assert found.find_element(By.CSS_SELECTOR, ".display-name").text == HOSTILE_NAME
    content = found.find_element(By.CSS_SELECTOR, ".status-content")
    assert "<script>alert(2)</script>" in content.text and "<img src=x onerror=alert(3)>" in content.text
    assert content.find_elements(By.CSS_SELECTOR, "script, img, b") == []
    stray = a.js(
        "return [...document.querySelectorAll('#app img')].filter(i => !i.matches('.avatar, .emoji, .media-item img,"
        " .link-card img, .compose-thumb img, .profile-banner img, .brand img')).map(i => i.outerHTML)"
    )
    assert stray == [], stray
    assert a.js("return document.querySelectorAll('#app script').length") == 0
    assert a.alerts() == []

    # The sanitiser itself, on HTML a hostile server could send (the local server never would).
    cleaned = a.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        import('/web/assets/render.js').then(({ sanitizeHTML }) => {
          const holder = document.createElement('div');
          holder.append(sanitizeHTML(arguments[0]));
          const links = [...holder.querySelectorAll('a')].map(l => [l.getAttribute('href'), l.rel, l.target]);
          done({ html: holder.innerHTML, text: holder.textContent, links });
        }, (e) => done({ error: String(e) }));
        """,
        '<p onclick="alert(4)" style="color:red">hi <img src=x onerror=alert(5)><script>alert(6)</script>'
        '<iframe src="/"></iframe><a href="javascript:alert(7)">js</a> '
        '<a href="https://example.org/" class="evil">ok</a>'
        '<svg><a href="/x">svg</a></svg><span class="mention">m</span></p>',
    )
    assert "error" not in cleaned, cleaned
    html = cleaned["html"]
    for bad in ("onclick", "style", "<img", "<script", "<iframe", "javascript:", "evil", "<svg"):
        assert bad not in html, (bad, html)
    assert cleaned["links"] == [[None, "", ""], ["https://example.org/", "nofollow noopener noreferrer", "_blank"]]
    assert '<span class="mention">m</span>' in html
    assert a.alerts() == []


def test_keyboard_reaches_the_compose_box_and_sends_with_ctrl_enter(alice_browser: Browser) -> None:
    a = alice_browser
    a.get(a.driver.current_url.split("/web/")[0] + "/web/home")
    a.find(".shell .me-link")
    a.js("document.activeElement && document.activeElement.blur()")
    reached = []
    for _ in range(8):
        ActionChains(a.driver).send_keys(Keys.TAB).perform()
        active = a.driver.switch_to.active_element
        reached.append(active.get_attribute("id") or active.tag_name)
        if active.get_attribute("id") == "compose-text":
            break
    assert reached[-1] == "compose-text", f"Tab went through {reached} without reaching the compose box"
    # The first Tab stop is the skip link, which must show itself when focused.
    assert reached[0] == "a"

    text = tag("typed-with-keys")
    ActionChains(a.driver).send_keys(f"Sent from the keyboard {text}").perform()
    ActionChains(a.driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    article(a, HOME, text, selector="article.status")

    # j moves into the timeline; Enter on a post opens its thread.
    a.js("document.activeElement.blur()")
    ActionChains(a.driver).send_keys("j").perform()
    a.wait(
        lambda d: d.switch_to.active_element.get_attribute("class").startswith("status"),
        "'j' did not focus a post",
    )
    focused = a.driver.switch_to.active_element
    assert focused.get_attribute("aria-label"), "a focused post has no accessible name"
    ActionChains(a.driver).send_keys(Keys.ENTER).perform()
    a.wait(lambda d: re.fullmatch(r"/web/@[^/]+/\d+", a.path()), "Enter on a focused post did not open it")


def test_infinite_scroll_follows_the_link_header(alice_browser: Browser, server: TernServer) -> None:
    a = alice_browser
    writer = person(server, "writer")
    for i in range(27):
        writer.api.status_post(f"Numbered post {i:02d}")
    a.get(f"{server.base_url}/web/@{writer.username}")
    a.find(f"{MAIN} .profile-name")

    def count() -> int:
        return len(a.find_all(f"{MAIN} .profile-feed article.status"))

    a.wait(lambda d: count() >= 20, "the first page did not load")
    first = count()
    assert first < 27, f"all {first} posts came at once: nothing left to test paging with"
    for _ in range(5):
        if count() == 27:
            break
        a.js(f"document.querySelector('{MAIN} .feed-sentinel').scrollIntoView()")
        a.wait(lambda d: count() > first or count() == 27, "scrolling to the end loaded no more posts")
    a.wait(lambda d: count() == 27, f"expected all 27 posts after scrolling, have {count()}")
    texts = [
        t
        for t in a.js(
            f"return [...document.querySelectorAll('{MAIN} .profile-feed .status-content')].map(e => e.textContent)"
        )
    ]
    assert texts == [f"Numbered post {i:02d}" for i in reversed(range(27))], texts


def test_search_hashtags_and_lists(alice_browser: Browser, cast: Cast) -> None:
    a = alice_browser
    topic = f"topic{secrets.token_hex(3)}"
    cast.bob.api.status_post(f"Talking about #{topic} today")

    # Search finds bob by name, and the hashtag; both open in the app.
    go(a, "/web/search")
    field = a.find(f"{MAIN} input[type=search]")
    assert a.driver.switch_to.active_element == field, "the search field did not take the focus"
    field.send_keys(cast.bob.username, Keys.ENTER)
    a.wait(lambda d: "q=" in d.current_url, "searching did not update the address")
    row = article(a, MAIN, f"@{cast.bob.username}", selector=".search-section .account-row")
    row.find_element(By.CSS_SELECTOR, "a").click()
    a.wait(lambda d: a.path() == f"/web/@{cast.bob.username}", "the search result did not open the profile")
    go(a, "/web/public/local")
    found = article(a, MAIN, topic, selector="article.status")
    found.find_element(By.CSS_SELECTOR, ".status-content a.hashtag").click()
    a.wait(lambda d: a.path() == f"/web/tags/{topic}", "the hashtag link did not open the tag timeline")
    assert a.find(f"{MAIN} .column-title").text == f"#{topic}"
    article(a, MAIN, topic, selector="article.status")

    # A list with bob in it shows his posts.
    cast.alice.api.account_follow(cast.bob.id)
    go(a, "/web/lists")
    title = tag("friends")
    a.find(f"{MAIN} input[name=title]").send_keys(title, Keys.ENTER)
    a.find(f"{MAIN} .link-list a").click()
    a.wait(lambda d: re.fullmatch(r"/web/lists/\d+", a.path()), "the new list did not open")
    a.wait(lambda d: a.find(f"{MAIN} .column-title").text == title, "the list title is not shown")
    a.find(f"{MAIN} .column-actions [aria-label='Edit list members']").click()
    a.find(f"{MAIN} .list-members input[type=search]").send_keys(cast.bob.username[:6])
    a.find(f"{MAIN} .member-results button").click()
    article(a, MAIN, f"@{cast.bob.username}", selector=".member-current .account-row")
    lists = cast.alice.api.lists()
    made = next(item for item in lists if item.title == title)
    assert [str(acc.id) for acc in cast.alice.api.list_accounts(made.id)] == [cast.bob.id]
    cast.bob.api.status_post(f"For my list readers {title}")
    a.get(a.driver.current_url)
    article(a, MAIN, f"For my list readers {title}", selector="article.status")
    cast.alice.api.account_unfollow(cast.bob.id)


def test_phone_layout_and_dark_theme(browsers, server: TernServer, cast: Cast) -> None:  # noqa: F811
    phone = browsers(*PHONE_SIZE)
    sign_in(phone, server.base_url, cast.alice.account.email, cast.alice.account.password)
    assert phone.find(".bottom-nav").is_displayed()
    assert not phone.find_all(".nav-column")[0].is_displayed(), "the sidebar shows on a phone"
    assert not phone.find_all(HOME)[0].is_displayed(), "several columns show on a phone"
    assert phone.find(f"{MAIN} .column-title").text == "Home"
    width = phone.js("return document.documentElement.scrollWidth")
    assert width <= PHONE_SIZE[0], f"the page is {width}px wide on a {PHONE_SIZE[0]}px screen"
    article(phone, MAIN, "behind-the-warning", selector="article.status")
    phone.screenshot("phone-home")

    # While the notifications are off screen, a new one shows as a count on the bottom bar.
    badge = phone.find_all(".bottom-nav .badge-count")[0]
    assert not badge.is_displayed()
    liked = cast.alice.api.account_statuses(cast.alice.id, limit=1)[0]
    cast.bob.api.status_favourite(liked.id)
    phone.wait(lambda d: badge.is_displayed() and badge.text == "1", "no unread count appeared on Notifications")
    link = phone.find('.bottom-nav a[data-nav="/web/notifications"]')
    assert link.get_attribute("aria-label") == "Notifications, 1 new"

    go(phone, "/web/notifications")
    phone.wait(lambda d: not badge.is_displayed(), "the unread count stayed after opening the notifications")
    assert phone.find(f"{MAIN} .column-title").text == "Notifications"
    article(phone, MAIN, "favourited your post", selector="article.notification")
    phone.screenshot("phone-notifications")

    # Compose is a page of its own on a phone.
    phone.find(".top-bar .compose-fab").click()
    phone.wait(lambda d: phone.path() == "/web/publish", "the compose button did not open the compose page")
    phone.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "compose-text", "compose box not focused")
    phone.screenshot("phone-compose")

    phone.color_scheme("dark")
    go(phone, "/web/home")
    background = phone.js("return getComputedStyle(document.body).backgroundColor")
    assert _luminance(background) < 0.1, f"dark theme background is {background}"
    phone.screenshot("phone-dark")

    a = browsers()
    sign_in(a, server.base_url, cast.alice.account.email, cast.alice.account.password)
    a.color_scheme("dark")
    a.wait(lambda d: _luminance(a.js("return getComputedStyle(document.body).backgroundColor")) < 0.1, "not dark")
    article(a, HOME, "behind-the-warning", selector="article.status")
    a.screenshot("dark-home")
    a.color_scheme("light")
    a.wait(lambda d: _luminance(a.js("return getComputedStyle(document.body).backgroundColor")) > 0.7, "not light")


def _luminance(css_color: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css_color)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_no_token_in_any_url_and_no_csp_violation(alice_browser: Browser, bob_browser: Browser) -> None:
    for browser in (alice_browser, bob_browser):
        token = browser.js("return localStorage.getItem('tern.token')")
        assert token
        urls = browser.requested_urls()
        assert any(u.startswith("ws://") and u.endswith("/api/v1/streaming") for u in urls), "no WebSocket was opened"
        entries = browser.js("return performance.getEntries().map(e => e.name)")
        for url in urls + entries:
            assert "access_token" not in url and token not in url, f"a token in a URL: {url}"
        assert any("/api/v1/" in u for u in entries), "the page made no API requests"
        assert browser.csp_violations() == []
        assert browser.alerts() == []


def test_sign_out_revokes_the_token_and_ends_the_session(bob_browser: Browser, server: TernServer) -> None:
    b = bob_browser
    token = b.js("return localStorage.getItem('tern.token')")
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.get(server.url("/api/v1/accounts/verify_credentials"), headers=headers, timeout=30).ok
    go(b, "/web/settings")
    b.find(f"{MAIN} .settings .button.danger").click()
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".signed-out"), "no signed-out screen")
    assert b.js("return localStorage.getItem('tern.token')") is None
    assert (
        requests.get(server.url("/api/v1/accounts/verify_credentials"), headers=headers, timeout=30).status_code == 401
    )
    b.find(".signed-out button").click()
    b.wait(
        lambda d: d.find_elements(By.CSS_SELECTOR, "input[name=password]"),
        "signing in again did not ask for the password",
    )
