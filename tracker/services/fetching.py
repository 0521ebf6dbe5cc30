"""Fetching external calendar feeds safely: only public http(s) addresses, bounded in bytes and time.

An editor's feed URL is outside input pointed at our own network: without care it reads the cloud
metadata service, an internal admin page or a port scan. So every hop (the first URL and each
redirect) is resolved and its address checked before connecting (`requests-hardened` pins the
connection to the checked address, so DNS cannot answer differently a second time); redirects are
followed here, by hand, at most `max_redirects`, each to http(s) only. The body is read in small
pieces: the cap counts *decoded* bytes (a gzip bomb stops at the cap, not in memory) and the
wall-clock deadline is checked between pieces, while each socket wait is bounded by what is left
of it; a watchdog shuts the sockets down when the deadline passes, so not even a server that
trickles its header lines a byte at a time holds a fetch longer. No database, no Flask: the sync
service calls `fetch` with the validators it stored.
"""

from __future__ import annotations

import contextlib
import http
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests_hardened.ip_filter import InvalidIPAddress
from requests_hardened.ip_filter_adapter import IPFilterAdapter

from tracker.phrases import number_text as _number
from tracker.phrases import said as _
from tracker.phrases import said_plural as ngettext
from tracker.services.feed_urls import WEB_SCHEMES
from tracker.services.feed_urls import source_url as source_url

USER_AGENT = "tracker-calendar-sync/1"
READ_PIECE_BYTES = 64 * 1024
CONNECT_TIMEOUT_SECONDS = 10.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchLimits:
    """How much one fetch may take. The defaults are the production limits.

    `allow_private` and `allowed_test_address` exist only for tests on loopback; nothing in the
    app's configuration sets them.
    """

    max_bytes: int = 5_000_000  # cap on the DECODED body (gzip bombs): stop reading beyond it
    deadline_seconds: float = 30.0  # wall-clock for the whole fetch incl. redirects and slow bodies
    max_redirects: int = 3
    allow_private: bool = False  # test-only: no address check at all (loopback, private, ...)
    # Test-only: exactly one "IP:PORT" (after resolution) let through while every other internal
    # address stays refused, so a test can show a redirect from it to 127.0.0.1 is refused.
    allowed_test_address: str = ""


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch: 200 with its body, or 304 (not modified) with body b""."""

    status: int
    body: bytes
    etag: str  # ETag of the answer ("" if none; on a 304 without one, the ETag we sent)
    last_modified: str  # Last-Modified of the answer (same rule)
    final_url: str


class FetchError(Exception):
    """A fetch that failed, with a message in people's words ("The server answered 404 Not Found."): ``said``,
    the message as a ``Phrase``, to be stored language-neutral."""

    def __init__(self, said: str) -> None:
        super().__init__(said)
        self.said = said


def fetch(url: str, *, etag: str = "", last_modified: str = "", limits: FetchLimits = FetchLimits()) -> FetchResult:
    """Conditional GET (If-None-Match / If-Modified-Since) of a feed, following at most
    `limits.max_redirects` redirects, each to a public http(s) address; raises FetchError."""
    started = time.monotonic()
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar", "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    watchdog = _Watchdog(limits.deadline_seconds)
    try:
        with _session(limits, watchdog) as session:
            return _follow(session, url, headers, started, limits, (etag, last_modified))
    except FetchError:
        if watchdog.expired:  # whatever broke, it broke because the deadline cut the socket
            raise _too_slow(limits) from None
        raise
    finally:
        watchdog.cancel()


def _follow(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    started: float,
    limits: FetchLimits,
    validators: tuple[str, str],
) -> FetchResult:
    """GET the URL and each redirect target in turn, at most `limits.max_redirects` of them."""
    current = url
    for _hop in range(limits.max_redirects + 1):
        _require_web_scheme(current)
        response = _get(session, current, headers, limits, _remaining(started, limits))
        with response:
            if response.status_code not in REDIRECT_STATUSES:
                return _result(response, current, started, limits, *validators)
            location = response.headers.get("Location", "")
        if not location:
            raise FetchError(_("The server answered with a redirect but no address to go to."))
        current = urljoin(current, location)
    raise FetchError(
        ngettext(
            "The server redirected more than %(num)d time.",
            "The server redirected more than %(num)d times.",
            limits.max_redirects,
        )
    )


class _Watchdog:
    """Shuts down every connection of one fetch when its deadline passes.

    Socket timeouts bound each wait, not their sum: a server sending one byte just inside the
    read timeout would otherwise hold a fetch for hours. Shutting the socket down wakes the
    blocked read, which then fails; `fetch` reports that as too slow.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, pool: urllib3.HTTPConnectionPool) -> None:
        """Record the socket of each connection the pool hands out, when it connects.

        The socket itself is kept, not the connection: http.client hands the socket over to the
        response (and forgets it) when the server closes after answering, as HTTP/1.0 servers do.
        """
        if getattr(pool, "_fetch_watchdog", None) is self:
            return
        checkout = pool._get_conn

        def watched_checkout(timeout: float | None = None) -> object:
            connection = checkout(timeout=timeout)
            connect = connection.connect

            def watched_connect() -> None:
                connect()
                self._add(connection.sock)

            connection.connect = watched_connect  # type: ignore[method-assign]
            self._add(connection.sock)  # a kept-alive connection is connected already
            return connection

        pool._get_conn = watched_checkout  # type: ignore[method-assign]
        pool._fetch_watchdog = self  # type: ignore[attr-defined]

    def _add(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._sockets.append(sock)
            if self.expired:
                self._expire()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed: nothing to wake
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _Watched:
    """Adapter mixin: every connection pool the adapter uses is put under the fetch's watchdog."""

    _watchdog: _Watchdog

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):  # type: ignore[no-untyped-def]
        pool = super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)
        self._watchdog.watch(pool)
        return pool


