"""Moving an account between two live servers (SQLite and PostgreSQL), as people do it: the new account adds the
old one as an alias on its settings page, the old one moves on its own; followers on both servers end up following
the new account, are told with a `move` notification, and the old profile points at the new one. The admin CLI's
`alias` and `move` do the same for a second pair of accounts.
"""

from __future__ import annotations

import time
from typing import Callable, Iterator

import pytest
from forms import signed_in_session
from people import Person, person
from tern_server import DATABASES, DEFAULT_PASSWORD, TernServer, running_servers

ENV = {"TERN_FEDERATION_ALLOWED_ADDRESSES": "127.0.0.1/32", "TERN_AUTH_RATE_LIMIT": "0"}
TIMEOUT = 90.0


@pytest.fixture(scope="module", params=DATABASES)
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TernServer]]:
    with running_servers(request.param, 2, tmp_path_factory, f"moving-{request.param}", ENV) as servers:
        yield servers


def wait_for(what: str, probe: Callable[[], object]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not probe():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.2)


def follows(viewer: Person, account_id) -> bool:
    return bool(viewer.api.account_relationships([account_id])[0].following)


def test_followers_on_both_servers_follow_the_new_account(pair: list[TernServer]) -> None:
    old_home, new_home = pair
    old, near = person(old_home, "old"), person(old_home, "near")
    new, far = person(new_home, "new"), person(new_home, "far")
    near.api.account_follow(old.id)
    old_on_new = far.api.account_lookup(f"{old.username}@{old_home.domain}")
    far.api.account_follow(old_on_new.id)
    wait_for("far follows old", lambda: follows(far, old_on_new.id))

    page = signed_in_session(new_home, new.username, DEFAULT_PASSWORD)
    page.open("/settings/migration")
    added = page.post("/settings/aliases", {"acct": f"{old.username}@{old_home.domain}"})
    assert added.status_code == 303, added.text
    mover = signed_in_session(old_home, old.username, DEFAULT_PASSWORD)
    mover.open("/settings/migration")
    moved = mover.post(
        "/settings/migration", {"acct": f"{new.username}@{new_home.domain}", "current_password": DEFAULT_PASSWORD}
    )
    assert moved.status_code == 303, moved.text

    new_on_old = near.api.account_lookup(f"{new.username}@{new_home.domain}")
    wait_for("near follows the new account", lambda: follows(near, new_on_old.id))
    wait_for("far follows the new account", lambda: follows(far, new.id))
    assert not follows(near, old.id) and not follows(far, old_on_new.id)
    assert near.api.account(old.id).moved.acct == f"{new.username}@{new_home.domain}"
    for viewer, old_id in ((near, old.id), (far, old_on_new.id)):
        kinds = [(n.type, str(n.account.id)) for n in viewer.api.notifications(types=["move"])]
        assert ("move", str(old_id)) in kinds, kinds
    assert sorted(a.acct for a in new.api.account_followers(new.id)) == sorted(
        [f"{near.username}@{old_home.domain}", far.username]
    )


def test_admin_cli_alias_and_move(pair: list[TernServer]) -> None:
    server = pair[0]
    old, new, fan = person(server, "cliold"), person(server, "clinew"), person(server, "fan")
    fan.api.account_follow(old.id)
    refused = server.cli("admin", "account", "move", old.username, "--to", new.username)
    assert refused.returncode != 0 and "alias" in refused.stderr, refused.stderr
    aliased = server.cli("admin", "account", "alias", new.username, old.username)
    assert aliased.returncode == 0, aliased.stderr
    done = server.cli("admin", "account", "move", old.username, "--to", new.username)
    assert done.returncode == 0, done.stderr
    wait_for("fan follows the new account", lambda: follows(fan, new.id))
