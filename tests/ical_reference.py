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

from tracker.ical.event import (
    EventData,
    event_data,
    event_description,
    event_location,
    event_summary,
    event_url,
    needs_utc,
    utc,
)
from tracker.ical.text import clean_text
from tracker.models import Event, EventKind
from tracker.timezones import get_zone


def reference_component(event: Event | EventData, base_url: str) -> icalendar.Event:
    """The VEVENT of a stored event built with ``icalendar``."""
    event = event_data(event)
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
    component.add("summary", vText(event_summary(event)))
    location = event_location(event)
    if location:
        component.add("location", vText(location))
    component.add("description", vText(event_description(event, base_url)))
    component.add("url", event_url(base_url, event.id), parameters={"VALUE": "URI"})
    # Categories, status, class and transparency are written out here again, not taken from tracker.ical.event.
    categories = [EventKind(event.kind).label] + [clean_text(tag) for tag in event.tags]
    component.add("categories", [vText(category) for category in categories if category])
    cancelled = event.deleted_dt is not None or event.status == "cancelled"
    statuses = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "postponed": "TENTATIVE"}
    component.add("status", "CANCELLED" if cancelled else statuses.get(event.status, "CONFIRMED"))
    component.add("class", "PUBLIC" if event.visibility == "public" else "PRIVATE")
    component.add("transp", "TRANSPARENT" if cancelled or event.status == "postponed" else "OPAQUE")
    return component


def reference_vevent(event: Event | EventData, base_url: str) -> str:
    """The VEVENT written by ``icalendar``: what ``write_vevent`` must equal, byte for byte."""
    return reference_component(event, base_url).to_ical().decode("utf-8")
