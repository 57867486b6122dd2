#!/usr/bin/env python3
"""Loopback ActivityPub inbox sink for scripts/bench-federation.sh.

  inbox_sink.py serve --base-port 20000 --hosts 3000 --port-file FILE [--actor-key PEM]
      Listens on 127.0.0.1:base … base+hosts-1 (one "remote host" per port). POST /inbox is answered
      202 after checking what a real receiver checks: Host is this port, Digest is the SHA-256 of the
      body, Date is fresh, the draft-cavage signature covers (request-target) host date digest and
      verifies with the sender's public key (fetched once per keyId from the sender, loopback only),
      and the activity's actor owns the key. Anything else is answered 401/400 and counted as rejected.
      Per activity id it counts accepted deliveries, the ports reached and duplicates (the same
      activity twice on the same port), with the time of the first and last accepted delivery.

      A control server on another port (written to --port-file once every port listens) answers
        GET /stats[?id=ACTIVITY_ID]   JSON counters (for one activity: also the ports still missing)
        GET /wait?id=ID&ports=N&timeout=S   waits until ID reached N ports (at most S s), then answers
                                      "ports accepted duplicates rejected"
        GET /arm?pid=PID&at=N         SIGKILL PID the moment any activity reaches N ports (crash test)
        GET /users/sender             a Person whose key is --actor-key (for the inbound benchmark)

  inbox_sink.py keygen --out PEM
  inbox_sink.py inbound --key PEM --actor URL --target HOST:PORT --out-dir DIR
      Writes body.json, curl-headers.txt and inbound.lua: one signed Create (a public Note) for POST
      http://HOST:PORT/inbox, signed over (request-target) host date digest content-type.

Only talks to 127.0.0.1 / ::1 / localhost. Needs the `cryptography` package.
"""

import argparse
import asyncio
import base64
import email.utils
import hashlib
import json
import os
import re
import resource
import signal
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
REQUIRED_SIGNED = ("(request-target)", "host", "date", "digest")
SIGNATURE_PARAM = re.compile(r'([A-Za-z]+)="((?:[^"\\]|\\.)*)"')
MAX_HEAD = 64 * 1024
MAX_BODY = 1 << 20


