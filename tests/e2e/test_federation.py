"""Federation end-to-end tests: three live servers, alpha, beta and gamma, talk ActivityPub to each other over
plain HTTP on loopback, and the tests drive them only through the Mastodon API (Mastodon.py, and `toot` once).

Remote accounts are named `user@127.0.0.1:PORT`. Everything between servers happens in background jobs, so a
test posts on one server and polls the other until the effect shows, within a generous bound (FEDERATION_TIMEOUT);
it fails when the effect never shows. Every test makes its own accounts, so the tests are independent; the one
that stops gamma runs last and always brings it back.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, TypeVar

import pytest
import requests
from images import png
from mastodon import MastodonNotFoundError
from people import Person, person
from tern_server import DATABASES, TernServer, running_servers
from toot_cli import toot, write_toot_config

# Servers reach each other on 127.0.0.1 only because this lets them (Tern refuses loopback peers otherwise).
# Sign-ins are many and all from one address, so the auth rate limiter is lifted.
FEDERATION_ENV = {"TERN_FEDERATION_ALLOWED_ADDRESSES": "127.0.0.1/32", "TERN_AUTH_RATE_LIMIT": "0"}

# An upper bound on how long a round trip between servers may take on a loaded machine. Tests poll until what
# they wait for holds; they normally finish in well under a second.
FEDERATION_TIMEOUT = 90.0
POLL_INTERVAL = 0.2

T = TypeVar("T")


@dataclass
class Network:
    alpha: TernServer
    beta: TernServer
    gamma: TernServer

    @property
    def servers(self) -> list[TernServer]:
        return [self.alpha, self.beta, self.gamma]


@pytest.fixture(scope="module", params=DATABASES)
def net(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    """Three servers on the same kind of database, each with its own data folder (and PostgreSQL database)."""
    label = f"test_federation-{request.param}"
    with running_servers(request.param, 3, tmp_path_factory, label, FEDERATION_ENV) as (alpha, beta, gamma):
        yield Network(alpha, beta, gamma)


# --- helpers ------------------------------------------------------------------------------------------------


def wait_for(what: str, probe: Callable[[], Optional[T]], timeout: float = FEDERATION_TIMEOUT) -> T:
    """Calls `probe` until it returns something truthy and returns that; fails if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what} (waited {timeout:.0f} s)", pytrace=False)
        time.sleep(POLL_INTERVAL)


def by_uri(statuses: Iterable, uri: str):
    """The status with this ActivityPub id (the same on every server), or None."""
    return next((s for s in statuses if s.uri == uri), None)


def relationship(viewer: Person, account_id) -> dict:
    return viewer.api.account_relationships([account_id])[0]


def remote(viewer: Person, other: Person):
    """`other` as an account on the viewer's server (looked up through WebFinger the first time)."""
    account = viewer.api.account_lookup(other.handle)
    assert account.acct == other.handle, account
    return account


def follow_remote(follower: Person, followee: Person):
    """follower follows followee on another server; returns followee's account there once the Accept arrived."""
    account = remote(follower, followee)
    follower.api.account_follow(account.id)
    wait_for(f"{follower.handle} follows {followee.handle}", lambda: relationship(follower, account.id).following)
    return account


def home_status(viewer: Person, uri: str):
    """Waits until the status with this uri is in the viewer's home timeline and returns it."""
    return wait_for(f"{uri} in the home timeline of {viewer.handle}", lambda: by_uri(viewer.api.timeline_home(), uri))


def notification(who: Person, kind: str, status_uri: str, from_handle: str):
    """Waits for a notification of this kind about this status from this remote account."""

    def probe():
        for n in who.api.notifications(types=[kind], limit=40):
            if n.type == kind and n.status is not None and n.status.uri == status_uri and n.account.acct == from_handle:
                return n
        return None

    return wait_for(f"{who.handle} is notified ({kind}) by {from_handle} about {status_uri}", probe)


def jobs(server: TernServer) -> dict[str, tuple[int, int]]:
    """`tern admin jobs list`: kind -> (waiting, failing)."""
    result = server.cli("admin", "jobs", "list")
    assert result.returncode == 0, f"tern admin jobs list: {result.stdout}{result.stderr}"
    summary = {}
    for line in result.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) == 3:
            summary[fields[0]] = (int(fields[1].split()[0]), int(fields[2].split()[0]))
    return summary


def no_jobs_waiting(server: TernServer, kinds: Iterable[str]) -> bool:
    summary = jobs(server)
    return all(summary.get(kind, (0, 0))[0] == 0 for kind in kinds)


