"""One ``EventFilter`` for every listing: web views, iCalendar feeds, reminder subscriptions and the API.

Query-string names: ``kind``, ``status``, ``country`` (ISO code), ``org`` (acronym or id), ``tag``, ``q``
(search) and ``tz`` (the viewer's zone). Each may repeat (``kind=conference&kind=meeting``) or hold a
comma-separated list. Unknown values raise ``FilterError`` naming the parameter, which views turn into a 400.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, select
from sqlmodel import Session

from tracker.countries import country_name, is_country
from tracker.fulltext import search_condition
from tracker.i18n import N_, gettext
from tracker.lookup import find_organisation
from tracker.models import Event, EventKind, EventOrganisation, EventStatus, EventTag
from tracker.text import has_control
from tracker.timezones import TimeError, region_zone
from tracker.visibility import listed_condition, organisation_condition

MAX_VALUES_PER_PARAMETER = 20
MAX_QUERY_LENGTH = 200
MAX_TAG_LENGTH = 60
FILTER_PARAMETERS = ("kind", "status", "country", "org", "tag", "q", "tz")
#: How ``describe`` names each kind of event (plural, as "the conferences"); statuses go by their own labels.
KIND_PLURALS = {
    "conference": N_("Conferences"),
    "official_visit": N_("Official visits"),
    "meeting": N_("Meetings"),
    "other": N_("Others"),
}


class FilterError(ValueError):
    """A filter parameter has a value we do not know; ``parameter`` names it for the error page.

    ``message`` is the English text (logs, the JSON API); ``translated()`` is the same in the reader's language,
    made from the catalogue's ``template`` and its ``params``."""

    def __init__(self, parameter: str, template: str, **params: Any) -> None:
        self.parameter = parameter
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(f"{parameter}: {self.message}")

    def translated(self) -> str:
        return gettext(self.template, **self.params)


class MultiMapping(Protocol):
    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class EventFilter:
    """A validated filter. ``orgs`` holds organisation ids (resolved from acronyms or ids)."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    orgs: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    q: str = ""
    tz: str = ""
    #: Display labels of the organisations, for names of feeds and subscriptions.
    org_labels: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        """True when no filter narrows the events (``tz`` only changes how times are shown)."""
        return not (self.kinds or self.statuses or self.countries or self.orgs or self.tags or self.q)

    def to_params(self, *, include_tz: bool = True) -> list[tuple[str, str]]:
        """Canonical query parameters (sorted values), so equal filters give equal URLs."""
        params: list[tuple[str, str]] = []
        params += [("kind", value) for value in self.kinds]
        params += [("status", value) for value in self.statuses]
        params += [("country", value) for value in self.countries]
        params += [("org", str(value)) for value in self.orgs]
        params += [("tag", value) for value in self.tags]
        if self.q:
            params.append(("q", self.q))
        if self.tz and include_tz:
            params.append(("tz", self.tz))
        return params

    def query_string(self, *, include_tz: bool = True) -> str:
        return urlencode(self.to_params(include_tz=include_tz))

    def to_dict(self) -> dict[str, Any]:
        """JSON-storable form (subscriptions keep the filter they were made with)."""
        return {
            "kind": list(self.kinds),
            "status": list(self.statuses),
            "country": list(self.countries),
            "org": list(self.orgs),
            "tag": list(self.tags),
            "q": self.q,
        }

    def without(self, parameter: str, value: str | int | None = None) -> EventFilter:
        """A copy with one value (or the whole parameter) removed: for "remove this filter" links."""
        attribute = {"kind": "kinds", "status": "statuses", "country": "countries", "org": "orgs", "tag": "tags"}
        if parameter in {"q", "tz"}:
            return replace(self, **{parameter: ""})
        name = attribute[parameter]
        values = getattr(self, name)
        kept = () if value is None else tuple(item for item in values if str(item) != str(value))
        return replace(self, **{name: kept})

    def describe(self) -> str:
        """Human name of what the filter selects, e.g. ``Conferences · North Macedonia · IOM``."""
        parts: list[str] = []
        if self.kinds:
            parts.append(", ".join(gettext(KIND_PLURALS[kind]) for kind in self.kinds))
        if self.statuses:
            parts.append(", ".join(gettext(EventStatus(status).label) for status in self.statuses))
        if self.countries:
            parts.append(", ".join(country_name(code) for code in self.countries))
        if self.org_labels:
            parts.append(", ".join(self.org_labels))
        if self.tags:
            parts.append(", ".join(f"#{tag}" for tag in self.tags))
        if self.q:
            parts.append(f"“{self.q}”")
        return " · ".join(parts) if parts else gettext("All events")

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions on ``Event`` for everything but visibility and time."""
        conditions: list[ColumnElement[bool]] = []
        if self.kinds:
            conditions.append(Event.kind.in_(self.kinds))
        if self.statuses:
            conditions.append(Event.status.in_(self.statuses))
        if self.countries:
            conditions.append(Event.country.in_(self.countries))
        if self.orgs:
            conditions.append(
                Event.id.in_(select(EventOrganisation.event_id).where(EventOrganisation.organisation_id.in_(self.orgs)))
            )
        if self.tags:
            conditions.append(Event.id.in_(select(EventTag.event_id).where(EventTag.tag.in_(self.tags))))
        if self.q:
            conditions.append(search_condition(self.q))
        return conditions

    def apply(self, statement: Select[Any], *, include_internal: bool = False) -> Select[Any]:
        """Narrow a ``select(Event)`` to the filter and to what the audience sees listed (``tracker.visibility``)."""
        return statement.where(listed_condition(include_internal), *self.conditions())


