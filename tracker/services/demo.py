"""A realistic demo data set: the two events of the MIA press release of 10 November 2022 and a calendar of
ministerial conferences, official visits and meetings around them, past and upcoming.

Every demo event has a fixed UID, so loading twice adds nothing. Upcoming items are placed relative to the
day of loading (the Monday of that week), so the calendar always looks lived-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Event, Organisation, Person
from tracker.organisation_names import encode_names
from tracker.services.demo_texts import ORGANISATION_NAMES, PRESS_RELEASE, TRANSLATIONS
from tracker.services.events import create_event, find_organisation
from tracker.validation import EventInput

ORGANISATIONS = [
    # name, acronym, kind, country
    ("Ministry of Interior of the Republic of North Macedonia", "MoI MK", "ministry", "MK"),
    ("Ministry of the Interior of the Czech Republic", "MoI CZ", "ministry", "CZ"),
    ("International Organization for Migration", "IOM", "international_organisation", "CH"),
    ("Office of the United Nations High Commissioner for Refugees", "UNHCR", "international_organisation", "CH"),
    ("European Border and Coast Guard Agency", "Frontex", "eu_agency", "PL"),
    ("European Union Agency for Law Enforcement Cooperation", "Europol", "eu_agency", "NL"),
    ("European Union Agency for Asylum", "EUAA", "eu_agency", "MT"),
    ("Organization for Security and Co-operation in Europe", "OSCE", "international_organisation", "AT"),
    ("International Centre for Migration Policy Development", "ICMPD", "international_organisation", "AT"),
    ("Geneva Centre for Security Sector Governance", "DCAF", "international_organisation", "CH"),
    ("European Commission", "EC", "eu_institution", "BE"),
    ("Ministry of Foreign Affairs of the Republic of North Macedonia", "MFA MK", "ministry", "MK"),
    ("Ministry of Interior of the Republic of Serbia", "MoI RS", "ministry", "RS"),
    ("Ministry of Interior of Montenegro", "MoI ME", "ministry", "ME"),
    ("Ministry of Security of Bosnia and Herzegovina", "MoS BA", "ministry", "BA"),
    ("Ministry of Interior of Albania", "MoI AL", "ministry", "AL"),
    ("Federal Ministry of the Interior of Austria", "BMI", "ministry", "AT"),
    ("Regional Cooperation Council", "RCC", "international_organisation", "BA"),
    ("Council of Europe", "CoE", "international_organisation", "FR"),
]

PEOPLE = [
    # name, position, organisation acronym
    ("Oliver Spasovski", "Minister of Interior", "MoI MK"),
    ("António Vitorino", "Director General", "IOM"),
    ("Vít Rakušan", "Minister of the Interior", "MoI CZ"),
    ("Bujar Osmani", "Minister of Foreign Affairs", "MFA MK"),
    ("Ylva Johansson", "Commissioner for Home Affairs", "EC"),
    ("Gerhard Karner", "Federal Minister of the Interior", "BMI"),
    ("Majlinda Bregu", "Secretary General", "RCC"),
]


@dataclass(frozen=True)
class DemoEvent:
    key: str
    title: str
    kind: str
    first: date
    last: date | None = None  # inclusive; None: same day
    times: tuple[str, str] | None = None  # local start/end; None: all-day
    timezone: str = "Europe/Skopje"
    venue: str = ""
    city: str = ""
    country: str = ""
    status: str = "confirmed"
    visibility: str = "public"
    description: str = ""
    source_url: str = ""
    tags: tuple[str, ...] = ()
    organisations: tuple[tuple[str, str], ...] = ()
    people: tuple[str, ...] = ()


def _press_release_events() -> list[DemoEvent]:
    return [
        DemoEvent(
            key="mia-2022-geneva-visit",
            title="Interior Minister Spasovski meets IOM Director General Vitorino (working visit to Geneva)",
            kind="official_visit",
            first=date(2022, 11, 7),  # "Monday's meeting", in a release dated Thursday 10 November 2022
            timezone="Europe/Zurich",
            venue="IOM Headquarters, 17 route des Morillons",
            city="Geneva",
            country="CH",
            description=(
                "A high delegation led by Interior Minister Oliver Spasovski met the Director General of the "
                "International Organization for Migration, António Vitorino, during a working visit to Geneva.\n\n"
                "Topics: the security situation at the state borders, prevention of migrant smuggling and "
                "trafficking in human beings, IOM's support at the Temporary Center for Migrants on the "
                "Macedonian-Greek border, and joint projects for national capacities.\n\n" + PRESS_RELEASE
            ),
            tags=("migration", "border security"),
            organisations=(("MoI MK", "host"), ("IOM", "participant")),
            people=("Oliver Spasovski", "António Vitorino"),
        ),
        DemoEvent(
            key="mia-2022-skopje-ministerial",
            title="Ministerial Conference on Sustainable Migration Management in the Western Balkans",
            kind="conference",
            first=date(2022, 11, 15),
            last=date(2022, 11, 16),
            timezone="Europe/Skopje",
            city="Skopje",
            country="MK",
            description=(
                "Organised by the Ministry of Interior of the Republic of North Macedonia and the Ministry of "
                "Interior of the Czech Republic with the support of IOM. The conference covers all topics that "
                "affect Western Balkan countries and the international organisations taking part, to create a "
                "better synergy between the countries in dealing with migration.\n\n" + PRESS_RELEASE
            ),
            tags=("migration", "western balkans"),
            organisations=(("MoI MK", "host"), ("MoI CZ", "co_organiser"), ("IOM", "supporter")),
            people=("Oliver Spasovski", "Vít Rakušan"),
        ),
    ]


def _calendar_events(monday: date) -> list[DemoEvent]:
    """Items around the day of loading, weeks back and months ahead. Long because it is data: one literal each."""

    def week(offset: int, weekday: int = 0) -> date:
        return monday + timedelta(weeks=offset, days=weekday)

    return [
        DemoEvent(
            "salzburg-forum-past",
            "Salzburg Forum Ministerial Conference",
            "conference",
            week(-3, 2),
            week(-3, 3),
            timezone="Europe/Vienna",
            venue="Hofburg",
            city="Vienna",
            country="AT",
            tags=("internal security",),
            organisations=(("BMI", "host"), ("MoI CZ", "participant"), ("MoI MK", "participant")),
            people=("Gerhard Karner",),
            description="Interior ministers of Central Europe and the Western Balkans on border management.",
        ),
        DemoEvent(
            "frontex-briefing-past",
            "Frontex briefing on the Western Balkans route",
            "meeting",
            week(-1, 1),
            times=("10:00", "12:30"),
            timezone="Europe/Warsaw",
            venue="Frontex Headquarters",
            city="Warsaw",
            country="PL",
            tags=("migration", "western balkans"),
            organisations=(("Frontex", "host"), ("MoI MK", "participant"), ("MoI RS", "participant")),
        ),
        DemoEvent(
            "berlin-process-interior",
            "Berlin Process: Interior Ministers' Meeting",
            "conference",
            week(0, 3),
            times=("09:30", "17:00"),
            timezone="Europe/Tirane",
            venue="Palace of Congresses",
            city="Tirana",
            country="AL",
            tags=("western balkans", "berlin process"),
            organisations=(
                ("MoI AL", "host"),
                ("EC", "supporter"),
                ("MoI MK", "participant"),
                ("MoI RS", "participant"),
                ("MoI ME", "participant"),
                ("MoS BA", "participant"),
            ),
            people=("Ylva Johansson",),
            description="Annual meeting of interior ministers of the Berlin Process on migration and security.",
        ),
        DemoEvent(
            "unhcr-geneva-consultations",
            "UNHCR consultations on asylum capacities",
            "meeting",
            week(1, 1),
            times=("14:00", "16:00"),
            timezone="Europe/Zurich",
            venue="Palais des Nations",
            city="Geneva",
            country="CH",
            tags=("asylum",),
            organisations=(("UNHCR", "host"), ("MoI MK", "participant")),
        ),
        DemoEvent(
            "europol-operational-meeting",
            "Europol operational meeting on migrant smuggling",
            "meeting",
            week(1, 3),
            times=("10:00", "13:00"),
            timezone="Europe/Amsterdam",
            venue="Europol Headquarters",
            city="The Hague",
            country="NL",
            visibility="internal",
            tags=("migrant smuggling",),
            organisations=(("Europol", "host"), ("MoI MK", "participant"), ("MoI CZ", "participant")),
        ),
        DemoEvent(
            "osce-ohrid-seminar",
            "OSCE regional seminar on trafficking in human beings",
            "conference",
            week(2, 1),
            week(2, 2),
            timezone="Europe/Skopje",
            venue="Hotel Metropol",
            city="Ohrid",
            country="MK",
            status="tentative",
            tags=("trafficking", "western balkans"),
            organisations=(("OSCE", "host"), ("MoI MK", "co_organiser"), ("ICMPD", "supporter")),
        ),
        DemoEvent(
            "prague-bilateral",
            "Official visit of the Czech Interior Minister to Skopje",
            "official_visit",
            week(3, 0),
            times=("11:00", "15:00"),
            timezone="Europe/Skopje",
            venue="Government building",
            city="Skopje",
            country="MK",
            tags=("bilateral",),
            organisations=(("MoI MK", "host"), ("MoI CZ", "participant")),
            people=("Vít Rakušan", "Oliver Spasovski"),
        ),
        DemoEvent(
            "eu-wb-jha-forum",
            "EU–Western Balkans Ministerial Forum on Justice and Home Affairs",
            "conference",
            week(4, 3),
            week(4, 4),
            timezone="Europe/Podgorica",
            venue="Hotel Hilton",
            city="Podgorica",
            country="ME",
            tags=("western balkans", "eu accession"),
            organisations=(("EC", "co_organiser"), ("MoI ME", "host"), ("RCC", "supporter")),
        ),
        DemoEvent(
            "belgrade-border-talks",
            "Border management talks Skopje–Belgrade",
            "meeting",
            week(5, 1),
            times=("09:00", "11:00"),
            timezone="Europe/Belgrade",
            city="Belgrade",
            country="RS",
            status="postponed",
            tags=("border security", "bilateral"),
            organisations=(("MoI RS", "host"), ("MoI MK", "participant")),
            description="Postponed at the request of the host; a new date will be announced.",
        ),
        DemoEvent(
            "euaa-valletta-workshop",
            "EUAA workshop on reception standards",
            "meeting",
            week(6, 2),
            times=("09:00", "17:30"),
            timezone="Europe/Malta",
            city="Valletta",
            country="MT",
            status="cancelled",
            tags=("asylum",),
            organisations=(("EUAA", "host"), ("MoI MK", "participant")),
        ),
        DemoEvent(
            "dcaf-geneva-roundtable",
            "DCAF round table on security sector governance",
            "meeting",
            week(7, 3),
            times=("15:00", "18:00"),
            timezone="Europe/Zurich",
            venue="Maison de la Paix",
            city="Geneva",
            country="CH",
            tags=("security sector",),
            organisations=(("DCAF", "host"),),
        ),
        DemoEvent(
            "coe-strasbourg-committee",
            "Council of Europe committee on migration: hearing",
            "meeting",
            week(9, 1),
            times=("14:30", "16:30"),
            timezone="Europe/Paris",
            venue="Palais de l'Europe",
            city="Strasbourg",
            country="FR",
            tags=("migration",),
            organisations=(("CoE", "host"), ("MFA MK", "participant")),
            people=("Bujar Osmani",),
        ),
        DemoEvent(
            "iom-dg-visit-skopje",
            "Visit of the IOM Director General to North Macedonia",
            "official_visit",
            week(11, 1),
            week(11, 2),
            timezone="Europe/Skopje",
            city="Skopje",
            country="MK",
            status="tentative",
            tags=("migration",),
            organisations=(("MoI MK", "host"), ("IOM", "participant")),
        ),
        DemoEvent(
            "rcc-sarajevo-summit",
            "Regional Cooperation Council annual meeting",
            "conference",
            week(14, 2),
            week(14, 3),
            timezone="Europe/Sarajevo",
            city="Sarajevo",
            country="BA",
            tags=("western balkans",),
            organisations=(("RCC", "host"), ("MoS BA", "co_organiser")),
            people=("Majlinda Bregu",),
        ),
        DemoEvent(
            "new-york-side-event",
            "Side event: Western Balkans migration partnerships (UN HQ)",
            "meeting",
            week(16, 1),
            times=("13:15", "14:30"),
            timezone="America/New_York",
            venue="UN Headquarters",
            city="New York",
            country="US",
            tags=("migration",),
            organisations=(("IOM", "co_organiser"), ("MFA MK", "host")),
        ),
    ]


def _ensure_directory(session: Session, now: datetime) -> None:
    for name, acronym, kind, country in ORGANISATIONS:
        if find_organisation(session, acronym) is None and find_organisation(session, name) is None:
            names = encode_names(ORGANISATION_NAMES.get(acronym))  # its own names in mk and sq
            organisation = Organisation(name=name, acronym=acronym, kind=kind, country=country, translations=names)
            session.add(organisation)
            organisation.created_dt = organisation.updated_dt = now
    session.flush()
    for name, position, acronym in PEOPLE:
        exists = session.exec(select(Person.id).where(Person.name == name)).first()
        if exists is None:
            organisation = find_organisation(session, acronym)
            session.add(
                Person(
                    name=name,
                    position=position,
                    organisation_id=organisation.id if organisation else None,
                    created_dt=now,
                    updated_dt=now,
                )
            )
    session.flush()


def _input(item: DemoEvent, session: Session) -> EventInput:
    def name_of(acronym: str) -> str:
        organisation = find_organisation(session, acronym)
        return organisation.name if organisation else acronym

    return EventInput.from_form({
        "title": item.title, "kind": item.kind, "status": item.status, "visibility": item.visibility,
        "all_day": "on" if item.times is None else "", "timezone": item.timezone,
        "start_date": item.first.isoformat(), "end_date": (item.last or item.first).isoformat(),
        "start_time": item.times[0] if item.times else "", "end_time": item.times[1] if item.times else "",
        "venue": item.venue, "city": item.city, "country": item.country, "description": item.description,
        "source_url": item.source_url, "tags": list(item.tags),
        "organisations": [(name_of(acronym), role) for acronym, role in item.organisations],
        "people": list(item.people), "language": "en", "translations": TRANSLATIONS.get(item.key, {}),
    })  # fmt: skip


def demo_events(today: date) -> list[DemoEvent]:
    monday = today - timedelta(days=today.weekday())
    return _press_release_events() + _calendar_events(monday)


def load_demo(session: Session, now: datetime) -> int:
    """Add the demo organisations, people and events that are not there yet; returns how many events."""
    _ensure_directory(session, now)
    added = 0
    for item in demo_events(now.date()):
        uid = f"demo-{item.key}@conference-tracker"
        if session.exec(select(Event.id).where(Event.uid == uid)).first() is not None:
            continue
        create_event(session, _input(item, session), None, now, uid=uid)
        added += 1
    return added
