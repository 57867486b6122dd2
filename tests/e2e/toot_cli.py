"""The `toot` command-line client, run against a live server with its config and cache in a folder of the test's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from people import Person
from tern_server import TernServer

TOOT_TIMEOUT = 60


def toot_env(home: Path) -> dict[str, str]:
    """An environment that keeps toot's config and cache inside `home` and sends nothing through a proxy."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TOOT_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(
        {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "NO_PROXY": "127.0.0.1",
            "COLUMNS": "100",
        }
    )
    return env


def write_toot_config(server: TernServer, who: Person, home: Path) -> None:
    """toot 0.52 keeps apps by instance (with their base_url) and users by "username@instance" in
    $XDG_CONFIG_HOME/toot/config.json. toot reads base_url as it is, so an http:// URL works without a flag."""
    instance = server.domain
    user_id = f"{who.username}@{instance}"
    config = {
        "apps": {
            instance: {
                "instance": instance,
                "base_url": server.base_url,
                "client_id": who.api.client_id,
                "client_secret": who.api.client_secret,
            }
        },
        "users": {user_id: {"instance": instance, "username": who.username, "access_token": who.api.access_token}},
        "active_user": user_id,
    }
    folder = home / "config" / "toot"
    folder.mkdir(parents=True)
    path = folder / "config.json"
    path.write_text(json.dumps(config, indent=1))
    path.chmod(0o600)


def toot(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "toot", "--no-color", *args],
        env=toot_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TOOT_TIMEOUT,
    )
    assert result.returncode == 0, (
        f"toot {' '.join(args)} exited {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result
