"""Lead times: how long before an event its reminders go out (the form's choices, their labels, parsing)."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.parsing import IntegerError, parse_int
from tracker.validation import InputError

#: Lead times offered by the form: minutes → label (longest first, as the form lists them).
LEAD_CHOICES: dict[int, str] = {10080: "1 week", 4320: "3 days", 1440: "1 day", 120: "2 hours", 60: "1 hour"}
#: What the subscribe form has ticked before the reader chooses.
DEFAULT_LEADS = (1440,)


def lead_label(minutes: int) -> str:
    """``1 day``, ``2 hours``: the words for a lead time in mails and pages (also for leads no longer offered)."""
    if minutes in LEAD_CHOICES:
        return LEAD_CHOICES[minutes]
    if minutes % 1440 == 0:
        return f"{minutes // 1440} days"
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def parse_leads(values: Iterable[str]) -> tuple[int, ...]:
    """The chosen lead times, longest first; ``InputError`` unless each is one of ``LEAD_CHOICES`` and one is chosen."""
    leads: set[int] = set()
    for value in values:
        try:
            minutes = parse_int(value, name="lead", minimum=min(LEAD_CHOICES), maximum=max(LEAD_CHOICES))
        except IntegerError:
            minutes = 0  # not a choice
        if minutes not in LEAD_CHOICES:
            raise InputError({"lead": f"Choose lead times from the list ({', '.join(LEAD_CHOICES.values())})."})
        leads.add(minutes)
    if not leads:
        raise InputError({"lead": "Choose at least one lead time."})
    return tuple(sorted(leads, reverse=True))
