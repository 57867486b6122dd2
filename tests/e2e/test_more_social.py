"""More social end-to-end tests: lists, markers, filters, polls, scheduled statuses, conversations, search,
blocks and mutes, follow requests, edits, pins and grouped notifications, through Mastodon.py where it has a
method and plain HTTP otherwise. Each runs on SQLite and PostgreSQL.

Every test makes its own accounts (alice, bob and carol; bob and carol follow alice), so the tests are independent.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

import pytest
import requests
from mastodon import MastodonAPIError, MastodonNotFoundError
from people import Trio, follow, ids, person
from tern_server import TernServer

# Every test signs in two to four accounts through the password grant; lift the auth rate limiter (shared by
# the whole module's server), as test_social.py does.
TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}


# --- helpers --------------------------------------------------------------------------------------------


def word() -> str:
    """A word no other status contains (letters only, so every tokenizer keeps it whole)."""
    return "w" + "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12))


# --- lists and markers ----------------------------------------------------------------------------------


def test_list_lifecycle(trio: Trio) -> None:
    alice, bob, carol = trio.alice, trio.bob, trio.carol
    follow(bob, carol)
    lst = bob.api.list_create("friends")
    assert lst.title == "friends"
    assert str(lst.id) in [str(x.id) for x in bob.api.lists()]

    carols_list = carol.api.list_create("strangers")
    with pytest.raises(MastodonNotFoundError):  # a list holds followed accounts only; carol does not follow bob
        carol.api.list_accounts_add(carols_list.id, [bob.id])
    bob.api.list_accounts_add(lst.id, [alice.id])
    assert [str(a.id) for a in bob.api.list_accounts(lst.id)] == [alice.id]

    alices = alice.api.status_post("for the list")
    carols = carol.api.status_post("not for the list")
    timeline = ids(bob.api.timeline_list(lst.id))
    assert str(alices.id) in timeline
    assert str(carols.id) not in timeline, "carol is not on the list"
    home = ids(bob.api.timeline_home())
    assert {str(alices.id), str(carols.id)} <= set(home), "a non-exclusive list leaves home alone"

    bob.api.list_delete(lst.id)
    assert str(lst.id) not in [str(x.id) for x in bob.api.lists()]
    with pytest.raises(MastodonNotFoundError):
        bob.api.timeline_list(lst.id)


def test_exclusive_list_hides_members_from_home(trio: Trio) -> None:
    alice, bob, carol = trio.alice, trio.bob, trio.carol
    follow(bob, carol)
    lst = bob.api.list_create("only here", exclusive=True)
    assert lst.exclusive is True
    bob.api.list_accounts_add(lst.id, [alice.id])

    alices = alice.api.status_post("exclusive to the list")
    carols = carol.api.status_post("carol at home")
    home = ids(bob.api.timeline_home())
    assert str(alices.id) not in home, "an exclusive list's members stay out of home"
    assert str(carols.id) in home
    assert str(alices.id) in ids(bob.api.timeline_list(lst.id))
    assert str(alices.id) in ids(carol.api.timeline_home()), "only the list owner's home is affected"


def test_markers(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    status = alice.api.status_post("mark me read")
    saved = bob.api.markers_set(["home"], [status.id])
    assert str(saved["home"].last_read_id) == str(status.id)

    markers = bob.api.markers_get(["home"])
    assert str(markers["home"].last_read_id) == str(status.id)
    first_version = markers["home"].version

    later = alice.api.status_post("read this too")
    bob.api.markers_set(["home"], [later.id])
    markers = bob.api.markers_get("home")
    assert str(markers["home"].last_read_id) == str(later.id)
    assert markers["home"].version > first_version
    assert "home" not in alice.api.markers_get(["home"]), "markers belong to their owner"


# --- filters --------------------------------------------------------------------------------------------


def test_filter_v2_hides_keyword_from_home(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    created = bob.api.create_filter_v2(
        "no spoilers",
        context=["home"],
        filter_action="hide",
        keywords_attributes=[{"keyword": "spoiler", "whole_word": True}],
    )
    assert created.title == "no spoilers"
    assert created.filter_action == "hide"
    assert [k.keyword for k in created.keywords] == ["spoiler"]
    assert [str(f.id) for f in bob.api.filters_v2()] == [str(created.id)]

    hidden = alice.api.status_post("the butler did it, spoiler")
    shown = alice.api.status_post("nothing to hide here")
    partial = alice.api.status_post("spoilers are not whole words")
    home = ids(bob.api.timeline_home())
    assert str(hidden.id) not in home, "a hide filter removes matching statuses from home"
    assert str(shown.id) in home
    assert str(partial.id) in home, "whole_word keeps 'spoilers' from matching 'spoiler'"
    assert str(hidden.id) in ids(trio.carol.api.timeline_home()), "filters belong to their owner"

    bob.api.delete_filter_v2(created.id)
    assert bob.api.filters_v2() == []
    assert str(hidden.id) in ids(bob.api.timeline_home())


# --- polls ----------------------------------------------------------------------------------------------


def test_poll_vote(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    status = alice.api.status_post("a or b?", poll=alice.api.make_poll(["a", "b"], expires_in=3600))
    assert status.poll is not None
    assert [o.title for o in status.poll.options] == ["a", "b"]
    poll_id = status.poll.id

    voted = bob.api.poll_vote(poll_id, [1])
    assert voted.voted is True
    assert list(voted.own_votes) == [1]

    seen = bob.api.poll(poll_id)
    assert seen.voted is True
    assert list(seen.own_votes) == [1]
    assert [o.votes_count for o in seen.options] == [0, 1]
    assert seen.votes_count == 1

    fresh = trio.carol.api.poll(poll_id)
    assert fresh.voted is False
    assert list(fresh.own_votes) == []

    with pytest.raises(MastodonAPIError):
        bob.api.poll_vote(poll_id, [0])
    assert [o.votes_count for o in bob.api.poll(poll_id).options] == [0, 1], "the second vote changed nothing"


# --- scheduled statuses ---------------------------------------------------------------------------------


def test_scheduled_status_lifecycle(trio: Trio) -> None:
    alice = trio.alice
    when = (datetime.now(timezone.utc) + timedelta(minutes=10)).replace(microsecond=0)
    scheduled = alice.api.status_post("later, alligator", scheduled_at=when)
    assert "params" in scheduled, f"expected a ScheduledStatus, got {scheduled}"
    assert scheduled.params.text == "later, alligator"
    assert abs((scheduled.scheduled_at - when).total_seconds()) < 1
    assert str(scheduled.id) not in ids(alice.api.account_statuses(alice.id)), "nothing is published yet"

    assert ids(alice.api.scheduled_statuses()) == [str(scheduled.id)]
    with pytest.raises(MastodonAPIError):  # 422: at least 5 minutes ahead, as in Mastodon
        alice.api.status_post("too soon", scheduled_at=datetime.now(timezone.utc) + timedelta(minutes=1))
    assert len(alice.api.scheduled_statuses()) == 1
    assert trio.bob.api.scheduled_statuses() == [], "scheduled statuses are private to their author"

    moved_to = when + timedelta(minutes=20)
    moved = alice.api.scheduled_status_update(scheduled.id, moved_to)
    assert abs((moved.scheduled_at - moved_to).total_seconds()) < 1
    assert abs((alice.api.scheduled_status(scheduled.id).scheduled_at - moved_to).total_seconds()) < 1

    alice.api.scheduled_status_delete(scheduled.id)
    assert alice.api.scheduled_statuses() == []
    with pytest.raises(MastodonNotFoundError):
        alice.api.scheduled_status(scheduled.id)


# --- conversations --------------------------------------------------------------------------------------


def test_conversation_unread_then_read(trio: Trio) -> None:
    alice, carol = trio.alice, trio.carol
    status = alice.api.status_post(f"@{carol.username} psst", visibility="direct")

    conversations = carol.api.conversations()
    assert len(conversations) == 1, conversations
    conversation = conversations[0]
    assert conversation.unread is True
    assert str(conversation.last_status.id) == str(status.id)
    assert [str(a.id) for a in conversation.accounts] == [alice.id]

    read = carol.api.conversations_read(conversation.id)
    assert read.unread is False
    assert carol.api.conversations()[0].unread is False
    assert trio.bob.api.conversations() == [], "bob was not part of it"
    assert [str(c.last_status.id) for c in alice.api.conversations()] == [str(status.id)]


# --- search and hashtags --------------------------------------------------------------------------------


def test_search_statuses_accounts_and_hashtags(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    term = word()
    status = alice.api.status_post(f"Looking for {term} in the haystack")

    found = bob.api.search_v2(term, resolve=False)
    assert ids(found.statuses) == [str(status.id)]

    by_name = bob.api.search_v2(alice.username, resolve=False)
    assert alice.id in [str(a.id) for a in by_name.accounts]

    tag = f"tern{secrets.token_hex(4)}"
    tagged = alice.api.status_post(f"tagged #{tag}")
    hashtags = bob.api.search_v2(f"#{tag}", resolve=False).hashtags
    assert [h.name for h in hashtags] == [tag]

    followed = bob.api.tag_follow(tag)
    assert followed.name == tag and followed.following is True
    assert [t.name for t in bob.api.followed_tags()] == [tag]
    assert bob.api.tag(tag).following is True
    unfollowed = bob.api.tag_unfollow(tag)
    assert unfollowed.following is False
    assert bob.api.followed_tags() == []
    assert str(tagged.id) in ids(bob.api.timeline_hashtag(tag))


# --- blocks, mutes and follow requests ------------------------------------------------------------------


def test_block_hides_both_ways(server: TernServer, trio: Trio) -> None:
    alice, bob, carol = trio.alice, trio.bob, trio.carol
    follow(alice, carol)
    carols = carol.api.status_post("carol before the block")
    alices = alice.api.status_post("alice before the block")
    assert str(carols.id) in ids(alice.api.timeline_home())

    relationship = alice.api.account_block(carol.id)
    assert relationship.blocking is True
    assert relationship.following is False, "blocking ends the blocker's follow"
    assert [str(a.id) for a in alice.api.blocks()] == [carol.id]

    assert str(carols.id) not in ids(alice.api.timeline_home())
    assert str(carols.id) not in ids(alice.api.timeline_public(limit=40))
    with pytest.raises(MastodonNotFoundError):
        carol.api.status(alices.id)
    assert str(alices.id) not in ids(carol.api.timeline_home()), "the block also ends carol's follow"
    assert str(alices.id) in ids(bob.api.timeline_home()), "others are not affected"

    alice.api.account_unblock(carol.id)
    assert alice.api.blocks() == []
    assert carol.api.status(alices.id).content == alices.content


def test_mute_hides_from_home(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    before = alice.api.status_post("before the mute")
    assert str(before.id) in ids(bob.api.timeline_home())

    relationship = bob.api.account_mute(alice.id)
    assert relationship.muting is True
    assert relationship.following is True, "a mute keeps the follow"
    assert [str(a.id) for a in bob.api.mutes()] == [alice.id]

    after = alice.api.status_post("after the mute")
    home = ids(bob.api.timeline_home())
    assert str(before.id) not in home and str(after.id) not in home
    assert bob.api.status(after.id).content == after.content, "muted statuses can still be opened"

    bob.api.account_unmute(alice.id)
    assert bob.api.mutes() == []
    again = alice.api.status_post("after the unmute")
    assert str(again.id) in ids(bob.api.timeline_home()), "statuses posted after the unmute reach home again"


def test_follow_request_authorize(server: TernServer) -> None:
    alice, bob = person(server, "alice"), person(server, "bob")
    me = alice.api.account_update_credentials(locked=True)
    assert me.locked is True

    relationship = bob.api.account_follow(alice.id)
    assert relationship.following is False
    assert relationship.requested is True
    assert [str(a.id) for a in alice.api.follow_requests()] == [bob.id]

    private = alice.api.status_post("followers only", visibility="private")
    with pytest.raises(MastodonNotFoundError):
        bob.api.status(private.id)

    authorized = alice.api.follow_request_authorize(bob.id)
    assert authorized.followed_by is True
    assert alice.api.follow_requests() == []
    mine = bob.api.account_relationships([alice.id])[0]
    assert (mine.following, mine.requested) == (True, False)
    assert bob.api.status(private.id).content == private.content
    assert bob.id in [str(a.id) for a in alice.api.account_followers(alice.id)]


# --- edits and pins -------------------------------------------------------------------------------------


def test_edit_history(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    original = alice.api.status_post("original text")
    assert len(bob.api.status_history(original.id)) == 1, "an unedited status has its original as history"
    edited = alice.api.status_update(original.id, status="edited")
    assert str(edited.id) == str(original.id)
    assert "edited" in edited.content
    assert edited.edited_at is not None

    history = bob.api.status_history(original.id)
    assert len(history) == 2, history
    assert "original text" in history[0].content
    assert "edited" in history[1].content
    assert "edited" in bob.api.status(original.id).content


def test_pins(trio: Trio) -> None:
    alice, bob = trio.alice, trio.bob
    first = alice.api.status_post("pin me")
    alice.api.status_post("do not pin me")

    pinned = alice.api.status_pin(first.id)
    assert pinned.pinned is True
    assert ids(bob.api.account_statuses(alice.id, pinned=True)) == [str(first.id)]

    alice.api.status_unpin(first.id)
    assert bob.api.account_statuses(alice.id, pinned=True) == []


# --- grouped notifications ------------------------------------------------------------------------------


def test_grouped_favourite_notifications(server: TernServer, trio: Trio) -> None:
    alice, bob, carol = trio.alice, trio.bob, trio.carol
    status = alice.api.status_post("favourite me twice")
    bob.api.status_favourite(status.id)
    carol.api.status_favourite(status.id)

    r = requests.get(
        server.url("/api/v2/notifications"),
        headers={"Authorization": f"Bearer {alice.token}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    favourites = [g for g in body["notification_groups"] if g["type"] == "favourite"]
    assert len(favourites) == 1, body["notification_groups"]
    group = favourites[0]
    assert group["notifications_count"] == 2
    assert group["status_id"] == str(status.id)
    assert sorted(group["sample_account_ids"]) == sorted([bob.id, carol.id])
    assert str(status.id) in [s["id"] for s in body["statuses"]]
    assert {bob.id, carol.id} <= {a["id"] for a in body["accounts"]}
