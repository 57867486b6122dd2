"""A loopback SMTP server for the Mail tests, built on aiosmtpd.

Each accepted message is written as <n>.json into --maildir with the envelope, the raw
data (base64) and the parts that Python's email package decodes. Once the server accepts
connections its port is written to --port-file. It stops on SIGTERM or SIGINT, when its
standard input reaches end of file (the test process closed it or died), or after
--lifetime seconds, whichever comes first.
"""

import argparse
import base64
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Recorder:
    def __init__(self, maildir):
        self.maildir = maildir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        text = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data_base64": base64.b64encode(raw).decode("ascii"),
            "subject": str(parsed["subject"]),
            "from": str(parsed["from"]),
            "to": str(parsed["to"]),
            "content_type": parsed.get_content_type(),
            "text": content(text),
            "html": content(html),
            "defects": [type(d).__name__ for d in parsed.defects],
        }
        with self.lock:
            self.count += 1
            name = os.path.join(self.maildir, "%04d.json" % self.count)
        with open(name + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 Message accepted"


def content(part):
    """Decoded text of a MIME part with CRLF (the wire form) turned into LF."""
    if part is None:
        return None
    return part.get_content().replace("\r\n", "\n")


def make_authenticator(username, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            auth_data is not None
            and auth_data.login == username.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return authenticate


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--auth", help="user:password; AUTH is then required")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    parser.add_argument("--lifetime", type=float, default=300.0)
    args = parser.parse_args()

    kwargs = {}
    ssl_context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        if args.mode == "starttls":
            kwargs["tls_context"] = context
            kwargs["require_starttls"] = True
        else:
            ssl_context = context
    if args.auth:
        username, password = args.auth.split(":", 1)
        kwargs["authenticator"] = make_authenticator(username, password)
        kwargs["auth_required"] = True
        kwargs["auth_require_tls"] = args.mode == "starttls"

    controller = Controller(
        Recorder(args.maildir),
        hostname="127.0.0.1",
        port=free_port(),
        ssl_context=ssl_context,
        server_hostname="localhost",
        **kwargs,
    )
    controller.start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(controller.port))
    os.rename(args.port_file + ".tmp", args.port_file)

    stop = threading.Event()
    # The parent may have spawned us with these signals blocked; unblock them before relying on them.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def watch_stdin():
        while sys.stdin.buffer.read(4096):
            pass
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    stop.wait(args.lifetime)
    controller.stop()


if __name__ == "__main__":
    main()
