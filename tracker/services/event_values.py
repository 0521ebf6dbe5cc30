"""Between a stored event and the editor's values: the values that show an event, and its texts written back.

``event_input_from`` gives what ``EventInput`` reads (the form shows the same values, each language's title and
description spread over its fields by ``tracker.views.editor_form``); ``apply_texts`` stores the language of the
title and description and the texts in the other languages (``tracker.event_texts``). Input that names neither
(imports, press releases, an API change of other fields) keeps the stored ones.
"""

from __future__ import annotations

from typing import Any

from tracker.event_texts import encode_translations, translations_of
from tracker.models import Event
from tracker.services.revisions import by_order
from tracker.timezones import utc_to_local
from tracker.validation import EventInput


def apply_texts(event: Event, data: EventInput) -> None:
    """The event's language and translations from ``data`` (``title``/``description`` are set by the caller)."""
    language = data.language or event.language or "en"
    translations = data.translations if data.translations is not None else translations_of(event)
    event.language = language
    event.translations = encode_translations(language, translations)


def event_input_from(event: Event) -> dict[str, Any]:
    """Form values showing a stored event (for the edit form)."""
    values: dict[str, Any] = {
        "title": event.title,
        "kind": event.kind,
        "status": event.status,
        "visibility": event.visibility,
        "all_day": event.all_day,
        "timezone": event.timezone,
        "venue": event.venue,
        "city": event.city,
        "country": event.country or "",
        "description": event.description,
        "language": event.language or "en",
        "translations": translations_of(event),
        "source_url": event.source_url or "",
        "source_citation": event.source_citation,
        "tags": ", ".join(event.tags),
        "organisations": [
            (link.organisation.name, link.role) for link in sorted(event.organisation_links, key=by_order)
        ],
        "people": [link.person.name for link in sorted(event.person_links, key=by_order)],
    }
    if event.all_day:
        values.update(
            start_date=event.start_date.isoformat(),
            end_date=event.end_date.isoformat(),  # type: ignore[union-attr]
            start_time="",
            end_time="",
        )
    else:
        start = utc_to_local(event.start_dt, event.timezone)
        end = utc_to_local(event.end_dt, event.timezone)
        values.update(
            start_date=start.date().isoformat(),
            start_time=start.strftime("%H:%M"),
            end_date=end.date().isoformat(),
            end_time=end.strftime("%H:%M"),
        )
    return values
