"""Taking one's data to another server, on two live servers (SQLite and PostgreSQL): alice's CSV exports from
/settings/exports/*.csv on one server, uploaded on /settings/import by her new account on the other, give the
same exports there once the imports finished (the job's progress is read from the page); her archive
(/settings/export/archive.zip) is read with Python's zipfile. Follows travel first and are accepted before lists
are imported, as the import page suggests.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from typing import Iterator

import pytest
from forms import FormSession, signed_in_session
from images import png
from people import Person, person
from tern_server import DATABASES, DEFAULT_PASSWORD, TernServer, running_servers

ENV = {"TERN_FEDERATION_ALLOWED_ADDRESSES": "127.0.0.1/32", "TERN_AUTH_RATE_LIMIT": "0"}
FILES = ["follows.csv", "lists.csv", "blocks.csv", "mutes.csv", "domain_blocks.csv", "bookmarks.csv"]
KINDS = {"follows.csv": "following", "lists.csv": "lists", "blocks.csv": "blocks", "mutes.csv": "mutes",
         "domain_blocks.csv": "domain_blocks", "bookmarks.csv": "bookmarks"}
TIMEOUT = 90.0


@pytest.fixture(scope="module", params=DATABASES)
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[TernServer]]:
    with running_servers(request.param, 2, tmp_path_factory, f"export-import-{request.param}", ENV) as servers:
        yield servers


def web(someone: Person) -> FormSession:
    return signed_in_session(someone.server, someone.username, DEFAULT_PASSWORD)


def export(session: FormSession, name: str) -> str:
    answer = session.get(f"/settings/exports/{name}")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv"), answer.text
    return answer.text


def lines(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line)


def import_file(session: FormSession, kind: str, text: str) -> None:
    """Uploads a CSV on /settings/import and waits until the page says that import finished."""
    page = session.open("/settings/import")
    before = page.text.count("finished,")
    answer = session.http.post(
        session.server.url("/settings/import"),
        data={"authenticity_token": session.csrf, "type": kind, "mode": "merge"},
        files={"data": (f"{kind}.csv", text.encode(), "text/csv")},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.text
    deadline = time.monotonic() + TIMEOUT
    while session.get("/settings/import").text.count("finished,") <= before:
        assert time.monotonic() < deadline, f"the {kind} import never finished"
        time.sleep(0.2)


def test_csv_exports_imported_elsewhere_export_the_same(pair: list[TernServer]) -> None:
    old_home, new_home = pair
    alice, bob, carol, dave = (person(old_home, name) for name in ("alice", "bob", "carol", "dave"))
    alice.api.account_follow(bob.id, notify=True)
    alice.api.account_follow(carol.id, reblogs=False)
    alice.api.account_block(dave.id)
    alice.api.account_mute(carol.id, notifications=False)
    alice.api.domain_block("spam.example")
    friends = alice.api.list_create("Friends, close")
    alice.api.list_accounts_add(friends.id, [bob.id])
    post = bob.api.status_post("worth keeping", visibility="public")
    alice.api.status_bookmark(post.id)

    old = web(alice)
    exported = {name: export(old, name) for name in FILES}
    assert f"{bob.username}@{old_home.domain},true,true," in exported["follows.csv"]

    moved = person(new_home, "alice")
    new = web(moved)
    for name in FILES:  # follows first: lists hold accounts already followed
        import_file(new, KINDS[name], exported[name])
        if name == "follows.csv":
            deadline = time.monotonic() + TIMEOUT
            while len(moved.api.account_following(moved.id)) < 2:
                assert time.monotonic() < deadline, "the imported follows were never accepted"
                time.sleep(0.2)
    page = new.get("/settings/import").text
    assert page.count("failed.") == len(FILES) and ", 0 failed." in page and not re.search(r"[1-9]\d* failed\.", page), page
    for name in FILES:
        assert lines(export(new, name)) == lines(exported[name]), name


def test_archive_holds_posts_files_and_collections_and_imports_elsewhere(pair: list[TernServer]) -> None:
    server, other = pair
    alice = person(server, "alice")
    media = alice.api.media_post(png(40, 30), mime_type="image/png", synchronous=True)
    alice.api.status_post("with a picture", media_ids=[media.id], visibility="public")
    alice.api.status_post("for followers", visibility="private")
    answer = web(alice).get("/settings/export/archive.zip")
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert archive.testzip() is None
    outbox = json.loads(archive.read("outbox.json"))
    notes = [item["object"] for item in outbox["orderedItems"]]
    assert [("picture" in n["content"], n["type"]) for n in notes] == [(True, "Note"), (False, "Note")]
    path = notes[0]["attachment"][0]["url"]
    assert archive.read(path.lstrip("/")).startswith(b"\x89PNG")
    actor = json.loads(archive.read("actor.json"))
    assert actor["preferredUsername"] == alice.username and actor["outbox"] == "outbox.json"
    assert json.loads(archive.read("likes.json"))["orderedItems"] == []

    # The same archive, imported on the other server by alice's new account, gives her posts back there.
    moved = person(other, "alice")
    session = web(moved)
    session.open("/settings/import")
    imported = session.http.post(
        other.url("/settings/import/archive"),
        data={"authenticity_token": session.csrf},
        files={"archive": ("archive.zip", answer.content, "application/zip")},
        allow_redirects=False,
        timeout=60,
    )
    assert imported.status_code == 303, imported.text
    assert "Imported 2 posts and 1 pictures" in session.get(imported.headers["Location"]).text
    originals = alice.api.account_statuses(alice.id)
    copies = moved.api.account_statuses(moved.id)
    assert [(s.visibility, s.created_at.replace(microsecond=0)) for s in copies] == [
        (s.visibility, s.created_at.replace(microsecond=0)) for s in originals
    ]
    assert "picture" in copies[-1].content and len(copies[-1].media_attachments) == 1
    broken = session.http.post(
        other.url("/settings/import/archive"),
        data={"authenticity_token": session.csrf},
        files={"archive": ("archive.zip", b"PK\x03\x04 not really", "application/zip")},
        allow_redirects=False,
        timeout=60,
    )
    assert broken.status_code == 422 and "not a ZIP archive" in broken.text
    assert len(moved.api.account_statuses(moved.id)) == 2
