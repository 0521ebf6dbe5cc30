"""Safe fetching of external feeds, against real HTTP servers on loopback.

Each server records the headers it received and decides its answer from them, so the oracle of
the conditional GET is the server's own record, not our client's idea of what it sent.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tracker.services.fetching import FetchError, FetchLimits, fetch, source_url

FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"
OPEN = FetchLimits(allow_private=True)


@dataclass
class Served:
    """A running server: its base URL and every request's (path, headers) as it received them."""

    url: str
    port: int
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)


Answer = Callable[[BaseHTTPRequestHandler, Served], None]


@contextmanager
def serving(answer: Answer, host: str = "127.0.0.1") -> Iterator[Served]:
    """A ThreadingHTTPServer on an ephemeral port whose GETs are answered by `answer`."""
    served = Served(url="", port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                answer(self, served)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    served.port = server.server_address[1]
    served.url = f"http://{host}:{served.port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def feed(handler: BaseHTTPRequestHandler, served: Served) -> None:
    send(handler, 200, FEED, Content_Type="text/calendar")


def test_loopback_is_refused_by_default() -> None:
    with serving(feed) as served:
        with pytest.raises(FetchError, match=r"^The address 127\.0\.0\.1 is internal; only public addresses"):
            fetch(served.url + "/feed.ics")
        with pytest.raises(FetchError, match=r"is internal; only public addresses are fetched\.$"):
            fetch(f"http://localhost:{served.port}/feed.ics")
        assert served.seen == []


def test_internal_addresses_are_refused_before_connecting() -> None:
    for address in ("10.0.0.1", "169.254.169.254", "0.0.0.0", "[::1]", "100.64.0.1", "224.0.0.1"):
        with pytest.raises(FetchError, match="is internal; only public addresses are fetched"):
            fetch(f"http://{address}:9/feed.ics", limits=FetchLimits(deadline_seconds=2))


def test_with_allow_private_the_feed_is_fetched_with_our_headers() -> None:
    with serving(feed) as served:
        result = fetch(served.url + "/feed.ics", limits=OPEN)
    assert (result.status, result.body, result.final_url) == (200, FEED, served.url + "/feed.ics")
    (path, headers) = served.seen[0]
    assert path == "/feed.ics"
    assert headers["user-agent"] == "tracker-calendar-sync/1"
    assert headers["accept"] == "text/calendar"
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_conditional_get_gets_304_when_the_server_sees_the_validators() -> None:
    etag, modified = '"v1-abc"', "Tue, 15 Nov 2022 08:00:00 GMT"

    def conditional(handler: BaseHTTPRequestHandler, served: Served) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, ETag=etag)
        else:
            send(handler, 200, FEED, ETag=etag, Last_Modified=modified)

    with serving(conditional) as served:
        first = fetch(served.url + "/f.ics", limits=OPEN)
        second = fetch(served.url + "/f.ics", etag=first.etag, last_modified=first.last_modified, limits=OPEN)
    assert (first.status, first.body, first.etag, first.last_modified) == (200, FEED, etag, modified)
    assert (second.status, second.body, second.etag, second.last_modified) == (304, b"", etag, modified)
    second_headers = served.seen[1][1]
    assert second_headers["if-none-match"] == etag
    assert second_headers["if-modified-since"] == modified


def redirect_chain(handler: BaseHTTPRequestHandler, served: Served) -> None:
    """/hops/N redirects to /hops/N-1 (alternating relative and absolute Location); /hops/0 is the feed."""
    left = int(handler.path.rsplit("/", 1)[1])
    if left == 0:
        feed(handler, served)
    else:
        target = f"/hops/{left - 1}" if left % 2 else f"{served.url}/hops/{left - 1}"
        send(handler, 302 if left % 2 else 301, Location=target)


def test_three_redirects_are_followed_four_are_refused() -> None:
    with serving(redirect_chain) as served:
        result = fetch(served.url + "/hops/3", limits=OPEN)
        assert (result.status, result.body, result.final_url) == (200, FEED, served.url + "/hops/0")
        assert [path for path, _ in served.seen] == ["/hops/3", "/hops/2", "/hops/1", "/hops/0"]
        served.seen.clear()
        with pytest.raises(FetchError, match=r"^The server redirected more than 3 times\.$"):
            fetch(served.url + "/hops/4", limits=OPEN)
        assert [path for path, _ in served.seen] == ["/hops/4", "/hops/3", "/hops/2", "/hops/1"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/feed.ics", "gopher://x/"])
def test_a_redirect_to_another_scheme_is_refused(target: str) -> None:
    refused = pytest.raises(FetchError, match="is not http or https; only web addresses are fetched")
    with serving(lambda handler, served: send(handler, 302, Location=target)) as served, refused:
        fetch(served.url + "/feed.ics", limits=OPEN)


def test_a_redirect_from_the_one_allowed_address_to_127_0_0_1_is_refused() -> None:
    with serving(feed) as internal:

        def to_internal(handler: BaseHTTPRequestHandler, served: Served) -> None:
            send(handler, 302, Location=internal.url + "/secret")

        with serving(to_internal) as allowed:
            limits = FetchLimits(allowed_test_address=f"127.0.0.1:{allowed.port}")
            with pytest.raises(FetchError, match=r"^The address 127\.0\.0\.1 is internal"):
                fetch(allowed.url + "/feed.ics", limits=limits)
            assert [path for path, _ in allowed.seen] == ["/feed.ics"]
        assert internal.seen == []
        # The same setting lets the named address itself be fetched, and nothing else.
        direct = FetchLimits(allowed_test_address=f"127.0.0.1:{internal.port}")
        assert fetch(internal.url + "/feed.ics", limits=direct).body == FEED


def test_a_redirect_through_localhost_is_refused_after_resolution() -> None:
    with serving(feed) as internal:

        def to_localhost(handler: BaseHTTPRequestHandler, served: Served) -> None:
            send(handler, 307, Location=f"http://localhost:{internal.port}/secret")

        with serving(to_localhost) as allowed:
            limits = FetchLimits(allowed_test_address=f"127.0.0.1:{allowed.port}")
            with pytest.raises(FetchError, match=r"is internal; only public addresses are fetched"):
                fetch(allowed.url + "/feed.ics", limits=limits)
        assert internal.seen == []


def test_a_gzip_bomb_stops_at_the_decoded_cap() -> None:
    decoded_size = 20_000_000
    bomb = gzip.compress(b"\0" * decoded_size, compresslevel=9)
    assert len(bomb) < 100_000  # what the cap must count is the decoded size, not this

    def gzipped(handler: BaseHTTPRequestHandler, served: Served) -> None:
        send(handler, 200, bomb, Content_Encoding="gzip", Content_Type="text/calendar")

    with serving(gzipped) as served:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match=r"^The calendar is larger than 1,000,000 bytes\.$"):
                fetch(served.url + "/bomb.ics", limits=FetchLimits(max_bytes=1_000_000, allow_private=True))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 5_000_000  # the cap and a few pieces, never the 20 MB the bomb decodes to
        small = FetchLimits(max_bytes=decoded_size, allow_private=True)
        assert len(fetch(served.url + "/bomb.ics", limits=small).body) == decoded_size