class _WatchedAdapter(_Watched, HTTPAdapter):
    """The plain adapter (allow_private: no address check at all), under the watchdog."""

    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog


class _CheckedAdapter(_Watched, IPFilterAdapter):
    """requests-hardened's adapter (resolve, refuse, pin) with a second, stricter check of the
    pinned address: anything not globally routable is refused unless it is the one test address."""

    def __init__(self, *, is_https: bool, allowed_test_address: str, watchdog: _Watchdog) -> None:
        # Loopback passes the library only when a test names one loopback address; the check
        # below then refuses every other loopback address.
        super().__init__(is_https_proto=is_https, allow_loopback=bool(allowed_test_address))
        self._watchdog = watchdog
        self._allowed = allowed_test_address
        self._default_port = 443 if is_https else 80

    def build_connection_pool_key_attributes(self, request, verify, cert=None):  # type: ignore[no-untyped-def]
        """Check the address the library resolved and pinned (after DNS, on every hop)."""
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        address = ipaddress.ip_address(host_params["host"].strip("[]"))
        port = host_params["port"] or self._default_port
        pinned = f"[{address}]:{port}" if address.version == 6 else f"{address}:{port}"
        if pinned != self._allowed and not _is_public(address):
            raise InvalidIPAddress(address)
        return host_params, pool_kwargs


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable, unicast: not loopback, private, link-local, multicast, reserved, unspecified."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_unspecified
    )


def _session(limits: FetchLimits, watchdog: _Watchdog) -> requests.Session:
    """A session whose every connection goes through the address check (none with allow_private)."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: it would connect for us, unchecked
    for scheme in WEB_SCHEMES:
        adapter = (
            _WatchedAdapter(watchdog)
            if limits.allow_private
            else _CheckedAdapter(
                is_https=scheme == "https", allowed_test_address=limits.allowed_test_address, watchdog=watchdog
            )
        )
        session.mount(f"{scheme}://", adapter)
    return session


def _require_web_scheme(url: str) -> None:
    """Refuse a (redirect) target that is not http(s): file:, ftp:, gopher: are never followed."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise FetchError(
            _("The address %(url)s is not http or https; only web addresses are fetched.", url=repr(url[:200]))
        )


def _remaining(started: float, limits: FetchLimits) -> float:
    """Seconds left of the deadline; FetchError once it has passed."""
    left = limits.deadline_seconds - (time.monotonic() - started)
    if left <= 0:
        raise _too_slow(limits)
    return left


