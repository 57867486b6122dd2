"""Notification policy and requests, and trending statuses, through Mastodon.py on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from mastodon import MastodonAPIError, MastodonNotFoundError
from people import follow, ids, person
from tern_server import TernServer

TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}


def test_filtered_notifications_wait_as_a_request_until_accepted(server: TernServer) -> None:
    alice, bob, carol = person(server, "alice"), person(server, "bob"), person(server, "carol")
    follow(alice, carol)
    policy = alice.api.update_notifications_policy(for_not_following="filter")
    assert policy.for_not_following == "filter" and policy.for_private_mentions == "accept"

    mention = bob.api.status_post(f"@{alice.username} hello from a stranger")
    carol.api.status_post(f"@{alice.username} hello from a friend")
    shown = alice.api.notifications()
    assert [str(n.account.id) for n in shown] == [carol.id]

    requests = alice.api.notification_requests()
    assert len(requests) == 1
    request = requests[0]
    assert str(request.account.id) == bob.id and str(request.notifications_count) == "1"
    assert str(request.last_status.id) == str(mention.id)
    assert alice.api.notifications_policy().summary.pending_requests_count == 1
    assert str(alice.api.notification_request(request.id).id) == str(request.id)
    with pytest.raises(MastodonNotFoundError):
        carol.api.notification_request(request.id)

    alice.api.accept_notification_request(request.id)
    assert alice.api.notification_requests() == []
    assert {str(n.account.id) for n in alice.api.notifications()} == {bob.id, carol.id}
    # bob is accepted from now on.
    bob.api.status_post(f"@{alice.username} me again")
    assert len(alice.api.notifications()) == 3


def test_dismissed_and_dropped_notifications_are_gone(server: TernServer) -> None:
    alice, bob = person(server, "alice"), person(server, "bob")
    alice.api.update_notifications_policy(for_private_mentions="filter")
    bob.api.status_post(f"@{alice.username} just us", visibility="direct")
    requests = alice.api.notification_requests()
    assert len(requests) == 1
    alice.api.dismiss_multiple_notification_requests([requests[0].id])
    assert alice.api.notification_requests() == []
    assert alice.api.notifications() == []

    alice.api.update_notifications_policy(for_new_accounts="drop")
    bob.api.status_post(f"@{alice.username} anyone?")
    assert alice.api.notifications() == [] and alice.api.notification_requests() == []
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.update_notifications_policy(for_not_followers="sometimes")
    assert refused.value.args[1] == 422


def test_trending_statuses(server: TernServer) -> None:
    alice, bob, carol = person(server, "alice"), person(server, "bob"), person(server, "carol")
    liked = alice.api.status_post("liked by two")
    boosted = alice.api.status_post("boosted once")
    alice.api.status_post("ignored")
    for fan in (bob, carol):
        fan.api.status_favourite(liked.id)
    bob.api.status_reblog(boosted.id)
    trending = ids(alice.api.trending_statuses())
    assert trending[:2] == [str(liked.id), str(boosted.id)]
    assert ids(alice.api.trending_statuses(limit=1, offset=1)) == [str(boosted.id)]
