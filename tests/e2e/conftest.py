"""Fixtures for Tern's end-to-end tests.

Each test module gets a live `tern serve` (fixture `server`), once on SQLite and once on PostgreSQL. A test that
needs a server of its own uses `fresh_server` instead. The server is configured only through environment variables;
a module may add some of its own with a module-level dict `TERN_SERVER_ENV` (e.g. {"TERN_AUTH_RATE_LIMIT": "0"}).

Environment:
  TERN_BIN                 the tern binary (default: .build/debug/tern in the repository)
  TEST_DATABASE_URL        a PostgreSQL database of the test cluster; without it the PostgreSQL cases are skipped
  TERN_TEST_PG_ADMIN_URL   URL of the cluster's `postgres` database, used to CREATE DATABASE one per server
                           (default: TEST_DATABASE_URL with the database name replaced by `postgres`)
  TERN_E2E_ARTIFACTS       if set, each server's log is copied into this folder
"""

from __future__ import annotations

import os
import shutil
import signal
import warnings
from pathlib import Path
from typing import Iterator, Optional

import pytest
from people import Trio, make_trio
from tern_server import LOG_TAIL_LINES, PostgresAdmin, TernServer, tail

DATABASES = ["sqlite", "postgres"]


def _save_artifact(server: TernServer, label: str) -> None:
    folder = os.environ.get("TERN_E2E_ARTIFACTS")
    if not folder:
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(server.log_path, Path(folder) / f"{label}-{server.database}-{server.port}.log")
    except OSError as e:
        warnings.warn(f"could not save the server log: {e}", stacklevel=2)


def _run_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    database = request.param
    pg: Optional[PostgresAdmin] = None
    pg_name: Optional[str] = None
    database_url: Optional[str] = None
    if database == "postgres":
        test_url = os.environ.get("TEST_DATABASE_URL")
        if not test_url:
            pytest.skip(
                "TEST_DATABASE_URL is not set: the PostgreSQL cases need the throwaway cluster scripts/test starts"
            )
        pg = PostgresAdmin(test_url)
        pg_name, database_url = pg.create_database()

    label = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    server: Optional[TernServer] = None
    try:
        extra_env = getattr(request.module, "TERN_SERVER_ENV", None)
        server = TernServer(database, tmp_path_factory.mktemp(f"tern-{database}"), database_url, extra_env)
        server.start()
        yield server
    finally:
        if server is not None:
            status = server.stop()
            if server.terminated and status not in (0, -signal.SIGTERM):
                warnings.warn(f"{server}: exited with status {status} after SIGTERM (expected 0)", stacklevel=2)
            _save_artifact(server, label)
        if pg is not None and pg_name is not None:
            pg.drop_database(pg_name)


@pytest.fixture(scope="module", params=DATABASES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    """A live server shared by the tests of one module (tests create their own accounts, with unique names)."""
    yield from _run_server(request, tmp_path_factory)


@pytest.fixture(params=DATABASES)
def fresh_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TernServer]:
    """A live server of the test's own, for tests that need an empty instance."""
    yield from _run_server(request, tmp_path_factory)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """On failure, attach the tail of the server's log to the report."""
    report = yield
    if report.failed:
        funcargs = getattr(item, "funcargs", {})
        for name in ("server", "fresh_server"):
            srv = funcargs.get(name)
            if isinstance(srv, TernServer):
                title = f"tern server log, last {LOG_TAIL_LINES} lines ({srv.database}, {srv.base_url})"
                report.sections.append((title, tail(srv.log_text())))
    return report


@pytest.fixture
def trio(server: TernServer) -> Trio:
    """alice, bob and carol, fresh for each test; bob and carol follow alice."""
    return make_trio(server)
