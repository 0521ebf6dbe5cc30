"""Writing events through the JSON API: create, update (partial, on a named revision), cancel.

A JSON body names the editor form's own fields (``title``, ``kind``, ``status``, ``visibility``, ``all_day``,
``timezone``, ``start_date``, ``start_time``, ``end_date``, ``end_time``, ``venue``, ``city``, ``country``,
``description``, ``source_url``, ``source_citation``, ``tags``, ``organisations``, ``people``; ``language`` of the
title and description and their ``translations``, ``{"mk": {"title", "description"}}``), so it passes the
very validation the form does (``EventInput``) and the same services store it (``services.events``), with
revision history, SEQUENCE and reminders. JSON types are checked first and strictly (a number is not a title, a
string is not ``all_day``); unknown fields are refused, so a misspelt field is never silently dropped. Unlike the
form, a save does not stop to ask about close names or similar events: names resolve as the form resolves them.
A token that may not see internal events may not write one either.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from tracker.models import Event, EventStatus, Visibility
from tracker.services import events as event_service
from tracker.services.api_params import ApiError
from tracker.services.api_tokens import ApiCaller, sees_internal
from tracker.validation import EventInput, InputError, single_line
from tracker.visibility import load_visible_event

TEXT_FIELDS = (
    "title", "kind", "status", "visibility", "timezone", "start_date", "start_time", "end_date", "end_time", "venue",
    "city", "country", "description", "source_url", "source_citation",
)  # fmt: skip
LIST_FIELDS = ("tags", "people")
EVENT_FIELDS = frozenset({*TEXT_FIELDS, *LIST_FIELDS, "all_day", "organisations", "language", "translations"})
#: Items one list of a body may hold before validation counts them (validation allows fewer).
MAX_ITEMS = 200
REASON_MAX = 500


def _invalid(fields: dict[str, str]) -> ApiError:
    return ApiError(422, "The event was not saved: " + "; ".join(f"{k}: {v}" for k, v in fields.items()), fields)


def _strings(name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS or not all(isinstance(item, str) for item in value):
        raise _invalid({name: f"a list of at most {MAX_ITEMS} strings"})
    return value


def _links(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        raise _invalid({"organisations": f'a list of at most {MAX_ITEMS} objects {{"name": …, "role": …}}'})
    links: list[tuple[str, str]] = []
    for item in value:
        if not (isinstance(item, dict) and set(item) <= {"name", "role"} and isinstance(item.get("name"), str)):
            raise _invalid({"organisations": 'each item is {"name": string, "role": string}'})
        role = item.get("role", "participant")
        if not isinstance(role, str):
            raise _invalid({"organisations": "a role is a string: host, co_organiser, supporter or participant"})
        links.append((item["name"], role))
    return links


def form_values(body: Any, *, allowed: frozenset[str] = EVENT_FIELDS) -> dict[str, Any]:
    """The JSON body as the form's raw values, its JSON types checked; ``ApiError`` (422) otherwise."""
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object naming the event's fields.")
    unknown = sorted(str(name) for name in body if name not in allowed)
    if unknown:
        raise _invalid({name[:60]: "unknown field" for name in unknown[:10]})
    values: dict[str, Any] = {}
    for name, value in body.items():
        if name in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                raise _invalid({name: "a string (or null)"})
            values[name] = value or ""
        elif name == "all_day":
            if not isinstance(value, bool):
                raise _invalid({name: "true or false"})
            values[name] = "on" if value else ""
        elif name in LIST_FIELDS:
            values[name] = _strings(name, value)
        elif name == "organisations":
            values[name] = _links(value)
        elif name == "language" and value is not None:
            if not isinstance(value, str):
                raise _invalid({name: "a string: en, mk or sq (or null)"})
            values[name] = value
        elif name == "translations":
            values[name] = _translations(value)
    return values


def _translations(value: Any) -> dict[str, dict[str, str]]:
    """``{"mk": {"title": string, "description": string}}`` (null: none); the texts are validated as the form's."""
    shape = {"translations": 'an object such as {"mk": {"title": string, "description": string}} (or null)'}
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_ITEMS:
        raise _invalid(shape)
    for texts in value.values():
        if not (isinstance(texts, dict) and set(texts) <= {"title", "description"}):
            raise _invalid(shape)
        if not all(text is None or isinstance(text, str) for text in texts.values()):
            raise _invalid(shape)
    return value


def _validated(values: dict[str, Any], caller: ApiCaller) -> EventInput:
    try:
        data = EventInput.from_form(values)
    except InputError as error:
        raise _invalid(error.errors) from None
    if data.visibility == Visibility.INTERNAL.value and not caller.can_see_internal:
        raise ApiError(403, "This token may not write internal events (it cannot see them).")
    return data


def create(session: Session, body: Any, caller: ApiCaller, now: datetime) -> Event:
    """Store a new event from a JSON body (``title`` and ``start_date`` at least; other fields as the form's
    defaults)."""
    data = _validated(form_values(body), caller)
    try:
        change = event_service.create_event(session, data, caller.user, now)
    except InputError as error:  # a wall time the zone skips, found when it is stored
        session.rollback()
        raise _invalid(error.errors) from None
    return change.event


def visible(session: Session, event_id: int, caller: ApiCaller | None) -> Event:
    """The event this caller may see (404 for one it may not, exactly as for a missing id; 410 once deleted)."""
    include_internal = sees_internal(caller)
    event = load_visible_event(session, event_id, include_internal=include_internal, include_deleted=True)
    if event is None:
        raise ApiError(404, "There is no event with this id.")
    if event.deleted_dt is not None:
        raise ApiError(410, "This event has been deleted.")
    return event


def _conflict(error: event_service.EditConflict, by_header: bool) -> ApiError:
    current = error.current.revision
    message = f"The event was changed since revision you named: it is at revision {current} now. Read it again."
    return ApiError(412 if by_header else 409, message, {"revision": str(current)})


def update(
    session: Session, event_id: int, body: Any, expected: int, by_header: bool, caller: ApiCaller, now: datetime
) -> Event:
    """Change the fields a JSON body names (the others keep their stored values) on top of revision ``expected``;
    409 (412 when the revision came from ``If-Match``) if the event has moved on since."""
    visible(session, event_id, caller)
    values = event_service.event_input_from(event_service.load_event(session, event_id))
    values.update(form_values(body))
    data = _validated(values, caller)
    try:
        change = event_service.update_event(session, event_id, data, expected, caller.user, now)
    except event_service.EditConflict as error:
        raise _conflict(error, by_header) from None
    except InputError as error:
        session.rollback()
        raise _invalid(error.errors) from None
    return change.event


def cancel(
    session: Session, event_id: int, body: Mapping[str, Any], expected: int | None, by_header: bool,
    caller: ApiCaller, now: datetime,
) -> Event:  # fmt: skip
    """Cancel an event with an optional ``reason`` (one line); on revision ``expected`` when one is named."""
    visible(session, event_id, caller)
    reason = body.get("reason") or ""
    if not isinstance(reason, str):
        raise _invalid({"reason": "a string (or null)"})
    try:
        reason = single_line(reason, REASON_MAX, "The reason")
    except ValueError as exc:
        raise _invalid({"reason": str(exc)}) from None
    try:
        change = event_service.set_status(
            session, event_id, EventStatus.CANCELLED.value, expected, caller.user, now, reason=reason
        )
    except event_service.EditConflict as error:
        raise _conflict(error, by_header) from None
    return change.event
