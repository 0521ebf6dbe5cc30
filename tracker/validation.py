"""Validation of input from forms: pydantic models that turn raw strings into typed values or field errors.

Table models do not validate, so everything from outside passes through here first. Messages are written for the
person filling in the form, next to the field. Each kind of field (a one-line text, a choice, a date, a web
address …) is one annotated type, so a rule is written once for every form using it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, time
from enum import StrEnum
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from tracker.countries import is_country
from tracker.event_texts import TextFieldError, check_translations, text_language
from tracker.i18n import N_
from tracker.i18n import gettext as _
from tracker.models import EventKind, EventStatus, OrganisationKind, OrganisationRole, Visibility
from tracker.text import has_control
from tracker.timezones import TimeError, region_zone
from tracker.validation_messages import too_long, too_many
from tracker.zone_guess import propose_zone

TITLE_MAX = 300
CITATION_MAX = 300
TEXT_MAX = 20_000
SHORT_MAX = 200
URL_MAX = 2000
TAG_MAX = 60
MAX_TAGS = 20
MAX_LINKS = 50
#: Other names one organisation or person may be given in the directory's form.
MAX_ALIASES = 20
#: Years an event may fall in; the calendar pages and the archive offer the same range.
MIN_YEAR, MAX_YEAR = 1900, 2200

_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+$")


class InputError(ValueError):
    """Input that failed validation: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def normalise_email(raw: str) -> str:
    """A plain ``local@domain`` address in lower case, or ValueError. No display names, no line breaks."""
    value = raw.strip()
    if has_control(value):
        raise ValueError("an e-mail address may not contain line breaks or control characters")
    if len(value) > 254 or not _EMAIL.match(value) or len(value.split("@", 1)[0]) > 64:
        raise ValueError(f"{value[:60]!r} is not a valid e-mail address")
    return value.lower()


#: Providers that ignore dots in the local part, and the domain each one's aliases deliver to.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_key(email: str) -> str:
    """The mailbox an address delivers to, for budgets: ``+tags`` dropped, and Gmail's dots and alias domain.

    Many addresses reach one inbox (``victim+1@…``, ``v.ictim@gmail.com``, ``victim@googlemail.com``); counting
    mail by this key stops anyone from multiplying one mailbox's allowance by spelling it differently. It only
    groups addresses, it is never used to send: over-grouping costs at most a delayed confirmation.
    """
    local, domain = normalise_email(email).rsplit("@", 1)
    local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"


def single_line(value: str, maximum: int, what: str = "This field") -> str:
    """Collapse white space; refuse control characters and over-long text."""
    value = " ".join(value.split())
    if has_control(value):
        raise ValueError(_("%(what)s may not contain control characters.", what=_(what)))
    if len(value) > maximum:
        raise ValueError(too_long(what, len(value), maximum))
    return value


def multi_line(value: str, maximum: int) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_control(value, multiline=True):
        raise ValueError(_("The text may not contain control characters."))
    if len(value) > maximum:
        raise ValueError(too_long(N_("The text"), len(value), maximum))
    return value


