"""The paste page over HTTP: a release becomes draft cards beside the highlighted text, and nothing is stored
until a card is saved through the event editor's own routes.

The extractor is replaced by hand-written drafts (the real one is tested by the corpus test and the browser test):
a short release written here in the style of the shared MIA example — a working visit to Geneva on Monday
7 November 2022 and the Skopje conference of 15–16 November 2022 with its host, co-organiser and supporter.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from tests.conftest import NOW
from tracker.models import Event, EventOrganisation, EventPerson, EventRevision, Organisation, Person
from tracker.services import press_releases
from tracker.services.demo import load_demo
from tracker.services.events import delete_event

VISIT_SENTENCE = (
    "Interior Minister Oliver Spasovski met the Director General of the International Organization for Migration, "
    "António Vitorino, on Monday during a working visit to Geneva."
)
CONFERENCE_SENTENCE = (
    "From 15 to 16 November 2022, Skopje hosts the Ministerial Conference on Sustainable Migration Management in "
    "the Western Balkans, organised by the Ministry of Interior of the Republic of North Macedonia and the Ministry "
    "of Interior of the Czech Republic with the support of IOM."
)
STATEMENT = "The minister said the situation at the borders is stable."
RELEASE = (
    "Spasovski in Geneva\n\nSkopje, 10 November 2022 (MIA) – "
    f"{VISIT_SENTENCE} {STATEMENT}\n\n{CONFERENCE_SENTENCE} More topics will follow."
)
CONFERENCE = "Ministerial Conference on Sustainable Migration Management in the Western Balkans"
VISIT = "Working visit of Interior Minister Spasovski to Geneva"

VISIT_DRAFT: dict[str, Any] = {
    "title": VISIT,
    "kind": "official_visit",
    "status": "past",
    "start": "2022-11-07",
    "end": "2022-11-07",
    "timezone": None,
    "city": "Geneva",
    "country": "CH",
    "organisations": [{"name": "International Organization for Migration", "acronym": "IOM", "role": "participant"}],
    "people": [
        {"name": "Oliver Spasovski", "position": "Interior Minister"},
        {"name": "Antonio Vitorino", "position": "Director General"},
    ],
    "evidence": {"title": VISIT_SENTENCE, "start": VISIT_SENTENCE, "city": VISIT_SENTENCE, "people": VISIT_SENTENCE},
}
CONFERENCE_DRAFT: dict[str, Any] = {
    "title": CONFERENCE,
    "kind": "conference",
    "status": "upcoming",
    "start": "2022-11-15",
    "end": "2022-11-16",
    "timezone": "Europe/Skopje",
    "city": "Skopje",
    "country": "MK",
    "organisations": [
        {"name": "Ministry of Interior of the Republic of North Macedonia", "acronym": None, "role": "host"},
        {"name": "Ministry of Interior of the Czech Republic", "acronym": None, "role": "co_organiser"},
        {"name": "International Organization for Migration", "acronym": "IOM", "role": "supporter"},
    ],
    "people": [],
    "evidence": {
        "title": CONFERENCE_SENTENCE,
        "start": CONFERENCE_SENTENCE,
        "end": CONFERENCE_SENTENCE,
        "city": CONFERENCE_SENTENCE,
        "organisations": CONFERENCE_SENTENCE,
    },
}
CONFERENCE_UID = "demo-mia-2022-skopje-ministerial@conference-tracker"
VISIT_UID = "demo-mia-2022-geneva-visit@conference-tracker"


class FakeExtractor:
    """Stands in for ``tracker.extraction.drafts.extract_json``: returns the given drafts, remembers its calls."""

    def __init__(self, *drafts: dict[str, Any]) -> None:
        self.drafts = list(drafts)
        self.calls: list[tuple[str, date | None]] = []
        self.known: list[Any] = []

    def __call__(self, text: str, *, dateline: date | None = None, known: Any = ()) -> dict[str, Any]:
        self.calls.append((text, dateline))
        self.known = list(known)
        return {"drafts": [dict(draft) for draft in self.drafts]}


@pytest.fixture
def extractor(monkeypatch: pytest.MonkeyPatch) -> FakeExtractor:
    fake = FakeExtractor(VISIT_DRAFT, CONFERENCE_DRAFT)
    monkeypatch.setattr(press_releases, "extract_json", fake)
    return fake


@pytest.fixture
def demo(db_session: Session) -> None:
    load_demo(db_session, NOW)
    db_session.commit()


def drop_demo_copies(session: Session) -> None:
    for uid in (VISIT_UID, CONFERENCE_UID):
        event = session.execute(select(Event).where(Event.uid == uid)).scalar_one()
        delete_event(session, event.id, None, None, NOW)  # type: ignore[arg-type]
    session.commit()


def counts(session: Session) -> dict[str, int]:
    session.rollback()
    session.expire_all()
    models = (Event, EventOrganisation, EventPerson, EventRevision, Organisation, Person)
    return {model.__name__: session.execute(select(func.count()).select_from(model)).scalar_one() for model in models}


def demo_event_id(session: Session, uid: str) -> int:
    return session.execute(select(Event.id).where(Event.uid == uid)).scalar_one()


class Forms(HTMLParser):
    """Every form of a page: its action and the (name, value) pairs a browser would post (no submit buttons)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append({"action": found.get("action", ""), "class": found.get("class", ""), "fields": []})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and found.get("name") and found.get("type") not in ("submit", "button"):
            if found.get("type") != "checkbox" or "checked" in found:
                fields.append((found["name"], found.get("value", "")))
        elif tag == "select":
            self._select, self._options = found.get("name"), []
        elif tag == "option" and self._select is not None:
            self._options.append((found.get("value", ""), "selected" in found))
        elif tag == "textarea":
            self._textarea, self._text = found.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.forms[-1]["fields"].append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append((self._textarea, self._text))
            self._textarea = None


