"""Fuzz every route with hostile query strings, form fields and path values: never a 500, bounded time.

Routes come from ``app.url_map``, so a new route is fuzzed without touching this file. Each example starts
from valid values for every known parameter (so parsing gets deep into a view) and replaces some of them, adds
random names and drops others. Values include Unicode digits (``²``, ``٣``, ``𝟗``), integers beyond every
column, negatives, NUL and other control characters, lone surrogates and invalid UTF-8 (sent as raw bytes and
percent-encoded), and 100,000-character strings. Runs as an anonymous reader, an editor and an admin, on every
database backend (issue 8, defect 6).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import Rule

from tests.conftest import NOW, SKOPJE_CONFERENCE, add_user, login, make_event
from tests.reminders.conftest import add_subscription
from tracker.models import Organisation, Person, utcnow
from tracker.services import events as event_service
from tracker.services import feeds as feed_service
from tracker.services import subscriptions as subscription_service

#: A request may take this long at most (generous: the machine is shared; normal answers take milliseconds).
TIME_BOUND_SECONDS = 5.0
EXAMPLES_PER_ROLE = 150

QUERY_NAMES = ("page", "year", "kind", "status", "country", "org", "tag", "q", "tz", "month", "next")
FORM_NAMES = (
    *QUERY_NAMES,
    "event_id", "lead", "revision", "email", "timezone", "title", "visibility", "all_day", "start_date",
    "start_time", "end_date", "end_time", "venue", "city", "description", "source_url", "tags", "org_name[]",
    "org_role[]", "person_name[]", "name", "acronym", "website", "position", "organisation", "password", "action",
)  # fmt: skip

HUGE_DIGITS = "9" * 100_000
HOSTILE_TEXT = [
    "²", "٣", "𝟗", "٢٠٢٦", "١١", "٢٠٢٦-١١", "２０２６-１１-１０", "¹⁰:⁰⁰",
    "99999999999999999999", "2147483648", "2147483647", "-2147483649", "9223372036854775808", "-1", "0", "-0",
    "+1", "1_000", "1e3", " 7 ", "0x10", "1.5", "NaN", "inf", "1" * 5000, HUGE_DIGITS, "x" * 100_000,
    "\x00", "a\x00b", "\r\n", "\x1b[31m", "\u202e", "\ufeff1", "\u2028", "%00", "%", "%%", "%ff%fe",
    "", " ", ",", ",,,,", "conference," * 30, "../../etc/passwd", "..", "/", "//evil.example", "https://evil.example",
    "javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE event; --", "\\", '"',
    "2022-02-30", "2022-13-01", "9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01", "25:61", "24:00", "-1:00",
    "Europe/Skopje", "../UTC", "Etc/GMT+14", "UTC", "MK", "XK", "ZZ", "IOM", "1440", "60", "10080", "on", "true",
    "conference", "cancelled", "internal", "create", "revoke", "host",
    "\ud800", "\udfff", "a\ud83dz",  # lone surrogates: no valid UTF-8 exists, sent with surrogatepass
]  # fmt: skip
HOSTILE_BYTES = [b"\xff", b"\xfe\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"caf\xe9", b"\x80" * 50]


@dataclass
class Fixture:
    """The data every example runs against, and valid values to start each request from."""

    ids: dict[str, list[int]]
    tokens: list[str]
    baseline: dict[str, str]


def _digits(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


values_as_bytes = st.one_of(
    st.sampled_from(HOSTILE_TEXT).map(_digits),
    st.sampled_from(HOSTILE_BYTES),
    st.text(max_size=30).map(_digits),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=12).map(_digits),
    st.integers(min_value=-(2**70), max_value=2**70).map(lambda number: str(number).encode()),
    st.integers(min_value=2**31 - 3, max_value=2**31 + 3).map(lambda number: str(number).encode()),
    st.binary(max_size=24),
)
random_names = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12).map(_digits)


UNSAFE = re.compile(rb"[^A-Za-z0-9]")
UNSAFE_ASCII = re.compile(rb"[^A-Za-z0-9\x80-\xff]")


def _escape(data: bytes, raw: bool) -> bytes:
    """Percent-encode every byte but ASCII letters and digits; with ``raw``, bytes ≥ 0x80 go as they are."""
    return (UNSAFE_ASCII if raw else UNSAFE).sub(lambda match: b"%%%02X" % match.group()[0], data)


def _encode_pair(name: bytes, value: bytes, raw: bool) -> bytes:
    """``name=value`` for a query string or form body."""
    return _escape(name, raw) + b"=" + _escape(value, raw)


@st.composite
def parameters(draw: st.DrawFn, known: tuple[str, ...], baseline: dict[str, str]) -> bytes:
    """A query string or form body: valid values for most known names, hostile ones for a few, extra names."""
    pairs = {name: [baseline[name].encode()] for name in known if name in baseline and draw(st.integers(0, 4))}
    for name in draw(st.lists(st.sampled_from(known), min_size=1, max_size=3, unique=True)):
        pairs[name] = draw(st.lists(values_as_bytes, min_size=1, max_size=2))  # sometimes repeated
    flat = [(name.encode(), value) for name, values in pairs.items() for value in values]
    flat += draw(st.lists(st.tuples(random_names, values_as_bytes), max_size=2))
    raw = draw(st.booleans())
    return b"&".join(_encode_pair(name, value, raw) for name, value in draw(st.permutations(flat)))


ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
HOSTILE_PATH_VALUES = ["²", "٣", "𝟗", "0", "-1", "99999999999999999999", "2147483648", "%00", "..", "x" * 5000, ""]


@st.composite
def paths(draw: st.DrawFn, rule: Rule, fixture: Fixture) -> str:
    """The rule's URL with each argument a real id or token, or a hostile value (percent-encoded)."""

    def replace(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "default", match.group(2)
        if converter == "int":
            real = [str(number) for number in fixture.ids.get(name, [1])]
        elif converter == "path":
            real = ["style.css", "viewer-zone.js", "../tracker/__init__.py"]
        else:
            real = fixture.tokens
        value = draw(st.one_of(st.sampled_from(real), st.sampled_from(HOSTILE_PATH_VALUES), st.text(max_size=20)))
        return quote(value.encode("utf-8", "surrogatepass"), safe="" if converter != "path" else "/")

    return ARGUMENT.sub(replace, rule.rule)


def routes(app: Flask, role: str) -> list[tuple[Rule, str]]:
    """Every (rule, method) of the app, except logging out a client whose login the fuzz needs."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if role != "anonymous" and rule.endpoint == "auth.logout":
                continue
            found.append((rule, method))
    return sorted(found, key=lambda item: (item[0].rule, item[1]))


@pytest.fixture
def fuzz_data(app: Flask, db_session: Session) -> Fixture:
    """Public, internal and deleted events with organisations, people and tags; a subscription; a feed token."""
    admin = add_user(db_session, "admin@example.org", role="admin", name="Ada Admin")
    editor = add_user(db_session, "editor@example.org", role="editor")
    upcoming = {**SKOPJE_CONFERENCE, "start_date": "2026-11-15", "end_date": "2026-11-16"}
    public = make_event(db_session, user=editor, **upcoming, people=["Ana Andova, Minister"])
    internal = make_event(db_session, user=editor, title="Internal visit", visibility="internal", tags="secret")
    deleted = make_event(db_session, user=editor, title="Deleted meeting")
    event_service.delete_event(db_session, deleted.id, deleted.revision, editor, NOW)
    db_session.commit()
    subscription = add_subscription(db_session, "ana@example.org", utcnow(), filter_args={"kind": "conference"})
    secret = app.config["SECRET_KEY"]
    tokens = [
        subscription_service.manage_token(secret, subscription),
        subscription_service.confirm_token(secret, subscription),
        feed_service.new_feed_token(db_session, admin, utcnow()),
        "A" * 43,
    ]
    db_session.commit()
    organisation_ids = list(db_session.execute(select(Organisation.id)).scalars())
    person_ids = list(db_session.execute(select(Person.id)).scalars())
    event_ids = [public.id, internal.id, deleted.id, 424242]
    baseline = {
        "page": "1", "year": "2026", "kind": "conference", "status": "confirmed", "country": "MK", "org": "IOM",
        "tag": "migration", "q": "conference", "tz": "Europe/Skopje", "month": "2026-11", "next": "/",
        "event_id": str(public.id), "lead": "1440", "revision": "1", "email": "ana@example.org",
        "timezone": "Europe/Skopje", "title": "Fuzzed meeting", "visibility": "public", "all_day": "",
        "start_date": "2026-11-20", "start_time": "10:00", "end_date": "2026-11-20", "end_time": "11:00",
        "venue": "Hall", "city": "Skopje", "description": "Text", "source_url": "https://example.org/",
        "tags": "a, b", "org_name[]": "IOM", "org_role[]": "host", "person_name[]": "Ana", "name": "Fuzz Org",
        "acronym": "FZ", "website": "https://example.org/", "position": "Minister", "organisation": "IOM",
        "password": "wrong password", "action": "create",
    }  # fmt: skip
    return Fixture(
        ids={
            "event_id": event_ids,
            "organisation_id": [*organisation_ids, 424242],
            "person_id": [*person_ids, 424242],
            "year": [2026, 1900, 2200, 1899, 2201],
            "month": [11, 1, 12, 13],
            "week": [46, 1, 53, 54],
        },
        tokens=tokens,
        baseline=baseline,
    )


def _client(app: Flask, role: str) -> tuple[str, FlaskClient]:
    client = app.test_client()
    if role != "anonymous":
        login(client, f"{role}@example.org")
    return role, client


@pytest.fixture(params=["anonymous", "editor", "admin"])
def fuzz_client(request: pytest.FixtureRequest, app: Flask, fuzz_data: Fixture) -> tuple[str, FlaskClient]:
    return _client(app, request.param)


@pytest.fixture(params=["anonymous", "admin"])
def sweep_client(request: pytest.FixtureRequest, app: Flask, fuzz_data: Fixture) -> tuple[str, FlaskClient]:
    """The sweep is long: an admin reaches every route an editor does (and more)."""
    return _client(app, request.param)


def send(client: FlaskClient, method: str, path: str, query: bytes, body: bytes | None) -> Any:
    """One request with the query string passed as WSGI gives it (bytes as latin-1), timed."""
    started = time.monotonic()
    response = client.open(
        path,
        method=method,
        data=body,
        content_type="application/x-www-form-urlencoded" if body is not None else None,
        environ_overrides={"QUERY_STRING": query.decode("latin-1")},
    )
    response.get_data()  # streamed answers must finish too
    return response, time.monotonic() - started


@settings(
    max_examples=EXAMPLES_PER_ROLE,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_route_answers_500_to_hostile_input(
    app: Flask, fuzz_data: Fixture, fuzz_client: tuple[str, FlaskClient], data: st.DataObject
) -> None:
    role, client = fuzz_client
    rule, method = data.draw(st.sampled_from(routes(app, role)), label="route")
    path = data.draw(paths(rule, fuzz_data), label="path")
    if method == "GET":
        query = data.draw(parameters(QUERY_NAMES, fuzz_data.baseline), label="query")
        body = None
    else:
        query = data.draw(st.sampled_from([b"", b"page=%C2%B2", b"event_id=99999999999999999999"]), label="query")
        body = data.draw(parameters(FORM_NAMES, fuzz_data.baseline), label="form")
    response, elapsed = send(client, method, path, query, body)
    assert response.status_code < 500, (role, method, path, query[:300], (body or b"")[:300], response.status_code)
    assert elapsed < TIME_BOUND_SECONDS, (role, method, path, elapsed)


#: The values that broke parsing before (issue 8, defect 6), and None: the parameter left out.
CORE_VALUES: list[bytes | None] = [
    "²".encode(),
    b"99999999999999999999",
    b"2147483648",
    b"a\x00b",
    HUGE_DIGITS.encode(),
    None,
]
EVERYTHING = "*"
READS: set[str] = set()


class RecordingMultiDict(ImmutableMultiDict[str, str]):
    """``request.args`` and ``request.form`` that note which names a view reads (``*``: it iterated them all)."""

    def __getitem__(self, key: str) -> str:
        READS.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        READS.add(key)
        return super().get(key, default, type)

    def getlist(self, key: str, type: Any = None) -> list[Any]:
        READS.add(key)
        return super().getlist(key, type)

    def __contains__(self, key: object) -> bool:
        READS.add(str(key))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        READS.add(EVERYTHING)
        return super().__iter__()

    def items(self, multi: bool = False) -> Any:
        READS.add(EVERYTHING)
        return super().items(multi)

    def lists(self) -> Any:
        READS.add(EVERYTHING)
        return super().lists()


class RecordingRequest(Request):
    parameter_storage_class = RecordingMultiDict


def _real_path(rule: Rule, fixture: Fixture) -> str:
    def replace(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "default", match.group(2)
        if converter == "int":
            return str(fixture.ids.get(name, [1])[0])
        return "style.css" if converter == "path" else fixture.tokens[0]

    return ARGUMENT.sub(replace, rule.rule)


def _short(value: bytes) -> bytes | str:
    return value if len(value) <= 30 else f"{value[:10]!r}… ({len(value)} bytes)"


def _encode(pairs: dict[str, bytes]) -> bytes:
    return b"&".join(_encode_pair(name.encode(), value, raw=False) for name, value in pairs.items())


def test_every_parameter_a_route_reads_survives_every_core_value(
    app: Flask, fuzz_data: Fixture, sweep_client: tuple[str, FlaskClient]
) -> None:
    """Systematic where the random fuzz is not: each core value in each name a route was seen reading, one at a
    time with the others valid (names first read once another is left out are swept too). A route that
    iterates over the whole form (the editors' forms, validated as one pydantic model that reports every field)
    also gets each value in every known field at once."""
    role, client = sweep_client
    app.request_class = RecordingRequest
    failures: list[tuple[Any, ...]] = []
    slowest = 0.0

    def check(method: str, path: str, pairs: dict[str, bytes]) -> None:
        nonlocal slowest
        encoded = _encode(pairs)
        response, elapsed = send(client, method, path, encoded, None if method == "GET" else encoded)
        slowest = max(slowest, elapsed)
        if response.status_code >= 500 or elapsed >= TIME_BOUND_SECONDS:
            shown = {name: _short(value) for name, value in pairs.items() if value != valid.get(name)}
            failures.append((method, path, shown, response.status_code, round(elapsed, 2)))

    for rule, method in routes(app, role):
        path = _real_path(rule, fuzz_data)
        known = QUERY_NAMES if method == "GET" else FORM_NAMES
        valid = {name: fuzz_data.baseline[name].encode() for name in known if name in fuzz_data.baseline}
        READS.clear()
        check(method, path, {})  # nothing to iterate over: what is left is what the route asks for by name
        explicit = READS - {EVERYTHING}
        READS.clear()
        check(method, path, valid)
        iterates = EVERYTHING in READS
        if iterates:
            for value in filter(None, CORE_VALUES):
                hostile = dict.fromkeys(known, value)
                check(method, path, hostile)
                check(method, path, {**hostile, **{name: valid[name] for name in explicit if name in valid}})
        swept: set[str] = set()
        while unswept := (explicit if iterates else READS | explicit) - swept - {EVERYTHING}:
            for name in sorted(unswept):
                swept.add(name)
                others = {key: item for key, item in valid.items() if key != name}
                for value in CORE_VALUES:
                    check(method, path, others if value is None else {**others, name: value})
    assert not failures, "\n".join([f"{len(failures)} answers ≥ 500 or too slow:", *map(repr, failures)])
    print(f"{role}: slowest answer {slowest * 1000:.0f} ms")


def test_every_route_is_fuzzed(app: Flask) -> None:
    """The fuzz draws from the url_map: guard against an empty or half-read map (e.g. a renamed converter)."""
    endpoints = {rule.endpoint for rule, _method in routes(app, "anonymous")}
    assert {"public.index", "subscriptions.subscribe", "editor.edit_event", "feeds.calendar_feed"} <= endpoints
    assert all(ARGUMENT.sub("", rule.rule).count("<") == 0 for rule, _method in routes(app, "anonymous"))


def test_raw_invalid_utf8_in_the_query_string_is_not_a_500(client: FlaskClient) -> None:
    """Werkzeug decodes the raw query string strictly; bytes a real client may send must not fail the request."""
    for query in (b"q=caf\xe9", b"kind=\xff", b"\xff\xfe=1", b"tz=\xed\xa0\x80"):
        response, _elapsed = send(client, "GET", "/", query, None)
        assert response.status_code in (200, 400), (query, response.status_code)


def test_the_encoder_sends_what_a_form_parser_reads() -> None:
    """The fuzz harness itself: percent-encoded pairs round-trip, raw mode leaves only bytes ≥ 0x80 unescaped."""
    encoded = _encode_pair(b"lead", "²".encode(), raw=False) + b"&" + _encode_pair(b"q", b"a&b=c %", raw=False)
    assert MultiDict(parse_qsl(encoded.decode("ascii"))) == MultiDict([("lead", "²"), ("q", "a&b=c %")])
    assert _encode_pair(b"q", b"\xff&=", raw=True) == b"q=\xff%26%3D"
