"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1 that keeps every message it is given.

The server under test sends mail from background jobs, so a test never knows when a mail arrives: it waits for
one with `SmtpSink.wait_for_mail(to=...)`, which polls (on a condition variable, not with fixed sleeps) until a
message for that recipient is there or the timeout passes. `first_link(mail, path)` finds the link a mail carries.

`SmtpSink.env(...)` gives the TERN_SMTP_* settings that point a `tern serve` at the sink (plain SMTP, no TLS).
A sink may be stopped and started again on the same port, to play a mail server that is down for a while.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Optional
from urllib.parse import urlparse

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from tern_server import free_port

# Mails are sent by jobs the server runs on its own; a few seconds is plenty, 15 s leaves room for a slow machine.
MAIL_TIMEOUT = 15.0
DEFAULT_FROM = "tern@mail.example.org"

_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the sink got it: the SMTP envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def sender(self) -> str:
        """The bare address of the From header."""
        return _address(self.message["From"])

    @property
    def recipients(self) -> list[str]:
        """The bare addresses of the To header."""
        to = self.message["To"]
        return [a.addr_spec for a in to.addresses] if to is not None else []

    @property
    def text(self) -> str:
        """The plain-text body, decoded (quoted-printable, charset)."""
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, f"no text/plain part in a mail to {self.rcpt_tos}:\n{self.message}"
        return part.get_content()

    def links(self) -> list[str]:
        return _LINK.findall(self.text)

    def __str__(self) -> str:
        return f"mail from {self.mail_from} to {', '.join(self.rcpt_tos)}: {self.subject!r}"


def _address(header: Any) -> str:
    if header is None:
        return ""
    addresses = header.addresses
    return addresses[0].addr_spec if addresses else ""


def first_link(mail: ReceivedMail, path: str) -> str:
    """The first http(s) link in the mail's text whose path is `path` (with any query)."""
    for link in mail.links():
        if urlparse(link).path == path:
            return link
    raise AssertionError(f"no link to {path} in the {mail}:\n{mail.text}")


class _Handler:
    """aiosmtpd calls handle_DATA (on its own thread) once per message."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.sink._store(
            ReceivedMail(
                mail_from=envelope.mail_from or "",
                rcpt_tos=tuple(envelope.rcpt_tos),
                message=message,
            )
        )
        return "250 Message accepted for delivery"


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps the messages it receives (thread-safe)."""

    def __init__(self, port: Optional[int] = None) -> None:
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self._mails: list[ReceivedMail] = []
        self._changed = threading.Condition()
        self._controller: Optional[Controller] = None

    def __repr__(self) -> str:
        return f"<SmtpSink {self.host}:{self.port}, {len(self.mails())} mail(s)>"

    # --- lifecycle ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        """Starts listening (again, after stop(): on the same port, keeping the mails received so far)."""
        if self._controller is not None:
            raise RuntimeError(f"{self} is already running")
        controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10.0)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            controller, self._controller = self._controller, None
            controller.stop()

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self, sender: str = DEFAULT_FROM) -> dict[str, str]:
        """The settings that make `tern serve` (and the admin CLI) send mail here, unencrypted."""
        return {
            "TERN_SMTP_HOST": self.host,
            "TERN_SMTP_PORT": str(self.port),
            "TERN_SMTP_SECURITY": "none",
            "TERN_SMTP_FROM": sender,
        }

    # --- what arrived -------------------------------------------------------------------------------

    def _store(self, mail: ReceivedMail) -> None:
        with self._changed:
            self._mails.append(mail)
            self._changed.notify_all()

    def mails(self) -> list[ReceivedMail]:
        """Every message received so far, oldest first."""
        with self._changed:
            return list(self._mails)

    def mails_to(self, address: str) -> list[ReceivedMail]:
        """The messages whose envelope names `address` as a recipient (case-insensitive), oldest first."""
        wanted = address.lower()
        return [m for m in self.mails() if wanted in (r.lower() for r in m.rcpt_tos)]

    def wait_for_mail(self, to: str, timeout: float = MAIL_TIMEOUT, count: int = 1) -> ReceivedMail:
        """Waits until at least `count` messages for `to` have arrived and returns the `count`-th (the first by
        default). Fails with what did arrive if none comes within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        wanted = to.lower()
        with self._changed:
            while True:
                matching = [m for m in self._mails if wanted in (r.lower() for r in m.rcpt_tos)]
                if len(matching) >= count:
                    return matching[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    arrived = "\n".join(f"  {m}" for m in self._mails) or "  (nothing)"
                    raise AssertionError(
                        f"no mail #{count} for {to} within {timeout:.0f} s ({len(matching)} arrived for it); "
                        f"the sink got:\n{arrived}"
                    )
                self._changed.wait(timeout=left)