def text() -> str:
    return f"federated {secrets.token_hex(4)}"


# --- 1. follows ---------------------------------------------------------------------------------------------


def test_remote_follow_is_accepted_and_statuses_arrive(net: Network) -> None:
    alice, bob = person(net.alpha, "alice"), person(net.beta, "bob")

    bob_there = remote(alice, bob)
    assert bob_there.username == bob.username and not bob_there.locked
    requested = alice.api.account_follow(bob_there.id)
    assert requested.requested is True and requested.following is False, requested
    wait_for("bob's server accepts alice's follow", lambda: relationship(alice, bob_there.id).following)
    assert relationship(alice, bob_there.id).requested is False

    posted = bob.api.status_post(f"Hello fediverse, {text()}", visibility="public")
    seen = home_status(alice, posted.uri)
    assert seen.content == posted.content
    assert seen.account.acct == bob.handle
    assert str(seen.account.id) == str(bob_there.id)
    assert seen.visibility == "public"

    followers = bob.api.account_followers(bob.id)
    assert [a.acct for a in followers] == [alice.handle]
    assert bob.api.account(bob.id).followers_count == 1
    assert relationship(bob, followers[0].id).followed_by is True


def test_locked_account_approves_a_remote_follow_request(net: Network) -> None:
    bob, carol = person(net.beta, "bob"), person(net.gamma, "carol")
    assert bob.api.account_update_credentials(locked=True).locked is True

    bob_there = remote(carol, bob)
    assert bob_there.locked is True
    requested = carol.api.account_follow(bob_there.id)
    assert requested.requested is True and requested.following is False, requested

    pending = wait_for("carol's follow request reaches bob", lambda: bob.api.follow_requests())
    assert [a.acct for a in pending] == [carol.handle]
    assert relationship(carol, bob_there.id).requested is True, "nothing is accepted before bob says so"

    authorized = bob.api.follow_request_authorize(pending[0].id)
    assert authorized.followed_by is True
    assert bob.api.follow_requests() == []
    wait_for("carol follows bob once he approved", lambda: relationship(carol, bob_there.id).following)
    assert [a.acct for a in bob.api.account_followers(bob.id)] == [carol.handle]


# --- 2. conversations and interactions ----------------------------------------------------------------------


def test_remote_reply_mentions_and_threads(net: Network) -> None:
    alice, bob = person(net.alpha, "alice"), person(net.beta, "bob")
    original = bob.api.status_post(f"Who wants to talk about birds? {text()}", visibility="public")

    # Resolved by its ActivityPub id, which is what servers exchange (and is itself a URL).
    found = alice.api.search_v2(original.uri, resolve=True, result_type="statuses")
    assert [s.uri for s in found.statuses] == [original.uri], found
    fetched = found.statuses[0]
    assert fetched.account.acct == bob.handle
    # The link people paste (the status's `url`, its HTML page) resolves to the same status.
    by_link = alice.api.search_v2(original.url, resolve=True, result_type="statuses")
    assert [s.uri for s in by_link.statuses] == [original.uri], by_link

    reply = alice.api.status_post(f"@{bob.handle} me! {text()}", in_reply_to_id=fetched.id, visibility="public")
    assert [m.acct for m in reply.mentions] == [bob.handle], reply.mentions

    mention = notification(bob, "mention", reply.uri, alice.handle)
    assert str(mention.status.in_reply_to_id) == str(original.id)

    context = bob.api.status_context(original.id)
    assert [s.uri for s in context.descendants] == [reply.uri]
    assert bob.api.status(original.id).replies_count == 1


def test_remote_favourite_and_boost(net: Network) -> None:
    alice, bob = person(net.alpha, "alice"), person(net.beta, "bob")
    follow_remote(alice, bob)
    posted = bob.api.status_post(f"Boost me, {text()}", visibility="public")
    seen = home_status(alice, posted.uri)

    assert alice.api.status_favourite(seen.id).favourited is True
    boost = alice.api.status_reblog(seen.id)
    assert boost.reblog is not None and boost.reblog.uri == posted.uri

    notification(bob, "favourite", posted.uri, alice.handle)
    notification(bob, "reblog", posted.uri, alice.handle)
    counted = wait_for(
        "bob's status counts alice's favourite and boost",
        lambda: (s := bob.api.status(posted.id)).favourites_count == 1 and s.reblogs_count == 1 and s,
    )
    assert (counted.favourites_count, counted.reblogs_count) == (1, 1)
    assert [a.acct for a in bob.api.status_favourited_by(posted.id)] == [alice.handle]
    assert [a.acct for a in bob.api.status_reblogged_by(posted.id)] == [alice.handle]