def _values(args: MultiMapping | Mapping[str, Any], name: str) -> list[str]:
    """All values of a parameter, split on commas, stripped, without empties and duplicates."""
    raw: Iterable[Any]
    if hasattr(args, "getlist"):
        raw = args.getlist(name)  # type: ignore[union-attr]
    else:
        value = args.get(name)  # type: ignore[union-attr]
        raw = value if isinstance(value, list | tuple) else ([] if value in (None, "") else [value])
    values: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if has_control(part):
                raise FilterError(name, N_("control characters are not allowed"))
            if len(part) > MAX_QUERY_LENGTH:
                raise FilterError(name, N_("a value has at most %(limit)d characters"), limit=MAX_QUERY_LENGTH)
            if part and part not in values:
                values.append(part)
    if len(values) > MAX_VALUES_PER_PARAMETER:
        raise FilterError(name, N_("at most %(limit)d values are allowed"), limit=MAX_VALUES_PER_PARAMETER)
    return values


def _choice(name: str, values: list[str], allowed: Iterable[str]) -> tuple[str, ...]:
    allowed = list(allowed)
    for value in values:
        if value.lower() not in allowed:
            raise FilterError(
                name,
                N_("unknown value %(value)s; use one of %(allowed)s"),
                value=repr(value),
                allowed=", ".join(allowed),
            )
    return tuple(sorted({value.lower() for value in values}))


def _resolve_orgs(
    session: Session, tokens: list[str], include_internal: bool
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Organisation ids and labels for ``org`` values; one the audience may not know of reads as unknown."""
    if not tokens:
        return (), ()  # most pages: no condition to build, no query to run
    known = organisation_condition(include_internal)
    ids: list[int] = []
    labels: list[str] = []
    for token in tokens:
        organisation = find_organisation(session, token, by_id=True, where=known)
        if organisation is None:
            raise FilterError("org", N_("no organisation with acronym, name or id %(value)s"), value=repr(token))
        if organisation.id not in ids:
            ids.append(organisation.id)  # type: ignore[arg-type]
            labels.append(organisation.short)
    pairs = sorted(zip(ids, labels, strict=True))
    return tuple(pair[0] for pair in pairs), tuple(pair[1] for pair in pairs)


def parse_filter(
    args: MultiMapping | Mapping[str, Any], session: Session, *, include_internal: bool = False
) -> EventFilter:
    """Validate filter parameters from a query string (or a stored dict) into an ``EventFilter``.

    ``include_internal`` is the audience (``tracker.visibility``): the public cannot name an organisation
    that only internal events use — it reads as unknown, exactly like one that does not exist.
    """
    kinds = _choice("kind", _values(args, "kind"), (kind.value for kind in EventKind))
    statuses = _choice("status", _values(args, "status"), (status.value for status in EventStatus))
    countries: list[str] = []
    for code in _values(args, "country"):
        if not (len(code) == 2 and code.isalpha() and is_country(code)):
            raise FilterError(
                "country", N_("unknown country %(value)s; use an ISO 3166-1 code such as MK"), value=repr(code)
            )
        countries.append(code.upper())
    org_ids, org_labels = _resolve_orgs(session, [str(token) for token in _values(args, "org")], include_internal)
    tags: list[str] = []
    for tag in _values(args, "tag"):
        if len(tag) > MAX_TAG_LENGTH:
            raise FilterError("tag", N_("a tag has at most %(limit)d characters"), limit=MAX_TAG_LENGTH)
        tags.append(tag.lower())
    query_values = args.getlist("q") if hasattr(args, "getlist") else [args.get("q") or ""]  # type: ignore[union-attr]
    query = " ".join(" ".join(str(value).split()) for value in query_values if value).strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise FilterError("q", N_("a search has at most %(limit)d characters"), limit=MAX_QUERY_LENGTH)
    if has_control(query):
        raise FilterError("q", N_("a search may not contain control characters"))
    tz_values = _values(args, "tz")
    if len(tz_values) > 1:
        raise FilterError("tz", N_("give one time zone"))
    zone = tz_values[0] if tz_values else ""
    if zone:
        try:
            zone = region_zone(zone)  # the rule forms follow: UTC or Area/City, in tzdata's spelling
        except TimeError as exc:
            raise FilterError("tz", str(exc)) from None
    return EventFilter(
        kinds=kinds,
        statuses=statuses,
        countries=tuple(sorted(set(countries))),
        orgs=org_ids,
        tags=tuple(sorted(set(tags))),
        q=query,
        tz=zone,
        org_labels=org_labels,
    )
