"""Validation of input from forms: pydantic models that turn raw strings into typed values or field errors.

Table models do not validate, so everything from outside passes through here first. Messages are written
for the person filling in the form and are shown next to the field.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from tracker.countries import is_country
from tracker.models import EventKind, EventStatus, OrganisationKind, OrganisationRole, Visibility
from tracker.timezones import TimeError, get_zone

TITLE_MAX = 300
TEXT_MAX = 20_000
SHORT_MAX = 200
URL_MAX = 2000
TAG_MAX = 60
MAX_TAGS = 20
MAX_LINKS = 50

_DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]+@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u0085]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085\x0b\x0c]")


class InputError(ValueError):
    """Input that failed validation: ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def normalise_email(raw: str) -> str:
    """A plain ``local@domain`` address in lower case, or ValueError. No display names, no line breaks."""
    value = raw.strip()
    if _LINE_BREAKS.search(value) or _CONTROL.search(value):
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
    if _CONTROL.search(value):
        raise ValueError(f"{what} may not contain control characters.")
    if len(value) > maximum:
        raise ValueError(f"{what} has {len(value)} characters; at most {maximum} are allowed.")
    return value


def multi_line(value: str, maximum: int) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise ValueError("The text may not contain control characters.")
    if len(value) > maximum:
        raise ValueError(f"The text has {len(value)} characters; at most {maximum} are allowed.")
    return value


def http_url(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) > URL_MAX:
        raise ValueError(f"The link has {len(value)} characters; at most {URL_MAX} are allowed.")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in value or _CONTROL.search(value):
        raise ValueError("Enter a full web address starting with https:// or http://.")
    return value


def _choice(value: str, enum: type, what: str) -> str:
    value = value.strip().lower()
    allowed = [member.value for member in enum]
    if value not in allowed:
        raise ValueError(f"Choose a {what}: {', '.join(allowed)}.")
    return value


def _country(value: str) -> str | None:
    value = value.strip().upper()
    if not value:
        return None
    if not (len(value) == 2 and value.isalpha() and is_country(value)):
        raise ValueError(f"Unknown country {value!r}; choose one from the list (ISO 3166-1 code).")
    return value


def _date(value: str, what: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Enter the {what} as YYYY-MM-DD.") from None


def _time(value: str, what: str) -> time | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"Enter the {what} as HH:MM (24-hour clock).") from None
    return parsed.replace(second=0, microsecond=0, tzinfo=None)


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
        if isinstance(cause, _FieldError):
            errors.setdefault(cause.field, cause.message)
            continue
        field = str(error["loc"][0]) if error["loc"] else "__all__"
        message = str(cause if cause is not None else error["msg"]).removeprefix("Value error, ")
        errors.setdefault(field, message)
    return errors


class OrganisationLink(BaseModel):
    name: str
    role: str


