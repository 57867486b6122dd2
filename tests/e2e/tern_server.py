"""A live `tern serve` for the end-to-end tests, and small helpers around it (used by conftest.py and the tests).

The server is configured only through environment variables: TERN_DOMAIN, TERN_LISTEN, TERN_PROTOCOL=http,
TERN_DATA_DIR (a temp folder), TERN_DATABASE (PostgreSQL only; SQLite is the default, in the data folder) and
TERN_REGISTRATIONS=open. Accounts are created with the admin CLI, which shares the server's environment.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlparse, urlunparse

import pytest
import requests
from mastodon import Mastodon

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
CLI_TIMEOUT = 60.0
LOG_TAIL_LINES = 80

DATABASES = ["sqlite", "postgres"]

DEFAULT_PASSWORD = "correct-horse-battery-staple-42"
SCOPES = ["read", "write", "follow"]
OOB = "urn:ietf:wg:oauth:2.0:oob"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_name(prefix: str) -> str:
    """A fresh username (Mastodon usernames: [a-z0-9_], at most 30 characters)."""
    return f"{prefix}_{secrets.token_hex(4)}"


def tern_bin() -> Path:
    path = Path(os.environ.get("TERN_BIN") or REPO_ROOT / ".build" / "debug" / "tern")
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"tern binary not found at {path}: run `swift build` or set TERN_BIN (scripts/test does both)")
    return path


def tail(text: str, lines: int = LOG_TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Account:
    username: str
    email: str
    password: str


class PostgresAdmin:
    """Creates and drops one database per server on the test cluster, through psql."""

    def __init__(self, test_database_url: str) -> None:
        self.test_url = urlparse(test_database_url)
        admin = os.environ.get("TERN_TEST_PG_ADMIN_URL")
        self.admin_url = admin or urlunparse(self.test_url._replace(path="/postgres"))
        self.psql = shutil.which("psql")
        if self.psql is None:
            pytest.fail(
                "psql not found: it is needed to create a database per server (apt-get install postgresql-client)"
            )

    def _run(self, sql: str) -> None:
        result = subprocess.run(
            [self.psql, self.admin_url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            pytest.fail(f"psql failed ({sql}): {result.stderr.strip()}")

    def create_database(self) -> tuple[str, str]:
        name = f"tern_e2e_{secrets.token_hex(6)}"
        self._run(f"CREATE DATABASE {name}")
        return name, urlunparse(self.test_url._replace(path=f"/{name}"))

    def drop_database(self, name: str) -> None:
        self._run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class TernServer:
    """A `tern serve` process on a free 127.0.0.1 port with its own data folder (and database)."""

    def __init__(
        self,
        database: str,
        workdir: Path,
        database_url: Optional[str] = None,
        extra_env: Optional[dict[str, str]] = None,
    ) -> None:
        self.database = database
        self.workdir = workdir
        self.data_dir = workdir / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / "server.log"
        self.port = free_port()
        self.domain = f"127.0.0.1:{self.port}"
        self.base_url = f"http://{self.domain}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TERN_")}
        self.env.update(
            {
                "TERN_DOMAIN": self.domain,
                "TERN_LISTEN": self.domain,
                "TERN_PROTOCOL": "http",
                "TERN_DATA_DIR": str(self.data_dir),
                "TERN_REGISTRATIONS": "open",
            }
        )
        if database_url is not None:
            self.env["TERN_DATABASE"] = database_url
        if extra_env:
            self.env.update(extra_env)
        self.bin = tern_bin()
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.terminated = False  # True once stop() had to signal a running process

    def __repr__(self) -> str:
        return f"<TernServer {self.database} {self.base_url}>"

    # --- lifecycle ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Starts `tern serve` and waits until it answers. After stop() it may be called again: the server comes
        back on the same port with the same data folder and database (its log goes on in the same file)."""
        if self.running:
            raise RuntimeError(f"{self} is already running")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.bin), "serve"],
                env=self.env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_TIMEOUT
        last = "no answer yet"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self._fail_start(f"tern serve exited with status {code} before it was ready")
            try:
                r = requests.get(self.url("/api/v1/instance"), timeout=2)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code}: {r.text[:300]}"
            except requests.RequestException as e:
                last = f"{type(e).__name__}"
            time.sleep(0.1)
        self._fail_start(f"GET /api/v1/instance did not answer 200 within {READY_TIMEOUT:.0f} s (last: {last})")

    def _fail_start(self, why: str) -> None:
        self.stop()
        pytest.fail(
            f"{why} [{self.database}, {self.base_url}]\n--- server output ---\n{self.log_text()}", pytrace=False
        )

    def stop(self) -> Optional[int]:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT. Returns the exit status (None if never started)."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            self.terminated = True
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
                warnings.warn(f"{self}: did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM; killed", stacklevel=2)
        return process.returncode

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no output)"

    def restart(self) -> None:
        self.stop()
        self.start()

    # --- helpers for tests --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Runs `tern ARGS...` with the server's environment (same data folder and database)."""
        return subprocess.run(
            [str(self.bin), *args],
            env=self.env,
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
        )

    def create_account(self, prefix: str = "user", password: str = DEFAULT_PASSWORD) -> Account:
        """Creates a confirmed, approved local account with the admin CLI."""
        username = unique_name(prefix)
        email = f"{username}@example.org"
        result = self.cli("admin", "account", "create", username, "--email", email, "--password", password)
        if result.returncode != 0:
            pytest.fail(
                f"`tern admin account create {username}` exited {result.returncode}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return Account(username=username, email=email, password=password)

    def mastodon(self, **kwargs) -> Mastodon:
        """A Mastodon.py client for this server. It throws on 429 rather than sleeping."""
        kwargs.setdefault("ratelimit_method", "throw")
        kwargs.setdefault("request_timeout", 30)
        return Mastodon(api_base_url=self.base_url, **kwargs)

    def register_app(self, redirect_uris: str = OOB, scopes: list[str] = SCOPES) -> tuple[str, str]:
        return Mastodon.create_app(
            "tern-e2e", api_base_url=self.base_url, scopes=scopes, redirect_uris=redirect_uris, request_timeout=30
        )

    def password_login(self, account: Account, scopes: list[str] = SCOPES) -> Mastodon:
        """A client signed in through the password grant (Tern keeps it; Mastodon 4.4 removed it)."""
        client_id, client_secret = self.register_app()
        api = self.mastodon(client_id=client_id, client_secret=client_secret)
        api.log_in(username=account.email, password=account.password, scopes=scopes, allow_http=True)
        return api


def run_tern(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs `tern ARGS...` with only the given TERN_* settings; for settings that must stop it at once."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TERN_")}
    clean.update(env)
    return subprocess.run(
        [str(tern_bin()), *args],
        env=clean,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


# --- servers for a fixture ------------------------------------------------------------------------------


def save_log_artifact(server: TernServer, label: str) -> None:
    """Copies the server's log into $TERN_E2E_ARTIFACTS, if set."""
    folder = os.environ.get("TERN_E2E_ARTIFACTS")
    if not folder:
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(server.log_path, Path(folder) / f"{label}-{server.database}-{server.port}.log")
    except OSError as e:
        warnings.warn(f"could not save the server log: {e}", stacklevel=2)


@contextmanager
def running_servers(
    database: str,
    count: int,
    tmp_path_factory: pytest.TempPathFactory,
    label: str,
    extra_env: Optional[dict[str, str]] = None,
) -> Iterator[list[TernServer]]:
    """`count` live servers on `database` ("sqlite" or "postgres"), each with its own data folder and, on
    PostgreSQL, its own database of the test cluster. Skips when PostgreSQL is asked for without
    TEST_DATABASE_URL. On the way out every server is stopped, its log saved as an artifact, and its database
    dropped."""
    pg: Optional[PostgresAdmin] = None
    pg_names: list[str] = []
    servers: list[TernServer] = []
    try:
        database_urls: list[Optional[str]] = [None] * count
        if database == "postgres":
            test_url = os.environ.get("TEST_DATABASE_URL")
            if not test_url:
                pytest.skip(
                    "TEST_DATABASE_URL is not set: the PostgreSQL cases need the throwaway cluster scripts/test starts"
                )
            pg = PostgresAdmin(test_url)
            for i in range(count):
                name, database_urls[i] = pg.create_database()
                pg_names.append(name)
        for database_url in database_urls:
            server = TernServer(database, tmp_path_factory.mktemp(f"tern-{database}"), database_url, extra_env)
            servers.append(server)
            server.start()
        yield servers
    finally:
        for server in servers:
            status = server.stop()
            if server.terminated and status not in (0, -signal.SIGTERM):
                warnings.warn(f"{server}: exited with status {status} after SIGTERM (expected 0)", stacklevel=2)
            save_log_artifact(server, label)
        if pg is not None:
            for name in pg_names:
                pg.drop_database(name)
