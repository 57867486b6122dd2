"""Media through Mastodon.py: upload a picture, post it, fetch the served file."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from images import png
from mastodon import MastodonAPIError
from people import person
from tern_server import TernServer, run_tern


def test_status_with_a_picture(server: TernServer) -> None:
    alice = person(server, "alice")
    media = alice.api.media_post(png(900, 600), mime_type="image/png", description="a gradient", synchronous=True)
    assert media.type == "image"
    assert media.description == "a gradient"
    assert media.meta.original.width == 900 and media.meta.small.width == 640
    assert media.blurhash and len(media.blurhash) == 28

    status = alice.api.status_post("look at this", media_ids=[media.id])
    assert [str(m.id) for m in status.media_attachments] == [str(media.id)]
    served = requests.get(status.media_attachments[0].url, timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert "immutable" in served.headers["Cache-Control"]
    preview = requests.get(status.media_attachments[0].preview_url, timeout=10)
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "image/jpeg"
    ranged = requests.get(status.media_attachments[0].url, headers={"Range": "bytes=0-99"}, timeout=10)
    assert ranged.status_code == 206 and len(ranged.content) == 100


def clip(tmp_path: Path) -> bytes:
    """A two-second H.264 MP4 with sound and a GPS tag, made by Debian's ffmpeg."""
    out = tmp_path / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast",
         "-c:a", "aac", "-shortest", "-metadata", "location=+48.8583+002.2945/", str(out)],
        check=True,
    )
    return out.read_bytes()


def test_status_with_a_video(server: TernServer, tmp_path: Path) -> None:
    alice = person(server, "alice")
    data = clip(tmp_path)
    assert b"loci" in data  # the MP4 box that holds the GPS position
    # Mastodon.py waits for the 202 of /api/v2/media to turn into 200.
    media = alice.api.media_post(data, mime_type="video/mp4", description="a test card", synchronous=True)
    assert media.type == "video"
    assert media.meta.original.width == 320 and media.meta.original.frame_rate == "10/1"
    assert abs(media.meta.original.duration - 2) < 0.3
    assert media.preview_url and media.blurhash

    status = alice.api.status_post("a moving picture", media_ids=[media.id])
    assert status.media_attachments[0].type == "video"
    served = requests.get(status.media_attachments[0].url, timeout=10)
    assert served.status_code == 200 and served.headers["Content-Type"] == "video/mp4"
    assert b"loci" not in served.content
    assert b"ftyp" in served.content[:16]


def test_not_a_picture_is_refused(server: TernServer) -> None:
    alice = person(server, "alice")
    with pytest.raises(MastodonAPIError) as refused:
        alice.api.media_post(b"this is only text", mime_type="image/png", file_name="fake.png")
    assert refused.value.args[1] == 422, refused.value.args


@pytest.mark.parametrize("value", ["soon", "30m", "-1d"])
def test_bad_media_cache_retention_stops_the_server(tmp_path: Path, value: str) -> None:
    result = run_tern(["serve"], {"TERN_DATA_DIR": str(tmp_path / "data"), "TERN_MEDIA_CACHE_RETENTION": value}, tmp_path)
    assert result.returncode != 0
    assert "TERN_MEDIA_CACHE_RETENTION" in result.stderr, result.stderr


def test_expect_100_continue_is_answered_before_the_body(server: TernServer) -> None:
    """curl and libcurl ask before sending a large body; the server answers 100 Continue at once."""
    address = urlparse(server.url("/"))
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(
            b"POST /api/v2/media HTTP/1.1\r\nHost: " + address.netloc.encode() + b"\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        first = connection.recv(64)
        assert first.startswith(b"HTTP/1.1 100 Continue"), first
        connection.sendall(b"hello")
        rest = b""
        while b"\r\n\r\n" not in rest:
            chunk = connection.recv(4096)
            if not chunk:
                break
            rest += chunk
        assert b"HTTP/1.1 401" in first + rest, first + rest
