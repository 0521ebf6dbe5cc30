"""Request bodies are bounded (issue 8, defect 5): over ``MAX_CONTENT_LENGTH`` (2 MiB unless configured) the
answer is 413 at once, from the headers alone, in the app and in ``tracker serve`` (waitress buffers whole bodies
before the app sees them, so it must refuse them itself)."""

from __future__ import annotations

import io
import os
import select
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import PROJECT_ROOT
from tests.test_install import free_port
from tracker import create_app
from tracker.config import ConfigError

LIMIT = 2 * 1024 * 1024
TRACKER = PROJECT_ROOT / ".venv" / "bin" / "tracker"


class CountingStream(io.RawIOBase):
    """A request body of ``size`` bytes that counts how much of it the app reads (seeking reads nothing)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.position = 0
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = b"a" * count
        self.position += count
        self.read_bytes += count
        return count


def test_the_default_limit_is_really_set(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == LIMIT


def test_an_over_limit_body_is_refused_unread(app: Flask) -> None:
    claimed = 900 * 1024 * 1024
    stream = CountingStream(claimed)
    response = app.test_client().post(
        "/subscriptions",
        input_stream=stream,
        environ_overrides={"CONTENT_LENGTH": str(claimed), "CONTENT_TYPE": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)  # our error page
    assert stream.read_bytes == 0


@pytest.mark.parametrize(("size", "refused"), [(LIMIT, False), (LIMIT + 1, True)])
def test_the_limit_is_inclusive(app: Flask, size: int, refused: bool) -> None:
    body = b"email=" + b"a" * (size - len(b"email="))
    response = app.test_client().post("/subscriptions", data=body, content_type="application/x-www-form-urlencoded")
    assert (response.status_code == 413) is refused, response.status_code
    assert response.status_code < 500


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    environ = {"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_MAX_CONTENT_LENGTH": "1000"}
    assert create_app({"TESTING": True}, environ=environ).config["MAX_CONTENT_LENGTH"] == 1000
    for bad in ("0", "-5", "²", "1e6", "99999999999999999999"):
        with pytest.raises(ConfigError, match="TRACKER_MAX_CONTENT_LENGTH"):
            create_app({"TESTING": True}, environ={**environ, "TRACKER_MAX_CONTENT_LENGTH": bad})


# --- a real ``tracker serve`` ---------------------------------------------------------------------------


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[int]:
    """``tracker serve`` (waitress) on a free loopback port; yields the port once it is listening."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env |= {
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": "test-secret-key-0123456789",
    }
    process = subprocess.Popen(
        [str(TRACKER), "serve", "--port", str(port), "--no-scheduler", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        for line in process.stdout:  # the banner is printed once the socket is bound
            if f":{port}/" in line:
                break
            assert time.monotonic() < deadline, "tracker serve did not start"
        else:
            pytest.fail(f"tracker serve exited with {process.wait()}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _read_head(sock: socket.socket) -> bytes:
    """The status line and headers of the answer (the connection may close right after)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _headers(port: int, length: int | None, chunked: bool = False) -> bytes:
    lines = [
        "POST /subscriptions HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/x-www-form-urlencoded",
    ]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def test_serve_answers_413_before_the_body_is_sent(server: int) -> None:
    """900 MB announced, nothing sent: the 413 comes at once, so nothing is spooled to disk."""
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(_headers(server, 900 * 1024 * 1024))
        head = _read_head(sock)
        elapsed = time.monotonic() - started
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert elapsed < 5, elapsed  # generous; it takes milliseconds
    print(f"413 after {elapsed * 1000:.1f} ms with 0 of 900 MB sent")


def _socket_buffers() -> int:
    """The most loopback TCP may hold in flight: the largest send buffer plus the largest receive buffer."""
    total = 0
    for name in ("tcp_wmem", "tcp_rmem"):
        try:
            total += int(Path(f"/proc/sys/net/ipv4/{name}").read_text().split()[2])
        except (OSError, IndexError, ValueError):
            total += 8 * 1024 * 1024
    return total


def test_serve_stops_a_chunked_body_at_the_limit(server: int) -> None:
    """Without a Content-Length, waitress counts what arrives and answers 413 once it passes the limit."""
    chunk = b"a" * 65536
    framed = b"%x\r\n" % len(chunk) + chunk + b"\r\n"
    sent = 0
    head = b""
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(_headers(server, None, chunked=True))
        pending = b""
        while sent < 20 * LIMIT:
            readable, writable, _ = select.select([sock], [sock], [], 10)
            if readable:
                head = _read_head(sock)
                break
            if writable:
                pending = pending or framed
                try:
                    written = sock.send(pending)
                except (BrokenPipeError, ConnectionResetError):
                    continue  # closed after answering: the answer is waiting to be read
                pending = pending[written:]
                sent += written
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    assert sent <= LIMIT + _socket_buffers(), sent  # stopped at the limit, plus what the kernel buffers held
    print(f"413 after {sent / 1024 / 1024:.1f} MiB of a chunked body (limit {LIMIT / 1024 / 1024:.0f} MiB)")


def test_serve_accepts_a_body_at_the_limit(server: int) -> None:
    """The server's limit is the app's, not smaller: a 2 MiB form reaches the app (which wants a CSRF token)."""
    body = b"email=" + b"a" * (LIMIT - len(b"email="))
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(_headers(server, len(body)) + body)
        head = _read_head(sock)
    assert head.startswith(b"HTTP/1.1 400"), head[:200]
