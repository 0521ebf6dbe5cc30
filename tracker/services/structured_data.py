"""schema.org ``Event`` JSON-LD for an event page, so search engines and link previews read the event right.

Built from the stored event alone (the page has already applied the visibility rule). Times are written in the
event's own zone with its offset; all-day events as dates, ``endDate`` the last day (schema.org dates are
inclusive, unlike iCalendar's DTEND). The name and description are those the page shows (the reader's language,
else the event's own: ``tracker.event_texts``), ``inLanguage`` the title's language.
"""

from __future__ import annotations

import json
from typing import Any

from tracker.event_texts import localized
from tracker.models import Event, EventStatus, OrganisationRole
from tracker.organisation_names import local_name
from tracker.timezones import utc_to_local

#: schema.org's event statuses; a tentative event is still scheduled as far as a reader is concerned.
SCHEMA_STATUS = {
    EventStatus.TENTATIVE.value: "https://schema.org/EventScheduled",
    EventStatus.CONFIRMED.value: "https://schema.org/EventScheduled",
    EventStatus.POSTPONED.value: "https://schema.org/EventPostponed",
    EventStatus.CANCELLED.value: "https://schema.org/EventCancelled",
}
ORGANISER_ROLES = (OrganisationRole.HOST.value, OrganisationRole.CO_ORGANISER.value)


def event_json_ld(event: Event, url: str, language: str | None = None) -> dict[str, Any]:
    """The ``Event`` object of one event whose page is at ``url``, in ``language`` (default: the current one)."""
    text = localized(event, language)
    if event.all_day and event.start_date and event.end_date:
        start, end = event.start_date.isoformat(), event.end_date.isoformat()
    else:
        start = utc_to_local(event.start_dt, event.timezone).isoformat()
        end = utc_to_local(event.end_dt, event.timezone).isoformat()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": text.title,
        "inLanguage": text.language,
        "startDate": start,
        "endDate": end,
        "eventStatus": SCHEMA_STATUS.get(event.status, SCHEMA_STATUS[EventStatus.CONFIRMED.value]),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": url,
    }
    if event.venue or event.city or event.country:
        address = {"@type": "PostalAddress", "addressLocality": event.city, "addressCountry": event.country or ""}
        place: dict[str, Any] = {"@type": "Place", "name": event.venue or event.city, "address": address}
        data["location"] = place
    organisers = [
        {"@type": "Organization", "name": local_name(organisation)}
        for role, organisations in event.organisations_by_role().items()
        if role in ORGANISER_ROLES
        for organisation in organisations
    ]
    if organisers:
        data["organizer"] = organisers
    if text.description:
        data["description"] = text.description
    return data


def json_ld_text(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped, so a title cannot close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
