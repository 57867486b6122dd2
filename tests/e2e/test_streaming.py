"""The streaming API over server-sent events, read by a real HTTP client (requests) and by Mastodon.py.

Each test reads the event stream on a thread and waits (bounded) for the events it expects.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time

import requests
from mastodon import StreamListener
from people import follow, person
from tern_server import TernServer

WAIT = 30.0


class SSEReader:
    """Reads `event:`/`data:` pairs from one streaming path over a plain socket on a thread.

    A raw socket with a short receive timeout lets `close()` return at once; a blocking HTTP client
    would hold the connection until the server's next heartbeat.
    """

    def __init__(self, server: TernServer, path: str, token: str | None) -> None:
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.stopped = threading.Event()
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        request = f"GET {path} HTTP/1.1\r\nHost: {server.domain}\r\n{auth}Accept: text/event-stream\r\n\r\n"
        self.sock.sendall(request.encode())
        self.sock.settimeout(0.2)
        self.head = b""
        while b"\r\n\r\n" not in self.head:
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                continue
            assert chunk, "connection closed before the response head"
            self.head += chunk
        head, _, rest = self.head.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n")[0].decode()
        assert " 200 " in status_line, head.decode(errors="replace")
        assert b"text/event-stream" in head.lower()
        self.buffer = rest
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        event = None
        while not self.stopped.is_set():
            while b"\n" in self.buffer:
                raw, _, self.buffer = self.buffer.partition(b"\n")
                line = raw.decode(errors="replace").rstrip("\r")
                if line.startswith("event: "):
                    event = line[len("event: ") :]
                elif line.startswith("data: ") and event is not None:
                    self.events.put((event, line[len("data: ") :]))
                    event = None
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            if not chunk:
                return
            self.buffer += chunk

    def next_event(self, kind: str) -> str:
        """The data of the next event of this kind (other kinds are skipped)."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                event, data = self.events.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event == kind:
                return data
        raise AssertionError(f"no {kind} event within {WAIT} s")

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()


def test_health(server: TernServer) -> None:
    response = requests.get(server.url("/api/v1/streaming/health"), timeout=10)
    assert response.status_code == 200 and response.text == "OK"


def test_user_stream_gets_followed_posts_and_notifications(server: TernServer) -> None:
    alice, bob = person(server, "alice"), person(server, "bob")
    follow(alice, bob)
    reader = SSEReader(server, "/api/v1/streaming/user", alice.token)
    try:
        posted = bob.api.status_post("streamed to my followers")
        update = json.loads(reader.next_event("update"))
        assert update["id"] == str(posted.id)
        assert "streamed to my followers" in update["content"]
        bob.api.status_post(f"@{alice.username} are you there?")
        notification = json.loads(reader.next_event("notification"))
        assert notification["type"] == "mention"
        assert notification["account"]["id"] == bob.id
        bob.api.status_delete(posted.id)
        assert reader.next_event("delete") == str(posted.id)
    finally:
        reader.close()


def test_public_stream_needs_no_token_and_skips_unlisted(server: TernServer) -> None:
    bob = person(server, "bob")
    reader = SSEReader(server, "/api/v1/streaming/public/local", None)
    try:
        bob.api.status_post("only unlisted", visibility="unlisted")
        shown = bob.api.status_post("public for all")
        update = json.loads(reader.next_event("update"))
        assert update["id"] == str(shown.id)
    finally:
        reader.close()


def test_personal_streams_refuse_anonymous_clients(server: TernServer) -> None:
    response = requests.get(server.url("/api/v1/streaming/user"), timeout=10)
    assert response.status_code == 401
    assert "error" in response.json()


def test_mastodon_py_stream_user(server: TernServer) -> None:
    """Mastodon.py's own streaming client (it reads the same event stream)."""
    alice, bob = person(server, "alice"), person(server, "bob")
    follow(alice, bob)
    received: queue.Queue = queue.Queue()

    class Listener(StreamListener):
        def on_update(self, status) -> None:  # noqa: ANN001 (Mastodon.py's signature)
            received.put(status)

    handle = alice.api.stream_user(Listener(), run_async=True, reconnect_async=False)
    try:
        time.sleep(0.5)  # let the connection open before posting (not an assertion)
        posted = bob.api.status_post("for Mastodon.py's listener")
        status = received.get(timeout=WAIT)
        assert str(status.id) == str(posted.id)
    finally:
        # Mastodon.py's close waits for its reader, which waits for the next heartbeat: do not hold the test.
        threading.Thread(target=handle.close, daemon=True).start()


# --- WebSocket ------------------------------------------------------------------------------------


def ws_url(server: TernServer, query: str) -> str:
    return f"ws://{server.domain}/api/v1/streaming?{query}"


def next_ws_event(ws, kind: str) -> dict:
    """The next frame of this event kind (frames are JSON; the payload is JSON inside a string)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        frame = json.loads(ws.recv())
        if frame["event"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame within {WAIT} s")


def test_websocket_streams_subscribes_and_unsubscribes(server: TernServer) -> None:
    import websocket  # websocket-client

    alice, bob = person(server, "alice"), person(server, "bob")
    follow(alice, bob)
    ws = websocket.create_connection(ws_url(server, f"access_token={alice.token}&stream=user"), timeout=10)
    try:
        posted = bob.api.status_post("over the socket")
        frame = next_ws_event(ws, "update")
        assert frame["stream"] == ["user"]
        assert json.loads(frame["payload"])["id"] == str(posted.id)

        # A stranger's tagged post arrives once the hashtag stream is subscribed, on that stream.
        carol = person(server, "carol")
        ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "wren"}))
        time.sleep(0.3)  # the subscription is handled asynchronously (not an assertion)
        tagged = carol.api.status_post("a #wren sang")
        frame = next_ws_event(ws, "update")
        assert frame["stream"] == ["hashtag", "wren"]
        assert json.loads(frame["payload"])["id"] == str(tagged.id)

        # After unsubscribing it does not: the next update is bob's marker, not carol's second wren.
        ws.send(json.dumps({"type": "unsubscribe", "stream": "hashtag", "tag": "wren"}))
        time.sleep(0.3)
        carol.api.status_post("another #wren")
        marker = bob.api.status_post("marker")
        frame = next_ws_event(ws, "update")
        assert json.loads(frame["payload"])["id"] == str(marker.id)
    finally:
        ws.close()


def test_websocket_token_in_the_protocol_header_and_bad_tokens(server: TernServer) -> None:
    import websocket  # websocket-client

    alice = person(server, "alice")
    ws = websocket.create_connection(ws_url(server, "stream=user:notification"), subprotocols=[alice.token], timeout=10)
    try:
        bob = person(server, "bob")
        bob.api.status_post(f"@{alice.username} hello")
        frame = next_ws_event(ws, "notification")
        assert json.loads(frame["payload"])["type"] == "mention"
    finally:
        ws.close()
    try:
        websocket.create_connection(ws_url(server, "access_token=not-a-token&stream=user"), timeout=10)
        raise AssertionError("a bad token was upgraded")
    except websocket.WebSocketBadStatusException as error:
        # The WebSocket library answers a refused upgrade with a bare 400 (Mastodon's own server says 401).
        assert error.status_code == 400
