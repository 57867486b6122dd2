"""Signed-in accounts for the social end-to-end tests: a Mastodon.py client per person, and a trio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from mastodon import Mastodon
from tern_server import Account, TernServer


@dataclass
class Person:
    account: Account
    api: Mastodon
    id: str
    server: TernServer

    @property
    def handle(self) -> str:
        """username@domain: how other servers name this account (`acct` there)."""
        return f"{self.username}@{self.server.domain}"

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def token(self) -> str:
        return self.api.access_token


def person(server: TernServer, prefix: str) -> Person:
    """A new local account signed in through the password grant."""
    account = server.create_account(prefix)
    api = server.password_login(account)
    me = api.account_verify_credentials()
    assert me.username == account.username
    return Person(account=account, api=api, id=str(me.id), server=server)


def follow(follower: Person, followee: Person) -> None:
    relationship = follower.api.account_follow(followee.id)
    assert relationship.following, relationship


def ids(statuses: Iterable) -> list[str]:
    return [str(s.id) for s in statuses]


@dataclass
class Trio:
    alice: Person
    bob: Person
    carol: Person


def make_trio(server: TernServer) -> Trio:
    """alice, bob and carol; bob and carol follow alice."""
    alice, bob, carol = person(server, "alice"), person(server, "bob"), person(server, "carol")
    follow(bob, alice)
    follow(carol, alice)
    return Trio(alice, bob, carol)
