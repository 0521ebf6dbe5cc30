"""Form validation (``tracker.validation``) without a database: every field type, limit and message."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from tracker.validation import (
    MAX_LINKS,
    MAX_TAGS,
    EventInput,
    InputError,
    OrganisationInput,
    PersonInput,
    http_url,
    mailbox_key,
    multi_line,
    normalise_email,
    single_line,
)

TIMED = {"title": "Meeting", "timezone": "Europe/Skopje", "start_date": "2026-11-10", "start_time": "10:00"}
TIMED_END = {**TIMED, "end_time": "11:00"}


def errors_of(model: Any, data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InputError) as caught:
        model.from_form(data)
    assert str(caught.value) == "; ".join(f"{field}: {message}" for field, message in caught.value.errors.items())
    return caught.value.errors


def event_error(field: str, **values: Any) -> str:
    return errors_of(EventInput, {**TIMED_END, **values})[field]


# ----------------------------------------------------------------------------------------------- text


def test_single_line_collapses_white_space_and_bounds_length() -> None:
    assert single_line("  a \t b\n c  ", 10) == "a b c"
    assert single_line("x" * 10, 10) == "x" * 10
    with pytest.raises(ValueError) as caught:
        single_line("x" * 11, 10)
    assert str(caught.value) == "This field has 11 characters; at most 10 are allowed."
    with pytest.raises(ValueError) as caught:
        single_line("a\x00b", 10, "The name")
    assert str(caught.value) == "The name may not contain control characters."


def test_multi_line_keeps_lines_and_normalises_breaks() -> None:
    assert multi_line("  one\r\ntwo\rthree\n\tfour  ", 100) == "one\ntwo\nthree\n\tfour"
    assert multi_line("x" * 5, 5) == "x" * 5
    with pytest.raises(ValueError) as caught:
        multi_line("x" * 6, 5)
    assert str(caught.value) == "The text has 6 characters; at most 5 are allowed."
    with pytest.raises(ValueError) as caught:
        multi_line("a\x0cb", 100)
    assert str(caught.value) == "The text may not contain control characters."


@pytest.mark.parametrize(
    "value", ["https://example.org/", "http://example.org/a?b=c", "  https://example.org/x  ", "HTTPS://E.ORG/"]
)
def test_web_addresses_that_pass(value: str) -> None:
    assert http_url(value) == value.strip()


@pytest.mark.parametrize(
    "value",
    [
        "ftp://example.org/",
        "example.org",
        "https://",
        "https:///path",
        "https://exa mple.org/",
        "https://example.org/\nSet-Cookie:x",  # urlsplit drops the newline; the address must not
        "https://example.org/\tx",
        "https://example.org/\x7f",
        "javascript:alert(1)",
    ],
)
def test_web_addresses_that_fail(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        http_url(value)
    assert str(caught.value) == "Enter a full web address starting with https:// or http://."


def test_web_address_length_and_empty() -> None:
    assert http_url("   ") is None
    assert http_url("") is None
    longest = "https://example.org/" + "a" * (2000 - 20)
    assert http_url(longest) == longest
    with pytest.raises(ValueError) as caught:
        http_url(longest + "a")
    assert str(caught.value) == "The link has 2001 characters; at most 2000 are allowed."


# ---------------------------------------------------------------------------------------------- e-mail


def test_email_addresses() -> None:
    assert normalise_email("  Ana.Bell@Example.ORG ") == "ana.bell@example.org"
    local = "a" * 64
    assert normalise_email(f"{local}@example.org") == f"{local}@example.org"
    for bad in [f"{local}a@example.org", "a@" + "b" * 250 + ".org", "Ana <a@example.org>", "a@b", "a@-b.org"]:
        with pytest.raises(ValueError) as caught:
            normalise_email(bad)
        assert str(caught.value) == f"{bad.strip()[:60]!r} is not a valid e-mail address"
    longest = "abcdef@" + ".".join(["b" * 60] * 4) + ".org"
    assert len(longest) == 254 and normalise_email(longest) == longest
    with pytest.raises(ValueError):
        normalise_email("a" + longest)
    for bad in ["a\nb@example.org", "a\rb@example.org", "a\u2028b@example.org", "a\x00b@example.org"]:
        with pytest.raises(ValueError) as caught:
            normalise_email(bad)
        assert str(caught.value) == "an e-mail address may not contain line breaks or control characters"


def test_mailbox_key_groups_aliases() -> None:
    assert mailbox_key("V.Ictim+1@googlemail.com") == "victim@gmail.com"
    assert mailbox_key("v.ictim+x@example.org") == "v.ictim@example.org"


# --------------------------------------------------------------------------------------------- events


def test_a_timed_event() -> None:
    data = EventInput.from_form({**TIMED_END, "unknown": "ignored", "start_time": "10:00:59.5"})
    assert (data.start_date, data.end_date) == (date(2026, 11, 10), date(2026, 11, 10))
    assert (data.start_time, data.end_time) == (time(10, 0), time(11, 0))
    assert (data.kind, data.status, data.visibility, data.all_day) == ("meeting", "confirmed", "public", False)
    assert (data.venue, data.city, data.country, data.description, data.source_url) == ("", "", None, "", None)
    assert (data.tags, data.organisations, data.people) == ([], [], [])
    assert not hasattr(data, "unknown")


def test_times_lose_seconds_and_zone() -> None:
    data = EventInput.from_form({**TIMED, "start_time": "10:00:30+02:00", "end_time": "11:15:59"})
    assert data.start_time == time(10, 0) and data.start_time.tzinfo is None
    assert data.end_time == time(11, 15)


def test_an_empty_form_names_each_missing_field() -> None:
    assert errors_of(EventInput, {}) == {"title": "Enter a title.", "start_date": "Enter the start date."}
    assert errors_of(EventInput, {"title": None, "timezone": None, "start_date": None}) == errors_of(EventInput, {})


def test_a_timed_event_needs_a_zone_the_place_does_not_tell() -> None:
    """An empty zone is taken from the place when it can be; a timed event somewhere unknown must name one."""
    nowhere = {**TIMED_END, "timezone": "", "city": "Springfield", "country": "US"}
    assert errors_of(EventInput, nowhere) == {"timezone": "Choose the time zone of the place, such as Europe/Skopje."}
    skopje = EventInput.from_form({**TIMED_END, "timezone": " ", "city": "Skopje", "country": "MK"})
    assert (skopje.timezone, skopje.zone_note) == (
        "Europe/Skopje",
        "The time zone Europe/Skopje was taken from the city and country.",
    )
    chosen = EventInput.from_form({**TIMED_END, "timezone": "Europe/Zurich", "city": "Skopje", "country": "MK"})
    assert (chosen.timezone, chosen.zone_note) == ("Europe/Zurich", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 301, "The title has 301 characters; at most 300 are allowed."),
        ("title", "a\x01", "The title may not contain control characters."),
        ("kind", "party", "Choose a kind: conference, official_visit, meeting, other."),
        ("status", "maybe", "Choose a status: tentative, confirmed, postponed, cancelled."),
        ("visibility", "secret", "Choose a visibility: public, internal."),
        ("timezone", "Mars/Olympus", "Unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Skopje."),
        ("start_date", "10/11/2026", "Enter the start date as YYYY-MM-DD."),
        ("start_date", "1899-12-31", "Enter a year between 1900 and 2200."),
        ("start_date", "2201-01-01", "Enter a year between 1900 and 2200."),
        ("end_date", "soon", "Enter the end date as YYYY-MM-DD."),
        ("end_date", "2201-01-01", "Enter a year between 1900 and 2200."),
        ("end_date", "1899-12-31", "Enter a year between 1900 and 2200."),
        ("start_time", "25:00", "Enter the start time as HH:MM (24-hour clock)."),
        ("end_time", "noon", "Enter the end time as HH:MM (24-hour clock)."),
        ("venue", "v" * 201, "The place has 201 characters; at most 200 are allowed."),
        ("city", "c" * 201, "The place has 201 characters; at most 200 are allowed."),
        ("country", "XX", "Unknown country 'XX'; choose one from the list (ISO 3166-1 code)."),
        ("country", "MKD", "Unknown country 'MKD'; choose one from the list (ISO 3166-1 code)."),
        ("country", "1A", "Unknown country '1A'; choose one from the list (ISO 3166-1 code)."),
        ("description", "d" * 20_001, "The text has 20001 characters; at most 20000 are allowed."),
        ("source_url", "ftp://x.org", "Enter a full web address starting with https:// or http://."),
        ("tags", "t" * 61, "A tag has 61 characters; at most 60 are allowed."),
        ("tags", ",".join(f"t{n}" for n in range(MAX_TAGS + 1)), "At most 20 tags are allowed."),
        ("people", ["p" * 201], "A person's name has 201 characters; at most 200 are allowed."),
        ("people", [f"P{n}" for n in range(MAX_LINKS + 1)], "At most 50 people are allowed."),
        ("organisations", [("o" * 201, "host")], "An organisation's name has 201 characters; at most 200 are allowed."),
        ("organisations", [("IOM", "guest")], "Choose a role: host, co_organiser, supporter, participant."),
        ("organisations", [(f"O{n}", "host") for n in range(MAX_LINKS + 1)], "At most 50 organisations are allowed."),
    ],
)
def test_each_field_says_what_is_wrong(field: str, value: Any, message: str) -> None:
    assert event_error(field, **{field: value}) == message


def test_limits_are_inclusive() -> None:
    data = EventInput.from_form(
        {
            **TIMED_END,
            "title": "x" * 300,
            "venue": "v" * 200,
            "city": "c" * 200,
            "description": "d" * 20_000,
            "tags": ",".join(f"t{n}" for n in range(MAX_TAGS)) + ",t0",
            "people": [f"P{n}" for n in range(MAX_LINKS)] + ["P0"],
            "organisations": [(f"O{n}", "host") for n in range(MAX_LINKS)],
            "start_date": "1900-01-01",
            "end_date": "2200-12-31",
        }
    )
    assert len(data.title) == 300 and len(data.tags) == MAX_TAGS and len(data.people) == MAX_LINKS
    assert len(data.organisations) == MAX_LINKS and (data.start_date.year, data.end_date.year) == (1900, 2200)
    assert EventInput.from_form({**TIMED_END, "tags": ["t" * 60]}).tags == ["t" * 60]


def test_choices_and_country_are_normalised() -> None:
    data = EventInput.from_form(
        {**TIMED_END, "kind": " Conference ", "status": "TENTATIVE", "visibility": "Internal", "country": " mk "}
    )
    assert (data.kind, data.status, data.visibility, data.country) == ("conference", "tentative", "internal", "MK")
    assert EventInput.from_form({**TIMED_END, "country": "  "}).country is None


@pytest.mark.parametrize("value", ["1", "true", "on", "yes", "y", "ON", "True", "Y"])
def test_all_day_checkbox_on(value: str) -> None:
    data = EventInput.from_form({**TIMED, "all_day": value, "start_time": "", "end_date": "2026-11-11"})
    assert data.all_day is True and (data.start_time, data.end_time) == (None, None)
    assert data.end_date == date(2026, 11, 11)


@pytest.mark.parametrize("value", ["", "0", "off", "no", "false", None, "onn"])
def test_all_day_checkbox_off(value: Any) -> None:
    assert EventInput.from_form({**TIMED_END, "all_day": value}).all_day is False


def test_all_day_event_may_not_end_before_it_starts() -> None:
    assert event_error("end_date", all_day="on", end_date="2026-11-09") == "The end date is before the start date."
    one_day = EventInput.from_form({**TIMED, "all_day": "on"})
    assert one_day.end_date == one_day.start_date and one_day.start_time is None


def test_timed_event_needs_both_times_and_must_end_after_it_starts() -> None:
    assert event_error("start_time", start_time="") == "Enter a start time, or mark the event as all-day."
    assert event_error("end_time", end_time="") == "Enter an end time, or mark the event as all-day."
    assert event_error("end_time", end_time="10:00") == "The end time is not after the start time on the same day."
    assert event_error("end_time", end_time="09:00") == "The end time is not after the start time on the same day."
    later_day = EventInput.from_form({**TIMED, "end_date": "2026-11-11", "end_time": "09:00"})
    assert later_day.end_date == date(2026, 11, 11)
    assert errors_of(EventInput, {**TIMED, "end_date": "2026-11-09", "end_time": "11:00"}) == {
        "end_date": "The end date is before the start date."
    }


def test_tags_people_and_organisations() -> None:
    data = EventInput.from_form(
        {
            **TIMED_END,
            "tags": " #Migration, western   balkans,, migration , #",
            "people": ["Ana  Bell", "", "Ana Bell", "Bo, Minister"],
            "organisations": [("IOM", " Host "), ("  ", "guest"), ("IOM", "supporter"), ("IOM", "host")],
        }
    )
    assert data.tags == ["migration", "western balkans"]
    assert data.people == ["Ana Bell", "Bo, Minister"]
    assert [(link.name, link.role) for link in data.organisations] == [
        ("IOM", "host"),
        ("IOM", "supporter"),
        ("IOM", "host"),
    ]
    assert EventInput.from_form({**TIMED_END, "tags": ["A", "#b"]}).tags == ["a", "b"]
    assert EventInput.from_form({**TIMED_END, "tags": None, "people": None, "organisations": None}).tags == []


def test_description_and_place() -> None:
    data = EventInput.from_form(
        {**TIMED_END, "description": " a\r\nb ", "venue": " Hotel   Arka ", "source_url": " https://e.org/ "}
    )
    assert (data.description, data.venue, data.source_url) == ("a\nb", "Hotel Arka", "https://e.org/")


def test_every_error_is_reported_once_per_field() -> None:
    errors = errors_of(
        EventInput, {"title": "x" * 301, "kind": "party", "timezone": "Nowhere", "start_date": "2026-02-30"}
    )
    assert list(errors) == ["title", "kind", "timezone", "start_date"]


# --------------------------------------------------------------------------------- organisations, people


def test_an_organisation() -> None:
    data = OrganisationInput.from_form(
        {"name": " Regional  Cooperation Council ", "acronym": " RCC ", "kind": "NGO", "country": "ba"}
    )
    assert (data.name, data.acronym, data.kind, data.country, data.website) == (
        "Regional Cooperation Council",
        "RCC",
        "ngo",
        "BA",
        None,
    )
    assert OrganisationInput.from_form({"name": "X", "acronym": "  "}).acronym is None
    assert OrganisationInput.from_form({"name": "X"}).kind == "other"
    assert OrganisationInput.from_form({"name": "X", "acronym": "A.&'()- b_1"}).acronym == "A.&'()- b_1"
    assert OrganisationInput.from_form({"name": "X", "acronym": "a" * 30}).acronym == "a" * 30


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, "name", "Enter the organisation's name."),
        ({"name": "n" * 201}, "name", "The name has 201 characters; at most 200 are allowed."),
        ({"acronym": "a" * 31}, "acronym", "The acronym has 31 characters; at most 30 are allowed."),
        ({"acronym": "I/O"}, "acronym", "Use letters, digits, spaces and . & ' ( ) - in an acronym."),
        ({"acronym": "<b>"}, "acronym", "Use letters, digits, spaces and . & ' ( ) - in an acronym."),
        ({"acronym": "2024"}, "acronym", "An acronym cannot be only digits (they are taken for ids in filters)."),
        ({"kind": "club"}, "kind", "Choose a kind: ministry, government, international_organisation, "
         "eu_institution, eu_agency, ngo, other."),
        ({"country": "ZZ"}, "country", "Unknown country 'ZZ'; choose one from the list (ISO 3166-1 code)."),
        ({"website": "www.example.org"}, "website", "Enter a full web address starting with https:// or http://."),
    ],
)  # fmt: skip
def test_organisation_errors(values: dict[str, str], field: str, message: str) -> None:
    assert errors_of(OrganisationInput, values)[field] == message


def test_a_person() -> None:
    data = PersonInput.from_form({"name": " Ana  Bell ", "position": " Minister ", "organisation": " IOM "})
    assert (data.name, data.position, data.organisation) == ("Ana Bell", "Minister", "IOM")
    assert errors_of(PersonInput, {}) == {"name": "Enter the person's name."}
    assert errors_of(PersonInput, {"name": "A", "position": "p" * 201, "organisation": "o" * 201}) == {
        "position": "This field has 201 characters; at most 200 are allowed.",
        "organisation": "This field has 201 characters; at most 200 are allowed.",
    }
    assert (
        errors_of(PersonInput, {"name": "n" * 201})["name"] == "The name has 201 characters; at most 200 are allowed."
    )


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("V.Ictim+1@googlemail.com", "victim@gmail.com"),
        ("v.i.c.t.i.m@GMAIL.com", "victim@gmail.com"),
        ("victim+a+b@gmail.com", "victim@gmail.com"),
        ("v.ictim+x@example.org", "v.ictim@example.org"),
        ("plain@example.org", "plain@example.org"),
        ("a.b@mail.gmail.com", "a.b@mail.gmail.com"),
    ],
)
def test_mailbox_keys(address: str, key: str) -> None:
    assert mailbox_key(address) == key


def test_field_errors_put_whole_form_checks_beside_their_field() -> None:
    """A model check's message goes to the field it names; pydantic's own errors keep their text."""
    assert errors_of(EventInput, {**TIMED, "end_time": "09:00"}) == {
        "end_time": "The end time is not after the start time on the same day."
    }
    assert errors_of(EventInput, "not a form") == {
        "__all__": "Input should be a valid dictionary or instance of EventInput"
    }
    assert errors_of(OrganisationInput, {"name": "x" * 201}) == {
        "name": "The name has 201 characters; at most 200 are allowed."
    }
