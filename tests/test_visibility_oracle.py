"""The authorisation oracle: nothing of an internal event reaches an anonymous client, by any route.

Internal events (and the organisation, person, tag and place only they use) carry a marker word in every
field. Every route of the app — found in its URL map, so a new route is covered without editing this file —
is requested anonymously with every kind of event id (public, internal, internal-then-deleted, made internal
after being public, missing), with filters that go looking for the internal data, by GET and by POST. No
answer (body or headers) may contain the marker, and an internal id must get the same answer as a missing one.
The same requests from a logged-in editor do show the marker: the data is there, so the check can fail.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.conftest import NOW, add_user, login, make_event
from tracker.models import Organisation
from tracker.services.api_tokens import issue_token
from tracker.services.events import delete_event, event_input_from, load_event, update_event
from tracker.text import slugify
from tracker.validation import EventInput

#: Two words that stand in every field of every internal event; a probe names one, a leak shows the other.
MARKER = "zqxhidden"
SECOND = "wqvsealed"
SECRET_WORDS = (MARKER, SECOND)
INTERNAL_ORG = f"Agency {MARKER.capitalize()} {SECOND.capitalize()} Directorate"
INTERNAL_ACRONYM = f"{SECOND.upper()}AD"
INTERNAL_TAG = f"{MARKER}-{SECOND}"
MISSING_ID = 987654


def _secret_fields(label: str) -> dict[str, Any]:
    return {
        "title": f"Visit {MARKER} {SECOND} {label}",
        "visibility": "internal",
        "venue": f"{MARKER} {SECOND} residence",
        "city": f"{MARKER.capitalize()} {SECOND.capitalize()}",
        "description": f"Not to be announced before the ministry does: {MARKER} {SECOND}.",
        "tags": INTERNAL_TAG,
        "organisations": [(INTERNAL_ORG, "host"), ("International Organization for Migration", "participant")],
        "people": [f"Minister {MARKER.capitalize()} {SECOND.capitalize()}, Director"],
        # The texts a Macedonian or Albanian reader would get: the marker stands in them too.
        "translations": {
            "mk": {"title": f"Посета {MARKER} {SECOND}", "description": f"Не се објавува: {MARKER} {SECOND}."},
            "sq": {"title": f"Vizitë {MARKER} {SECOND}", "description": f"Nuk njoftohet: {MARKER} {SECOND}."},
        },
    }


@dataclass
class Data:
    public: int
    past_public: int
    internal: int
    past_internal: int
    deleted_internal: int
    made_internal: int
    deleted_public: int

    def ids(self) -> dict[str, int]:
        return {**self.__dict__, "missing": MISSING_ID}


@pytest.fixture
def data(db_session: Session) -> Data:
    session = db_session
    public_org = [("International Organization for Migration", "supporter")]
    public = make_event(session, title="Regional meeting on migration", tags="migration", organisations=public_org)
    past_public = make_event(session, title="Earlier public meeting", start_date="2026-09-01", tags="migration")
    internal = make_event(session, **_secret_fields("upcoming"))
    past_internal = make_event(session, start_date="2025-06-03", **_secret_fields("last year"))
    deleted_internal = make_event(session, **_secret_fields("deleted"))
    delete_event(session, deleted_internal.id, None, None, NOW)
    session.commit()
    # Public first (a reader may have subscribed, a feed may hold it), then made internal with new details.
    made_internal = make_event(session, title="Announced working visit", organisations=public_org)
    values = event_input_from(load_event(session, made_internal.id))
    values.update(_secret_fields("changed"), start_date="2026-11-12", end_date="2026-11-12")
    update_event(session, made_internal.id, EventInput.from_form(values), None, None, NOW)
    session.commit()
    # The internal organisation's names in the other languages carry the marker as well.
    secret_names = {language: {"name": f"{MARKER} {SECOND} ({language})", "acronym": f"{SECOND}{language}"}
                    for language in ("mk", "sq")}  # fmt: skip
    for organisation in session.exec(select(Organisation).where(Organisation.name == INTERNAL_ORG)):
        organisation.translations = json.dumps(secret_names)
        session.add(organisation)
    session.commit()
    deleted_public = make_event(session, title="Withdrawn public seminar")
    delete_event(session, deleted_public.id, None, None, NOW)
    session.commit()
    return Data(
        public.id, past_public.id, internal.id, past_internal.id, deleted_internal.id, made_internal.id,
        deleted_public.id,
    )  # fmt: skip


QUERIES = (
    "",
    "lang=mk",  # the reader's language: translated texts and names go through the same rule
    "lang=sq",
    f"q={MARKER}&lang=mk",
    f"q={MARKER}",
    f"q={SECOND[:5]}",
    "q=agency",
    "q=directorate",
    f"org={INTERNAL_ACRONYM}",
    f"org={quote_plus(INTERNAL_ORG)}",
    f"tag={INTERNAL_TAG}",
    "kind=meeting",
    "country=MK",
    "year=2025",
    "tz=Europe/Skopje",
    "page=1",
    "past=1",  # /events.csv: past events too
    "month=2025-06",  # /embed/month (and the month jump): the month of the past internal event
    "start=2025-06-01&end=2025-07-01",  # the JSON API's window, over the past internal event
    "start=2026-11-01T00:00:00Z&end=2026-12-01T00:00:00Z&timeZone=Europe/Skopje",
    "limit=1&offset=1",
)


def _values_for(argument: str, converter: str, ids: dict[str, int]) -> list[tuple[str, Any]]:
    """(label, value) pairs to fill one URL argument with."""
    if converter == "IntegerConverter" or converter == "BoundedIntConverter":
        if argument in {"year"}:
            return [("year", 2026), ("year", 2025)]
        if argument == "month":
            return [("month", 11), ("month", 6)]
        if argument == "week":
            return [("week", 46), ("week", 23)]
        return list(ids.items())
    if argument == "slug":  # organisation pages: the internal organisation's address, a public one, none
        return [("slug", slugify(INTERNAL_ORG)), ("slug", "international-organization-for-migration"), ("slug", "none")]
    return [("token", "A" * 43), ("token", "short")]


def _urls(app: Flask, ids: dict[str, int]) -> Iterator[tuple[str, str, str, list[str]]]:
    """(endpoint, method, url, queries) for every rule and every value of its arguments.

    Each URL is asked with every probing query once its arguments name the public event (or none), and
    plainly for the other ids: that covers every id and every probe without their product.
    """
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        arguments = sorted(rule.arguments)
        choices: list[list[tuple[str, Any]]] = [
            _values_for(name, type(rule._converters[name]).__name__, ids)  # type: ignore[attr-defined]
            for name in arguments
        ]
        combos: list[list[tuple[str, Any]]] = [[]]
        for options in choices:
            combos = [[*combo, option] for combo in combos for option in options]
        for combo in combos:
            values = {name: value for name, (_label, value) in zip(arguments, combo, strict=True)}
            path = rule.build(values, append_unknown=False)[1]  # type: ignore[index]
            probing = all(label in {"public", "year", "month", "week", "token"} for label, _ in combo)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                queries = list(QUERIES) if probing and method == "GET" else [""]
                yield rule.endpoint, method, path, queries


def _form(ids: dict[str, int]) -> Iterator[dict[str, str]]:
    for event_id in ids.values():
        yield {"event_id": str(event_id), "email": "reader@example.org", "lead": "1440", "timezone": "UTC"}
    yield {"org": INTERNAL_ACRONYM, "email": "reader@example.org", "lead": "1440", "timezone": "UTC"}
    yield {"tag": INTERNAL_TAG, "q": MARKER, "email": "reader@example.org", "lead": "60", "timezone": "UTC"}


def _answer(client: FlaskClient, method: str, url: str, form: dict[str, str] | None) -> tuple[int, str]:
    response = client.open(url, method=method, data=form)
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers)
    body = response.get_data().decode("utf-8", errors="replace")  # binary answers (the icon) are searched too
    return response.status_code, headers + "\n\n" + body


def _without_request_echo(text: str, event_id: int) -> str:
    """Remove what an answer echoes of its own request (the id in links back to it, CSRF tokens)."""
    text = re.sub(r"^(Content-Length|Set-Cookie): .*$", "", text, flags=re.MULTILINE)
    text = re.sub(rf"(?<=[/=\"F]){event_id}(?![0-9])", "ID", text)  # in paths, values and %2F-quoted paths
    return re.sub(r'name="csrf_token" value="[^"]*"', "", text)


def _all_answers(client: FlaskClient, app: Flask, data: Data) -> Iterator[tuple[str, str, str, int, str, list[str]]]:
    """Every answer, with the values its request sent (which it may rightly repeat)."""
    ids = data.ids()
    for endpoint, method, path, queries in _urls(app, ids):
        forms: list[dict[str, str] | None] = [None] if method == "GET" else list(_form(ids))
        for query in queries:
            url = f"{path}?{query}" if query else path
            for form in forms:
                status, text = _answer(client, method, url, form)
                echoed = [value for _name, value in parse_qsl(query)] + list((form or {}).values())
                yield endpoint, method, url + (f" {form}" if form else ""), status, text, echoed


def test_no_anonymous_answer_shows_anything_of_an_internal_event(app: Flask, client: FlaskClient, data: Data) -> None:
    leaks: list[str] = []
    endpoints: set[str] = set()
    with time_machine.travel(NOW, tick=False):
        for endpoint, method, request, status, text, echoed in _all_answers(client, app, data):
            endpoints.add(endpoint)
            assert status < 500, f"{method} {request} → {status}"
            shown = _without_echo(text, echoed)
            if any(word in shown for word in SECRET_WORDS):
                leaks.append(f"{method} {request} → {status}: …{_context(shown)}…")
    assert not leaks, "internal details reached an anonymous client:\n" + "\n".join(leaks[:40])
    # Sanity: the crawl reached the routes that list, show and mail events (a renamed route still counts).
    assert {"public.index", "public.event_page", "feeds.calendar_feed", "feeds.event_ics"} <= endpoints
    assert "subscriptions.subscribe" in endpoints
    assert {"api.events", "api.event", "api.organisations", "api.people", "api.create_event"} <= endpoints


def _without_echo(text: str, echoed: list[str]) -> str:
    """The answer, lower-cased, without what it repeats of its own request (a search shows what was searched)."""
    shown = text.lower()
    probes = [value for value in echoed if any(word in value.lower() for word in SECRET_WORDS)]
    for value in sorted(probes, key=len, reverse=True):
        forms = {
            value,
            html.escape(value),
            quote(value),
            quote_plus(value),
            quote(value, safe=""),
            quote(quote_plus(value)),
        }
        for form in sorted(forms, key=len, reverse=True):
            shown = shown.replace(form.lower(), " ")
    return shown


def _context(shown: str) -> str:
    at = min(shown.index(word) for word in SECRET_WORDS if word in shown)
    return shown[max(0, at - 80) : at + 40].replace("\n", " ")


def test_an_internal_id_gets_the_same_answer_as_a_missing_one(app: Flask, client: FlaskClient, data: Data) -> None:
    ids = data.ids()
    hidden = {label: ids[label] for label in ("internal", "past_internal", "deleted_internal", "made_internal")}
    differences: list[str] = []
    with time_machine.travel(NOW, tick=False):
        client.get("/")  # the session cookie is set once, on the first answer
        for rule in app.url_map.iter_rules():
            if "event_id" not in rule.arguments:
                continue
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                missing_path = rule.build({"event_id": MISSING_ID}, append_unknown=False)[1]  # type: ignore[index]
                expected = _answer(client, method, missing_path, None)
                expected = (expected[0], _without_request_echo(expected[1], MISSING_ID))
                for label, event_id in hidden.items():
                    path = rule.build({"event_id": event_id}, append_unknown=False)[1]  # type: ignore[index]
                    got = _answer(client, method, path, None)
                    if (got[0], _without_request_echo(got[1], event_id)) != expected:
                        differences.append(f"{method} {rule.rule} ({label}): {got[0]} vs {expected[0]} for missing")
        # The subscribe form names the event it was sent for: an internal id must read like a missing one.
        for label, event_id in hidden.items():
            base = {"email": "not an address", "lead": "1440", "timezone": "UTC"}
            got = _answer(client, "POST", "/subscriptions", {**base, "event_id": str(event_id)})
            expected = _answer(client, "POST", "/subscriptions", {**base, "event_id": str(MISSING_ID)})
            if (got[0], _without_request_echo(got[1], event_id)) != (
                expected[0],
                _without_request_echo(expected[1], MISSING_ID),
            ):
                differences.append(f"POST /subscriptions event_id ({label}): {got[0]} vs {expected[0]}")
    assert not differences, "\n".join(differences)


def test_an_editor_does_see_the_internal_details(app: Flask, client: FlaskClient, data: Data, editor: Any) -> None:
    """The oracle's counterpart: the same data and routes, logged in, do show the marker (the data is there)."""
    with time_machine.travel(NOW, tick=False):
        login(client, editor.email)
        shown = {
            url: MARKER in client.get(url).get_data(as_text=True).lower()
            for url in (
                "/",
                f"/?q={MARKER}",
                "/calendar/2026/11",
                f"/events/{data.internal}",
                f"/events/{data.made_internal}.ics",
                "/past?year=2025",
            )
        }
    assert all(shown.values()), shown
    with time_machine.travel(NOW, tick=False):
        filter_bar = client.get("/").get_data(as_text=True)
        macedonian = client.get(f"/events/{data.internal}?lang=mk").get_data(as_text=True)
    assert INTERNAL_ORG in filter_bar and INTERNAL_TAG in filter_bar
    # The translated texts and names the lang= probes look for are there too (in Macedonian, for an editor).
    assert f"Посета {MARKER} {SECOND}" in macedonian and f"{MARKER} {SECOND} (mk)" in macedonian


def test_an_internal_token_does_see_them_through_the_api(client: FlaskClient, data: Data, db_session: Session) -> None:
    """The API's counterpart: a token that may see internal events gets the marker; cookies give nothing."""
    user = add_user(db_session, email="robot@example.org")
    _token, secret = issue_token(db_session, "oracle", user, NOW, can_see_internal=True)
    db_session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    with time_machine.travel(NOW, tick=False):
        urls = ("/api/events", "/api/events?start=2025-06-01&end=2025-07-01", f"/api/events/{data.internal}",
                "/api/organisations", "/api/people")  # fmt: skip
        shown = {url: MARKER in client.get(url, headers=headers).get_data(as_text=True).lower() for url in urls}
        assert all(shown.values()), shown
        login(client, "robot@example.org")  # a logged-in session opens nothing under /api/
        assert MARKER not in client.get("/api/events").get_data(as_text=True).lower()
