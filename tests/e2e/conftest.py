"""Fixtures for Tern's end-to-end tests.

Each test module gets a live `tern serve` (fixture `server`), once on SQLite and once on PostgreSQL. A test that
needs a server of its own uses `fresh_server` instead. The server is configured only through environment variables;
a module may add some of its own with a module-level dict `TERN_SERVER_ENV` (e.g. {"TERN_AUTH_RATE_LIMIT": "0"}).
A module that needs several servers (federation) starts them with `tern_server.running_servers`; when its fixture
keeps them in a `servers` attribute, a failing test's report carries each server's log.

A module whose server should send mail sets `TERN_SERVER_MAIL = True`: its servers then deliver to the module's
`smtp_sink` (a real SMTP server on loopback, see smtp_sink.py), and a failing test's report lists what it got.

Environment:
  TERN_BIN                 the tern binary (default: .build/debug/tern in the repository)
  TEST_DATABASE_URL        a PostgreSQL database of the test cluster; without it the PostgreSQL cases are skipped
  TERN_TEST_PG_ADMIN_URL   URL of the cluster's `postgres` database, used to CREATE DATABASE one per server
                           (default: TEST_DATABASE_URL with the database name replaced by `postgres`)
  TERN_E2E_ARTIFACTS       if set, each server's log is copied into this folder
"""

from __future__ import annotations

from typing import Iterator

import pytest
from people import Trio, make_trio
from smtp_sink import SmtpSink
from tern_server import DATABASES, LOG_TAIL_LINES, TernServer, running_servers, tail


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server on 127.0.0.1 that keeps every mail it gets, shared by the tests and servers of a module."""
    with SmtpSink() as sink:
        yield sink


def _run_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    label = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    extra_env = dict(getattr(request.module, "TERN_SERVER_ENV", None) or {})
    if getattr(request.module, "TERN_SERVER_MAIL", False):
        sink: SmtpSink = request.getfixturevalue("smtp_sink")
        extra_env.update(sink.env())
    with running_servers(request.param, 1, tmp_path_factory, label, extra_env) as (server,):
        yield server


@pytest.fixture(scope="module", params=DATABASES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    """A live server shared by the tests of one module (tests create their own accounts, with unique names)."""
    yield from _run_server(request, tmp_path_factory)


@pytest.fixture(params=DATABASES)
def fresh_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    """A live server of the test's own, for tests that need an empty instance."""
    yield from _run_server(request, tmp_path_factory)


def _servers_in(value: object) -> list[TernServer]:
    """The servers a fixture value holds: itself, or its `servers` (a fixture of several servers)."""
    if isinstance(value, TernServer):
        return [value]
    servers = getattr(value, "servers", None)
    if isinstance(servers, (list, tuple)):
        return [s for s in servers if isinstance(s, TernServer)]
    return []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """On failure, attach the tail of each server's log to the report, and the mails an SMTP sink got."""
    report = yield
    if report.failed:
        seen: set[int] = set()
        for value in getattr(item, "funcargs", {}).values():
            for srv in _servers_in(value):
                if id(srv) in seen:
                    continue
                seen.add(id(srv))
                title = f"tern server log, last {LOG_TAIL_LINES} lines ({srv.database}, {srv.base_url})"
                report.sections.append((title, tail(srv.log_text())))
            sink = value if isinstance(value, SmtpSink) else getattr(value, "sink", None)
            if isinstance(sink, SmtpSink) and id(sink) not in seen:
                seen.add(id(sink))
                mails = "\n".join(str(mail) for mail in sink.mails()) or "(none)"
                report.sections.append((f"mails received by the SMTP sink on port {sink.port}", mails))
    return report


@pytest.fixture
def trio(server: TernServer) -> Trio:
    """alice, bob and carol, fresh for each test; bob and carol follow alice."""
    return make_trio(server)
