"""Dates, times, labels and country names in each interface language, against CLDR as Babel writes it.

The oracle is Babel itself, called here with the CLDR locale named literally ("en_GB", "mk", "sq_MK"), plus a
few literal expectations from issue 13 ("вторник, 15 ноември 2022 г.", "e martë, 15 nëntor 2022"). CLDR puts
a narrow no-break space before "г." and thin spaces around a range's dash; the literal checks read those as
plain spaces (``plain``).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_interval, format_skeleton
from babel.dates import format_time as babel_time
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask.testing import FlaskClient

from tracker import formatting, i18n
from tracker.countries import country_choices, country_code, country_name
from tracker.i18n import use_language
from tracker.models import Event, EventKind
from tracker.services.reminders.leads import LEAD_CHOICES, lead_label

LOCALES = [("en", "en_GB"), ("mk", "mk"), ("sq", "sq_MK")]
DAY = date(2022, 11, 15)
MK_PO = Path(i18n.__file__).resolve().parent / "translations" / "mk" / "LC_MESSAGES" / "messages.po"


def plain(text: str) -> str:
    """CLDR's narrow no-break space as a space, and a range's thin spaces dropped ("15–16 ное. 2022 г.")."""
    return text.replace("\u2009", "").replace("\u202f", " ")


def timed_event(hour_utc: int, hours: int) -> Event:
    start = datetime(2022, 11, 15, hour_utc, tzinfo=UTC)
    return Event(title="x", timezone="Europe/Skopje", start_dt=start, end_dt=start + timedelta(hours=hours))


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_dates_are_cldr_full_and_long_formats(language: str, locale: str) -> None:
    with use_language(language):
        assert formatting.format_date(DAY) == babel_date(DAY, "long", locale=locale)
        assert formatting.format_date(DAY, weekday=True) == babel_date(DAY, "full", locale=locale)
        assert formatting.format_weekday(DAY) == babel_date(DAY, "EEEE", locale=locale)
        assert formatting.format_day_month(DAY) == format_skeleton("MMMMd", DAY, locale=locale)
        assert formatting.format_short_date(DAY) == format_skeleton("yMMMEd", DAY, locale=locale)
        assert formatting.format_month(DAY) == format_skeleton("yMMMM", DAY, locale=locale)


@pytest.mark.parametrize(
    ("language", "weekday", "month"),
    [
        ("en", "Tuesday, 15 November 2022", "November 2022"),
        ("mk", "вторник, 15 ноември 2022 г.", "ноември 2022 г."),
        ("sq", "e martë, 15 nëntor 2022", "nëntor 2022"),
    ],
)
def test_the_issues_own_examples(language: str, weekday: str, month: str) -> None:
    with use_language(language):
        assert plain(formatting.format_date(DAY, weekday=True)) == weekday
        assert plain(formatting.format_month(DAY)) == month
    assert month.startswith(("November 2022", "ноември 2022", "nëntor 2022"))  # CLDR's mk heading adds "г."


@pytest.mark.parametrize(("language", "locale"), LOCALES)
@pytest.mark.parametrize(
    ("first", "last"),
    [(DAY, date(2022, 11, 16)), (date(2022, 11, 30), date(2022, 12, 2)), (date(2022, 12, 30), date(2023, 1, 2))],
)
def test_ranges_are_cldr_intervals(language: str, locale: str, first: date, last: date) -> None:
    with use_language(language):
        assert formatting.format_date_range(first, last) == format_interval(first, last, "yMMMd", locale=locale)


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_a_one_day_range_is_that_day_with_its_weekday(language: str, locale: str) -> None:
    with use_language(language):
        assert formatting.format_date_range(DAY, DAY) == babel_date(DAY, "full", locale=locale)


def test_the_issues_range_example_in_macedonian() -> None:
    with use_language("mk"):
        assert plain(formatting.format_date_range(DAY, date(2022, 11, 16))) == "15–16 ное. 2022 г."


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_times_are_24_hour_with_the_zone_named(language: str, locale: str) -> None:
    event = timed_event(13, 2)  # 14:00–16:00 in Skopje (CET)
    with use_language(language):
        text = formatting.event_when(event)
    times = format_interval(time(14), time(16), "Hm", locale=locale)
    assert text.startswith(babel_date(DAY, "full", locale=locale))
    assert f"{times} CET (Europe/Skopje)" in text
    assert "14:00" in text and "PM" not in text and "pasdites" not in text


def test_albanian_uses_the_north_macedonian_24_hour_clock_not_plain_sq() -> None:
    assert babel_time(time(14), "short", locale="sq") != "14:00"  # CLDR's plain sq: 2:00 e pasdites
    with use_language("sq"):
        text = formatting.event_when(timed_event(13, 2))
        assert formatting.short_time(time(14)) == "14:00"
    assert "14:00" in text and "2:00" not in text


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_an_event_over_midnight_names_both_days_and_times(language: str, locale: str) -> None:
    event = timed_event(21, 3)  # 22:00 on the 15th to 01:00 on the 16th in Skopje
    with use_language(language):
        text = formatting.event_when(event)
    for day, wall in ((DAY, time(22)), (date(2022, 11, 16), time(1))):
        assert babel_date(day, "full", locale=locale) in text
        assert babel_time(wall, "short", locale=locale) in text


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_a_change_instant_reads_in_utc(language: str, locale: str) -> None:
    with use_language(language):
        text = formatting.format_changed(datetime(2022, 11, 15, 14, 5, tzinfo=UTC))
    assert text.startswith(babel_date(DAY, "long", locale=locale)) and text.endswith("14:05 UTC")


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_weeks_start_on_monday_with_cldr_weekday_names(language: str, locale: str) -> None:
    cldr = Locale.parse(locale)
    assert cldr.first_week_day == 0  # CLDR: Monday, so the grids' Monday-first order is each locale's own
    with use_language(language):
        names = formatting.weekday_names()
    assert names[0] == (cldr.days["stand-alone"]["abbreviated"][0], cldr.days["stand-alone"]["wide"][0])
    assert [wide for _, wide in names] == [cldr.days["stand-alone"]["wide"][index] for index in range(7)]


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_the_month_page_speaks_the_language_from_monday(client: FlaskClient, language: str, locale: str) -> None:
    html = client.get(f"/calendar/2022/11?lang={language}").get_data(as_text=True)
    cldr = Locale.parse(locale)
    heads = re.findall(r'<th scope="col"><abbr title="([^"]+)">([^<]+)</abbr></th>', html)
    assert heads[0] == (cldr.days["stand-alone"]["wide"][0], cldr.days["stand-alone"]["abbreviated"][0])
    assert len(heads) == 7
    first_cell = re.search(r"#d(\d{4}-\d\d-\d\d)", html)
    assert first_cell is not None and date.fromisoformat(first_cell[1]).weekday() == 0
    assert format_skeleton("yMMMM", DAY, locale=locale) in html
    assert babel_date(date(2022, 10, 31), "full", locale=locale) in html  # the first cell's long name


def _fake_catalogue(entries: dict[str | tuple[str, str], str | tuple[str, str]]) -> Translations:
    """A Macedonian catalogue holding ``entries`` (its plural formula is Babel's for mk)."""
    catalog = Catalog(locale="mk")
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def use_catalogue(monkeypatch: pytest.MonkeyPatch, entries: dict) -> None:
    """Macedonian reads ``entries`` (the real catalogue is merged later); English stays the identity."""
    fake = _fake_catalogue(entries)
    monkeypatch.setattr(i18n, "translations", lambda language: fake if language == "mk" else NullTranslations())


@pytest.mark.parametrize("count", [1, 2, 5, 11, 21])
def test_lead_labels_take_the_plural_form_cldr_gives_the_number(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    forms = ("%(num)d час", "%(num)d часа")
    use_catalogue(monkeypatch, {("%(num)d hour", "%(num)d hours"): forms})
    category = Locale.parse("mk").plural_form(count)
    with use_language("mk"):
        assert lead_label(count * 60) == forms[0 if category == "one" else 1] % {"num": count}


@pytest.mark.parametrize("count", [1, 2, 5, 11, 21])
def test_the_macedonian_catalogue_counts_lead_times_as_cldr_does(count: int) -> None:
    """The committed catalogue's forms, chosen by CLDR's rule for mk (needs the merged translations)."""
    with MK_PO.open("rb") as handle:
        entry = read_po(handle, locale="mk").get("%(num)d hour")
    assert entry is not None and all(entry.string), "the mk catalogue has no translation of “%(num)d hour” yet"
    category = Locale.parse("mk").plural_form(count)
    with use_language("mk"):
        assert lead_label(count * 60) == entry.string[0 if category == "one" else 1] % {"num": count}


def test_labels_are_translated_where_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    use_catalogue(monkeypatch, {"Conference": "Конференција", "Cancelled": "Откажан", "active": "активна"})
    with use_language("mk"):
        assert formatting.kind_label("conference") == "Конференција"
        assert formatting.status_label("cancelled") == "Откажан"
        assert formatting.subscription_status_label("active") == "активна"
        assert ("conference", "Конференција") in formatting.enum_choices(EventKind)
    assert formatting.kind_label("conference") == "Conference"


@pytest.mark.parametrize(("language", "locale"), [("mk", "mk"), ("sq", "sq_MK")])
def test_country_names_come_from_cldr_and_name_back_to_codes(language: str, locale: str) -> None:
    cldr = Locale.parse(locale).territories
    with use_language(language):
        assert country_name("MK") == cldr["MK"] and country_name("de") == cldr["DE"]
        names = dict(country_choices())
    assert names["XK"] == cldr["XK"]
    assert country_code(cldr["MK"]) == "MK" and country_code(cldr["DE"].upper()) == "DE"
    assert country_code("North Macedonia") == "MK"
    assert country_name("MK") == "North Macedonia"  # English outside the block, as before


def test_literal_country_names() -> None:
    assert country_name("MK", "mk") == "Северна Македонија"
    assert country_name("MK", "sq") == "Maqedonia e Veriut"
    assert country_code("Северна Македонија") == country_code("Maqedonia e Veriut") == "MK"


def test_macedonian_choices_follow_the_macedonian_alphabet() -> None:
    """By code point "Ј" (U+0408) sorts before "А"; in the alphabet it comes after "И" and before "К"."""
    with use_language("mk"):
        names = [name for _, name in country_choices()]
    assert names[0].startswith("А")
    assert names.index("Италија") < names.index("Јапонија") < names.index("Канада")


def test_lead_choices_read_in_the_current_language(monkeypatch: pytest.MonkeyPatch) -> None:
    use_catalogue(monkeypatch, {("%(num)d week", "%(num)d weeks"): ("%(num)d недела", "%(num)d недели")})
    with use_language("mk"):
        assert dict(LEAD_CHOICES.items())[10080] == "1 недела"
    assert next(iter(LEAD_CHOICES.items())) == (10080, "1 week")


# ------------------------------------------------------------------------------------ the smaller rules one by one

ROLE_HEADINGS = {
    "host": ("Host", "Hosts"),
    "co_organiser": ("Co-organiser", "Co-organisers"),
    "supporter": ("Supporter", "Supporters"),
    "participant": ("Participant", "Participants"),
}


@pytest.mark.parametrize("role", sorted(ROLE_HEADINGS))
def test_a_roles_heading_counts_its_organisations(monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    one, other = ROLE_HEADINGS[role]
    assert [formatting.role_heading(role, count) for count in (1, 2)] == [one, other]
    use_catalogue(monkeypatch, {(one, other): (f"{one} (mk)", f"{other} (mk)")})
    with use_language("mk"):  # CLDR's mk: 21 takes the "one" form, 11 the "other"
        assert [formatting.role_heading(role, count) for count in (21, 11)] == [f"{one} (mk)", f"{other} (mk)"]


def test_a_role_not_offered_has_no_heading() -> None:
    with pytest.raises(ValueError):
        formatting.role_heading("sponsor", 1)


def test_an_enum_members_label_and_an_unknown_subscription_status() -> None:
    from tracker.models import EventStatus, OrganisationRole

    assert formatting.label(OrganisationRole.CO_ORGANISER) == "Co-organiser"
    assert formatting.label(EventStatus.CANCELLED) == "Cancelled"
    assert formatting.subscription_status_label("pending") == "waiting for confirmation"
    assert formatting.subscription_status_label("archived") == "archived"


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_a_place_joins_what_is_known_with_the_countrys_cldr_name(language: str, locale: str) -> None:
    country = Locale.parse(locale).territories["MK"]
    with use_language(language):
        assert formatting.event_place(Event(title="x", venue="Hotel Continental", city="Skopje", country="MK")) == (
            f"Hotel Continental, Skopje, {country}"
        )
        assert formatting.event_place(Event(title="x", city="Ohrid")) == "Ohrid"
        assert formatting.event_place(Event(title="x", country="MK")) == country


def test_no_change_instant_reads_as_nothing() -> None:
    assert formatting.format_changed(None) == ""


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_a_timed_event_reads_as_times_even_with_its_days_known_and_adds_the_viewers_zone(
    language: str, locale: str
) -> None:
    event = timed_event(13, 2)  # 14:00–16:00 CET in Skopje, 13:00–15:00 GMT in London
    event.start_date, event.end_date = DAY, DAY
    cldr = Locale.parse(locale)
    day = babel_date(DAY, "full", locale=locale)
    joined = str(cldr.datetime_formats["medium"])
    skopje = joined.format(f"{format_interval(time(14), time(16), 'Hm', locale=locale)} CET", day)
    london = joined.format(f"{format_interval(time(13), time(15), 'Hm', locale=locale)} GMT", day)
    with use_language(language):
        assert formatting.event_when(event) == f"{skopje} (Europe/Skopje)"
        assert formatting.event_when(event, "Europe/Skopje") == f"{skopje} (Europe/Skopje)"
        assert formatting.event_when(event, "Europe/London") == (f"{skopje} (Europe/Skopje); {london} (Europe/London)")


@pytest.mark.parametrize(("language", "locale"), LOCALES)
def test_the_scripts_get_cldrs_names_sunday_first_and_the_messages(language: str, locale: str) -> None:
    sunday = date(2022, 11, 13)
    with use_language(language):
        texts = formatting.script_texts()
    assert texts.pop("days") == [babel_date(sunday + timedelta(days=n), "EEEE", locale=locale) for n in range(7)]
    assert texts.pop("months") == [babel_date(date(2022, month, 1), "MMMM", locale=locale) for month in range(1, 13)]
    if language == "en":
        assert texts == {
            "sameDay": "Same day as the start",
            "proposed": "Proposed from the city and country.",
            "organisation": "Organisation %(number)s",
            "role": "Role of organisation %(number)s",
            "participant": "Participant %(number)s",
            "count": "%(count)s of at most %(limit)s characters.",
            "over": "%(count)s characters: %(over)s more than the %(limit)s allowed.",
            "myZone": "Use my time zone (%(zone)s)",
        }


def test_the_scripts_messages_come_from_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    use_catalogue(monkeypatch, {"Same day as the start": "Истиот ден како почетокот"})
    with use_language("mk"):
        assert formatting.script_texts()["sameDay"] == "Истиот ден како почетокот"