def http_url(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > URL_MAX:
        raise ValueError(too_long(N_("The link"), len(value), URL_MAX))
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in value or has_control(value):
        raise ValueError(_("Enter a full web address starting with https:// or http://."))
    return value


def _choice(value: str, enum: type[StrEnum], what: str) -> str:
    value = value.strip().lower()
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise ValueError(_("Choose a %(what)s: %(allowed)s.", what=_(what), allowed=", ".join(allowed)))
    return value


def _country(value: Any) -> str | None:
    value = _as_text(value).strip().upper()
    if not value:
        return None
    if not (len(value) == 2 and value.isalpha() and is_country(value)):
        raise ValueError(_("Unknown country %(code)s; choose one from the list (ISO 3166-1 code).", code=repr(value)))
    return value


ZONE_MISSING = N_("Choose the time zone of the place, such as Europe/Skopje.")


def _zone_name(value: Any) -> str:
    """An IANA zone name, or "" (the event's place may tell it: ``EventInput._zone``)."""
    value = _as_text(value).strip()
    if not value:
        return ""
    try:
        return region_zone(value)  # UTC or Area/City only: see timezones.ABBREVIATION_HINTS for why
    except TimeError as exc:
        message = str(exc)
        raise ValueError(message[0].upper() + message[1:] + ".") from None


def _checkbox(value: Any) -> bool:
    return str(value).lower() in {"1", "true", "on", "yes", "y"}


def _acronym(value: Any) -> str | None:
    value = single_line(_as_text(value), 30, "The acronym")
    if value and not re.fullmatch(r"[\w.&'()\- ]+", value):
        raise ValueError(_("Use letters, digits, spaces and . & ' ( ) - in an acronym."))
    if value.isdigit():
        raise ValueError(_("An acronym cannot be only digits (they are taken for ids in filters)."))
    return value or None


# ------------------------------------------------------------------------------------- field types
# Field types: module-level functions bound with ``partial``, so every rule runs (and can be mutated) per form.


def _as_text(value: Any) -> str:
    """The raw value as text; a field left out (None) reads as empty."""
    return str(value or "")


def _line(value: Any, *, maximum: int, what: str, missing: str = "") -> str:
    """One line of text (``single_line``); ``missing`` is the message when it must not be empty."""
    text = single_line(_as_text(value), maximum, what)
    if missing and not text:
        raise ValueError(_(missing))
    return text


def _one_of(value: Any, *, enum: type[StrEnum], what: str) -> str:
    return _choice(_as_text(value), enum, what)


def _event_date(value: Any, *, what: str, required: bool = False) -> date | None:
    """An ISO date within ``MIN_YEAR``–``MAX_YEAR``; empty is None unless ``required``."""
    text = _as_text(value).strip()
    if not text:
        if required:
            raise ValueError(_("Enter the %(what)s.", what=_(what)))
        return None
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter the %(what)s as YYYY-MM-DD.", what=_(what))) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(_("Enter a year between %(first)d and %(last)d.", first=MIN_YEAR, last=MAX_YEAR))
    return parsed


def _wall_time(value: Any, *, what: str) -> time | None:
    """A time of day, minutes precision; empty is None."""
    text = _as_text(value).strip()
    if not text:
        return None
    try:
        parsed = time.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter the %(what)s as HH:MM (24-hour clock).", what=_(what))) from None
    return parsed.replace(second=0, microsecond=0, tzinfo=None)


def _distinct_lines(
    items: Iterable[Any], what: str, maximum: int, at_most: int, plural: str, normal: Callable[[str], str] = str
) -> list[str]:
    """Non-empty one-line values in order, duplicates dropped, at most ``at_most`` of them."""
    values: list[str] = []
    for item in items:
        value = normal(single_line(str(item), maximum, what))
        if value and value not in values:
            values.append(value)
    if len(values) > at_most:
        raise ValueError(too_many(plural, at_most))
    return values


def _tags(value: Any) -> list[str]:
    raw = value if isinstance(value, list) else _as_text(value).split(",")
    return _distinct_lines(raw, "A tag", TAG_MAX, MAX_TAGS, "tags", lambda tag: tag.lower().lstrip("#"))


def _people(value: Any) -> list[str]:
    return _distinct_lines(value or [], "A person's name", SHORT_MAX, MAX_LINKS, "people")


def _organisation_links(value: Any) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    for name, role in value or []:
        name = single_line(str(name), SHORT_MAX, "An organisation's name")
        if name:
            links.append({"name": name, "role": _choice(str(role), OrganisationRole, "role")})
    if len(links) > MAX_LINKS:
        raise ValueError(too_many("organisations", MAX_LINKS))
    return links


def _aliases(value: Any) -> list[str]:
    """One alias per line, blank lines and repeats dropped (``tracker.services.directory`` checks the rest)."""
    lines = value if isinstance(value, list) else _as_text(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _distinct_lines(lines, "An alias", SHORT_MAX, MAX_ALIASES, "aliases")


def _web_address(value: Any) -> str | None:
    return http_url(_as_text(value))


def _description(value: Any) -> str:
    return multi_line(_as_text(value), TEXT_MAX)


Country = Annotated[str | None, BeforeValidator(_country)]
WebAddress = Annotated[str | None, BeforeValidator(_web_address)]
Place = Annotated[str, BeforeValidator(partial(_line, maximum=SHORT_MAX, what="The place"))]
ShortText = Annotated[str, BeforeValidator(partial(_line, maximum=SHORT_MAX, what="This field"))]
_translated = partial(
    check_translations, title=partial(_line, maximum=TITLE_MAX, what="The title"), description=_description
)


class FormModel(BaseModel):
    """Base for form inputs: every field arrives as a string; unknown fields are ignored."""

    # validate_default: a field left out of a hand-made POST must pass the same checks as an empty one.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, validate_default=True)

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> Any:
        """Validate, raising ``InputError`` with one message per field."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InputError(field_errors(exc)) from None


def field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, _FieldError | TextFieldError):
            errors.setdefault(cause.field, str(cause))
            continue
        field = str(error["loc"][0]) if error["loc"] else "__all__"
        errors.setdefault(field, error["msg"].removeprefix("Value error, "))
    return errors


class OrganisationLink(BaseModel):
    name: str
    role: str


class EventInput(FormModel):
    """An event as typed into the editor's form."""

    title: Annotated[
        str, BeforeValidator(partial(_line, maximum=TITLE_MAX, what="The title", missing="Enter a title."))
    ] = ""
    kind: Annotated[str, BeforeValidator(partial(_one_of, enum=EventKind, what="kind"))] = EventKind.MEETING.value
    status: Annotated[str, BeforeValidator(partial(_one_of, enum=EventStatus, what="status"))] = (
        EventStatus.CONFIRMED.value
    )
    visibility: Annotated[str, BeforeValidator(partial(_one_of, enum=Visibility, what="visibility"))] = (
        Visibility.PUBLIC.value
    )
    all_day: Annotated[bool, BeforeValidator(_checkbox)] = False
    #: Empty: proposed from the city and country (``tracker.zone_guess``); an all-day event without one uses UTC.
    timezone: Annotated[str, BeforeValidator(_zone_name)] = ""
    start_date: Annotated[date | None, BeforeValidator(partial(_event_date, what="start date", required=True))] = None
    start_time: Annotated[time | None, BeforeValidator(partial(_wall_time, what="start time"))] = None
    end_date: Annotated[date | None, BeforeValidator(partial(_event_date, what="end date"))] = None
    end_time: Annotated[time | None, BeforeValidator(partial(_wall_time, what="end time"))] = None
    venue: Place = ""
    city: Place = ""
    country: Country = None
    description: Annotated[str, BeforeValidator(_description)] = ""
    source_url: WebAddress = None
    source_citation: Annotated[str, BeforeValidator(partial(_line, maximum=CITATION_MAX, what="The source"))] = ""
    tags: Annotated[list[str], BeforeValidator(_tags)] = []
    organisations: Annotated[list[OrganisationLink], BeforeValidator(_organisation_links)] = []
    people: Annotated[list[str], BeforeValidator(_people)] = []
    #: The language of title and description, and the texts in others (``tracker.event_texts``); None keeps the stored.
    language: Annotated[str | None, BeforeValidator(text_language), Field(exclude=True)] = None
    translations: Annotated[dict[str, dict[str, str]] | None, BeforeValidator(_translated), Field(exclude=True)] = None

    #: How the zone was chosen when the form left it empty ("" when the editor chose it), for the editor to read.
    _zone_note: str = PrivateAttr(default="")

    @property
    def zone_note(self) -> str:
        return self._zone_note

    @model_validator(mode="after")
    def _zone(self) -> EventInput:
        if self.timezone:
            return self
        proposed = propose_zone(self.city, self.country)
        if proposed:
            self.timezone = proposed
            self._zone_note = _("The time zone %(zone)s was taken from the city and country.", zone=proposed)
        elif self.all_day:
            self.timezone = "UTC"
            self._zone_note = _("No time zone was given or found for the place, so the all-day event uses UTC days.")
        else:
            raise _FieldError("timezone", _(ZONE_MISSING))
        return self

    @model_validator(mode="after")
    def _times(self) -> EventInput:
        if self.start_date is None:
            return self
        if self.end_date is None:
            self.end_date = self.start_date
        if self.end_date < self.start_date:
            raise _FieldError("end_date", _("The end date is before the start date."))
        if self.all_day:
            self.start_time = self.end_time = None
            return self
        if self.start_time is None:
            raise _FieldError("start_time", _("Enter a start time, or mark the event as all-day."))
        if self.end_time is None:
            raise _FieldError("end_time", _("Enter an end time, or mark the event as all-day."))
        if self.end_date == self.start_date and self.end_time <= self.start_time:
            raise _FieldError("end_time", _("The end time is not after the start time on the same day."))
        return self


class _FieldError(ValueError):
    """Raised by whole-model checks to put the message next to one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class OrganisationInput(FormModel):
    name: Annotated[
        str,
        BeforeValidator(partial(_line, maximum=SHORT_MAX, what="The name", missing="Enter the organisation's name.")),
    ] = ""
    acronym: Annotated[str | None, BeforeValidator(_acronym)] = None
    kind: Annotated[str, BeforeValidator(partial(_one_of, enum=OrganisationKind, what="kind"))] = (
        OrganisationKind.OTHER.value
    )
    country: Country = None
    website: WebAddress = None
    aliases: Annotated[list[str], BeforeValidator(_aliases)] = []


class PersonInput(FormModel):
    name: Annotated[
        str, BeforeValidator(partial(_line, maximum=SHORT_MAX, what="The name", missing="Enter the person's name."))
    ] = ""
    position: ShortText = ""
    organisation: ShortText = ""
    aliases: Annotated[list[str], BeforeValidator(_aliases)] = []
