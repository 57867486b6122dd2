"""Having an account on a server that sends mail: signing up and confirming the address (through the Mastodon API and
the HTML forms), resetting a forgotten password, changing the address and the password, the settings pages, and
what the forms refuse. Each runs on SQLite and on PostgreSQL.

The module's servers deliver to a real SMTP server on loopback (`smtp_sink`, see smtp_sink.py). Mails are sent by
the server's background jobs, so every check of a mail waits for it (bounded polling, never a fixed sleep); a check
that a mail was *not* sent looks after a later mail of the same test has arrived.

The HTML forms are driven with a requests.Session, as a browser without JavaScript would: each form's hidden
`authenticity_token` is the `_tern_csrf` cookie its page set.

One test, marked `slow`, lets the SMTP server be down when a mail is first due and checks that the job's retry
(about 30 seconds later) delivers it. A few use a server of their own: one without mail, and bad mail settings.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator, Optional
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from browser import describe, parse_forms
from forms import FormSession, signed_in_session
from mastodon import Mastodon, MastodonAPIError, MastodonUnauthorizedError
from smtp_sink import DEFAULT_FROM, MAIL_TIMEOUT, ReceivedMail, SmtpSink, first_link
from tern_server import DATABASES, DEFAULT_PASSWORD, SCOPES, TernServer, run_tern, running_servers, unique_name

# Every test signs in and signs up several times; the per-address limit on those is not what they test.
TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}
# The module's servers send their mail to `smtp_sink` (conftest.py).
TERN_SERVER_MAIL = True

UNCONFIRMED = "missing a confirmed e-mail address"
NEW_PASSWORD = "a-brand-new-passphrase-77"
# How long a mail job that failed waits before its next try: 30 s, give or take 20 %, plus the runner's polling.
RETRY_TIMEOUT = 60.0


# --- reading pages ------------------------------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text of <body>, without <style> and <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in_body = False
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag == "body":
            self._in_body = True
        elif tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._in_body and not self._skip:
            self.parts.append(data)


def page_text(response: requests.Response) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(response.text)
    parser.close()
    return " ".join("".join(parser.parts).split())


class _ErrorTexts(HTMLParser):
    """The texts of the elements whose class is `error` (the page's message) or `field-error` (one field's)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if self._depth:
            self._depth += 1
        elif {"error", "field-error"} & set((dict(attrs).get("class") or "").split()):
            self._depth = 1
            self.errors.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.errors[-1] += data


def errors_on(response: requests.Response) -> str:
    """The error messages a form page shows, joined with " | "."""
    parser = _ErrorTexts()
    parser.feed(response.text)
    parser.close()
    return " | ".join(" ".join(error.split()) for error in parser.errors)


def location_path(response: requests.Response) -> str:
    """The path (and query) a redirect points to."""
    assert response.is_redirect, f"expected a redirect: {describe(response)}"
    target = urlparse(urljoin(response.url, response.headers["Location"]))
    return target.path + (f"?{target.query}" if target.query else "")


def token_of(link: str, name: str) -> str:
    values = parse_qs(urlparse(link).query).get(name, [])
    assert len(values) == 1 and values[0], f"no {name} in {link}"
    return values[0]


# --- a browser without JavaScript ---------------------------------------------------------------------


# --- accounts -----------------------------------------------------------------------------------------


@dataclass
class NewAccount:
    username: str
    email: str
    token: str  # from the registration, good for nothing but confirming until the address is confirmed

    def api(self, server: TernServer) -> Mastodon:
        return server.mastodon(access_token=self.token)


