"""Foundation end-to-end tests: signing in (OAuth as a person would, and the password grant), profiles, public
discovery endpoints, registration through the API and error answers. Each runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from browser import Browser, describe, parse_forms, text_of_id
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonIllegalArgumentError,
    MastodonNotFoundError,
    MastodonUnauthorizedError,
)
from tern_server import DEFAULT_PASSWORD, OOB, SCOPES, TernServer, unique_name

# A redirect URI on a closed loopback port: the tests read the redirect and never follow it.
CALLBACK = "http://127.0.0.1:9/callback"
ACTIVITY_JSON = "application/activity+json"
NODEINFO_RELS = {
    "http://nodeinfo.diaspora.software/ns/schema/2.0",
    "http://nodeinfo.diaspora.software/ns/schema/2.1",
}


def json_of(response: requests.Response) -> dict:
    assert "json" in response.headers.get("Content-Type", ""), f"not JSON: {describe(response)}"
    return response.json()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def authorize(server: TernServer, login: str, password: str, redirect_uri: str, decision: str, state: str):
    """Registers an app, opens its authorization URL signed out, signs in with `login`, and clicks `decision`
    on the consent page. Returns (client, browser, the unfollowed answer to the decision)."""
    client_id, client_secret = server.register_app(redirect_uris=redirect_uri)
    api = server.mastodon(client_id=client_id, client_secret=client_secret)
    # allow_http: Mastodon.py wants https OAuth endpoints unless told that this is a test server.
    url = api.auth_request_url(redirect_uris=redirect_uri, scopes=SCOPES, state=state, allow_http=True)
    browser = Browser()
    consent = browser.sign_in(url, login, password)
    return api, browser, browser.decide(consent, decision)


def browser_login(server: TernServer, login: str, password: str) -> Mastodon:
    """A client signed in through the authorization-code flow with the out-of-band redirect."""
    api, browser, answer = authorize(server, login, password, OOB, "approve", state=secrets.token_hex(8))
    assert answer.status_code == 302, describe(answer)
    code = text_of_id(browser.follow(answer).text, "authorization-code")
    assert code
    api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    return api


# --- Start-up ---------------------------------------------------------------------------------------


def test_server_starts_cleanly(server: TernServer) -> None:
    # First in the module, so the log holds little more than the start-up (migrations, job queue...).
    errors = [line for line in server.log_text().splitlines() if re.match(r"\S+ (error|critical) ", line)]
    assert not errors, "error-level log lines while starting:\n" + "\n".join(errors)


# --- a. OAuth authorization-code flow through the HTML pages ----------------------------------------


def test_authorization_code_flow_out_of_band(server: TernServer) -> None:
    account = server.create_account("alice")
    state = secrets.token_hex(8)
    api, browser, answer = authorize(server, account.username, account.password, OOB, "approve", state)

    assert answer.status_code == 302, describe(answer)
    location = urlparse(answer.headers["Location"])
    assert location.path == "/oauth/authorize/native", describe(answer)
    code_in_url = parse_qs(location.query).get("code", [""])[0]
    assert code_in_url, describe(answer)

    page = browser.follow(answer)
    assert page.status_code == 200, describe(page)
    code = text_of_id(page.text, "authorization-code")
    assert code == code_in_url, f'<code id="authorization-code"> shows {code!r}: {describe(page)}'

    token = api.log_in(code=code, redirect_uri=OOB, scopes=SCOPES, allow_http=True)
    assert token

    me = api.account_verify_credentials()
    assert me.username == account.username
    assert me.acct == account.username
    assert me.source is not None, me  # Mastodon.py fills absent attributes with None
    assert me.source.privacy in ("public", "unlisted", "private", "direct")


def test_authorization_code_flow_with_redirect_uri(server: TernServer) -> None:
    account = server.create_account("bob")
    state = secrets.token_hex(8)
    # Sign in with the e-mail address this time: the form accepts either.
    api, _, answer = authorize(server, account.email, account.password, CALLBACK, "approve", state)

    assert answer.status_code == 302, describe(answer)
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?"), describe(answer)
    query = query_of(location)
    assert query.get("state") == [state], describe(answer)
    code = query["code"][0]

    api.log_in(code=code, redirect_uri=CALLBACK, scopes=SCOPES, allow_http=True)
    assert api.account_verify_credentials().username == account.username

    # An authorization code is good for one token only.
    again = server.mastodon(client_id=api.client_id, client_secret=api.client_secret)
    with pytest.raises(MastodonIllegalArgumentError):
        again.log_in(code=code, redirect_uri=CALLBACK, scopes=SCOPES, allow_http=True)


def test_authorization_denied(server: TernServer) -> None:
    account = server.create_account("carol")
    state = secrets.token_hex(8)
    _, _, answer = authorize(server, account.email, account.password, CALLBACK, "deny", state)

    assert answer.status_code in (302, 303), describe(answer)
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?"), describe(answer)
    query = query_of(location)
    assert query.get("error") == ["access_denied"], describe(answer)
    assert query.get("state") == [state], describe(answer)
    assert "code" not in query and "access_token" not in query, describe(answer)


def test_sign_in_with_wrong_password_is_refused(server: TernServer) -> None:
    account = server.create_account("dave")
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)
    url = api.auth_request_url(redirect_uris=OOB, scopes=SCOPES, allow_http=True)
    browser = Browser()

    page = browser.get(url)
    form = next(f for f in parse_forms(page.text) if "password" in f.input_names)
    answer = browser.submit(page, form, {"username": account.username, "password": "not-the-password"})
    assert answer.status_code != 303 or urlparse(answer.headers["Location"]).path != "/oauth/authorize", describe(
        answer
    )

    # Still signed out: the authorize URL shows the sign-in form again, not the consent page.
    again = browser.get(url)
    assert again.status_code == 200, describe(again)
    forms = parse_forms(again.text)
    assert any("password" in f.input_names for f in forms), describe(again)
    assert not any(f.has_button("decision", "approve") for f in forms), describe(again)


def test_update_credentials(server: TernServer) -> None:
    account = server.create_account("erin")
    api = browser_login(server, account.username, account.password)

    note = "Hello from https://example.org"
    updated = api.account_update_credentials(
        display_name="Erin Example",
        note=note,
        fields=[("Site", "https://example.org")],
    )
    link = re.compile(r'<a\b[^>]*\bhref="https://example\.org"')

    for me in (updated, api.account_verify_credentials()):
        assert me.display_name == "Erin Example"
        assert link.search(me.note), f"note is not HTML with the link: {me.note!r}"
        assert me.source.note == note
        assert [f.name for f in me.fields] == ["Site"]
        assert "https://example.org" in me.fields[0].value
        assert [(f.name, f.value) for f in me.source.fields] == [("Site", "https://example.org")]

    public = server.mastodon().account(updated.id)
    assert public.display_name == "Erin Example"
    assert link.search(public.note), public.note
    assert public.source is None, "the public account view must not expose `source`"


# --- b. Password grant ------------------------------------------------------------------------------


def test_password_grant(server: TernServer) -> None:
    account = server.create_account("frank")
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)

    token = api.log_in(username=account.email, password=account.password, scopes=SCOPES, allow_http=True)
    assert token
    me = api.account_verify_credentials()
    assert me.username == account.username
    assert me.source is not None


def test_password_grant_rejects_wrong_password(server: TernServer) -> None:
    account = server.create_account("grace")
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)

    # Mastodon.py's log_in wraps every failure of the token request in MastodonIllegalArgumentError.
    with pytest.raises(MastodonIllegalArgumentError):
        api.log_in(username=account.email, password="wrong-password-123", scopes=SCOPES, allow_http=True)
    assert api.access_token is None

    answer = requests.post(
        server.url("/oauth/token"),
        data={
            "grant_type": "password",
            "username": account.email,
            "password": "wrong-password-123",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "read",
        },
        timeout=30,
    )
    assert answer.status_code in (400, 401), describe(answer)
    assert json_of(answer).get("error") == "invalid_grant", describe(answer)


# --- c. Public endpoints ----------------------------------------------------------------------------


def test_instance(server: TernServer) -> None:
    api = server.mastodon()
    v1 = api.instance_v1()
    assert v1.title
    assert re.fullmatch(r"4\.\d+\.\d+ \(compatible; Tern [^)]+\)", v1.version), v1.version
    assert v1.uri == server.domain
    assert v1.registrations is True

    latest = api.instance()
    assert "Tern" in latest.version
    assert latest.title

    if hasattr(api, "instance_v2"):
        v2 = api.instance_v2()
        assert v2.domain == server.domain
        assert "Tern" in v2.version
        assert v2.registrations.enabled is True


def test_mastodon_py_detects_server_version(server: TernServer) -> None:
    # version_check_mode="created" makes Mastodon.py parse the version from /api/v1/instance and refuse
    # endpoints newer than it; the server claims Mastodon 4.5.0.
    api = server.mastodon(version_check_mode="created")
    assert api.retrieve_mastodon_version(fail_hard=True) == "4.5.0"
    assert api.verify_minimum_version("4.0.0", cached=True)


def test_account_lookup_and_fetch(server: TernServer) -> None:
    account = server.create_account("heidi")
    api = server.mastodon()

    found = api.account_lookup(account.username)
    assert found.username == account.username
    assert found.acct == account.username
    assert found.url

    same = api.account(found.id)
    assert same.id == found.id
    assert same.username == account.username

    with pytest.raises(MastodonNotFoundError):
        api.account_lookup(unique_name("nobody"))


def test_webfinger(server: TernServer) -> None:
    account = server.create_account("ivan")
    subject = f"acct:{account.username}@{server.domain}"

    answer = requests.get(server.url("/.well-known/webfinger"), params={"resource": subject}, timeout=30)
    assert answer.status_code == 200, describe(answer)
    jrd = json_of(answer)
    assert jrd["subject"] == subject
    selves = [link for link in jrd.get("links", []) if link.get("rel") == "self"]
    assert selves, jrd
    assert selves[0].get("type") == ACTIVITY_JSON, jrd
    assert selves[0]["href"].startswith(server.base_url + "/"), jrd

    missing = requests.get(
        server.url("/.well-known/webfinger"),
        params={"resource": f"acct:{unique_name('nobody')}@{server.domain}"},
        timeout=30,
    )
    assert missing.status_code == 404, describe(missing)


def test_nodeinfo(server: TernServer) -> None:
    server.create_account("judy")
    answer = requests.get(server.url("/.well-known/nodeinfo"), timeout=30)
    assert answer.status_code == 200, describe(answer)
    links = {link["rel"]: link["href"] for link in json_of(answer)["links"]}
    assert set(links) & NODEINFO_RELS, links

    for rel in sorted(set(links) & NODEINFO_RELS):
        document = requests.get(links[rel], timeout=30)
        assert document.status_code == 200, describe(document)
        info = json_of(document)
        assert info["version"] == rel.rsplit("/", 1)[1]
        assert info["software"]["name"] == "tern"
        assert info["software"]["version"]
        assert "activitypub" in info["protocols"]
        assert info["openRegistrations"] is True
        assert info["usage"]["users"]["total"] >= 1


# --- d. Registration through the API ------------------------------------------------------------------


def test_register_through_api(server: TernServer) -> None:
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)
    username = unique_name("newbie")

    # create_account gets an app token (client_credentials) and POSTs /api/v1/accounts with it.
    token = api.create_account(
        username, DEFAULT_PASSWORD, f"{username}@example.org", agreement=True, locale="en", scopes=SCOPES
    )
    assert token

    me = server.mastodon(access_token=token).account_verify_credentials()
    assert me.username == username


def test_register_duplicate_username(server: TernServer) -> None:
    taken = server.create_account("taken")
    client_id, client_secret = server.register_app()
    api = server.mastodon(client_id=client_id, client_secret=client_secret)

    token, error = api.create_account(
        taken.username,
        DEFAULT_PASSWORD,
        f"other_{taken.email}",
        agreement=True,
        locale="en",
        scopes=SCOPES,
        return_detailed_error=True,
    )
    assert token is None
    assert "username" in error.details, error
    assert error.details["username"][0]["error"] == "ERR_TAKEN", error

    # The same request by hand, for the status code.
    app_token = requests.post(
        server.url("/oauth/token"),
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "read write follow",
        },
        timeout=30,
    )
    assert app_token.status_code == 200, describe(app_token)
    answer = requests.post(
        server.url("/api/v1/accounts"),
        headers={"Authorization": f"Bearer {json_of(app_token)['access_token']}"},
        data={
            "username": taken.username,
            "email": f"again_{taken.email}",
            "password": DEFAULT_PASSWORD,
            "agreement": "true",
            "locale": "en",
        },
        timeout=30,
    )
    assert answer.status_code == 422, describe(answer)
    body = json_of(answer)
    assert body.get("error"), body
    assert "username" in body.get("details", {}), body


# --- e. Errors ----------------------------------------------------------------------------------------


def test_unknown_api_route_is_json_404(server: TernServer) -> None:
    answer = requests.get(server.url("/api/v1/nope"), timeout=30)
    assert answer.status_code == 404, describe(answer)
    assert "error" in json_of(answer), describe(answer)


def test_verify_credentials_needs_a_token(server: TernServer) -> None:
    with pytest.raises(MastodonUnauthorizedError):
        server.mastodon().account_verify_credentials()

    answer = requests.get(server.url("/api/v1/accounts/verify_credentials"), timeout=30)
    assert answer.status_code == 401, describe(answer)
    assert "error" in json_of(answer), describe(answer)

    bogus = requests.get(
        server.url("/api/v1/accounts/verify_credentials"),
        headers={"Authorization": "Bearer not-a-real-token"},
        timeout=30,
    )
    assert bogus.status_code == 401, describe(bogus)
    assert "error" in json_of(bogus), describe(bogus)


def test_read_scope_cannot_write(server: TernServer) -> None:
    account = server.create_account("kim")
    api = server.password_login(account, scopes=["read"])
    assert api.account_verify_credentials().username == account.username

    with pytest.raises(MastodonAPIError):
        api.account_update_credentials(display_name="Nope")

    answer = requests.patch(
        server.url("/api/v1/accounts/update_credentials"),
        headers={"Authorization": f"Bearer {api.access_token}"},
        data={"display_name": "Nope"},
        timeout=30,
    )
    assert answer.status_code == 403, describe(answer)
    assert "error" in json_of(answer), describe(answer)
    assert api.account_verify_credentials().display_name != "Nope"
