"""Social end-to-end tests: statuses, follows, visibility, timelines, notifications and pagination through
Mastodon.py, the `toot` command-line client, and bad input through plain HTTP. Each runs on SQLite and PostgreSQL.

The story: bob and carol follow alice; alice posts, mentions, gets replies, favourites, boosts and bookmarks;
followers-only and direct statuses reach only the right people; bob pages his home timeline; deleting and
unfollowing take alice's statuses out of it. Every test makes its own accounts, so the tests are independent.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
import requests
from mastodon import MastodonNotFoundError
from people import Person, Trio, follow, ids, person
from tern_server import TernServer
from toot_cli import toot, write_toot_config

# Every test signs in two to four accounts through the password grant; the default allowance of the auth rate
# limiter (25 POSTs per 5 minutes per address) is shared by the whole module's server, so lift it here.
TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}

# --- helpers --------------------------------------------------------------------------------------------


def notifications_of(who: Person, kind: str) -> list:
    return [n for n in who.api.notifications(limit=80) if n.type == kind]


# --- 1. the three-account story through Mastodon.py -----------------------------------------------------


def test_mention_reaches_home_timeline_and_notifications(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    status = alice.api.status_post(f"Hello @{bob.username}, welcome to #tern", visibility="public")
    assert status.visibility == "public"
    assert [m.acct for m in status.mentions] == [bob.username], status.mentions
    assert "tern" in [t.name for t in status.tags], status.tags

    assert str(status.id) in ids(bob.api.timeline_home())
    assert str(status.id) in ids(trio.carol.api.timeline_home())
    assert str(status.id) in ids(alice.api.timeline_home()), "authors see their own statuses at home"

    mentions = notifications_of(bob, "mention")
    assert [str(n.status.id) for n in mentions] == [str(status.id)], mentions
    assert str(mentions[0].account.id) == alice.id
    assert not notifications_of(trio.carol, "mention"), "carol was not mentioned"


def test_reply_shows_in_context(trio: Trio) -> None:
    alice, carol = trio.alice, trio.carol
    original = alice.api.status_post("What shall we build next? #tern")
    reply = carol.api.status_post(f"@{alice.username} a bird feeder", in_reply_to_id=original.id)
    assert str(reply.in_reply_to_id) == str(original.id)
    assert str(reply.in_reply_to_account_id) == alice.id

    below = alice.api.status_context(original.id)
    assert ids(below.ancestors) == []
    assert ids(below.descendants) == [str(reply.id)]

    above = trio.bob.api.status_context(reply.id)
    assert ids(above.ancestors) == [str(original.id)]
    assert ids(above.descendants) == []

    assert alice.api.status(original.id).replies_count == 1
    assert [str(n.status.id) for n in notifications_of(alice, "mention")] == [str(reply.id)]


def test_favourite_and_boost_notify_the_author(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    status = alice.api.status_post("Favourite me #tern")

    favourited = bob.api.status_favourite(status.id)
    assert favourited.favourited is True
    assert favourited.favourites_count == 1
    boost = bob.api.status_reblog(status.id)
    assert boost.reblog is not None and str(boost.reblog.id) == str(status.id)
    assert boost.reblog.reblogged is True

    seen_by_bob = bob.api.status(status.id)
    assert (seen_by_bob.favourited, seen_by_bob.reblogged) == (True, True)
    assert (seen_by_bob.favourites_count, seen_by_bob.reblogs_count) == (1, 1)
    assert [a.acct for a in alice.api.status_favourited_by(status.id)] == [bob.username]
    assert [a.acct for a in alice.api.status_reblogged_by(status.id)] == [bob.username]
    assert str(status.id) in ids(bob.api.favourites())

    favourites = notifications_of(alice, "favourite")
    assert [(str(n.account.id), str(n.status.id)) for n in favourites] == [(bob.id, str(status.id))]
    reblogs = notifications_of(alice, "reblog")
    assert [(str(n.account.id), str(n.status.id)) for n in reblogs] == [(bob.id, str(status.id))]
    follows = notifications_of(alice, "follow")
    assert sorted(str(n.account.id) for n in follows) == sorted([bob.id, trio.carol.id])


def test_bookmarks(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    status = alice.api.status_post("Bookmark me #tern")
    assert bob.api.bookmarks() == []

    bookmarked = bob.api.status_bookmark(status.id)
    assert bookmarked.bookmarked is True
    assert ids(bob.api.bookmarks()) == [str(status.id)]
    assert bob.api.status(status.id).bookmarked is True
    assert alice.api.status(status.id).bookmarked is False, "bookmarks are private to their owner"
    assert {n.type for n in alice.api.notifications()} == {"follow"}, "a bookmark notifies nobody"

    bob.api.status_unbookmark(status.id)
    assert bob.api.bookmarks() == []


def test_followers_only_status(server: TernServer, trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    outsider = person(server, "dave")
    status = alice.api.status_post("Only for my followers", visibility="private")
    assert status.visibility == "private"

    assert bob.api.status(status.id).content == status.content
    assert str(status.id) in ids(bob.api.timeline_home())

    with pytest.raises(MastodonNotFoundError):
        outsider.api.status(status.id)
    with pytest.raises(MastodonNotFoundError):
        server.mastodon().status(status.id)  # anonymous
    assert str(status.id) not in ids(outsider.api.timeline_public(limit=40))
    assert str(status.id) not in ids(outsider.api.account_statuses(alice.id))
    assert str(status.id) in ids(bob.api.account_statuses(alice.id))


def test_direct_message(trio: Trio) -> None:
    alice, bob, carol = trio.alice, trio.bob, trio.carol
    status = alice.api.status_post(f"@{carol.username} just between us", visibility="direct")
    assert status.visibility == "direct"

    assert carol.api.status(status.id).visibility == "direct"
    assert str(status.id) in ids(carol.api.timeline_home())
    assert [str(n.status.id) for n in notifications_of(carol, "mention")] == [str(status.id)]

    with pytest.raises(MastodonNotFoundError):
        bob.api.status(status.id)
    assert str(status.id) not in ids(bob.api.timeline_home())
    assert str(status.id) not in ids(bob.api.timeline_public(limit=40))
    assert str(status.id) not in ids(bob.api.account_statuses(alice.id))


def test_public_local_and_hashtag_timelines(server: TernServer) -> None:
    alice = person(server, "alice")
    tag = f"tern{secrets.token_hex(4)}"
    public = alice.api.status_post(f"Out in the open #tern #{tag}")
    unlisted = alice.api.status_post(f"Quietly #tern #{tag}", visibility="unlisted")
    private = alice.api.status_post(f"Followers only #tern #{tag}", visibility="private")

    anonymous = server.mastodon()
    for label, timeline in [
        ("public", anonymous.timeline_public(limit=40)),
        ("local", anonymous.timeline_local(limit=40)),
        ("hashtag", anonymous.timeline_hashtag("tern", limit=40)),
        ("signed-in public", alice.api.timeline_public(limit=40)),
    ]:
        seen = ids(timeline)
        assert str(public.id) in seen, f"{label} timeline lacks the public status"
        assert str(unlisted.id) not in seen, f"{label} timeline shows an unlisted status"
        assert str(private.id) not in seen, f"{label} timeline shows a followers-only status"

    assert ids(anonymous.timeline_hashtag(tag)) == [str(public.id)]
    assert ids(anonymous.timeline_hashtag(tag.upper())) == [str(public.id)], "hashtags are case-insensitive"
    assert anonymous.timeline_hashtag(f"nothing{secrets.token_hex(4)}") == []


def test_home_timeline_pagination(server: TernServer) -> None:
    alice, bob = person(server, "alice"), person(server, "bob")
    follow(bob, alice)
    posted = [str(alice.api.status_post(f"Status number {i}").id) for i in range(45)]

    seen: list[str] = []
    page = bob.api.timeline_home(limit=20)
    pages = 0
    while page:
        pages += 1
        assert len(page) <= 20
        seen += ids(page)
        assert pages <= 5, f"still paging after {len(seen)} statuses"
        page = bob.api.fetch_next(page)

    assert len(seen) == len(set(seen)), "a status came twice"
    numbers = [int(i) for i in seen]
    assert all(a > b for a, b in zip(numbers, numbers[1:])), "ids do not strictly decrease"
    assert seen == list(reversed(posted))


def test_deleted_status_leaves_home_timeline(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    keep = alice.api.status_post("This one stays")
    gone = alice.api.status_post("This one goes")
    assert {str(keep.id), str(gone.id)} <= set(ids(bob.api.timeline_home()))

    deleted = alice.api.status_delete(gone.id)
    assert str(deleted.id) == str(gone.id)
    assert deleted.text == "This one goes", "DELETE answers with the source text, for delete-and-redraft"

    home = ids(bob.api.timeline_home())
    assert str(gone.id) not in home
    assert str(keep.id) in home
    with pytest.raises(MastodonNotFoundError):
        bob.api.status(gone.id)
    with pytest.raises(MastodonNotFoundError):
        alice.api.status(gone.id)


def test_unfollow_removes_statuses_from_home(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    carols = trio.carol.api.status_post("carol says hi")
    follow(bob, trio.carol)
    alices = [str(alice.api.status_post(f"alice #{i}").id) for i in range(3)]
    assert set(alices) <= set(ids(bob.api.timeline_home()))

    relationship = bob.api.account_unfollow(alice.id)
    assert relationship.following is False
    home = ids(bob.api.timeline_home())
    assert not set(alices) & set(home), "alice's statuses are still in bob's home after the unfollow"
    assert str(carols.id) in home, "following merges the followee's recent statuses into home, as Mastodon does"
    later = trio.carol.api.status_post("carol again")
    assert str(later.id) in ids(bob.api.timeline_home())
    assert all(str(f.id) != alice.id for f in bob.api.account_following(bob.id))
    assert all(str(f.id) != bob.id for f in alice.api.account_followers(alice.id))


# --- 2. the toot command-line client ---------------------------------------------------------------------


def test_toot_cli(server: TernServer, tmp_path: Path) -> None:
    alice = person(server, "alice")
    write_toot_config(server, alice, tmp_path)

    whoami = toot(tmp_path, "whoami")
    assert f"@{alice.username}" in whoami.stdout
    assert f"ID: {alice.id}" in whoami.stdout

    text = f"hello from toot {secrets.token_hex(4)}"
    posted = toot(tmp_path, "post", text)
    assert posted.stdout.startswith("Toot posted: "), posted.stdout
    url = posted.stdout.removeprefix("Toot posted: ").strip()
    assert url.startswith(server.base_url + "/"), url

    mine = alice.api.account_statuses(alice.id, limit=1)
    assert len(mine) == 1 and text in mine[0].content
    assert mine[0].url == url
    assert mine[0].visibility == "public"
    assert str(mine[0].id) in ids(server.mastodon().timeline_public(limit=40))

    timeline = toot(tmp_path, "timelines", "home", "--no-pager")
    assert text in timeline.stdout
    assert f"@{alice.username}" in timeline.stdout

    legacy = toot(tmp_path, "timeline", "--once")
    assert text in legacy.stdout

    as_json = json.loads(toot(tmp_path, "whoami", "--json").stdout)
    assert as_json["username"] == alice.username


# --- 3. bad input through plain HTTP -------------------------------------------------------------------


def bearer(who: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {who.api.access_token}"}


def error_of(response: requests.Response, status: int) -> str:
    request = response.request
    assert response.status_code == status, (
        f"{request.method} {request.url}: HTTP {response.status_code} {response.text[:500]}"
    )
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body
    return body["error"]


def test_too_long_status_is_refused(server: TernServer) -> None:
    alice = person(server, "alice")
    instance = requests.get(server.url("/api/v2/instance"), timeout=10).json()
    assert instance["configuration"]["statuses"]["max_characters"] == 500

    statuses = server.url("/api/v1/statuses")
    error_of(requests.post(statuses, headers=bearer(alice), data={"status": "a" * 501}, timeout=10), 422)
    error_of(requests.post(statuses, headers=bearer(alice), json={"status": "a" * 501}, timeout=10), 422)
    exactly = requests.post(statuses, headers=bearer(alice), json={"status": "b" * 500}, timeout=10)
    assert exactly.status_code == 200, exactly.text
    assert alice.api.account_verify_credentials().statuses_count == 1


def test_unknown_status_is_not_found(server: TernServer) -> None:
    alice = person(server, "alice")
    for path in ["/api/v1/statuses/99999999999999999", "/api/v1/statuses/not-an-id"]:
        error_of(requests.get(server.url(path), headers=bearer(alice), timeout=10), 404)
        error_of(requests.get(server.url(path), timeout=10), 404)
    error_of(requests.get(server.url("/api/v1/statuses/99999999999999999/context"), timeout=10), 404)
    error_of(
        requests.post(server.url("/api/v1/statuses/99999999999999999/favourite"), headers=bearer(alice), timeout=10),
        404,
    )


def test_deleting_someone_elses_status_is_not_found(server: TernServer) -> None:
    alice, bob = person(server, "alice"), person(server, "bob")
    status = alice.api.status_post("Mine, not bob's")

    error_of(requests.delete(server.url(f"/api/v1/statuses/{status.id}"), headers=bearer(bob), timeout=10), 404)
    still = requests.get(server.url(f"/api/v1/statuses/{status.id}"), timeout=10)
    assert still.status_code == 200, still.text
    assert still.json()["id"] == str(status.id)


def test_reply_to_unknown_status_is_not_found(server: TernServer) -> None:
    alice = person(server, "alice")
    for parent in ["99999999999999999", "not-an-id"]:
        answer = requests.post(
            server.url("/api/v1/statuses"),
            headers=bearer(alice),
            json={"status": "answering nobody", "in_reply_to_id": parent},
            timeout=10,
        )
        error_of(answer, 404)
    assert alice.api.account_verify_credentials().statuses_count == 0


def test_private_status_is_not_found_for_strangers_over_http(server: TernServer) -> None:
    alice, stranger = person(server, "alice"), person(server, "erin")
    status = alice.api.status_post("followers only", visibility="private")
    for headers in (bearer(stranger), {}):
        error_of(requests.get(server.url(f"/api/v1/statuses/{status.id}"), headers=headers, timeout=10), 404)
        error_of(requests.get(server.url(f"/api/v1/statuses/{status.id}/context"), headers=headers, timeout=10), 404)