def test_edit_and_delete_reach_followers(net: Network) -> None:
    alice, bob = person(net.alpha, "alice"), person(net.beta, "bob")
    follow_remote(alice, bob)
    posted = bob.api.status_post(f"First draft, {text()}", visibility="public")
    seen = home_status(alice, posted.uri)
    assert seen.edited_at is None

    correction = f"Second draft, {text()}"
    edited = bob.api.status_update(posted.id, status=correction)
    assert correction in edited.content and edited.edited_at is not None
    updated = wait_for(
        "alice sees bob's edit",
        lambda: (s := alice.api.status(seen.id)).edited_at is not None and correction in s.content and s,
    )
    assert "First draft" not in updated.content

    bob.api.status_delete(posted.id)

    def gone() -> bool:
        try:
            alice.api.status(seen.id)
        except MastodonNotFoundError:
            return True
        return False

    wait_for("bob's deleted status is gone on alpha", gone)
    assert by_uri(alice.api.timeline_home(), posted.uri) is None


def test_followers_only_status_reaches_only_followers(net: Network) -> None:
    alice, bob, carol = person(net.alpha, "alice"), person(net.beta, "bob"), person(net.gamma, "carol")
    follow_remote(alice, bob)
    private = bob.api.status_post(f"Just for my followers, {text()}", visibility="private")
    public = bob.api.status_post(f"For everyone, {text()}", visibility="public")

    seen = home_status(alice, private.uri)
    assert seen.visibility == "private"
    home_status(alice, public.uri)

    # carol does not follow bob: gamma may fetch his public status, not the followers-only one.
    assert [s.uri for s in carol.api.search_v2(public.uri, resolve=True, result_type="statuses").statuses] == [
        public.uri
    ]
    assert carol.api.search_v2(private.uri, resolve=True, result_type="statuses").statuses == []
    bob_there = remote(carol, bob)
    uris = [s.uri for s in carol.api.account_statuses(bob_there.id)]
    assert public.uri in uris and private.uri not in uris, uris


def test_block_removes_the_follower_and_stops_delivery(net: Network) -> None:
    alice, bob, carol = person(net.alpha, "alice"), person(net.beta, "bob"), person(net.gamma, "carol")
    erin = person(net.alpha, "erin")  # alice's neighbour on alpha: shows what alpha knows of bob
    bob_there = follow_remote(alice, bob)
    follow_remote(carol, bob)
    before = bob.api.status_post(f"Before the block, {text()}", visibility="public")
    home_status(alice, before.uri)

    alice_there = remote(bob, alice)
    assert bob.api.account_block(alice_there.id).blocking is True
    assert [a.acct for a in bob.api.account_followers(bob.id)] == [carol.handle]
    wait_for("alice no longer follows bob", lambda: not relationship(alice, bob_there.id).following)
    assert relationship(alice, bob_there.id).blocked_by is True

    after = bob.api.status_post(f"After the block, {text()}", visibility="public")
    home_status(carol, after.uri)
    # Once beta has nothing left to send and alpha nothing left to apply, alpha has all it will ever get.
    wait_for("beta's deliveries are done", lambda: no_jobs_waiting(net.beta, ["distribute", "deliver"]))
    wait_for("alpha's inbox is done", lambda: no_jobs_waiting(net.alpha, ["inbox"]))
    assert by_uri(alice.api.timeline_home(), after.uri) is None
    known_on_alpha = [s.uri for s in erin.api.account_statuses(bob_there.id)]
    assert before.uri in known_on_alpha and after.uri not in known_on_alpha, known_on_alpha


