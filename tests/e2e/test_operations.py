"""Running Tern as an admin would: the admin CLI against a live server's data, configuration errors that stop
the server with one line naming the setting, an unreachable database, IPv6, and a YAML config file."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
import requests
from mastodon import MastodonAPIError, MastodonUnauthorizedError
from tern_server import DEFAULT_PASSWORD, Account, TernServer, free_port, tern_bin, unique_name

# The admin tests log in several times; the per-address sign-in limit is not what they test.
TERN_SERVER_ENV = {"TERN_AUTH_RATE_LIMIT": "0"}


def run_tern(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TERN_")}
    clean.update(env)
    return subprocess.run(
        [str(tern_bin()), *args], env=clean, cwd=cwd, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


# --- the admin CLI ---------------------------------------------------------------------------------


def test_admin_create_without_password_prints_one_that_works(server: TernServer) -> None:
    name = unique_name("gen")
    result = server.cli("admin", "account", "create", name, "--email", f"{name}@example.org")
    assert result.returncode == 0, result.stderr
    passwords = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("Password: ")]
    assert len(passwords) == 1 and len(passwords[0]) >= 16
    api = server.password_login(Account(username=name, email=f"{name}@example.org", password=passwords[0]))
    assert api.account_verify_credentials()["username"] == name


def test_admin_list_shows_accounts_and_their_state(server: TernServer) -> None:
    account = server.create_account("listed")
    result = server.cli("admin", "account", "list")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if f"@{account.username} " in line)
    assert account.email in line and "user" in line


def test_admin_reset_password_revokes_tokens(server: TernServer) -> None:
    account = server.create_account("reset")
    api = server.password_login(account)
    assert api.account_verify_credentials()["username"] == account.username
    result = server.cli("admin", "account", "reset-password", account.username, "--password", "brand new secret 42")
    assert result.returncode == 0, result.stderr
    with pytest.raises(MastodonUnauthorizedError):
        api.account_verify_credentials()
    fresh = server.password_login(Account(username=account.username, email=account.email, password="brand new secret 42"))
    assert fresh.account_verify_credentials()["username"] == account.username


def test_admin_suspend_stops_tokens_and_unsuspend_restores(server: TernServer) -> None:
    account = server.create_account("susp")
    api = server.password_login(account)
    assert server.cli("admin", "account", "suspend", account.username).returncode == 0
    with pytest.raises(MastodonAPIError) as refused:
        api.account_verify_credentials()
    assert "disabled" in str(refused.value)
    assert requests.get(server.url(f"/api/v1/accounts/lookup?acct={account.username}"), timeout=10).status_code == 404
    assert server.cli("admin", "account", "unsuspend", account.username).returncode == 0
    assert api.account_verify_credentials()["username"] == account.username


def test_admin_confirm_and_migrate_report_plainly(server: TernServer) -> None:
    account = server.create_account("conf")
    confirmed = server.cli("admin", "account", "confirm", account.username)
    assert confirmed.returncode == 0 and account.username in confirmed.stdout
    migrated = server.cli("admin", "migrate")
    assert migrated.returncode == 0 and "up to date" in migrated.stdout


def test_admin_failures_exit_non_zero_with_one_clear_line(server: TernServer) -> None:
    cases = [
        (["admin", "account", "create", "bad name", "--email", "x@example.org", "--password", DEFAULT_PASSWORD], "Username"),
        (["admin", "account", "suspend", "nobody_here"], "no such local account"),
        (["admin", "account", "create", unique_name("short"), "--email", "s@example.org", "--password", "short"], "Password"),
    ]
    for args, expected in cases:
        result = server.cli(*args)
        assert result.returncode != 0, args
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("tern: ") and expected in lines[0], result.stderr


# --- configuration errors stop the server with one line naming the setting --------------------------


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"TERN_LISTEN": "not-an-address"}, "TERN_LISTEN"),
        ({"TERN_PROTOCOL": "gopher"}, "TERN_PROTOCOL"),
        ({"TERN_REGISTRATIONS": "sometimes"}, "TERN_REGISTRATIONS"),
        ({"TERN_MAX_CHARS": "-5"}, "TERN_MAX_CHARS"),
        ({"TERN_DATABASE": "mysql://db/tern"}, "TERN_DATABASE"),
        ({"TERN_DOMAIN": "bad domain!"}, "TERN_DOMAIN"),
    ],
)
def test_bad_setting_exits_with_one_line_naming_it(tmp_path: Path, env: dict[str, str], setting: str) -> None:
    result = run_tern(["serve"], {"TERN_DATA_DIR": str(tmp_path / "data"), **env}, tmp_path)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tern: ") and setting in lines[0]


def test_unreachable_database_exits_naming_the_database(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    result = run_tern(
        ["serve"],
        {
            "TERN_DATA_DIR": str(tmp_path / "data"),
            "TERN_LISTEN": f"127.0.0.1:{free_port()}",
            "TERN_DATABASE": f"postgres://tern@127.0.0.1:{port}/nowhere",
        },
        tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TERN_DATABASE" in result.stderr and "cannot reach" in result.stderr, result.stderr


def test_config_file_is_read_and_overridden_by_environment(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "tern.yaml"
    config.write_text(
        f"domain: 127.0.0.1:{port}\nlisten: 127.0.0.1:{port}\nprotocol: http\ntitle: From The File\n"
        "registrations: closed\nrules:\n  - Be kind.\n  - No spam.\n"
    )
    env = {"TERN_DATA_DIR": str(tmp_path / "data"), "TERN_REGISTRATIONS": "approval"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TERN_")}
    clean.update(env)
    with open(tmp_path / "log", "wb") as log:
        process = subprocess.Popen(
            [str(tern_bin()), "serve", "--config", str(config)], env=clean, cwd=tmp_path, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        instance = wait_for(f"http://127.0.0.1:{port}/api/v2/instance", process)
        assert instance["title"] == "From The File"
        assert [rule["text"] for rule in instance["rules"]] == ["Be kind.", "No spam."]
        assert instance["registrations"]["approval_required"] is True  # the environment wins over the file
    finally:
        process.terminate()
        process.wait(timeout=15)


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> dict:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            response = requests.get(url, timeout=2)
            if response.status_code == 200:
                return response.json()
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def ipv6_loopback_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback_available(), reason="this machine has no IPv6 loopback")
def test_serves_on_ipv6_loopback(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
    env = {
        "TERN_DATA_DIR": str(tmp_path / "data"),
        "TERN_LISTEN": f"[::1]:{port}",
        "TERN_DOMAIN": f"[::1]:{port}",
        "TERN_PROTOCOL": "http",
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TERN_")}
    clean.update(env)
    with open(tmp_path / "log", "wb") as log:
        process = subprocess.Popen(
            [str(tern_bin()), "serve"], env=clean, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        instance = wait_for(f"http://[::1]:{port}/api/v1/instance", process)
        assert instance["uri"] == f"[::1]:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)