class EventInput(FormModel):
    """An event as typed into the editor's form."""

    title: str = ""
    kind: str = EventKind.MEETING.value
    status: str = EventStatus.CONFIRMED.value
    visibility: str = Visibility.PUBLIC.value
    all_day: bool = False
    timezone: str = ""
    start_date: date | None = None
    start_time: time | None = None
    end_date: date | None = None
    end_time: time | None = None
    venue: str = ""
    city: str = ""
    country: str | None = None
    description: str = ""
    source_url: str | None = None
    tags: list[str] = []
    organisations: list[OrganisationLink] = []
    people: list[str] = []

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, value: str) -> str:
        value = single_line(str(value or ""), TITLE_MAX, "The title")
        if not value:
            raise ValueError("Enter a title.")
        return value

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _choice(str(value or ""), EventKind, "kind")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: str) -> str:
        return _choice(str(value or ""), EventStatus, "status")

    @field_validator("visibility", mode="before")
    @classmethod
    def _visibility(cls, value: str) -> str:
        return _choice(str(value or ""), Visibility, "visibility")

    @field_validator("all_day", mode="before")
    @classmethod
    def _all_day(cls, value: Any) -> bool:
        return str(value).lower() in {"1", "true", "on", "yes", "y"}

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: str) -> str:
        value = str(value or "").strip()
        if not value:
            raise ValueError("Choose the time zone of the place, such as Europe/Skopje.")
        try:
            get_zone(value)
        except TimeError as exc:
            message = str(exc)
            raise ValueError(message[0].upper() + message[1:] + ".") from None
        return value

    @field_validator("start_date", mode="before")
    @classmethod
    def _start_date(cls, value: str) -> date:
        parsed = _date(str(value or ""), "start date")
        if parsed is None:
            raise ValueError("Enter the start date.")
        if not 1900 <= parsed.year <= 2200:
            raise ValueError("Enter a year between 1900 and 2200.")
        return parsed

    @field_validator("end_date", mode="before")
    @classmethod
    def _end_date(cls, value: str) -> date | None:
        parsed = _date(str(value or ""), "end date")
        if parsed is not None and not 1900 <= parsed.year <= 2200:
            raise ValueError("Enter a year between 1900 and 2200.")
        return parsed

    @field_validator("start_time", mode="before")
    @classmethod
    def _start_time(cls, value: str) -> time | None:
        return _time(str(value or ""), "start time")

    @field_validator("end_time", mode="before")
    @classmethod
    def _end_time(cls, value: str) -> time | None:
        return _time(str(value or ""), "end time")

    @field_validator("venue", "city", mode="before")
    @classmethod
    def _place(cls, value: str) -> str:
        return single_line(str(value or ""), SHORT_MAX, "The place")

    @field_validator("country", mode="before")
    @classmethod
    def _country_code(cls, value: str) -> str | None:
        return _country(str(value or ""))

    @field_validator("description", mode="before")
    @classmethod
    def _description(cls, value: str) -> str:
        return multi_line(str(value or ""), TEXT_MAX)

    @field_validator("source_url", mode="before")
    @classmethod
    def _source(cls, value: str) -> str | None:
        return http_url(str(value or ""))

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> list[str]:
        raw = value if isinstance(value, list) else str(value or "").split(",")
        tags: list[str] = []
        for item in raw:
            tag = single_line(str(item), TAG_MAX, "A tag").lower().lstrip("#")
            if tag and tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise ValueError(f"At most {MAX_TAGS} tags are allowed.")
        return tags

    @field_validator("organisations", mode="before")
    @classmethod
    def _organisations(cls, value: Any) -> list[dict[str, str]]:
        links: list[dict[str, str]] = []
        for name, role in value or []:
            name = single_line(str(name), SHORT_MAX, "An organisation's name")
            if not name:
                continue
            links.append({"name": name, "role": _choice(str(role), OrganisationRole, "role")})
        if len(links) > MAX_LINKS:
            raise ValueError(f"At most {MAX_LINKS} organisations are allowed.")
        return links

    @field_validator("people", mode="before")
    @classmethod
    def _people(cls, value: Any) -> list[str]:
        names: list[str] = []
        for name in value or []:
            name = single_line(str(name), SHORT_MAX, "A person's name")
            if name and name not in names:
                names.append(name)
        if len(names) > MAX_LINKS:
            raise ValueError(f"At most {MAX_LINKS} people are allowed.")
        return names

    @model_validator(mode="after")
    def _times(self) -> EventInput:
        if self.start_date is None:
            return self
        if self.end_date is None:
            self.end_date = self.start_date
        if self.all_day:
            self.start_time = self.end_time = None
            if self.end_date < self.start_date:
                raise _field_error("end_date", "The end date is before the start date.")
            return self
        if self.start_time is None:
            raise _field_error("start_time", "Enter a start time, or mark the event as all-day.")
        if self.end_time is None:
            raise _field_error("end_time", "Enter an end time, or mark the event as all-day.")
        if (self.end_date, self.end_time) <= (self.start_date, self.start_time):
            raise _field_error("end_time", "The event must end after it starts.")
        return self


class _FieldError(ValueError):
    """Raised by whole-model checks to put the message next to one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _field_error(field: str, message: str) -> _FieldError:
    return _FieldError(field, message)


class OrganisationInput(FormModel):
    name: str = ""
    acronym: str | None = None
    kind: str = OrganisationKind.OTHER.value
    country: str | None = None
    website: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str) -> str:
        value = single_line(str(value or ""), SHORT_MAX, "The name")
        if not value:
            raise ValueError("Enter the organisation's name.")
        return value

    @field_validator("acronym", mode="before")
    @classmethod
    def _acronym(cls, value: str) -> str | None:
        value = single_line(str(value or ""), 30, "The acronym")
        if value and not re.fullmatch(r"[\w.&'()\- ]+", value):
            raise ValueError("Use letters, digits, spaces and . & ' ( ) - in an acronym.")
        if value.isdigit():
            raise ValueError("An acronym cannot be only digits (they are taken for ids in filters).")
        return value or None

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _choice(str(value or ""), OrganisationKind, "kind")

    @field_validator("country", mode="before")
    @classmethod
    def _country_code(cls, value: str) -> str | None:
        return _country(str(value or ""))

    @field_validator("website", mode="before")
    @classmethod
    def _website(cls, value: str) -> str | None:
        return http_url(str(value or ""))


class PersonInput(FormModel):
    name: str = ""
    position: str = ""
    organisation: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str) -> str:
        value = single_line(str(value or ""), SHORT_MAX, "The name")
        if not value:
            raise ValueError("Enter the person's name.")
        return value

    @field_validator("position", "organisation", mode="before")
    @classmethod
    def _text(cls, value: str) -> str:
        return single_line(str(value or ""), SHORT_MAX, "This field")
