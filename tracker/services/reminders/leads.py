"""Lead times: how long before an event its reminders go out (the form's choices, their labels, parsing).

Labels are in the current language, with the language's plural forms (``ngettext``): "1 day", "21 ден", "5 дена".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from tracker.i18n import gettext as _
from tracker.i18n import ngettext
from tracker.parsing import IntegerError, parse_int
from tracker.validation import InputError

#: Lead times offered by the form, in minutes (longest first, as the form lists them).
LEAD_MINUTES: tuple[int, ...] = (10080, 4320, 1440, 120, 60)
#: What the subscribe form has ticked before the reader chooses.
DEFAULT_LEADS = (1440,)

_WEEK, _DAY, _HOUR = 10080, 1440, 60


class LeadChoices(Mapping[int, str]):
    """The offered lead times: minutes → label in the language current when it is read (a template iterates
    ``items()`` while rendering, so each page gets its reader's language)."""

    def __getitem__(self, minutes: int) -> str:
        if minutes not in LEAD_MINUTES:
            raise KeyError(minutes)
        return lead_label(minutes)

    def __iter__(self) -> Iterator[int]:
        return iter(LEAD_MINUTES)

    def __len__(self) -> int:
        return len(LEAD_MINUTES)


LEAD_CHOICES = LeadChoices()


def lead_label(minutes: int) -> str:
    """``1 day``, ``2 hours``: the words for a lead time in mails and pages (also for leads no longer offered)."""
    if minutes and minutes % _WEEK == 0:
        return ngettext("%(num)d week", "%(num)d weeks", minutes // _WEEK)
    if minutes and minutes % _DAY == 0:
        return ngettext("%(num)d day", "%(num)d days", minutes // _DAY)
    if minutes and minutes % _HOUR == 0:
        return ngettext("%(num)d hour", "%(num)d hours", minutes // _HOUR)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def lead_before_label(minutes: int) -> str:
    """``1 day before``, ``2 hours before``: a lead time as a whole phrase (a checkbox's label)."""
    if minutes and minutes % _WEEK == 0:
        return ngettext("%(num)d week before", "%(num)d weeks before", minutes // _WEEK)
    if minutes and minutes % _DAY == 0:
        return ngettext("%(num)d day before", "%(num)d days before", minutes // _DAY)
    if minutes and minutes % _HOUR == 0:
        return ngettext("%(num)d hour before", "%(num)d hours before", minutes // _HOUR)
    return ngettext("%(num)d minute before", "%(num)d minutes before", minutes)


def parse_leads(values: Iterable[str]) -> tuple[int, ...]:
    """The chosen lead times, longest first; ``InputError`` unless each is one of ``LEAD_CHOICES`` and one is chosen."""
    leads: set[int] = set()
    for value in values:
        try:
            minutes = parse_int(value, name="lead", minimum=min(LEAD_MINUTES), maximum=max(LEAD_MINUTES))
        except IntegerError:
            minutes = 0  # not a choice
        if minutes not in LEAD_MINUTES:
            offered = ", ".join(lead_label(choice) for choice in LEAD_MINUTES)
            raise InputError({"lead": _("Choose lead times from the list (%(choices)s).", choices=offered)})
        leads.add(minutes)
    if not leads:
        raise InputError({"lead": _("Choose at least one lead time.")})
    return tuple(sorted(leads, reverse=True))