def _too_slow(limits: FetchLimits) -> FetchError:
    seconds = f"{limits.deadline_seconds:g}"
    return FetchError(_("The server took longer than %(seconds)s seconds to send the calendar.", seconds=seconds))


def _get(
    session: requests.Session, url: str, headers: dict[str, str], limits: FetchLimits, left: float
) -> requests.Response:
    """One hop, without following redirects; library errors become FetchError in people's words."""
    try:
        return session.get(
            url,
            headers=headers,
            stream=True,
            allow_redirects=False,
            timeout=(min(CONNECT_TIMEOUT_SECONDS, left), left),
        )
    except InvalidIPAddress as error:
        raise FetchError(
            _("The address %(address)s is internal; only public addresses are fetched.", address=str(error))
        ) from None
    except requests.Timeout:
        raise _too_slow(limits) from None
    except requests.ConnectionError as error:
        raise FetchError(_connection_message(error, url)) from None
    except requests.RequestException as error:
        raise FetchError(_("The address could not be fetched (%(error)s).", error=type(error).__name__)) from None


def _connection_message(error: BaseException, url: str) -> str:
    """Name the cause a person can act on: the host is unknown, or nothing listens there."""
    host = urlsplit(url).hostname or url
    causes: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and len(causes) < 20:
        causes.append(seen)
        causes.extend(arg for arg in getattr(seen, "args", ()) if isinstance(arg, BaseException))
        seen = seen.__cause__ or seen.__context__ or getattr(seen, "reason", None)
    if any(isinstance(c, socket.gaierror | urllib3.exceptions.NameResolutionError) for c in causes):
        return _("The host name %(host)s could not be found.", host=host)
    if any(isinstance(c, ConnectionRefusedError) or "refused" in str(c).lower() for c in causes):
        return _("The server %(host)s refused the connection.", host=host)
    return _("The server %(host)s could not be reached.", host=host)


def _result(
    response: requests.Response, url: str, started: float, limits: FetchLimits, etag: str, last_modified: str
) -> FetchResult:
    """The final answer: 304, or 200 with its body read under the limits; any other status fails."""
    answer_etag = response.headers.get("ETag", "")
    answer_modified = response.headers.get("Last-Modified", "")
    if response.status_code == 304:
        return FetchResult(304, b"", answer_etag or etag, answer_modified or last_modified, url)
    if response.status_code != 200:
        raise FetchError(
            _("The server answered %(status)s %(reason)s.", status=response.status_code, reason=_reason(response))
        )
    body = _read_body(response, started, limits)
    return FetchResult(200, body, answer_etag, answer_modified, url)


def _reason(response: requests.Response) -> str:
    """The standard phrase of a status (the server's own reason text is not trusted to be short)."""
    try:
        return http.HTTPStatus(response.status_code).phrase
    except ValueError:
        return _("(an unknown status)")


def _read_body(response: requests.Response, started: float, limits: FetchLimits) -> bytes:
    """Read the decoded body piece by piece; stop beyond max_bytes or past the deadline.

    `read1` returns what one socket read gave (decoded at most a piece at a time), so a server
    that trickles bytes cannot keep us past the deadline between checks.
    """
    declared = response.headers.get("Content-Length", "")
    if not response.headers.get("Content-Encoding") and declared.isdigit() and int(declared) > limits.max_bytes:
        raise _too_big(limits)
    pieces: list[bytes] = []
    size = 0
    try:
        while True:
            _remaining(started, limits)
            piece = response.raw.read1(READ_PIECE_BYTES, decode_content=True)
            if not piece:
                break
            size += len(piece)
            if size > limits.max_bytes:
                raise _too_big(limits)
            pieces.append(piece)
    except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
        raise _too_slow(limits) from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise FetchError(
            _("The server broke off while sending the calendar (%(error)s).", error=type(error).__name__)
        ) from None
    _remaining(started, limits)
    return b"".join(pieces)


def _too_big(limits: FetchLimits) -> FetchError:
    return FetchError(_("The calendar is larger than %(limit)s bytes.", limit=_number(limits.max_bytes)))
