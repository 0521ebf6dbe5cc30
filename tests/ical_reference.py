"""The reference VEVENT writer: the same event built with ``icalendar`` (slow, about 1 ms per event).

Only the tests (and ``bench/feeds.py``'s "full build with icalendar") use it: ``tracker.ical.write_vevent``
must equal it byte for byte. The summary, place and description come from
``tracker.ical.event`` for both writers (their content is tested on its own); what this checks is how the
event is written (escaping, folding, dates, zones, property order) and its status, class and categories.
"""

from __future__ import annotations

from datetime import timedelta

import icalendar
from icalendar import vText

from tracker.i18n import gettext, use_language
from tracker.ical.event import (
    EventData,
    event_data,
    event_description,
    event_location,
    event_summary,
    event_url,
    needs_utc,
    text_languages,
    utc,
)
from tracker.ical.text import clean_text
from tracker.models import Event, EventKind
from tracker.timezones import get_zone


def reference_component(event: Event | EventData, base_url: str, language: str | None = None) -> icalendar.Event:
    """The VEVENT of a stored event built with ``icalendar`` (in ``language`` with LANGUAGE parameters, as
    ``write_vevent`` takes it)."""
    if language is not None:
        with use_language(language):
            return _component(event_data(event), base_url, tagged=True)
    return _component(event_data(event), base_url, tagged=False)


def _component(event: EventData, base_url: str, *, tagged: bool) -> icalendar.Event:
    summary_language, description_language = text_languages(event)
    component = icalendar.Event()
    component.add("uid", vText(clean_text(event.uid)))
    component.add("dtstamp", utc(event.updated_dt))
    component.add("created", utc(event.created_dt))
    component.add("last-modified", utc(event.updated_dt))
    component.add("sequence", event.sequence)
    if event.all_day and event.start_date and event.end_date:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.end_date + timedelta(days=1))  # DTEND of dates is exclusive
    elif needs_utc(event):
        component.add("dtstart", utc(event.start_dt))
        component.add("dtend", utc(event.end_dt))
    else:
        zone = get_zone(event.timezone)
        component.add("dtstart", event.start_dt.astimezone(zone))
        component.add("dtend", event.end_dt.astimezone(zone))
    component.add("summary", vText(event_summary(event)), parameters={"LANGUAGE": summary_language} if tagged else None)
    location = event_location(event)
    if location:
        component.add("location", vText(location))
    component.add(
        "description",
        vText(event_description(event, base_url)),
        parameters={"LANGUAGE": description_language} if tagged else None,
    )
    component.add("url", event_url(base_url, event.id), parameters={"VALUE": "URI"})
    # Categories, status, class and transparency are written out here again, not taken from tracker.ical.event.
    categories = [gettext(EventKind(event.kind).label)] + [clean_text(tag) for tag in event.tags]
    component.add("categories", [vText(category) for category in categories if category])
    cancelled = event.deleted_dt is not None or event.status == "cancelled"
    statuses = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "postponed": "TENTATIVE"}
    component.add("status", "CANCELLED" if cancelled else statuses.get(event.status, "CONFIRMED"))
    component.add("class", "PUBLIC" if event.visibility == "public" else "PRIVATE")
    component.add("transp", "TRANSPARENT" if cancelled or event.status == "postponed" else "OPAQUE")
    return component


def reference_vevent(event: Event | EventData, base_url: str, language: str | None = None) -> str:
    """The VEVENT written by ``icalendar``: what ``write_vevent`` must equal, byte for byte."""
    return reference_component(event, base_url, language).to_ical().decode("utf-8")
