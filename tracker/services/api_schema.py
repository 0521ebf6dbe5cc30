"""The OpenAPI 3.1 description of the JSON API, written by hand beside the code it describes.

Kept as one plain dict so it says exactly what ``tracker.views.api`` and the ``api_*`` services do: the strict
``start``/``end`` forms (ISO 8601 dates or date-times, never a bare number), the bounds of the window and of
``limit``/``offset``, every answer's status and body. ``tests/test_api_schema.py`` runs schemathesis against the
served document, so a difference between the two fails there.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tracker.i18n import LANGUAGES
from tracker.models import EventKind, EventStatus, OrganisationRole, Visibility
from tracker.services.api_params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_WINDOW_DAYS

INSTANT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"
JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: dict[str, Any] | None = None, headers: dict[str, Any] | None = None) -> Any:
    answer: dict[str, Any] = {"description": description}
    if schema is not None:
        answer["content"] = {JSON: {"schema": schema}}
    if headers:
        answer["headers"] = headers
    return answer


ERRORS = {
    "400": "The request is not valid (the message names the parameter).",
    "401": "The token is not valid (unknown, revoked, or its account deactivated).",
    "404": "No such event, or one this caller may not see.",
    "405": "Method not allowed.",
    "410": "The event has been deleted.",
    "413": "The body is too large.",
}


def _errors(*codes: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
    texts = {**ERRORS, **(extra or {})}
    return {code: _answer(texts[code], _ref("Error")) for code in codes}


_LINK = {"Link": {"description": 'The next page: <…>; rel="next"', "schema": {"type": "string"}}}
_ETAG = {"ETag": {"description": "Strong validator; send it back in If-None-Match", "schema": {"type": "string"}}}
_PAGE = [
    {
        "name": "limit",
        "in": "query",
        "description": "Items per answer",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
    {
        "name": "offset",
        "in": "query",
        "description": "Items to skip (the Link header gives the next page)",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
    },
]
_ZONE = {
    "name": "timeZone",
    "in": "query",
    "description": "IANA zone of the answer's times and of start/end without an offset; UTC when absent or 'local'",
    "schema": {"type": "string", "maxLength": 64, "examples": ["Europe/Skopje", "UTC"]},
}
_FILTER = [
    {"name": name, "in": "query", "description": text, "schema": {"type": "string", "maxLength": 200}}
    for name, text in (
        ("kind", "conference, official_visit, meeting (repeat or comma-separate)"),
        ("status", "tentative, confirmed, postponed, cancelled"),
        ("country", "ISO 3166-1 alpha-2 code, such as MK"),
        ("org", "organisation acronym, name or id"),
        ("tag", "tag"),
        ("q", "full-text search"),
    )
]
_ID = {
    "name": "event_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
}
_IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "description": "The event's ETag (or a revision in the body)",
    "schema": {"type": "string"},
}
_BEARER = [{"bearerAuth": []}, {}]
_WRITE = [{"bearerAuth": []}]


#: The components' schemas (module constants: they never change).
_text = {"type": "string"}
_nullable_text = {"type": ["string", "null"]}
_organisation_link = {
    "type": "object",
    "required": ["id", "name", "acronym", "slug", "role"],
    "properties": {
        "id": {"type": "integer"},
        "name": _text,
        "acronym": _nullable_text,
        "slug": _text,
        "role": {"enum": [role.value for role in OrganisationRole]},
    },
}
_PROPS_REQUIRED = ("kind", "status", "city", "country", "venue", "timezone", "uid", "revision", "organisations", "tags")
#: The language of an event's title and description, and the texts in the other languages.
_language = {"type": "string", "enum": list(LANGUAGES), "description": "The language of title and description"}
_translations = {
    "type": "object",
    "description": "Title and description in other languages; a language with a description has a title",
    "propertyNames": {"enum": list(LANGUAGES)},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {"type": ["string", "null"], "maxLength": 300},
            "description": {"type": ["string", "null"], "maxLength": 20000},
        },
    },
}
_props = {
    "type": "object",
    "required": list(_PROPS_REQUIRED),
    "properties": {
        "kind": {"enum": [kind.value for kind in EventKind]},
        "status": {"enum": [s.value for s in EventStatus]},
        "city": _text,
        "country": _nullable_text,
        "venue": _text,
        "timezone": _text,
        "uid": _text,
        "revision": {"type": "integer"},
        "organisations": {"type": "array", "items": _organisation_link},
        "tags": {"type": "array", "items": _text},
        "description": _text,
        "source_url": _nullable_text,
        "source_citation": _text,
        "cancel_reason": _text,
        "language": _language,
        "translations": _translations,
        "people": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "position"],
                "properties": {"id": {"type": "integer"}, "name": _text, "position": _text},
            },
        },
    },
}
_event = {
    "type": "object",
    "description": "FullCalendar's _event object: all-day events have dates (end exclusive), timed ones date-times",
    "required": ["id", "title", "start", "end", "allDay", "url", "extendedProps"],
    "properties": {
        "id": _text,
        "title": _text,
        "start": {"type": "string", "pattern": INSTANT},
        "end": {"type": "string", "pattern": INSTANT},
        "allDay": {"type": "boolean"},
        "url": {"type": "string", "format": "uri"},
        "extendedProps": _props,
    },
}
_line = {"type": ["string", "null"], "maxLength": 300}
_event_input = {
    "type": "object",
    "description": "The editor form's fields; on PATCH only those to change (and revision, or If-Match)",
    "additionalProperties": False,
    "properties": {
        "title": _line,
        "kind": {"enum": [kind.value for kind in EventKind]},
        "status": {"enum": [s.value for s in EventStatus]},
        "visibility": {"enum": [v.value for v in Visibility]},
        "all_day": {"type": "boolean"},
        "timezone": {"type": ["string", "null"], "maxLength": 64},
        "start_date": {"type": ["string", "null"], "format": "date"},
        "start_time": {"type": ["string", "null"], "pattern": r"^\d{2}:\d{2}$"},
        "end_date": {"type": ["string", "null"], "format": "date"},
        "end_time": {"type": ["string", "null"], "pattern": r"^\d{2}:\d{2}$"},
        "venue": _line,
        "city": _line,
        "country": {"type": ["string", "null"], "maxLength": 2},
        "description": {"type": ["string", "null"], "maxLength": 20000},
        "source_url": {"type": ["string", "null"], "maxLength": 2000},
        "source_citation": _line,
        "tags": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 60}},
        "people": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 200}},
        "language": {**_language, "type": ["string", "null"]},
        "translations": {**_translations, "type": ["object", "null"]},
        "organisations": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "role": {"enum": [role.value for role in OrganisationRole]},
                },
            },
        },
        "revision": {"type": "integer", "minimum": 1},
    },
}
_error = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message"],
            "properties": {
                "status": {"type": "integer"},
                "message": _text,
                "fields": {"type": "object", "additionalProperties": _text},
            },
        }
    },
}
_organisation = {
    "type": "object",
    "required": ["id", "name", "acronym", "slug", "kind", "country", "website", "url"],
    "properties": {
        "id": {"type": "integer"},
        "name": _text,
        "acronym": _nullable_text,
        "slug": _text,
        "kind": _text,
        "country": _nullable_text,
        "website": _nullable_text,
        "url": {"type": "string", "format": "uri"},
        "translations": {
            "type": "object",
            "description": 'its name and acronym in other languages: {"mk": {"name": …, "acronym": …}}',
            "additionalProperties": {
                "type": "object",
                "required": ["name", "acronym"],
                "properties": {"name": _text, "acronym": _text},
            },
        },
    },
}
_person = {
    "type": "object",
    "required": ["id", "name", "position", "organisation"],
    "properties": {
        "id": {"type": "integer"},
        "name": _text,
        "position": _text,
        "organisation": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {"id": {"type": "integer"}, "name": _text},
                },
            ]
        },
    },
}
_cancel = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "reason": {"type": ["string", "null"], "maxLength": 500},
        "revision": {"type": "integer", "minimum": 1},
    },
}
SCHEMAS = {
    "Event": _event,
    "EventInput": _event_input,
    "Error": _error,
    "Organisation": _organisation,
    "Person": _person,
    "Cancel": _cancel,
}


def _read(summary: str, parameters: list[Any], schema: dict[str, Any], *errors: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "security": _BEARER,
        "parameters": parameters,
        "responses": {
            "200": _answer("OK", schema, {**_ETAG, **_LINK}),
            "304": _answer("Not modified (If-None-Match matched)"),
            **_errors(*errors),
        },
    }


def _write(summary: str, parameters: list[Any], body: str, ok: str, *errors: str) -> dict[str, Any]:
    conflicts = {
        "409": "The event changed since the named revision",
        "412": "If-Match does not match",
        "422": "A field is not valid (fields names each)",
        "428": "No revision named",
        "403": "The token may not write",
    }
    return {
        "summary": summary,
        "security": _WRITE,
        "parameters": parameters,
        "requestBody": {"required": body != "Cancel", "content": {JSON: {"schema": _ref(body)}}},
        "responses": {ok: _answer("Saved", _ref("Event"), _ETAG), **_errors(*errors, extra=conflicts)},
    }


_WINDOW = [
    {
        "name": "start",
        "in": "query",
        "description": "Window start (ISO 8601 date or date-time); today when absent",
        "schema": {"type": "string", "pattern": INSTANT, "examples": ["2022-11-01", "2022-10-31T00:00:00+01:00"]},
    },
    {
        "name": "end",
        "in": "query",
        "description": f"Window end, exclusive; after start, at most {MAX_WINDOW_DAYS} days later",
        "schema": {"type": "string", "pattern": INSTANT, "examples": ["2022-12-01"]},
    },
]
_CHANGE_ERRORS = ("400", "401", "403", "404", "409", "410", "412", "413", "422")


def _paths() -> dict[str, Any]:
    """Every path and operation."""
    events = {"type": "array", "items": _ref("Event")}
    listing = _read("Events overlapping a window, in FullCalendar's JSON event-source shape",
                    [*_WINDOW, _ZONE, *_FILTER, *_PAGE], events, "400", "401")  # fmt: skip
    one = _read("One event", [_ID, _ZONE], _ref("Event"), "400", "401", "404", "410")
    create = _write("Create an event (write token)", [], "EventInput", "201", "400", "401", "403", "413", "422")
    change = _write("Change an event's fields (write token)", [_ID, _IF_MATCH], "EventInput", "200",
                    *_CHANGE_ERRORS, "428")  # fmt: skip
    cancel = _write("Cancel an event (write token)", [_ID, _IF_MATCH], "Cancel", "200", *_CHANGE_ERRORS)
    organisations = {"type": "array", "items": _ref("Organisation")}
    people = {"type": "array", "items": _ref("Person")}
    this = {"200": _answer("The OpenAPI document", {"type": "object"}), "304": _answer("Not modified")}
    return {
        "/api/events": {"get": listing, "post": create},
        "/api/events/{event_id}": {"get": one, "patch": change},
        "/api/events/{event_id}/cancel": {"post": cancel},
        "/api/organisations": {
            "get": _read("Organisations the caller may know of", _PAGE, organisations, "400", "401")
        },
        "/api/people": {"get": _read("People the caller may know of", _PAGE, people, "400", "401")},
        "/api/openapi.json": {"get": {"summary": "This document", "responses": this}},
    }


@lru_cache(maxsize=8)
def document(base_url: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document, with the server at ``base_url``."""
    bearer = {"type": "http", "scheme": "bearer", "description": "An API token an admin issued (trk_…)"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Conference Tracker API",
            "version": "1",
            "description": 'Events, organisations and people; errors are {"error": {"status", "message"}}.',
        },
        "servers": [{"url": base_url}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearerAuth": bearer}},
    }