def test_deleted_account_disappears_from_every_server_that_knows_it(net: Network) -> None:
    """alice (alpha) is deleted with the admin CLI. The Delete of the actor goes to every inbox alpha knows: beta,
    where bob follows her, and gamma, which follows nobody there (alice and carol only looked each other up). Both
    remove her; on alpha her file is gone and her name stays reserved."""
    alice, bob, carol = person(net.alpha, "alice"), person(net.beta, "bob"), person(net.gamma, "carol")
    alice_on_beta = follow_remote(bob, alice)
    alice_on_gamma = remote(carol, alice)
    remote(alice, carol)
    media = alice.api.media_post(png(64, 48), mime_type="image/png", synchronous=True)
    posted = alice.api.status_post(f"last words {text()}", media_ids=[media.id], visibility="public")
    home_status(bob, posted.uri)
    assert requests.get(media.url, timeout=30).status_code == 200
    # Beta caches the picture and serves its own copy; the admin CLI lets the copy go again.
    def cached_on_beta():
        seen = by_uri(bob.api.timeline_home(), posted.uri)
        url = seen.media_attachments[0].url if seen and seen.media_attachments else ""
        return url if url.startswith(net.beta.url("/system/")) else None

    cached = wait_for("beta caches alice's picture", cached_on_beta)
    assert requests.get(cached, timeout=30).status_code == 200
    # The prune goes by the post's age: let it be older than the one second asked for.
    time.sleep(1.5)
    pruned = net.beta.cli("admin", "media", "prune", "--older-than", "1s")
    assert pruned.returncode == 0 and "Deleted 2 cached files" in pruned.stdout, pruned.stdout + pruned.stderr
    assert requests.get(cached, timeout=30).status_code == 404
    assert by_uri(bob.api.timeline_home(), posted.uri).media_attachments[0].url == media.url

    result = net.alpha.cli("admin", "account", "delete", alice.username, "--yes")
    assert result.returncode == 0, result.stderr

    def gone(viewer: Person, account_id) -> bool:
        try:
            viewer.api.account(account_id)
        except MastodonNotFoundError:
            return True
        return False

    wait_for("alice is gone on beta", lambda: gone(bob, alice_on_beta.id))
    wait_for("alice is gone on gamma", lambda: gone(carol, alice_on_gamma.id))
    assert by_uri(bob.api.timeline_home(), posted.uri) is None
    assert bob.api.account(bob.id).following_count == 0
    wait_for("alice's file is deleted", lambda: requests.get(media.url, timeout=30).status_code == 404)
    actor = requests.get(
        net.alpha.url(f"/users/{alice.username}"), headers={"Accept": "application/activity+json"}, timeout=30
    )
    assert actor.status_code == 410
    taken = net.alpha.cli(
        "admin", "account", "create", alice.username, "--email", f"again-{alice.username}@example.org"
    )
    assert taken.returncode != 0 and "taken" in taken.stderr, taken.stderr


# --- 3. the inbox refuses what it cannot verify -------------------------------------------------------------


def test_inbox_refuses_unsigned_and_mistyped_posts(net: Network) -> None:
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{net.beta.base_url}/activities/{secrets.token_hex(8)}",
        "type": "Follow",
        "actor": f"{net.beta.base_url}/users/nobody",
        "object": f"{net.alpha.base_url}/actor",
    }
    unsigned = requests.post(
        net.alpha.url("/inbox"),
        json=activity,
        headers={"Content-Type": "application/activity+json"},
        timeout=30,
    )
    assert unsigned.status_code == 401, unsigned.text
    assert unsigned.headers["Content-Type"].startswith("application/json")
    assert unsigned.json()["error"]

    mistyped = requests.post(net.alpha.url("/inbox"), data="hello", headers={"Content-Type": "text/plain"}, timeout=30)
    assert mistyped.status_code == 415, mistyped.text
    assert mistyped.json()["error"]


# --- 4. a peer that is down (last: it stops gamma for a while) ----------------------------------------------


def test_deliveries_to_a_peer_that_was_down_are_retried(net: Network, tmp_path: Path) -> None:
    bob, dave = person(net.beta, "bob"), person(net.gamma, "dave")
    write_toot_config(net.gamma, dave, tmp_path)
    toot(tmp_path, "follow", bob.handle)
    bob_there = remote(dave, bob)
    wait_for("dave follows bob", lambda: relationship(dave, bob_there.id).following)
    wait_for("beta has nothing left to deliver", lambda: no_jobs_waiting(net.beta, ["distribute", "deliver"]))

    net.gamma.stop()
    try:
        posted = bob.api.status_post(f"Anyone there? {text()}", visibility="public")
        wait_for("beta's delivery to gamma fails", lambda: jobs(net.beta).get("deliver", (0, 0))[1] > 0)
    finally:
        net.gamma.start()
    retried = net.beta.cli("admin", "jobs", "retry")
    assert retried.returncode == 0, f"tern admin jobs retry: {retried.stdout}{retried.stderr}"
    seen = home_status(dave, posted.uri)
    assert seen.account.acct == bob.handle
    wait_for("beta's queue is empty again", lambda: no_jobs_waiting(net.beta, ["distribute", "deliver"]))