def sign_up_through_api(server: TernServer, prefix: str) -> NewAccount:
    """Registers through POST /api/v1/accounts with an app token, as Mastodon apps do."""
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)
    username = unique_name(prefix)
    email = f"{username}@example.org"
    token = api.create_account(username, DEFAULT_PASSWORD, email, agreement=True, locale="en", scopes=SCOPES)
    assert token
    return NewAccount(username, email, token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def instance_title(server: TernServer) -> str:
    return requests.get(server.url("/api/v1/instance"), timeout=30).json()["title"]


def assert_mail(mail: ReceivedMail, to: str, subject: str) -> None:
    """Checks a mail's envelope and headers: from the configured sender, to `to` only, plain text."""
    assert mail.mail_from == DEFAULT_FROM, mail
    assert mail.sender == DEFAULT_FROM, mail.message["From"]
    assert mail.rcpt_tos == (to,), mail
    assert mail.recipients == [to], mail.message["To"]
    assert mail.subject == subject, mail
    assert mail.message.get_content_type() == "text/plain", mail.message.get_content_type()
    assert mail.message["Message-ID"] and mail.message["Date"], mail.message


def only_link(mail: ReceivedMail, path: str) -> str:
    """The one link of a mail, which must be to `path` on the server."""
    assert len(mail.links()) == 1, f"expected one link in the {mail}:\n{mail.text}"
    return first_link(mail, path)


def wait_until(check: Callable[[], bool], what: str, timeout: float = MAIL_TIMEOUT) -> None:
    """Polls `check` until it is true; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout:.0f} s", pytrace=False)
        time.sleep(0.2)


# --- signing up through the API -----------------------------------------------------------------------


def test_api_sign_up_needs_the_link_from_the_confirmation_mail(server: TernServer, smtp_sink: SmtpSink) -> None:
    new = sign_up_through_api(server, "mailed")
    api = new.api(server)
    with pytest.raises(MastodonAPIError) as refused:
        api.account_verify_credentials()
    assert refused.value.args[1] == 403 and UNCONFIRMED in str(refused.value), refused.value
    with pytest.raises(MastodonAPIError) as refused:
        api.status_post("Too early to post")
    assert refused.value.args[1] == 403, refused.value

    mail = smtp_sink.wait_for_mail(to=new.email)
    title = instance_title(server)
    assert_mail(mail, new.email, f"Confirm your email address for {title}")
    link = only_link(mail, "/auth/confirmation")
    assert link.startswith(server.base_url + "/auth/confirmation?confirmation_token="), link
    assert f"@{new.username}" in mail.text, mail.text

    # The sign-in page says why it refuses, too.
    refused_page = FormSession(server).sign_in(new.username, DEFAULT_PASSWORD)
    assert refused_page.status_code == 401 and UNCONFIRMED in page_text(refused_page), describe(refused_page)

    confirmed = requests.get(link, timeout=30)
    assert confirmed.status_code == 200 and "Email confirmed" in page_text(confirmed), describe(confirmed)
    me = api.account_verify_credentials()
    assert me.username == new.username
    marker = secrets.token_hex(4)
    posted = api.status_post(f"Confirmed and posting {marker}")
    assert marker in posted.content

    # A link works once; a made-up one never.
    for used in (link, server.url("/auth/confirmation?confirmation_token=not-a-real-token")):
        again = requests.get(used, timeout=30)
        assert again.status_code == 422 and "Confirmation failed" in page_text(again), describe(again)
    # Confirmed: nothing left to resend.
    resend = requests.post(server.url("/api/v1/emails/confirmations"), headers=bearer(new.token), timeout=30)
    assert resend.status_code == 403 and "error" in resend.json(), describe(resend)
    assert smtp_sink.mails_to(new.email) == [mail]


def test_confirmation_mail_resent_to_a_corrected_address(server: TernServer, smtp_sink: SmtpSink) -> None:
    new = sign_up_through_api(server, "typo")
    first = first_link(smtp_sink.wait_for_mail(to=new.email), "/auth/confirmation")

    corrected = f"{new.username}@corrected.example.org"
    answer = requests.post(
        server.url("/api/v1/emails/confirmations"), headers=bearer(new.token), data={"email": corrected}, timeout=30
    )
    assert answer.status_code == 200, describe(answer)
    mail = smtp_sink.wait_for_mail(to=corrected)
    assert_mail(mail, corrected, f"Confirm your email address for {instance_title(server)}")
    second = only_link(mail, "/auth/confirmation")
    assert second != first

    # The new link replaces the old one, which would have confirmed the mistyped address.
    stale = requests.get(first, timeout=30)
    assert stale.status_code == 422, describe(stale)
    confirmed = requests.get(second, timeout=30)
    assert confirmed.status_code == 200, describe(confirmed)
    assert new.api(server).account_verify_credentials().username == new.username
    # The account now signs in with the corrected address, not the mistyped one.
    assert FormSession(server).sign_in(corrected, DEFAULT_PASSWORD).status_code == 303
    assert FormSession(server).sign_in(new.email, DEFAULT_PASSWORD).status_code == 401


# --- signing up through the form ----------------------------------------------------------------------


def test_sign_up_form_then_resend_and_confirm(server: TernServer, smtp_sink: SmtpSink) -> None:
    sign_in_page = FormSession(server).get("/auth/sign_in")
    for link in ("/auth/sign_up", "/auth/password/new", "/auth/confirmation/new"):
        assert f'href="{link}"' in sign_in_page.text, f"the sign-in page does not link {link}"

    web = FormSession(server)
    web.open("/auth/sign_up")
    username = unique_name("formed")
    email = f"{username}@example.org"
    created = web.post(
        "/auth/sign_up",
        {
            "username": username,
            "email": email,
            "password": DEFAULT_PASSWORD,
            "password_confirmation": DEFAULT_PASSWORD,
            "agreement": "1",
        },
    )
    assert created.status_code == 200, describe(created)
    text = page_text(created)
    assert "Check your email" in text and email in text, text
    assert not web.signed_in, "an unconfirmed sign-up got a session"
    first = first_link(smtp_sink.wait_for_mail(to=email), "/auth/confirmation")

    # "Didn't receive a confirmation link?" sends a new one; an unknown address gets the very same answer.
    web.open("/auth/confirmation/new")
    resent = web.post("/auth/confirmation/new", {"email": email})
    unknown = web.post("/auth/confirmation/new", {"email": f"{unique_name('nobody')}@example.org"})
    assert resent.status_code == unknown.status_code == 200, describe(resent)
    assert page_text(resent) == page_text(unknown), (page_text(resent), page_text(unknown))
    second = first_link(smtp_sink.wait_for_mail(to=email, count=2), "/auth/confirmation")

    assert requests.get(first, timeout=30).status_code == 422, "the replaced link still works"
    confirmed = requests.get(second, timeout=30)
    assert confirmed.status_code == 200 and "You can sign in now" in page_text(confirmed), describe(confirmed)

    signed_in = web.sign_in(email, DEFAULT_PASSWORD)
    assert signed_in.status_code == 303 and web.signed_in, describe(signed_in)
    home = web.get(location_path(signed_in))
    assert location_path(home) == "/web/home", describe(home)
    # Once confirmed, asking again sends nothing: the next mail to the address is the reset asked for after it.
    web.open("/auth/confirmation/new")
    assert web.post("/auth/confirmation/new", {"email": email}).status_code == 200
    web.open("/auth/password/new")
    assert web.post("/auth/password/new", {"email": email}).status_code == 200
    smtp_sink.wait_for_mail(to=email, count=3)
    subjects = [mail.subject.split(" ")[0] for mail in smtp_sink.mails_to(email)]
    assert subjects == ["Confirm", "Confirm", "Reset"], subjects


# --- a forgotten password -----------------------------------------------------------------------------


def test_password_reset_by_mail(server: TernServer, smtp_sink: SmtpSink) -> None:
    account = server.create_account("forgetful")
    old_api = server.password_login(account)
    old_browser = signed_in_session(server, account.username, account.password)
    assert old_browser.get("/settings/account").status_code == 200

    web = FormSession(server)
    web.open("/auth/password/new")
    stranger = f"{unique_name('stranger')}@example.org"
    unknown = web.post("/auth/password/new", {"email": stranger})
    known = web.post("/auth/password/new", {"email": account.email})
    assert unknown.status_code == known.status_code == 200, describe(known)
    assert page_text(unknown) == page_text(known), (page_text(unknown), page_text(known))
    assert "Check your email" in page_text(known)

    mail = smtp_sink.wait_for_mail(to=account.email)
    assert_mail(mail, account.email, f"Reset your password on {instance_title(server)}")
    link = only_link(mail, "/auth/password/edit")
    assert link.startswith(server.base_url + "/auth/password/edit?reset_password_token="), link
    assert smtp_sink.mails_to(stranger) == [], "a reset mail went to an address without an account"
    token = token_of(link, "reset_password_token")

    form = web.open(link)
    [reset_form] = [f for f in parse_forms(form.text) if "password" in f.input_names]
    assert ("reset_password_token", token) in reset_form.fields, reset_form
    # Mistakes leave the link usable.
    for password, confirmation in ((NEW_PASSWORD, NEW_PASSWORD + "x"), ("short", "short")):
        refused = web.post(
            "/auth/password/edit",
            {"reset_password_token": token, "password": password, "password_confirmation": confirmation},
        )
        assert refused.status_code == 422, describe(refused)
    changed = web.post(
        "/auth/password/edit",
        {"reset_password_token": token, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert changed.status_code == 200 and "Password changed" in page_text(changed), describe(changed)

    # Every app and browser signed in before is signed out.
    with pytest.raises(MastodonUnauthorizedError):
        old_api.account_verify_credentials()
    assert location_path(old_browser.get("/settings/account")).startswith("/auth/sign_in"), "the old session lives"
    assert FormSession(server).sign_in(account.email, account.password).status_code == 401
    assert FormSession(server).sign_in(account.email, NEW_PASSWORD).status_code == 303

    reused = web.post(
        "/auth/password/edit",
        {
            "reset_password_token": token,
            "password": "yet-another-passphrase-1",
            "password_confirmation": "yet-another-passphrase-1",
        },
    )
    assert reused.status_code == 422 and "invalid, expired or already used" in errors_on(reused), describe(reused)
    assert FormSession(server).sign_in(account.username, NEW_PASSWORD).status_code == 303


# --- the settings pages -------------------------------------------------------------------------------


def test_settings_need_a_session_and_come_back_after_sign_in(server: TernServer) -> None:
    account = server.create_account("returning")
    web = FormSession(server)
    for path in ("/settings/profile", "/settings/preferences", "/settings/account", "/oauth/authorized_applications"):
        answer = web.get(path)
        assert answer.status_code == 302, describe(answer)
        target = urlparse(location_path(answer))
        assert target.path == "/auth/sign_in" and parse_qs(target.query) == {"return_to": [path]}, describe(answer)
    back = web.sign_in(account.username, account.password, return_to="/settings/preferences")
    assert back.status_code == 303 and location_path(back) == "/settings/preferences", describe(back)
    assert "Preferences" in page_text(web.get("/settings/preferences"))

    # Only this server's own paths: never another site's.
    for elsewhere in ("//evil.example/settings", "https://evil.example/", "/\\evil.example/"):
        answer = FormSession(server).sign_in(account.username, account.password, return_to=elsewhere)
        assert answer.status_code == 303 and answer.headers["Location"] == "/", describe(answer)


def test_values_from_the_address_bar_stay_text(server: TernServer) -> None:
    hostile = '"><script>alert(1)</script>'
    for path, params in (
        ("/auth/password/edit", {"reset_password_token": hostile}),
        ("/auth/sign_in", {"return_to": "/" + hostile}),
    ):
        page = requests.get(server.url(path), params=params, timeout=30)
        assert page.status_code == 200, describe(page)
        assert "<script" not in page.text and "&lt;script&gt;" in page.text, describe(page)


def test_email_change_waits_for_the_new_address(server: TernServer, smtp_sink: SmtpSink) -> None:
    account = server.create_account("mover")
    web = signed_in_session(server, account.email, account.password)
    page = web.open("/settings/account")
    assert account.email in page_text(page)
    new_email = f"{unique_name('moved')}@example.net"

    wrong = web.post("/settings/account/email", {"email": new_email, "current_password": "not-my-password"})
    assert wrong.status_code == 422 and "Current password is invalid" in errors_on(wrong), describe(wrong)

    asked = web.post("/settings/account/email", {"email": new_email, "current_password": account.password})
    assert asked.status_code == 303 and location_path(asked) == "/settings/account?done=email_sent", describe(asked)
    pending = page_text(web.get("/settings/account?done=email_sent"))
    assert f"Your address is {account.email}" in pending and f"A change to {new_email} waits" in pending, pending

    title = instance_title(server)
    notice = smtp_sink.wait_for_mail(to=account.email)
    assert_mail(notice, account.email, f"Your email address on {title} is being changed")
    assert new_email in notice.text and notice.links() == [], notice.text
    mail = smtp_sink.wait_for_mail(to=new_email)
    assert_mail(mail, new_email, f"Confirm your new email address for {title}")
    link = only_link(mail, "/auth/confirmation")

    # Until the link is opened the old address is the one that signs in.
    assert FormSession(server).sign_in(new_email, account.password).status_code == 401
    assert FormSession(server).sign_in(account.email, account.password).status_code == 303

    confirmed = requests.get(link, timeout=30)
    assert confirmed.status_code == 200 and "Email confirmed" in page_text(confirmed), describe(confirmed)
    assert FormSession(server).sign_in(new_email, account.password).status_code == 303
    assert FormSession(server).sign_in(account.email, account.password).status_code == 401
    now = page_text(web.get("/settings/account"))
    assert f"Your address is {new_email}." in now and "waits" not in now, now
    assert len(smtp_sink.mails_to(account.email)) == 1, "the wrong password sent a mail"


def test_an_address_taken_meanwhile_is_not_confirmed(server: TernServer, smtp_sink: SmtpSink) -> None:
    account = server.create_account("slow")
    web = signed_in_session(server, account.username, account.password)
    wanted = f"{unique_name('wanted')}@example.net"
    web.open("/settings/account")
    asked = web.post("/settings/account/email", {"email": wanted, "current_password": account.password})
    assert asked.status_code == 303, describe(asked)
    link = first_link(smtp_sink.wait_for_mail(to=wanted), "/auth/confirmation")

    # Someone else signs up with that address before the link is opened.
    client_id, client_secret = server.register_app()
    other = server.mastodon(client_id=client_id, client_secret=client_secret)
    quick = unique_name("quick")
    assert other.create_account(quick, DEFAULT_PASSWORD, wanted, agreement=True, locale="en", scopes=SCOPES)

    late = requests.get(link, timeout=30)
    assert late.status_code == 422 and "used by another account" in page_text(late), describe(late)
    assert FormSession(server).sign_in(account.email, account.password).status_code == 303


def test_password_change_ends_other_browser_sessions(server: TernServer, smtp_sink: SmtpSink) -> None:
    account = server.create_account("changer")
    # A reset link asked for earlier (by the owner, or by someone who can read their mail)...
    forgot = FormSession(server)
    forgot.open("/auth/password/new")
    assert forgot.post("/auth/password/new", {"email": account.email}).status_code == 200
    reset_link = first_link(smtp_sink.wait_for_mail(to=account.email), "/auth/password/edit")

    here = signed_in_session(server, account.username, account.password)
    elsewhere = signed_in_session(server, account.username, account.password)
    here.open("/settings/account")

    for fields, why in (
        (
            {"current_password": "wrong-password-1", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
            "invalid",
        ),
        (
            {"current_password": account.password, "password": NEW_PASSWORD, "password_confirmation": "different-1"},
            "match",
        ),
        ({"current_password": account.password, "password": "short", "password_confirmation": "short"}, "too short"),
    ):
        refused = here.post("/settings/account/password", fields)
        assert refused.status_code == 422 and why in errors_on(refused), describe(refused)

    changed = here.post(
        "/settings/account/password",
        {"current_password": account.password, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert changed.status_code == 303 and location_path(changed) == "/settings/account?done=password", describe(changed)
    assert "Your password is changed" in page_text(here.get("/settings/account?done=password"))
    assert location_path(elsewhere.get("/settings/account")).startswith("/auth/sign_in"), "the other session lives"
    assert here.get("/settings/account").status_code == 200, "the session that changed the password ended"
    assert FormSession(server).sign_in(account.username, account.password).status_code == 401
    assert FormSession(server).sign_in(account.username, NEW_PASSWORD).status_code == 303

    # ...stops working once the password is changed.
    forgot.open(reset_link)
    late = forgot.post(
        "/auth/password/edit",
        {
            "reset_password_token": token_of(reset_link, "reset_password_token"),
            "password": "taken-over-passphrase-1",
            "password_confirmation": "taken-over-passphrase-1",
        },
    )
    assert late.status_code == 422, describe(late)
    assert FormSession(server).sign_in(account.username, NEW_PASSWORD).status_code == 303


def test_profile_and_preferences_forms_change_what_the_api_shows(server: TernServer) -> None:
    account = server.create_account("profiled")
    api = server.password_login(account)
    web = signed_in_session(server, account.username, account.password)

    web.open("/settings/profile")
    hostile = "<script>alert(1)</script>"
    saved = web.post(
        "/settings/profile",
        {
            "display_name": "Form Filler",
            "note": f"Bio written in a form {hostile}",
            "field_name_0": "Pronouns",
            "field_value_0": "they/them",
            "bot": "1",
        },
        multipart=True,
    )
    assert saved.status_code == 303 and location_path(saved) == "/settings/profile?saved=1", describe(saved)
    shown = web.get("/settings/profile?saved=1")
    assert "Your profile is saved." in page_text(shown)
    assert "<script>alert" not in shown.text, "the bio is not escaped on the settings page"
    me = api.account_verify_credentials()
    assert me.display_name == "Form Filler" and me.bot is True and me.locked is False
    assert "Bio written in a form" in me.note and "<script>" not in me.note, me.note
    assert [(f.name, f.value) for f in me.fields] == [("Pronouns", "they/them")]

    too_long = web.post("/settings/profile", {"display_name": "x" * 31, "note": ""}, multipart=True)
    assert too_long.status_code == 422, describe(too_long)
    assert api.account_verify_credentials().display_name == "Form Filler"

    web.open("/settings/preferences")
    prefs = web.post(
        "/settings/preferences", {"default_visibility": "unlisted", "default_language": "de", "default_sensitive": "1"}
    )
    assert prefs.status_code == 303 and location_path(prefs) == "/settings/preferences?saved=1", describe(prefs)
    assert "Your preferences are saved." in page_text(web.get("/settings/preferences?saved=1"))
    source = api.account_verify_credentials().source
    assert (source.privacy, source.language, source.sensitive) == ("unlisted", "de", True), source
    for bad in (
        {"default_visibility": "direct", "default_language": ""},
        {"default_visibility": "public", "default_language": "xx"},
    ):
        refused = web.post("/settings/preferences", bad)
        assert refused.status_code == 422, describe(refused)
    assert api.account_verify_credentials().source.privacy == "unlisted"


def test_authorized_apps_can_be_revoked(server: TernServer) -> None:
    account = server.create_account("revoker")
    api = server.password_login(account)
    web = signed_in_session(server, account.username, account.password)
    page = web.open("/oauth/authorized_applications")
    [form] = [f for f in parse_forms(page.text) if f.action.endswith("/revoke")]
    assert "tern-e2e" in page_text(page), page_text(page)
    revoked = web.post(urlparse(form.action).path, {})
    assert revoked.status_code == 303, describe(revoked)
    assert location_path(revoked) == "/oauth/authorized_applications?revoked=1"
    after = page_text(web.get("/oauth/authorized_applications?revoked=1"))
    assert "The app's access was revoked." in after and "No app has access" in after, after
    with pytest.raises(MastodonUnauthorizedError):
        api.account_verify_credentials()


# --- what the forms refuse ----------------------------------------------------------------------------


def test_sign_up_form_refuses_bad_input_and_sends_no_mail(server: TernServer, smtp_sink: SmtpSink) -> None:
    web = FormSession(server)
    web.open("/auth/sign_up")
    valid_name = unique_name("mismatch")
    attempts: list[tuple[dict[str, str], str]] = [
        ({"username": "<script>", "password_confirmation": DEFAULT_PASSWORD + "x"}, "do not match"),
        ({"username": "<script>"}, "Username"),
        ({"username": valid_name, "password_confirmation": DEFAULT_PASSWORD + "x"}, "do not match"),
        ({"username": valid_name, "agreement": ""}, "Agreement"),
        ({"username": valid_name, "password": "short", "password_confirmation": "short"}, "Password"),
        ({"username": valid_name, "email": "victim@example.org\r\nBcc: thief@example.org"}, "Email"),
        ({"username": valid_name, "email": "not-an-address"}, "Email"),
    ]
    addresses: list[str] = []
    for changes, expected in attempts:
        email = f"{unique_name('refused')}@example.org"
        addresses.append(email)
        fields = {
            "username": valid_name,
            "email": email,
            "password": DEFAULT_PASSWORD,
            "password_confirmation": DEFAULT_PASSWORD,
            "agreement": "1",
            **changes,
        }
        refused = web.post("/auth/sign_up", fields)
        assert refused.status_code == 422, f"{changes}: {describe(refused)}"
        assert expected in errors_on(refused), f"{changes}: {errors_on(refused)!r}"
        assert "<script>" not in refused.text, "the username is not escaped on the sign-up page"
        assert not web.signed_in
    lookup = requests.get(server.url("/api/v1/accounts/lookup"), params={"acct": valid_name}, timeout=30)
    assert lookup.status_code == 404, describe(lookup)

    # A good sign-up's mail arrives, and none of the refused ones sent any.
    control = sign_up_through_api(server, "control")
    smtp_sink.wait_for_mail(to=control.email)
    for address in addresses + ["victim@example.org", "thief@example.org"]:
        assert smtp_sink.mails_to(address) == [], f"a refused sign-up sent mail to {address}"


def test_forms_without_the_csrf_token_are_refused(server: TernServer, smtp_sink: SmtpSink) -> None:
    account = server.create_account("guarded")
    web = signed_in_session(server, account.username, account.password)
    web.open("/settings/profile")
    username = unique_name("forged")
    forms = [
        (
            "/auth/sign_up",
            {
                "username": username,
                "email": f"{username}@example.org",
                "password": DEFAULT_PASSWORD,
                "password_confirmation": DEFAULT_PASSWORD,
                "agreement": "1",
            },
        ),
        ("/auth/password/new", {"email": account.email}),
        ("/auth/confirmation/new", {"email": account.email}),
        ("/auth/sign_in", {"username": account.username, "password": account.password}),
        ("/settings/profile", {"display_name": "Forged"}),
        ("/settings/preferences", {"default_visibility": "private", "default_language": ""}),
        ("/settings/account/email", {"email": f"{username}@example.org", "current_password": account.password}),
        (
            "/settings/account/password",
            {"current_password": account.password, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
        ),
    ]
    for path, fields in forms:
        for token in (None, "A" * 43):
            refused = web.post(path, fields, token=token)
            assert refused.status_code == 403, f"{path} with token {token!r}: {describe(refused)}"
            assert "Request refused" in page_text(refused), describe(refused)
    # Another site's page cannot read the cookie; a form it sends carries no cookie of ours at all.
    stranger = requests.post(
        server.url("/auth/sign_up"), data={**forms[0][1], "authenticity_token": web.csrf}, timeout=30
    )
    assert stranger.status_code == 403, describe(stranger)

    api = server.password_login(account)
    me = api.account_verify_credentials()
    assert me.display_name != "Forged" and me.source.privacy == "public"
    assert requests.get(server.url("/api/v1/accounts/lookup"), params={"acct": username}, timeout=30).status_code == 404
    # Nothing was mailed for the refused forms (checked after a later mail has arrived).
    control = sign_up_through_api(server, "control")
    smtp_sink.wait_for_mail(to=control.email)
    assert smtp_sink.mails_to(account.email) == [] and smtp_sink.mails_to(f"{username}@example.org") == []


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"TERN_SMTP_SECURITY": "bogus"}, "TERN_SMTP_SECURITY"),
        ({"TERN_SMTP_PORT": "70000"}, "TERN_SMTP_PORT"),
        ({"TERN_SMTP_TLS_VERIFY": "sometimes"}, "TERN_SMTP_TLS_VERIFY"),
        ({"TERN_SMTP_FROM": "not an address"}, "TERN_SMTP_FROM"),
    ],
)
def test_bad_mail_setting_stops_the_server_naming_it(tmp_path: Path, env: dict[str, str], setting: str) -> None:
    settings = {"TERN_DATA_DIR": str(tmp_path / "data"), "TERN_SMTP_HOST": "127.0.0.1", **env}
    for args in (["serve"], ["admin", "jobs", "list"]):
        result = run_tern(args, settings, tmp_path)
        assert result.returncode != 0, args
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("tern: ") and setting in lines[0], result.stderr


def test_sendmail_that_is_not_a_program_stops_the_server(tmp_path: Path) -> None:
    result = run_tern(
        ["serve"], {"TERN_DATA_DIR": str(tmp_path / "data"), "TERN_SENDMAIL": str(tmp_path / "none")}, tmp_path
    )
    assert result.returncode != 0
    assert "TERN_SENDMAIL" in result.stderr, result.stderr


# --- servers of their own -----------------------------------------------------------------------------


@pytest.fixture(params=DATABASES)
def server_without_mail(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TernServer]:
    """A server with no mail settings: sign-ups are confirmed at once."""
    with running_servers(request.param, 1, tmp_path_factory, "no-mail", TERN_SERVER_ENV) as (server,):
        yield server


def test_without_mail_sign_ups_are_confirmed_at_once(server_without_mail: TernServer) -> None:
    server = server_without_mail
    sign_in_page = FormSession(server).get("/auth/sign_in")
    assert 'href="/auth/sign_up"' in sign_in_page.text
    assert "/auth/password/new" not in sign_in_page.text and "/auth/confirmation/new" not in sign_in_page.text
    for path in ("/auth/password/new", "/auth/confirmation/new"):
        answer = FormSession(server).get(path)
        assert answer.status_code == 404 and "does not send email" in page_text(answer), describe(answer)

    web = FormSession(server)
    web.open("/auth/sign_up")
    username = unique_name("instant")
    created = web.post(
        "/auth/sign_up",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password": DEFAULT_PASSWORD,
            "password_confirmation": DEFAULT_PASSWORD,
            "agreement": "1",
        },
    )
    assert created.status_code == 303 and location_path(created) == "/web/home", describe(created)
    assert web.signed_in
    page = web.open("/settings/account")
    assert f"{username}@example.org" in page_text(page)

    # Without mail an address change happens at once.
    moved = f"{unique_name('moved')}@example.org"
    changed = web.post("/settings/account/email", {"email": moved, "current_password": DEFAULT_PASSWORD})
    assert changed.status_code == 303 and location_path(changed) == "/settings/account?done=email", describe(changed)
    assert FormSession(server).sign_in(moved, DEFAULT_PASSWORD).status_code == 303

    api_sign_up = sign_up_through_api(server, "apiuser")
    assert api_sign_up.api(server).account_verify_credentials().username == api_sign_up.username


@dataclass
class MailDownServer:
    """A server whose SMTP server (`sink`, on a port chosen beforehand) is not running until the test starts it."""

    server: TernServer
    sink: SmtpSink

    @property
    def servers(self) -> list[TernServer]:  # for the server log in failure reports (conftest.py)
        return [self.server]


@pytest.fixture(params=DATABASES)
def mail_down(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailDownServer]:
    sink = SmtpSink()
    try:
        env = {**TERN_SERVER_ENV, **sink.env()}
        with running_servers(request.param, 1, tmp_path_factory, "mail-down", env) as (server,):
            yield MailDownServer(server, sink)
    finally:
        sink.stop()


_JOB_LINE = re.compile(r"^send_mail\t(\d+) waiting\t(\d+) failing$", re.MULTILINE)


def mail_jobs(server: TernServer) -> tuple[int, int]:
    """(waiting, failing) mail jobs, from `tern admin jobs list`."""
    result = server.cli("admin", "jobs", "list")
    assert result.returncode == 0, result.stderr
    found = _JOB_LINE.search(result.stdout)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


@pytest.mark.slow
def test_mail_due_while_the_smtp_server_is_down_arrives_on_retry(mail_down: MailDownServer) -> None:
    """Slow on purpose: waits for the job's back-off, about 30 s (±20 %), before the retry."""
    server, sink = mail_down.server, mail_down.sink
    new = sign_up_through_api(server, "patient")
    wait_until(lambda: mail_jobs(server)[1] >= 1, "the first delivery attempt failing")
    assert sink.mails() == []

    sink.start()
    mail = sink.wait_for_mail(to=new.email, timeout=RETRY_TIMEOUT)
    assert_mail(mail, new.email, f"Confirm your email address for {instance_title(server)}")
    link = only_link(mail, "/auth/confirmation")
    assert requests.get(link, timeout=30).status_code == 200
    assert new.api(server).account_verify_credentials().username == new.username
    wait_until(lambda: mail_jobs(server) == (0, 0), "the mail job leaving the queue")
    assert len(sink.mails_to(new.email)) == 1, "the mail was sent twice"
