"""What a feed contains: its filter, its audience, its name, and the tombstone rule.

Cancelled and deleted events stay in feeds as STATUS:CANCELLED until ``TOMBSTONE_DAYS`` after the later of
their end and their last change, so that subscribed calendars see the cancellation before the event leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, not_, or_

from tracker.filters import EventFilter
from tracker.i18n import DEFAULT_LANGUAGE, current_language, gettext
from tracker.models import Event, EventStatus
from tracker.visibility import visibility_condition

TOMBSTONE_DAYS = 60


@dataclass(frozen=True)
class FeedSpec:
    """One feed: a filter, whether internal events are in, and how the calendar calls itself."""

    event_filter: EventFilter
    include_internal: bool
    name: str
    description: str = ""
    #: The feed's own URL (RFC 7986 SOURCE); left empty for private feeds, whose URL is a secret.
    source_url: str = ""
    #: The language of its texts and labels (``?lang=``, else the configured default).
    language: str = DEFAULT_LANGUAGE
    #: Asked for in a language (``?lang=``): SUMMARY and DESCRIPTION carry RFC 5545 ``LANGUAGE`` parameters.
    #: The plain feed has none (the bytes, ETags and stored blocks it had before feeds spoke several languages).
    tagged: bool = False

    @property
    def block_language(self) -> str | None:
        """The ``language`` that ``ical.write_vevent`` takes for this feed's VEVENTs."""
        return self.language if self.tagged else None

    def cache_key(self, base_url: str) -> tuple[Any, ...]:
        """Everything the feed's bytes depend on besides the data (the display zone ``tz`` does not count)."""
        return (
            base_url,
            self.include_internal,
            self.event_filter.query_string(include_tz=False),
            self.name,
            self.description,
            self.source_url,
            self.language,
            self.tagged,
        )


def public_spec(event_filter: EventFilter, calendar_name: str, feed_url: str, *, tagged: bool = False) -> FeedSpec:
    """The public feed for a filter, named in the current language; its name says what it contains."""
    what = event_filter.describe()
    name = calendar_name if event_filter.is_empty else gettext("%(calendar)s: %(what)s", calendar=calendar_name,
                                                               what=what)  # fmt: skip
    description = gettext(
        "%(what)s from %(calendar)s, kept up to date: changes and cancellations appear on refresh.",
        what=what,
        calendar=calendar_name,
    )
    return FeedSpec(event_filter, False, name, description, feed_url, current_language(), tagged)


def private_spec(event_filter: EventFilter, calendar_name: str, *, tagged: bool = False) -> FeedSpec:
    """A user's private feed: public and internal events (the same bytes for every user), in the current
    language."""
    what = event_filter.describe()
    if event_filter.is_empty:
        name = gettext("%(calendar)s (internal and public events)", calendar=calendar_name)
    else:
        name = gettext("%(calendar)s (%(what)s, internal and public)", calendar=calendar_name, what=what)
    description = gettext("%(what)s from %(calendar)s, including internal events.", what=what, calendar=calendar_name)
    return FeedSpec(event_filter, True, name, description, "", current_language(), tagged)


def tombstone_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=TOMBSTONE_DAYS)


def is_tombstone() -> ColumnElement[bool]:
    """SQL: the event is published as a cancellation (deleted or cancelled)."""
    return or_(Event.deleted_dt.is_not(None), Event.status == EventStatus.CANCELLED.value)


def base_conditions(event_filter: EventFilter, include_internal: bool) -> list[ColumnElement[bool]]:
    """The filter's events that the feed's audience may see, deleted ones included (they become tombstones)."""
    return [*event_filter.conditions(), visibility_condition(include_internal)]


def feed_conditions(event_filter: EventFilter, include_internal: bool, now: datetime) -> list[ColumnElement[bool]]:
    """Events of a feed: the filter's, and tombstones only while they are recent."""
    cutoff = tombstone_cutoff(now)
    return [
        *base_conditions(event_filter, include_internal),
        or_(not_(is_tombstone()), Event.end_dt > cutoff, Event.updated_dt > cutoff),
    ]