def test_a_body_larger_than_the_cap_is_refused() -> None:
    with serving(lambda handler, served: send(handler, 200, b"x" * 2_000)) as served:
        with pytest.raises(FetchError, match="larger than 1,000 bytes"):
            fetch(served.url + "/big.ics", limits=FetchLimits(max_bytes=1_000, allow_private=True))
        assert (
            len(fetch(served.url + "/big.ics", limits=FetchLimits(max_bytes=2_000, allow_private=True)).body) == 2_000
        )


@pytest.mark.parametrize("mode", ["hangs", "trickles the body", "trickles the headers"])
def test_a_slow_server_fails_within_the_deadline(mode: str) -> None:
    release = threading.Event()
    header_lines_sent = [0]

    def slow(handler: BaseHTTPRequestHandler, served: Served) -> None:
        if mode == "trickles the headers":  # one header line every 50 ms, never the blank line
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while not release.wait(0.05):
                handler.wfile.write(b"X-Slow: 1\r\n")
                handler.wfile.flush()
                header_lines_sent[0] += 1
            return
        handler.send_response(200)
        handler.send_header("Content-Length", "1000000")
        handler.end_headers()
        handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
        handler.wfile.flush()
        # Hang, or send a byte every 50 ms (each socket read then succeeds well within a timeout).
        while not release.wait(0.05 if mode == "trickles the body" else None):
            handler.wfile.write(b"x")
            handler.wfile.flush()

    try:
        with serving(slow) as served:
            with pytest.raises(FetchError, match=r"^The server took longer than 1 seconds to send the calendar\.$"):
                fetch(served.url + "/slow.ics", limits=FetchLimits(deadline_seconds=1, allow_private=True))
            # Cut off by the deadline, not by http.client's own limit of 100 header lines.
            assert header_lines_sent[0] < 60
            release.set()
    finally:
        release.set()


def test_http_errors_in_peoples_words() -> None:
    not_found = pytest.raises(FetchError, match=r"^The server answered 404 Not Found\.$")
    with serving(lambda handler, served: send(handler, 404, b"nope")) as served, not_found:
        fetch(served.url + "/missing.ics", limits=OPEN)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: connecting is refused
        with pytest.raises(FetchError, match=r"^The server 127\.0\.0\.1 refused the connection\.$"):
            fetch(f"http://127.0.0.1:{port}/feed.ics", limits=OPEN)
    with pytest.raises(FetchError, match=r"^The host name no-such-host\.invalid could not be found\.$"):
        fetch("http://no-such-host.invalid/feed.ics", limits=FetchLimits(deadline_seconds=5))
    with pytest.raises(FetchError, match="is not http or https"):
        fetch("ftp://example.org/feed.ics")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  webcal://example.org/cal.ics \n", "https://example.org/cal.ics"),
        ("WEBCAL://example.org/cal.ics", "https://example.org/cal.ics"),
        ("webcals://example.org:8443/a?b=c", "https://example.org:8443/a?b=c"),
        ("http://example.org/feed", "http://example.org/feed"),
        ("https://user@example.org/feed", "https://user@example.org/feed"),
    ],
)
def test_source_url_normalises(typed: str, expected: str) -> None:
    assert source_url(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ftp://example.org/cal.ics", "Only http://, https:// and webcal://"),
        ("file:///etc/passwd", "Only http://, https:// and webcal://"),
        ("example.org/cal.ics", "Only http://, https:// and webcal://"),
        ("https:///cal.ics", "no host name"),
        ("webcal://", "no host name"),
        ("https://example.org/" + "a" * 1981, "longer than 2000 characters"),
        ("https://exa mple.org/cal.ics", "spaces"),
        ("https://example.org:99999/", "not a valid URL"),
        ("   ", "Enter the address"),
    ],
)
def test_source_url_refuses(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        source_url(typed)


def test_source_url_accepts_exactly_2000_characters() -> None:
    url = "https://example.org/" + "a" * 1980
    assert len(url) == 2000 and source_url(url) == url