def draft_forms(html: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return [form for form in parser.forms if "draft-form" in form["class"]]


def card(html: str, number: int) -> str:
    """The HTML of one draft's card."""
    match = re.search(rf'<article class="draft-card" id="draft-{number}".*?</article>', html, re.S)
    assert match, f"no card {number}"
    return match.group(0)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ------------------------------------------------------------------------------------------------ access, page


def test_anonymous_visitors_are_sent_to_the_login_page(client: FlaskClient, extractor: FakeExtractor) -> None:
    for method in (client.get, client.post):
        response = method("/edit/press-release", data={"text": RELEASE})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=/edit/press-release")
    assert extractor.calls == []


def test_the_page_asks_for_the_text_and_an_optional_date_and_is_in_the_editor_navigation(
    editor_client: FlaskClient,
) -> None:
    response = editor_client.get("/edit/press-release")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<label for="text">Paste a press release</label>' in html
    assert '<textarea id="text" name="text"' in html
    assert '<input type="date" id="dateline" name="dateline" value=""' in html
    assert '<a href="/edit/press-release">From a press release</a>' in html
    assert "draft-card" not in html


# ----------------------------------------------------------------------------------------------------- drafts


def test_a_release_gives_one_card_per_draft_with_its_evidence_highlighted(
    editor_client: FlaskClient, db_session: Session, demo: None, extractor: FakeExtractor
) -> None:
    before = counts(db_session)
    response = editor_client.post("/edit/press-release", data={"text": RELEASE, "dateline": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert extractor.calls == [(RELEASE, None)]
    assert html.count('<article class="draft-card"') == 2
    assert "2 proposed events" in html
    # Each evidence sentence is marked once, in the order of the text; the statement between them is not.
    assert f'<mark id="evidence-1" tabindex="-1">{VISIT_SENTENCE}</mark> {STATEMENT}' in html
    assert f'<mark id="evidence-2" tabindex="-1">{CONFERENCE_SENTENCE}</mark> More topics will follow.' in html
    assert html.count("<mark ") == 2
    visit, conference = card(html, 1), card(html, 2)
    assert f'<a href="#evidence-1">“{VISIT_SENTENCE}”</a>' in visit
    assert f'<a href="#evidence-2">“{CONFERENCE_SENTENCE}”</a>' in conference
    assert "#evidence-2" not in visit and "#evidence-1" not in conference
    assert (
        '<span class="date-words" id="d2-start_date-words" aria-live="polite">Tuesday 15 November 2022</span>'
        in conference
    )
    assert counts(db_session) == before, "reading a release stores nothing"


def test_organisations_and_people_that_exist_are_named_as_stored_and_the_rest_as_new(
    editor_client: FlaskClient, demo: None, extractor: FakeExtractor
) -> None:
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    assert 'class="match-new"' not in card(html, 2)
    conference = text_of(card(html, 2))
    assert "existing: Ministry of Interior of the Republic of North Macedonia" in conference
    assert "existing: Ministry of the Interior of the Czech Republic" in conference, "matched by the same words"
    assert "existing: International Organization for Migration" in conference, "matched by the acronym"
    visit = text_of(card(html, 1))
    assert "existing: Oliver Spasovski" in visit and "existing: António Vitorino" in visit
    given = {(known.name, known.acronym) for known in extractor.known}
    assert ("International Organization for Migration", "IOM") in given, "the directory reaches the extractor"


def test_an_unknown_organisation_is_new_and_keeps_the_release_s_name(
    editor_client: FlaskClient, demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = {**CONFERENCE_DRAFT, "organisations": [{"name": "Balkan Migration Watch", "acronym": None, "role": "host"}]}
    monkeypatch.setattr(press_releases, "extract_json", FakeExtractor(draft))
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    conference = card(html, 1)
    assert '<input type="text" name="org_name[]" value="Balkan Migration Watch"' in conference
    assert '<span class="match-new">new</span>' in conference


def test_each_card_is_the_event_form_filled_in_with_its_draft(
    editor_client: FlaskClient, demo: None, extractor: FakeExtractor
) -> None:
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    visit, conference = draft_forms(html)
    assert conference["action"] == "/edit/events/new"
    fields = MultiDict(conference["fields"])
    assert fields["title"] == CONFERENCE
    assert (fields["kind"], fields["status"], fields["visibility"]) == ("conference", "confirmed", "public")
    assert (fields["all_day"], fields["start_date"], fields["end_date"]) == ("on", "2022-11-15", "2022-11-16")
    assert (fields["start_time"], fields["end_time"], fields["timezone"]) == ("", "", "Europe/Skopje")
    assert (fields["city"], fields["country"]) == ("Skopje", "MK")
    assert fields.getlist("org_name[]") == [
        "Ministry of Interior of the Republic of North Macedonia",
        "Ministry of the Interior of the Czech Republic",
        "International Organization for Migration",
        "",
    ]
    assert fields.getlist("org_role[]")[:3] == ["host", "co_organiser", "supporter"]
    assert fields["source"] == "Press release, Skopje, 10 November 2022 (MIA)"
    assert fields["description"] == CONFERENCE_SENTENCE
    assert fields["shown_start_date"] == "2022-11-15" and fields["shown_end_date"] == "2022-11-16"
    visit_fields = MultiDict(visit["fields"])
    assert visit_fields["kind"] == "official_visit" and visit_fields["start_date"] == "2022-11-07"
    assert visit_fields["timezone"] == "Europe/Zurich", "proposed from the city and country"
    assert visit_fields.getlist("person_name[]") == ["Oliver Spasovski", "António Vitorino", ""]


def test_a_draft_like_an_existing_event_offers_to_update_that_event(
    editor_client: FlaskClient, db_session: Session, demo: None, extractor: FakeExtractor
) -> None:
    existing = demo_event_id(db_session, CONFERENCE_UID)
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    conference = card(html, 2)
    assert "This looks like" in conference
    assert f'<a href="/events/{existing}" target="_blank" rel="noopener">{CONFERENCE}' in conference
    assert f'formaction="/edit/press-release/update/{existing}"' in conference
    assert "Update that event instead" in conference


def test_no_drafts_says_what_is_not_an_event(editor_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(press_releases, "extract_json", FakeExtractor())
    response = editor_client.post("/edit/press-release", data={"text": STATEMENT})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No schedulable event found in this text (statements, statistics and vague plans are not events)." in html
    assert "draft-card" not in html and "<mark" not in html
    assert STATEMENT in html


def test_the_dateline_field_reaches_the_extractor(editor_client: FlaskClient, extractor: FakeExtractor) -> None:
    editor_client.post("/edit/press-release", data={"text": RELEASE, "dateline": "2022-11-10"})
    assert extractor.calls == [(RELEASE, date(2022, 11, 10))]
    response = editor_client.post("/edit/press-release", data={"text": RELEASE, "dateline": "10.11.2022"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_data(as_text=True)
    assert len(extractor.calls) == 1


def test_an_oversize_or_empty_paste_is_refused_with_a_message(
    editor_client: FlaskClient, db_session: Session, extractor: FakeExtractor
) -> None:
    before = counts(db_session)
    response = editor_client.post("/edit/press-release", data={"text": "x" * 100_001})
    assert response.status_code == 413
    assert "The text has 100,001 characters; at most 100,000 are read at once." in response.get_data(as_text=True)
    response = editor_client.post("/edit/press-release", data={"text": " \n "})
    assert response.status_code == 400
    assert "Paste the text of a press release first." in response.get_data(as_text=True)
    assert extractor.calls == [], "refused before the extractor runs"
    assert editor_client.post("/edit/press-release", data={"text": "x" * 100_000}).status_code == 200, (
        "the limit itself"
    )
    assert counts(db_session) == before


# ----------------------------------------------------------------------------------------------------- saving


def test_a_card_posted_to_the_event_form_saves_one_event_linked_to_what_exists(
    editor_client: FlaskClient, db_session: Session, demo: None, extractor: FakeExtractor
) -> None:
    drop_demo_copies(db_session)
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    conference = draft_forms(html)[1]
    fields = MultiDict(conference["fields"])
    fields["title"] = CONFERENCE + " 2022"  # the editor corrects a field
    before = counts(db_session)
    response = editor_client.post(conference["action"], data=fields)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))[:800]
    after = counts(db_session)
    assert after["Event"] == before["Event"] + 1
    assert (after["Organisation"], after["Person"]) == (before["Organisation"], before["Person"])
    event = db_session.execute(select(Event).where(Event.title == CONFERENCE + " 2022")).scalar_one()
    assert (event.all_day, event.start_date, event.end_date) == (True, date(2022, 11, 15), date(2022, 11, 16))
    assert (event.city, event.country, event.timezone) == ("Skopje", "MK", "Europe/Skopje")
    assert event.source_citation == "Press release, Skopje, 10 November 2022 (MIA)"
    roles = db_session.execute(
        select(Organisation.name, EventOrganisation.role)
        .join(EventOrganisation, EventOrganisation.organisation_id == Organisation.id)
        .where(EventOrganisation.event_id == event.id)
    ).all()
    assert set(roles) == {
        ("Ministry of Interior of the Republic of North Macedonia", "host"),
        ("Ministry of the Interior of the Czech Republic", "co_organiser"),
        ("International Organization for Migration", "supporter"),
    }


def test_saving_a_card_that_duplicates_an_event_asks_first_and_stores_nothing(
    editor_client: FlaskClient, db_session: Session, demo: None, extractor: FakeExtractor
) -> None:
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    conference = draft_forms(html)[1]
    before = counts(db_session)
    response = editor_client.post(conference["action"], data=MultiDict(conference["fields"]))
    assert response.status_code == 409
    assert "nothing has been stored yet" in response.get_data(as_text=True)
    assert counts(db_session) == before


def test_update_instead_opens_the_existing_event_with_the_draft_over_it_then_saves_it(
    editor_client: FlaskClient, db_session: Session, demo: None, extractor: FakeExtractor
) -> None:
    existing = demo_event_id(db_session, CONFERENCE_UID)
    html = editor_client.post("/edit/press-release", data={"text": RELEASE}).get_data(as_text=True)
    fields = MultiDict(draft_forms(html)[1]["fields"])
    fields["end_date"] = "2022-11-17"  # the release moved the last day, say
    before = counts(db_session)
    response = editor_client.post(f"/edit/press-release/update/{existing}", data=fields)
    assert response.status_code == 200
    edit_form = Forms()
    edit_form.feed(response.get_data(as_text=True))
    form = next(form for form in edit_form.forms if "event-form" in form["class"])
    values = MultiDict(form["fields"])
    assert values["revision"] == "1"
    assert values["title"] == CONFERENCE and values["end_date"] == "2022-11-17"
    assert values.getlist("org_name[]")[:3] == [
        "Ministry of Interior of the Republic of North Macedonia",
        "Ministry of the Interior of the Czech Republic",
        "International Organization for Migration",
    ]
    assert values.getlist("person_name[]")[:2] == ["Oliver Spasovski", "Vít Rakušan"], "the event's own people"
    assert values["source"] == "Press release, Skopje, 10 November 2022 (MIA)", "the event had no source"
    assert values["description"].startswith("Organised by the Ministry of Interior"), "the event's own description"
    assert counts(db_session) == before, "opening the merged form stores nothing"
    # That form posts back to the same address; carrying the revision, it is the editor's edit save.
    saved = editor_client.post(f"/edit/press-release/update/{existing}", data=values)
    assert saved.status_code == 302 and saved.headers["Location"] == f"/events/{existing}"
    after = counts(db_session)
    assert after["Event"] == before["Event"] and after["Organisation"] == before["Organisation"]
    event = db_session.get(Event, existing)
    assert event is not None and (event.end_date, event.revision) == (date(2022, 11, 17), 2)


# -------------------------------------------------------------------------------------------- service, pure


def _reviewed(draft: dict[str, Any], evidence: dict[str, Any] | None = None) -> press_releases.ReviewedDraft:
    return press_releases.ReviewedDraft(1, draft, [], [], [], evidence or {}, "Press release")


def test_a_timed_draft_fills_the_times_and_is_not_all_day() -> None:
    draft = {
        **CONFERENCE_DRAFT,
        "start": "2022-11-15T10:00:00",
        "end": "2022-11-16T13:30:00",
        "kind": "summit",  # not one of ours: "other"
    }
    data = press_releases.form_data(_reviewed(draft))
    assert (data["all_day"], data["start_date"], data["start_time"]) == ("", "2022-11-15", "10:00")
    assert (data["end_date"], data["end_time"], data["kind"]) == ("2022-11-16", "13:30", "other")


def test_a_person_who_is_new_is_written_with_their_position() -> None:
    new = press_releases.PersonMatch("Jana Nová", "State Secretary")
    known = press_releases.PersonMatch("Antonio Vitorino", "Director General", 2, "António Vitorino")
    assert (new.form_name, known.form_name) == ("Jana Nová, State Secretary", "António Vitorino")


def test_marks_never_nest_and_a_sentence_not_in_the_text_has_none(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "First sentence here. Second one follows. Third."
    draft = {
        **VISIT_DRAFT,
        "evidence": {"title": "Second one follows.", "city": "one follows", "start": "Not there.", "end": "Third."},
    }
    monkeypatch.setattr(press_releases, "extract_json", FakeExtractor(draft))
    [reviewed] = press_releases.review_drafts(db_session, text)
    marks = {name: (item.mark, item.span) for name, item in reviewed.evidence.items()}
    assert marks == {"title": (1, (21, 40)), "city": (1, (21, 40)), "start": (None, None), "end": (2, (41, 47))}
    assert press_releases.highlighted(text, [reviewed]) == [
        ("First sentence here. ", None),
        ("Second one follows.", 1),
        (" ", None),
        ("Third.", 2),
    ]
    assert reviewed.description == "Second one follows.\n\nThird.\n\nNot there.", "a part of another is left out"


def test_the_citation_is_the_dateline_or_press_release() -> None:
    assert press_releases.source_citation(RELEASE) == "Press release, Skopje, 10 November 2022 (MIA)"
    belgrade = "Naslov\nБеоград, 10. новембар 2022. – Министар је данас..."
    assert press_releases.source_citation(belgrade) == "Press release, Београд, 10. новембар 2022."
    assert press_releases.source_citation("The minister met the ambassador.") == "Press release"


def test_merging_keeps_the_event_s_own_text_and_adds_the_draft_s_names() -> None:
    stored = {
        "title": "Old title",
        "kind": "meeting",
        "all_day": False,
        "start_date": "2022-11-14",
        "start_time": "10:00",
        "end_date": "2022-11-14",
        "end_time": "12:00",
        "timezone": "Europe/Skopje",
        "city": "Skopje",
        "country": "MK",
        "description": "Our notes.",
        "source_citation": "Ministry website",
        "status": "tentative",
        "organisations": [("IOM", "supporter")],
        "people": ["Oliver Spasovski"],
    }
    draft = {
        "title": "New title",
        "kind": "conference",
        "all_day": "on",
        "start_date": "2022-11-15",
        "start_time": "",
        "end_date": "2022-11-16",
        "end_time": "",
        "timezone": "Europe/Skopje",
        "city": "",
        "country": "MK",
        "description": "From the release.",
        "source_citation": "Press release",
        "status": "confirmed",
        "organisations": [("iom", "host"), ("Ministry of the Interior of the Czech Republic", "co_organiser")],
        "people": ["oliver spasovski, Minister", "Vít Rakušan, Minister of the Interior"],
    }
    merged = press_releases.merge_values(stored, draft)
    assert merged == {
        **stored,
        "title": "New title",
        "kind": "conference",
        "all_day": "on",
        "start_date": "2022-11-15",
        "start_time": "",
        "end_date": "2022-11-16",
        "end_time": "",
        "organisations": [("IOM", "supporter"), ("Ministry of the Interior of the Czech Republic", "co_organiser")],
        "people": ["Oliver Spasovski", "Vít Rakušan, Minister of the Interior"],
    }


def test_a_description_longer_than_the_form_takes_is_cut_to_its_limit(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "Long " * 5000 + "end."
    monkeypatch.setattr(press_releases, "extract_json", FakeExtractor({**VISIT_DRAFT, "evidence": {"title": sentence}}))
    [reviewed] = press_releases.review_drafts(db_session, sentence)
    assert len(reviewed.description) == 20_000 and reviewed.description.endswith("Long…")