class Rejected(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class ActivityStats:
    __slots__ = ("accepted", "duplicates", "ports", "first", "last", "complete")

    def __init__(self):
        self.accepted = 0
        self.duplicates = 0
        self.ports = Counter()  # port -> accepted copies
        self.first = None
        self.last = None
        self.complete = None  # when the last missing port got its first copy


class Sink:
    def __init__(self, base_port, hosts, date_window, actor_pem):
        self.base_port = base_port
        self.hosts = hosts
        self.date_window = date_window
        self.actor_pem = actor_pem
        self.control_port = None
        self.activities = {}
        self.rejected = 0
        self.rejected_reasons = Counter()
        self.requests = 0
        self.keys = {}  # keyId -> (public key, owner) or a Future while it is fetched
        self.armed = None  # (pid, at)
        self.killed_at = None
        self.started = time.time()

    # --- Verification -------------------------------------------------------------------------
    async def key_for(self, key_id):
        entry = self.keys.get(key_id)
        if entry is None:
            entry = asyncio.get_running_loop().create_future()
            self.keys[key_id] = entry
            try:
                result = await asyncio.get_running_loop().run_in_executor(None, fetch_key, key_id)
            except Exception as error:  # noqa: BLE001 - any failure means: no key
                del self.keys[key_id]
                entry.set_exception(Rejected(401, f"key fetch failed: {error}"))
                entry.exception()  # mark retrieved
                raise Rejected(401, f"key fetch failed: {error}") from None
            self.keys[key_id] = result
            entry.set_result(result)
            return result
        if isinstance(entry, asyncio.Future):
            return await asyncio.shield(entry)
        return entry

    def cached_key(self, key_id):
        entry = self.keys.get(key_id)
        return None if entry is None or isinstance(entry, asyncio.Future) else entry

    def precheck(self, port, method, target, headers, body):
        """Every check that needs no key; returns (signature parameters, signed header names, activity)."""
        if method != "POST" or target != "/inbox":
            raise Rejected(404, "not an inbox")
        if headers.get("host") != f"127.0.0.1:{port}":
            raise Rejected(401, "Host is not this port")
        signature = headers.get("signature")
        if not signature:
            raise Rejected(401, "not signed")
        params = {k.lower(): v.replace('\\"', '"').replace("\\\\", "\\") for k, v in SIGNATURE_PARAM.findall(signature)}
        if "keyid" not in params or "signature" not in params:
            raise Rejected(401, "malformed Signature")
        if params.get("algorithm", "rsa-sha256").lower() not in ("rsa-sha256", "hs2019"):
            raise Rejected(401, "unsupported algorithm")
        signed = params.get("headers", "date").lower().split()
        for name in REQUIRED_SIGNED:
            if name not in signed:
                raise Rejected(401, f"{name} not signed")
        digest = headers.get("digest", "")
        expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if not any(part.strip() == expected for part in digest.split(",")):
            raise Rejected(401, "Digest does not match the body")
        try:
            date = email.utils.parsedate_to_datetime(headers.get("date", "")).timestamp()
        except (TypeError, ValueError):
            raise Rejected(401, "bad Date") from None
        if abs(time.time() - date) > self.date_window:
            raise Rejected(401, "stale Date")
        try:
            activity = json.loads(body)
            activity_id = activity["id"]
            actor = activity["actor"]
        except (ValueError, KeyError, TypeError):
            raise Rejected(400, "not an activity") from None
        if not isinstance(activity_id, str) or not isinstance(actor, str):
            raise Rejected(400, "not an activity")
        lines = []
        for name in signed:
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {target}")
            elif name in headers:
                lines.append(f"{name}: {headers[name]}")
            else:
                raise Rejected(401, f"signed header {name} missing")
        try:
            raw = base64.b64decode(params["signature"], validate=True)
        except ValueError:
            raise Rejected(401, "signature is not base64") from None
        return params["keyid"], raw, "\n".join(lines).encode(), activity_id, actor

    def finish(self, port, key, key_id, raw, signing_string, activity_id, actor):
        public_key, owner = key
        if owner != actor:
            raise Rejected(401, "key not owned by the activity's actor")
        try:
            public_key.verify(raw, signing_string, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise Rejected(401, "bad signature") from None
        now = time.time()
        stats = self.activities.get(activity_id)
        if stats is None:
            stats = self.activities[activity_id] = ActivityStats()
            stats.first = now
        stats.accepted += 1
        stats.last = now
        stats.ports[port] += 1
        if stats.ports[port] > 1:
            stats.duplicates += 1
        else:
            if len(stats.ports) == self.hosts:
                stats.complete = now
            if self.armed and len(stats.ports) == self.armed[1]:
                pid = self.armed[0]
                self.armed = None
                try:
                    os.kill(pid, signal.SIGKILL)
                    self.killed_at = now
                except ProcessLookupError:
                    pass

    def reject(self, error):
        self.rejected += 1
        self.rejected_reasons[error.reason] += 1

    # --- Reports ------------------------------------------------------------------------------
    def stats(self, activity_id=None):
        result = {
            "hosts": self.hosts,
            "requests": self.requests,
            "accepted": sum(a.accepted for a in self.activities.values()),
            "rejected": self.rejected,
            "rejected_reasons": dict(self.rejected_reasons),
            "killed_at": self.killed_at,
            "cpu_seconds": round(time.process_time(), 3),
            "activities": {
                key: {"ports": len(a.ports), "accepted": a.accepted, "duplicates": a.duplicates}
                for key, a in self.activities.items()
            },
        }
        if activity_id is not None:
            a = self.activities.get(activity_id) or ActivityStats()
            missing = [p for p in range(self.base_port, self.base_port + self.hosts) if p not in a.ports]
            result["activity"] = {
                "id": activity_id,
                "ports": len(a.ports),
                "accepted": a.accepted,
                "duplicates": a.duplicates,
                "duplicate_ports": sum(1 for copies in a.ports.values() if copies > 1),
                "first": a.first,
                "last": a.last,
                "complete": a.complete,
                "missing": len(missing),
                "missing_sample": missing[:20],
            }
        return result

    def actor_document(self):
        base = f"http://127.0.0.1:{self.control_port}"
        actor = f"{base}/users/sender"
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": actor,
            "type": "Person",
            "preferredUsername": "sender",
            "name": "Benchmark sender",
            "inbox": f"{actor}/inbox",
            "outbox": f"{actor}/outbox",
            "followers": f"{actor}/followers",
            "following": f"{actor}/following",
            "endpoints": {"sharedInbox": f"{base}/inbox"},
            "publicKey": {"id": f"{actor}#main-key", "owner": actor, "publicKeyPem": self.actor_pem},
        }


def fetch_key(key_id):
    """GETs the actor document of key_id (loopback only); returns (public key, owner)."""
    url = key_id.split("#", 1)[0]
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "http" or parsed.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"refusing to fetch {url}: not loopback http")
    request = urllib.request.Request(url, headers={"Accept": "application/activity+json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        document = json.load(response)
    keys = document.get("publicKey")
    for key in keys if isinstance(keys, list) else [keys]:
        if isinstance(key, dict) and key.get("id") == key_id and key.get("publicKeyPem"):
            owner = key.get("owner", document.get("id"))
            if owner != document.get("id"):
                raise ValueError("key owner is not the document")
            return serialization.load_pem_public_key(key["publicKeyPem"].encode()), owner
    raise ValueError(f"no key {key_id} in {url}")


class InboxProtocol(asyncio.Protocol):
    """A minimal HTTP/1.1 server for one port: enough for POST /inbox with Content-Length."""

    def __init__(self, sink, port):
        self.sink = sink
        self.port = port
        self.buffer = bytearray()
        self.transport = None
        self.busy = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if not self.busy:
            self.process()

    def process(self):
        while not self.busy and self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > MAX_HEAD:
                    self.respond(431, "head too large", close=True)
                return
            try:
                lines = self.buffer[:end].decode("latin-1").split("\r\n")
                method, target, version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    name = name.strip().lower()
                    value = value.strip()
                    headers[name] = f"{headers[name]}, {value}" if name in headers else value
                length = int(headers.get("content-length", "0"))
            except ValueError:
                self.respond(400, "bad request", close=True)
                return
            if length > MAX_BODY or "chunked" in headers.get("transfer-encoding", ""):
                self.respond(413, "body too large or chunked", close=True)
                return
            if len(self.buffer) < end + 4 + length:
                return
            body = bytes(self.buffer[end + 4 : end + 4 + length])
            del self.buffer[: end + 4 + length]
            close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
            self.handle(method, target, headers, body, close)

    def handle(self, method, target, headers, body, close):
        sink = self.sink
        if method == "GET":
            self.respond(404, "not found", close)
            return
        sink.requests += 1
        try:
            key_id, raw, signing_string, activity_id, actor = sink.precheck(self.port, method, target, headers, body)
        except Rejected as error:
            if error.status != 404:
                sink.reject(error)
            self.respond(error.status, error.reason, close)
            return
        key = sink.cached_key(key_id)
        if key is not None:
            self.verify(key, key_id, raw, signing_string, activity_id, actor, close)
            return
        self.busy = True
        asyncio.ensure_future(self.verify_later(key_id, raw, signing_string, activity_id, actor, close))

    async def verify_later(self, key_id, raw, signing_string, activity_id, actor, close):
        try:
            key = await self.sink.key_for(key_id)
        except Rejected as error:
            self.sink.reject(error)
            self.respond(error.status, error.reason, close)
        else:
            self.verify(key, key_id, raw, signing_string, activity_id, actor, close)
        self.busy = False
        if self.buffer:
            self.process()

    def verify(self, key, key_id, raw, signing_string, activity_id, actor, close):
        try:
            self.sink.finish(self.port, key, key_id, raw, signing_string, activity_id, actor)
        except Rejected as error:
            self.sink.reject(error)
            self.respond(error.status, error.reason, close)
            return
        self.respond(202, "", close)

    def respond(self, status, text, close):
        if self.transport is None or self.transport.is_closing():
            return
        reason = {202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
        payload = text.encode()
        self.transport.write(
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {len(payload)}\r\n"
            f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n".encode()
            + payload
        )
        if close:
            self.transport.close()
            self.transport = None

    def connection_lost(self, exc):
        self.transport = None


async def control_client(sink, reader, writer):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        method, target, _ = head.decode("latin-1").split("\r\n", 1)[0].split(" ", 2)
        url = urllib.parse.urlsplit(target)
        query = dict(urllib.parse.parse_qsl(url.query))
        status, content_type, body = 404, "text/plain", b"not found"
        if method == "GET" and url.path == "/stats":
            status, content_type = 200, "application/json"
            body = json.dumps(sink.stats(query.get("id"))).encode()
        elif method == "GET" and url.path == "/wait":
            # Long poll: answers "ports accepted duplicates rejected" once the activity reached `ports`
            # ports, or when `timeout` seconds have passed.
            activity_id, want = query.get("id", ""), int(query.get("ports", sink.hosts))
            deadline = time.monotonic() + min(float(query.get("timeout", "5")), 60.0)
            while True:
                a = sink.activities.get(activity_id)
                if (a is not None and len(a.ports) >= want) or time.monotonic() >= deadline:
                    break
                await asyncio.sleep(0.02)
            a = sink.activities.get(activity_id) or ActivityStats()
            status, body = 200, f"{len(a.ports)} {a.accepted} {a.duplicates} {sink.rejected}\n".encode()
        elif method == "GET" and url.path == "/arm":
            sink.armed = (int(query["pid"]), int(query["at"]))
            sink.killed_at = None
            status, body = 200, b"armed"
        elif method == "GET" and url.path == "/users/sender" and sink.actor_pem:
            status, content_type = 200, "application/activity+json"
            body = json.dumps(sink.actor_document()).encode()
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError, KeyError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, args.hosts + 4096)) if hard != resource.RLIM_INFINITY else max(soft, args.hosts + 4096)
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    if want < args.hosts + 256:
        sys.exit(f"inbox_sink: open-file limit {want} is too low for {args.hosts} ports (raise ulimit -n)")
    actor_pem = None
    if args.actor_key:
        with open(args.actor_key, "rb") as handle:
            private = serialization.load_pem_private_key(handle.read(), password=None)
        actor_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
    sink = Sink(args.base_port, args.hosts, args.date_window, actor_pem)
    loop = asyncio.get_running_loop()
    servers = []
    for port in range(args.base_port, args.base_port + args.hosts):
        servers.append(
            await loop.create_server(
                lambda port=port: InboxProtocol(sink, port), "127.0.0.1", port, backlog=512, reuse_address=True
            )
        )
    control = await asyncio.start_server(lambda r, w: control_client(sink, r, w), "127.0.0.1", args.control_port)
    sink.control_port = control.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{sink.control_port}\n")
    os.replace(temporary, args.port_file)
    print(f"inbox_sink: {args.hosts} inboxes on 127.0.0.1:{args.base_port}…{args.base_port + args.hosts - 1}, "
          f"control on 127.0.0.1:{sink.control_port}", file=sys.stderr, flush=True)
    await stop.wait()
    for server in servers:
        server.close()
    control.close()
    print(f"inbox_sink: stopping: {json.dumps(sink.stats())}", file=sys.stderr, flush=True)


def keygen(args):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with open(args.out, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def inbound(args):
    with open(args.key, "rb") as handle:
        key = serialization.load_pem_private_key(handle.read(), password=None)
    host = args.target
    if host.rsplit(":", 1)[0].strip("[]") not in LOOPBACK_HOSTS:
        sys.exit("inbox_sink: the target must be a loopback address")
    actor = args.actor
    stamp = time.time_ns()
    note = f"{actor}/statuses/{stamp}"
    public = "https://www.w3.org/ns/activitystreams#Public"
    activity = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{note}/activity",
        "type": "Create",
        "actor": actor,
        "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "to": [public],
        "cc": [f"{actor}/followers"],
        "object": {
            "id": note,
            "type": "Note",
            "attributedTo": actor,
            "content": "<p>inbound benchmark</p>",
            "published": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "to": [public],
            "cc": [f"{actor}/followers"],
        },
    }
    body = json.dumps(activity, separators=(",", ":")).encode()
    headers = {
        "Host": host,
        "Date": email.utils.formatdate(usegmt=True),
        "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode(),
        "Content-Type": "application/activity+json",
    }
    signed = ["(request-target)", "host", "date", "digest", "content-type"]
    lines = ["(request-target): post /inbox"] + [f"{name}: {headers[name.title()]}" for name in signed[1:]]
    signature = base64.b64encode(key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    headers["Signature"] = (f'keyId="{actor}#main-key",algorithm="rsa-sha256",'
                            f'headers="{" ".join(signed)}",signature="{signature}"')
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "body.json"), "wb") as handle:
        handle.write(body)
    with open(os.path.join(args.out_dir, "curl-headers.txt"), "w") as handle:
        for name, value in headers.items():
            handle.write(f"{name}: {value}\n")
    lua_headers = "".join(f'wrk.headers["{name}"] = {lua_string(value)}\n' for name, value in headers.items())
    with open(os.path.join(args.out_dir, "inbound.lua"), "w") as handle:
        handle.write('wrk.method = "POST"\n' + f"wrk.body = {lua_string(body.decode())}\n" + lua_headers)
    print(activity["id"])


def lua_string(text):
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("serve")
    p.add_argument("--base-port", type=int, default=20000)
    p.add_argument("--hosts", type=int, default=3000)
    p.add_argument("--control-port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--date-window", type=float, default=300.0, help="accepted |now - Date| in seconds")
    p.add_argument("--actor-key", help="private key PEM of the sender actor served at /users/sender")
    p = commands.add_parser("keygen")
    p.add_argument("--out", required=True)
    p = commands.add_parser("inbound")
    p.add_argument("--key", required=True)
    p.add_argument("--actor", required=True)
    p.add_argument("--target", required=True, help="HOST:PORT of the Tern server")
    p.add_argument("--out-dir", required=True)
    args = parser.parse_args()
    if args.command == "serve":
        asyncio.run(serve(args))
    elif args.command == "keygen":
        keygen(args)
    else:
        inbound(args)


if __name__ == "__main__":
    main()
