"""``tracker.filters``: parsing, canonical URLs and the SQL it applies, each checked against an oracle computed
from the test data itself (never from ``EventFilter``), plus the organisation rule of ``tracker.lookup``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from tests.conftest import make_event
from tracker.filters import (
    FILTER_PARAMETERS,
    MAX_QUERY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_VALUES_PER_PARAMETER,
    EventFilter,
    FilterError,
    parse_filter,
)
from tracker.lookup import find_organisation
from tracker.models import Event, Organisation, utcnow
from tracker.services import events as event_service

NO_DB: Any = None  # parse_filter only reads the database for ``org``


def refused(args: Any, parameter: str, message: str | None = None) -> FilterError:
    with pytest.raises(FilterError) as caught:
        parse_filter(args, NO_DB)
    assert caught.value.parameter == parameter
    assert str(caught.value) == f"{parameter}: {caught.value.message}"
    if message is not None:
        assert caught.value.message == message
    return caught.value


# --------------------------------------------------------------------------------------- pure parsing


def test_an_empty_query_is_the_empty_filter() -> None:
    for args in ({}, MultiDict(), {"kind": "", "q": None, "tag": []}, MultiDict([("kind", ""), ("q", "")])):
        event_filter = parse_filter(args, NO_DB)
        assert event_filter == EventFilter() and event_filter.is_empty
        assert event_filter.describe() == "All events" and event_filter.to_params() == []


def test_values_repeat_or_come_comma_separated_and_are_canonical() -> None:
    args = MultiDict(
        [("kind", "Meeting, conference"), ("kind", "meeting"), ("status", "CANCELLED,confirmed"),
         ("country", "mk,AL"), ("country", " mk "), ("tag", " Migration ,border,migration"), ("tz", "Asia/Tokyo")]
    )  # fmt: skip
    event_filter = parse_filter(args, NO_DB)
    assert event_filter.kinds == ("conference", "meeting")
    assert event_filter.statuses == ("cancelled", "confirmed")
    assert event_filter.countries == ("AL", "MK")
    assert event_filter.tags == ("border", "migration")
    assert event_filter.tz == "Asia/Tokyo" and not event_filter.is_empty
    assert event_filter.to_params() == [
        ("kind", "conference"), ("kind", "meeting"), ("status", "cancelled"), ("status", "confirmed"),
        ("country", "AL"), ("country", "MK"), ("tag", "border"), ("tag", "migration"), ("tz", "Asia/Tokyo"),
    ]  # fmt: skip
    assert event_filter.query_string(include_tz=False) == (
        "kind=conference&kind=meeting&status=cancelled&status=confirmed&country=AL&country=MK&tag=border&tag=migration"
    )
    assert event_filter.query_string().endswith("&tag=migration&tz=Asia%2FTokyo")
    # The same filter from a stored dict (subscriptions) and from its own to_dict.
    stored = {"kind": ["meeting", "conference"], "status": "confirmed,cancelled", "country": ["MK", "al"]}
    assert parse_filter(stored, NO_DB).to_params() == event_filter.to_params()[:6]
    assert parse_filter(event_filter.to_dict(), NO_DB) == EventFilter(**{**vars(event_filter), "tz": ""})


def test_to_dict_holds_every_parameter_but_the_zone() -> None:
    event_filter = EventFilter(
        kinds=("meeting",),
        statuses=("confirmed",),
        countries=("MK",),
        orgs=(3, 5),
        tags=("migration",),
        q="zebra",
        tz="Asia/Tokyo",
    )
    assert event_filter.to_dict() == {
        "kind": ["meeting"], "status": ["confirmed"], "country": ["MK"], "org": [3, 5], "tag": ["migration"],
        "q": "zebra",
    }  # fmt: skip
    assert EventFilter(tz="UTC").is_empty and EventFilter(tz="UTC").to_params(include_tz=False) == []
    for narrowed in (
        EventFilter(kinds=("meeting",)),
        EventFilter(statuses=("confirmed",)),
        EventFilter(countries=("MK",)),
        EventFilter(orgs=(1,)),
        EventFilter(tags=("x",)),
        EventFilter(q="x"),
    ):
        assert not narrowed.is_empty


def test_without_drops_one_value_or_a_whole_parameter() -> None:
    event_filter = EventFilter(
        kinds=("conference", "meeting"),
        statuses=("confirmed",),
        countries=("AL", "MK"),
        orgs=(3, 5),
        tags=("a", "b"),
        q="zebra",
        tz="UTC",
    )
    assert event_filter.without("kind", "meeting").kinds == ("conference",)
    assert event_filter.without("status", "confirmed").statuses == ()
    assert event_filter.without("country", "AL").countries == ("MK",)
    assert event_filter.without("org", 5).orgs == (3,) and event_filter.without("org", "3").orgs == (5,)
    assert event_filter.without("tag", "b").tags == ("a",)
    assert event_filter.without("tag").tags == () and event_filter.without("kind").kinds == ()
    assert event_filter.without("q").q == "" and event_filter.without("tz").tz == ""
    assert event_filter.without("kind", "meeting").tags == ("a", "b")  # nothing else changes
    assert event_filter.without("tag", "zzz") == event_filter


def test_describe_names_what_the_filter_selects() -> None:
    event_filter = EventFilter(
        kinds=("conference", "official_visit"),
        statuses=("cancelled",),
        countries=("MK", "AL"),
        org_labels=("IOM", "RCC"),
        tags=("migration",),
        q="zebra",
    )
    assert event_filter.describe() == (
        "Conferences, Official visits · Cancelled · North Macedonia, Albania · IOM, RCC · #migration · “zebra”"
    )
    assert EventFilter(orgs=(1,), org_labels=()).describe() == "All events"
    several = EventFilter(statuses=("cancelled", "confirmed"), tags=("a", "b"))
    assert several.describe() == "Cancelled, Confirmed · #a, #b"
    assert EventFilter(orgs=(1,), org_labels=("X",)) == EventFilter(orgs=(1,), org_labels=("Y",))


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ({"kind": "party"}, "kind", "unknown value 'party'; use one of conference, official_visit, meeting, other"),
        ({"status": "maybe"}, "status", "unknown value 'maybe'; use one of tentative, confirmed, postponed, cancelled"),
        ({"country": "XX"}, "country", "unknown country 'XX'; use an ISO 3166-1 code such as MK"),
        ({"country": "MKD"}, "country", "unknown country 'MKD'; use an ISO 3166-1 code such as MK"),
        ({"country": "1A"}, "country", "unknown country '1A'; use an ISO 3166-1 code such as MK"),
        ({"tag": "t" * (MAX_TAG_LENGTH + 1)}, "tag", "a tag has at most 60 characters"),
        ({"tag": "t" * (MAX_QUERY_LENGTH + 1)}, "tag", "a value has at most 200 characters"),
        ({"kind": ",".join(f"k{n}" for n in range(21))}, "kind", "at most 20 values are allowed"),
        ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "q", "a search has at most 200 characters"),
        ({"q": "a\x00b"}, "q", "a search may not contain control characters"),
        ({"q": "a\x7fb"}, "q", "a search may not contain control characters"),
        ({"tag": "a\x7fb"}, "tag", "control characters are not allowed"),
        ({"country": "M\u2028K"}, "country", "control characters are not allowed"),
        ({"tz": "Mars/Olympus"}, "tz", None),
        ({"tz": "UTC,Asia/Tokyo"}, "tz", "give one time zone"),
    ],
)
def test_bad_values_name_their_parameter(args: dict[str, str], parameter: str, message: str | None) -> None:
    error = refused(args, parameter, message)
    if parameter == "tz" and message is None:
        assert "Mars/Olympus" in error.message


def test_limits_are_inclusive() -> None:
    tags = [f"t{n}" for n in range(MAX_VALUES_PER_PARAMETER)]
    assert len(parse_filter({"tag": ",".join(tags)}, NO_DB).tags) == MAX_VALUES_PER_PARAMETER
    assert parse_filter({"tag": "t" * MAX_TAG_LENGTH}, NO_DB).tags == ("t" * MAX_TAG_LENGTH,)
    assert parse_filter({"q": "x" * MAX_QUERY_LENGTH}, NO_DB).q == "x" * MAX_QUERY_LENGTH
    # Twenty distinct values after duplicates are dropped.
    assert len(parse_filter({"tag": ",".join(tags + tags)}, NO_DB).tags) == MAX_VALUES_PER_PARAMETER
    refused({"tag": ",".join([*tags, "extra"])}, "tag", "at most 20 values are allowed")
    # A value of exactly MAX_QUERY_LENGTH characters passes the length check (and fails as an unknown kind).
    assert refused({"kind": "k" * MAX_QUERY_LENGTH}, "kind").message.startswith("unknown value 'kkk")


def test_search_text_is_collapsed_and_joined() -> None:
    assert parse_filter(MultiDict([("q", "  two \t words "), ("q", ""), ("q", "more")]), NO_DB).q == "two words more"
    assert parse_filter({"q": "  spaced   out "}, NO_DB).q == "spaced out"
    assert parse_filter({"tz": " UTC "}, NO_DB).tz == "UTC"
    assert FILTER_PARAMETERS == ("kind", "status", "country", "org", "tag", "q", "tz")


# ------------------------------------------------------------------------------- the SQL, from the data


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    status: str
    country: str
    orgs: tuple[str, ...] = ()  # names as typed into the editor (an acronym finds the organisation)
    tags: tuple[str, ...] = ()
    visibility: str = "public"
    deleted: bool = False


ORGANISATIONS = {  # name: acronym
    "International Organization for Migration": "IOM",
    "Regional Cooperation Council": "RCC",
    "Council without acronym": None,
    "Secret Service Unit": "SSU",
}
SPECS = [
    Spec("Alpha conference", "conference", "confirmed", "MK", ("IOM",), ("migration",)),
    Spec("Bravo meeting", "meeting", "tentative", "AL", ("RCC",), ("border",)),
    Spec("Charlie meeting", "meeting", "cancelled", "MK", ("IOM", "RCC"), ("migration", "border")),
    Spec("Delta visit", "official_visit", "postponed", "RS"),
    Spec("Echo internal", "conference", "confirmed", "AL", ("SSU",), ("secret",), visibility="internal"),
    Spec("Foxtrot deleted", "meeting", "confirmed", "MK", ("IOM",), ("migration",), deleted=True),
    Spec("Golf other", "other", "tentative", "", ("Council without acronym",)),
    Spec("Hotel zebra", "meeting", "confirmed", "RS", (), ("migration",)),
]


def names_of(spec: Spec) -> set[str]:
    """Every spelling (lower case) by which an organisation of the event may be named: name and acronym."""
    spellings: set[str] = set()
    for typed in spec.orgs:
        name = next((name for name, acronym in ORGANISATIONS.items() if typed in (name, acronym)), typed)
        spellings |= {name.lower(), (ORGANISATIONS.get(name) or name).lower()}
    return spellings


def oracle(args: dict[str, str], *, include_internal: bool) -> set[str]:
    """The titles a filter must select, worked out from ``SPECS`` alone."""

    def wanted(name: str) -> set[str]:
        return {value.strip().lower() for value in args.get(name, "").split(",") if value.strip()}

    titles = set()
    for spec in SPECS:
        if spec.deleted or (spec.visibility == "internal" and not include_internal):
            continue
        if wanted("kind") and spec.kind not in wanted("kind"):
            continue
        if wanted("status") and spec.status not in wanted("status"):
            continue
        if wanted("country") and spec.country.lower() not in wanted("country"):
            continue
        if wanted("org") and not wanted("org") & names_of(spec):
            continue
        if wanted("tag") and not wanted("tag") & set(spec.tags):
            continue
        if args.get("q") and not any(word.startswith(args["q"].lower()) for word in spec.title.lower().split()):
            continue
        titles.add(spec.title)
    return titles


@pytest.fixture
def listed(db_session: Session) -> Session:
    for name, acronym in ORGANISATIONS.items():
        db_session.add(Organisation(name=name, acronym=acronym))
    db_session.commit()
    for number, spec in enumerate(SPECS):
        event = make_event(
            db_session, title=spec.title, kind=spec.kind, status=spec.status, country=spec.country,
            visibility=spec.visibility, tags=",".join(spec.tags), organisations=[(org, "host") for org in spec.orgs],
            start_date=f"2026-12-{number + 1:02}",
        )  # fmt: skip
        if spec.deleted:
            event_service.delete_event(db_session, event.id, event.revision, None, utcnow())
            db_session.commit()
    return db_session


FILTERS = [
    {}, {"status": "confirmed"}, {"status": "cancelled"}, {"status": "tentative,postponed"}, {"kind": "meeting"},
    {"kind": "conference,other"}, {"country": "MK"}, {"country": "al,rs"}, {"org": "IOM"}, {"org": "rcc"},
    {"org": "Council without acronym"}, {"org": "IOM,RCC"}, {"tag": "migration"}, {"tag": "border,secret"},
    {"q": "zebra"}, {"q": "alp"}, {"kind": "meeting", "status": "confirmed"}, {"kind": "meeting", "org": "IOM"},
    {"country": "MK", "tag": "border"}, {"status": "confirmed", "country": "AL"}, {"tag": "secret"},
    {"org": "IOM", "status": "cancelled", "tag": "migration", "kind": "meeting", "country": "MK"},
]  # fmt: skip


@pytest.mark.parametrize("include_internal", [False, True])
def test_each_filter_selects_exactly_the_events_the_data_says(listed: Session, include_internal: bool) -> None:
    for args in FILTERS:
        if not include_internal and args.get("org") == "SSU":
            continue
        event_filter = parse_filter(args, listed, include_internal=include_internal)
        found = set(listed.exec(event_filter.apply(select(Event.title), include_internal=include_internal)).scalars())
        assert found == oracle(args, include_internal=include_internal), args
    # The oracle is not vacuous: every filter but the empty one narrows, and statuses split the events.
    assert len(oracle({}, include_internal=False)) == 6
    assert oracle({"status": "cancelled"}, include_internal=False) == {"Charlie meeting"}


def test_conditions_leave_out_visibility_and_time(listed: Session) -> None:
    conditions = parse_filter({"status": "confirmed"}, listed).conditions()
    found = set(listed.exec(select(Event.title).where(*conditions)).scalars())
    assert found == {"Alpha conference", "Echo internal", "Foxtrot deleted", "Hotel zebra"}
    assert parse_filter({}, listed).conditions() == []
    public = set(listed.exec(parse_filter({"status": "confirmed"}, listed).apply(select(Event.title))).scalars())
    assert public == {"Alpha conference", "Hotel zebra"}  # the default audience is the public


def test_a_search_without_words_selects_nothing(listed: Session) -> None:
    event_filter = parse_filter({"q": "!!!"}, listed)
    assert event_filter.q == "!!!" and list(listed.exec(event_filter.apply(select(Event.id))).scalars()) == []


# ---------------------------------------------------------------------------------------- organisations


def org_id(session: Session, name: str) -> int:
    return session.exec(select(Organisation.id).where(Organisation.name == name)).scalar_one()


def iom_and_rcc(session: Session) -> tuple[int, int]:
    return org_id(session, "International Organization for Migration"), org_id(session, "Regional Cooperation Council")


def test_org_takes_an_acronym_a_name_a_label_or_an_id(listed: Session) -> None:
    iom, rcc = (
        org_id(listed, "International Organization for Migration"),
        org_id(listed, "Regional Cooperation Council"),
    )
    for value in [
        "IOM",
        "iom",
        "International Organization for Migration",
        "INTERNATIONAL organization for migration",
        str(iom),
        f"{iom:05}",
        "International Organization for Migration (IOM)",
    ]:
        event_filter = parse_filter({"org": value}, listed)
        assert (event_filter.orgs, event_filter.org_labels) == ((iom,), ("IOM",)), value
    both = parse_filter(
        MultiDict([("org", "RCC"), ("org", f"iom,{iom}"), ("org", "Regional Cooperation Council")]), listed
    )
    assert both.orgs == tuple(sorted((iom, rcc)))
    assert both.org_labels == tuple(label for _, label in sorted([(iom, "IOM"), (rcc, "RCC")]))
    assert both.to_params() == [("org", str(value)) for value in sorted((iom, rcc))]
    council = parse_filter({"org": "council without acronym"}, listed)
    assert council.org_labels == ("Council without acronym",)


@pytest.mark.parametrize(
    "value",
    ["Nobody", "999999", "0", "SSU", "Secret Service Unit", "ssu", "Secret Service Unit (SSU)", "IOM (X", "(IOM)"],
)
def test_an_unknown_organisation_is_a_400_naming_org(listed: Session, value: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter({"org": value}, listed)
    assert caught.value.parameter == "org"
    assert caught.value.message == f"no organisation with acronym, name or id {value!r}"


def test_editors_may_name_an_organisation_only_internal_events_use(listed: Session) -> None:
    ssu = org_id(listed, "Secret Service Unit")
    assert parse_filter({"org": "SSU"}, listed, include_internal=True).orgs == (ssu,)
    assert parse_filter({"org": str(ssu)}, listed, include_internal=True).orgs == (ssu,)
    with pytest.raises(FilterError):
        parse_filter({"org": str(ssu)}, listed)


def test_two_organisations_sharing_an_acronym_resolve_to_the_oldest(db_session: Session) -> None:
    """The directory refuses a taken acronym, but older rows may share one: the lowest id wins, never row order."""
    newer, older = 1_000_000_050, 1_000_000_007
    db_session.add(Organisation(id=newer, name="Fine Arts Society", acronym="FA"))  # stored first
    db_session.commit()
    db_session.add(Organisation(id=older, name="Forest Agency", acronym="fa"))
    db_session.commit()

    def orgs(value: str) -> EventFilter:  # editors' audience: organisations no event uses yet count too
        return parse_filter({"org": value}, db_session, include_internal=True)

    assert orgs("FA").orgs == (older,) and orgs("fa").org_labels == ("fa",)
    assert orgs("Fine Arts Society").orgs == (newer,) and orgs(str(newer)).orgs == (newer,)
    with pytest.raises(FilterError):
        parse_filter({"org": "FA"}, db_session)  # the public knows only organisations of listed events
    assert find_organisation(db_session, " FA ").id == older  # the editor's rule is the same
    assert find_organisation(db_session, "Fine Arts Society (FA)").id == newer
    # A name that is another organisation's acronym: the acronym wins, as in the filter form's links.
    db_session.add(Organisation(name="fa society"))
    db_session.add(Organisation(name="FAS", acronym="XY"))
    db_session.add(Organisation(name="Other", acronym="FAS"))
    db_session.commit()
    assert find_organisation(db_session, "fas").name == "Other"
    db_session.add(Organisation(name="Council (old)", acronym="CO"))
    db_session.commit()
    assert find_organisation(db_session, "Council (old) (CO)").name == "Council (old)"  # the last parenthesis
    assert find_organisation(db_session, "council (old)").name == "Council (old)"
    assert find_organisation(db_session, "2024") is None and find_organisation(db_session, str(older)) is None
    assert find_organisation(db_session, str(older), by_id=True).id == older


# --------------------------------------------------------------------------------------- over HTTP


def body_text(response: Any) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


@pytest.mark.parametrize("path", ["/", "/past", "/calendar/2026/12", "/calendar/2026/week/50", "/calendar.ics"])
def test_a_bad_org_answers_400_naming_the_parameter(client: FlaskClient, listed: Session, path: str) -> None:
    response = client.get(path, query_string={"org": "NOPE"})
    assert response.status_code == 400
    if path != "/calendar.ics":
        expected = "The filter “org” is not valid: no organisation with acronym, name or id 'NOPE'."
        assert expected in body_text(response)


def chip_links(html: str) -> list[str]:
    chips = re.search(r'<ul class="active-filters"[^>]*>(.*?)</ul>', html, re.S)
    assert chips is not None, "no filter chips on the page"
    return [unescape(href) for href in re.findall(r'<a href="([^"]+)"', chips.group(1))]


@pytest.mark.parametrize("path", ["/", "/calendar/2026/12", "/past"])
def test_each_chip_removes_exactly_its_own_value(client: FlaskClient, listed: Session, path: str) -> None:
    iom, rcc = (
        org_id(listed, "International Organization for Migration"),
        org_id(listed, "Regional Cooperation Council"),
    )
    chosen = [
        ("kind", "conference"),
        ("kind", "meeting"),
        ("status", "confirmed"),
        ("country", "MK"),
        ("org", str(iom)),
        ("org", str(rcc)),
        ("tag", "migration"),
        ("tag", "border"),
        ("tz", "Asia/Tokyo"),
    ]
    if path == "/":
        chosen.insert(-1, ("q", "alpha"))
    query = [(name, "IOM" if value == str(iom) else value) for name, value in chosen]  # an acronym, resolved
    response = client.get(path, query_string=query)
    assert response.status_code == 200
    links = chip_links(response.get_data(as_text=True))
    removable = [item for item in chosen if item[0] != "tz"]  # the zone is no filter: it has no chip
    assert len(links) == len(removable)
    removed = []
    for link in links:
        parts = urlsplit(link)
        assert parts.path == path
        kept = Counter(parse_qsl(parts.query))
        gone = Counter(chosen) - kept
        assert sum(gone.values()) == 1 and not kept - Counter(chosen), link  # one value less, nothing new
        removed += list(gone)
        follow = client.get(link)
        assert follow.status_code == 200
        assert len(chip_links(follow.get_data(as_text=True))) == len(removable) - 1
    assert sorted(removed) == sorted(removable)
