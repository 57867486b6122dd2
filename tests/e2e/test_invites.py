"""Invite links and single-user mode on a live server, on SQLite and on PostgreSQL.

The module's server runs with TERN_REGISTRATIONS=invite: nobody signs up without a code. Invites are made with the
admin CLI (`tern admin invite create|list|expire`) and through the API by a user (`POST /api/v1/invites`); people
sign up with one through the registration API (`invite_code`, as Mastodon 4.3 takes it) and through the
`/invite/CODE` page, submitted like a browser without JavaScript. Mastodon.py checks the results as a client would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
import requests
from browser import describe, parse_forms
from tern_server import DATABASES, DEFAULT_PASSWORD, TernServer, run_tern, running_servers, unique_name

TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0", "TERN_REGISTRATIONS": "invite"}


def app_token(server: TernServer) -> str:
    """A client-credentials token of a new app: what an app holds before anyone signs up."""
    client_id, client_secret = server.register_app()
    response = requests.post(
        server.url("/oauth/token"),
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "read write",
        },
        timeout=30,
    )
    assert response.status_code == 200, describe(response)
    return response.json()["access_token"]


def register(server: TernServer, username: str, invite_code: str | None) -> requests.Response:
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password": DEFAULT_PASSWORD,
        "agreement": "true",
        "locale": "en",
    }
    if invite_code is not None:
        data["invite_code"] = invite_code
    return requests.post(
        server.url("/api/v1/accounts"),
        data=data,
        headers={"Authorization": f"Bearer {app_token(server)}"},
        timeout=30,
    )


def lookup(server: TernServer, username: str) -> int:
    return requests.get(server.url("/api/v1/accounts/lookup"), params={"acct": username}, timeout=30).status_code


def make_admin(server: TernServer) -> str:
    username = unique_name("admin")
    result = server.cli(
        "admin", "account", "create", username, "--email", f"{username}@example.org", "--password",
        DEFAULT_PASSWORD, "--admin",
    )
    assert result.returncode == 0, result.stderr
    return username


def test_cli_invite_admits_one_person_who_follows_the_inviter(server: TernServer) -> None:
    inviter = make_admin(server)
    made = server.cli(
        "admin", "invite", "create", "--by", inviter, "--max-uses", "1", "--expires-in", "1d", "--autofollow"
    )
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip()
    assert url.startswith(server.url("/invite/")), url
    code = url.rsplit("/", 1)[1]

    check = requests.get(server.url(f"/api/v1/invites/{code}"), timeout=30)
    assert check.status_code == 200 and check.json()["invite_code"] == code, describe(check)

    refused = register(server, unique_name("nocode"), None)
    assert refused.status_code == 403, describe(refused)

    username = unique_name("invited")
    created = register(server, username, code)
    assert created.status_code == 200, describe(created)
    api = server.mastodon(access_token=created.json()["access_token"])
    assert api.account_verify_credentials().username == username
    inviter_id = api.account_lookup(inviter).id
    assert api.account_relationships([inviter_id])[0].following is True

    # Used up: the next person is refused with the field named, and nothing is stored.
    late_name = unique_name("late")
    late = register(server, late_name, code)
    assert late.status_code == 422, describe(late)
    assert late.json()["details"]["invite_code"][0]["error"] == "ERR_INVALID"
    assert lookup(server, late_name) == 404
    assert requests.get(server.url(f"/api/v1/invites/{code}"), timeout=30).status_code == 404

    listed = server.cli("admin", "invite", "list")
    line = next(line for line in listed.stdout.splitlines() if line.startswith(code))
    assert "1/1 uses" in line and "expired" in line and f"@{inviter}" in line, listed.stdout


def test_user_invite_through_the_api_and_the_invite_page(server: TernServer) -> None:
    account = server.create_account("host")
    api = server.password_login(account)
    headers = {"Authorization": f"Bearer {api.access_token}"}
    made = requests.post(
        server.url("/api/v1/invites"), data={"max_uses": "5", "comment": "book club"}, headers=headers, timeout=30
    )
    assert made.status_code == 200, describe(made)
    invite = made.json()
    assert invite["uses"] == 0 and invite["max_uses"] == 5 and invite["expires_at"] is None

    # The invite page, as a browser: its form carries the code and names the inviter.
    browser = requests.Session()
    page = browser.get(invite["url"], timeout=30)
    assert page.status_code == 200 and "invited you" in page.text, describe(page)
    form = next(form for form in parse_forms(page.text) if form.action == "/auth/sign_up")
    fields = dict(form.fields)
    assert fields["invite_code"] == invite["code"]
    username = unique_name("guest")
    fields.update(
        {
            "username": username,
            "email": f"{username}@example.org",
            "password": DEFAULT_PASSWORD,
            "password_confirmation": DEFAULT_PASSWORD,
            "agreement": "1",
        }
    )
    signed_up = browser.post(server.url("/auth/sign_up"), data=fields, allow_redirects=False, timeout=30)
    assert signed_up.status_code == 303 and signed_up.headers["Location"] == "/web/home", describe(signed_up)
    assert lookup(server, username) == 200

    listed = requests.get(server.url("/api/v1/invites"), headers=headers, timeout=30).json()
    assert [(entry["code"], entry["uses"]) for entry in listed] == [(invite["code"], 1)]
    # Expired by its maker: the page and the API refuse it.
    expired = requests.delete(server.url(f"/api/v1/invites/{invite['id']}"), headers=headers, timeout=30)
    assert expired.status_code == 200 and expired.json()["expired"] is True, describe(expired)
    gone = requests.get(invite["url"], timeout=30)
    assert gone.status_code == 404 and "used up" in gone.text
    assert register(server, unique_name("after"), invite["code"]).status_code == 422


def test_cli_invite_errors_are_one_line(server: TernServer) -> None:
    missing = server.cli("admin", "invite", "expire", "nosuchcode")
    assert missing.returncode != 0 and missing.stderr.strip() == "tern: no such invite code", missing.stderr
    bad = server.cli("admin", "invite", "create", "--expires-in", "soon")
    assert bad.returncode != 0 and "--expires-in" in bad.stderr, bad.stderr
    nobody = server.cli("admin", "invite", "create", "--by", "nosuchuser")
    assert nobody.returncode != 0 and "no such local account" in nobody.stderr, nobody.stderr
    oversized = server.cli("admin", "invite", "create", "--max-uses", "0")
    assert oversized.returncode != 0 and "max_uses" in oversized.stderr.lower().replace(" ", "_"), oversized.stderr


@pytest.fixture(params=DATABASES)
def single_user_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    env = {"TERN_AUTH_RATE_LIMIT": "0", "TERN_SINGLE_USER_MODE": "true", "TERN_REGISTRATIONS": "open"}
    with running_servers(request.param, 1, tmp_path_factory, "single-user", env) as (server,):
        yield server


def test_single_user_mode_shows_the_owner_and_takes_no_sign_ups(single_user_server: TernServer) -> None:
    server = single_user_server
    owner = server.create_account("owner")
    server.create_account("other")
    root = requests.get(server.url("/"), allow_redirects=False, timeout=30)
    assert root.status_code == 302 and root.headers["Location"] == f"/@{owner.username}", describe(root)
    profile = requests.get(server.url("/"), timeout=30)
    assert profile.status_code == 200 and f"@{owner.username}" in profile.text
    instance = requests.get(server.url("/api/v2/instance"), timeout=30).json()
    assert instance["registrations"]["enabled"] is False
    refused = register(server, unique_name("walkin"), None)
    assert refused.status_code == 403, describe(refused)
    assert requests.get(server.url("/auth/sign_up"), timeout=30).status_code == 403


def test_bad_single_user_setting_stops_the_server(tmp_path: Path) -> None:
    result = run_tern(["serve"], {"TERN_DATA_DIR": str(tmp_path / "data"), "TERN_SINGLE_USER_MODE": "maybe"}, tmp_path)
    assert result.returncode != 0
    assert re.search(r"TERN_SINGLE_USER_MODE", result.stderr), result.stderr
