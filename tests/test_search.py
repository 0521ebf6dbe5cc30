"""Full-text search on both databases: what is indexed, folding of case/diacritics/scripts, ranking, upkeep."""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, make_event
from tests.query_plans import captured_statements, explain, selects_from
from tracker import fulltext
from tracker import text as text_rules
from tracker.filters import parse_filter
from tracker.models import Event, Organisation
from tracker.services import search
from tracker.services.events import delete_event, update_event
from tracker.validation import EventInput

MIGRATION = Path(search.__file__).resolve().parent.parent / "migrations" / "versions" / "0002_search.py"


def found(session: Session, query: str, **filters: str) -> list[str]:
    """Titles the filter ``q=query`` selects through the shared EventFilter (unranked)."""
    event_filter = parse_filter({"q": query, **filters}, session)
    statement = event_filter.apply(select(Event), include_internal=True).order_by(Event.id)
    return [event.title for event in session.exec(statement).scalars()]


def ranked(session: Session, query: str) -> list[str]:
    hits = search.search_events(session, parse_filter({"q": query}, session), include_internal=True)
    return [hit.event.title for hit in hits]


@pytest.fixture
def corpus(db_session: Session) -> Session:
    make_event(db_session, **SKOPJE_CONFERENCE)
    make_event(
        db_session,
        title="Средба на министрите за внатрешни работи",
        city="Скопје",
        description="Работна средба во Министерството за внатрешни работи.",
    )
    make_event(
        db_session,
        title="Working visit of Minister Vít Rakušan",
        timezone="Europe/Prague",
        city="Praha",
        country="CZ",
        people=["Vít Rakušan, Minister of the Interior"],
    )
    make_event(
        db_session,
        title="Zürich round table on Łódź cooperation",
        city="Zürich",
        country="CH",
        timezone="Europe/Zurich",
    )
    make_event(
        db_session,
        title="Budget meeting",
        description="Follow-up on the conference on migration held in Skopje; notes on logistics.",
        city="Geneva",
        country="CH",
        timezone="Europe/Zurich",
    )
    return db_session


def test_words_are_found_in_title_place_description_organisations_people_and_tags(corpus: Session) -> None:
    assert found(corpus, "sustainable migration") == [SKOPJE_CONFERENCE["title"]]
    assert found(corpus, "IOM") == [SKOPJE_CONFERENCE["title"]]  # an acronym of a supporting organisation
    assert found(corpus, "Czech interior") == [SKOPJE_CONFERENCE["title"]]  # a co-organiser's name
    assert found(corpus, "western balkans") == [SKOPJE_CONFERENCE["title"]]  # in title and tags
    assert found(corpus, "logistics") == ["Budget meeting"]  # description
    assert found(corpus, "Geneva") == ["Budget meeting"]  # city
    assert found(corpus, "Rakusan Praha") == ["Working visit of Minister Vít Rakušan"]
    assert found(corpus, "nothing-like-this") == []


def test_accented_latin_is_found_with_and_without_accents(corpus: Session) -> None:
    for query in ("Rakušan", "rakusan", "RAKUSAN", "Vit"):
        assert found(corpus, query) == ["Working visit of Minister Vít Rakušan"], query
    for query in ("Zurich", "zürich", "Lodz", "łódź", "LODZ"):
        assert found(corpus, query) == ["Zürich round table on Łódź cooperation"], query


def test_macedonian_cyrillic_is_found_in_any_case_and_across_scripts(corpus: Session) -> None:
    cyrillic_title = "Средба на министрите за внатрешни работи"
    assert found(corpus, "внатрешни") == [cyrillic_title]
    assert found(corpus, "ВНАТРЕШНИ РАБОТИ") == [cyrillic_title]
    assert found(corpus, "министерството") == [cyrillic_title]  # description
    assert found(corpus, "vnatreshni") == [cyrillic_title]  # Latin spelling finds Cyrillic text
    # "Skopje" is the city of the Cyrillic event (Скопје) and a word in three Latin events.
    assert set(found(corpus, "Скопје")) == {SKOPJE_CONFERENCE["title"], cyrillic_title, "Budget meeting"}
    assert set(found(corpus, "skopje")) == set(found(corpus, "Скопје"))


def test_prefixes_match_and_every_word_must_match(corpus: Session) -> None:
    assert found(corpus, "minist conf") == [SKOPJE_CONFERENCE["title"]]
    assert found(corpus, "sustain") == [SKOPJE_CONFERENCE["title"]]
    assert found(corpus, "skopje logistics") == ["Budget meeting"]
    assert found(corpus, "!!! ???") == []  # no words: nothing, not everything


def test_search_combines_with_the_other_filters(corpus: Session) -> None:
    assert found(corpus, "skopje", country="CH") == ["Budget meeting"]
    assert found(corpus, "skopje", kind="conference") == [SKOPJE_CONFERENCE["title"]]


def test_results_are_ranked_title_before_description(corpus: Session) -> None:
    titles = ranked(corpus, "conference migration")
    assert titles == [SKOPJE_CONFERENCE["title"], "Budget meeting"]
    hits = search.search_events(corpus, parse_filter({"q": "conference migration"}, corpus), include_internal=True)
    assert hits[0].rank > hits[1].rank


def test_the_ranking_starts_from_the_full_text_index(corpus: Session, engine: Engine) -> None:
    """The plans of the statements ``search_events`` runs (captured): matches come from the index, and each is
    joined to its event by primary key, never by scanning the events — without other filters (the index's
    best matches first, then their events) and with them (one query over the matches)."""
    if engine.dialect.name == "postgresql":
        corpus.exec(text("ANALYZE event_search"))  # type: ignore[call-overload]
        # A handful of rows: without these the planner reads the whole (tiny) table in key order instead.
        corpus.exec(text("SET LOCAL enable_seqscan = off"))  # type: ignore[call-overload]
        corpus.exec(text("SET LOCAL enable_indexscan = off"))  # type: ignore[call-overload]
    with captured_statements(engine) as captured:
        hits = search.search_events(corpus, parse_filter({"q": "skopje"}, corpus), include_internal=False)
    assert len(hits) == 3
    (candidates,) = selects_from(captured, "event_search")
    listed, _loading = selects_from(captured, "event")
    assert "MATCH" in candidates[0] or "@@" in candidates[0]
    index_plan, listed_plan = explain(corpus, *candidates), explain(corpus, *listed)
    with captured_statements(engine) as captured:
        hits = search.search_events(corpus, parse_filter({"q": "skopje", "kind": "conference"}, corpus),
                                    include_internal=False)  # fmt: skip
    assert [hit.event.title for hit in hits] == [SKOPJE_CONFERENCE["title"]]
    ranking, _loading = selects_from(captured, "event")
    assert "MATCH" in ranking[0] or "@@" in ranking[0]
    plan = explain(corpus, *ranking)
    if engine.dialect.name == "sqlite":
        assert index_plan.splitlines()[0].startswith("SCAN event_search VIRTUAL TABLE INDEX 0:M"), index_plan
        assert "SEARCH event USING INTEGER PRIMARY KEY (rowid=?)" in listed_plan, listed_plan
        assert plan.splitlines()[0].startswith("SCAN event_search VIRTUAL TABLE INDEX 0:M"), plan
        assert "SEARCH event USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    else:
        assert "ix_fts_event_search_document" in index_plan, index_plan
        assert "event_pkey" in listed_plan, listed_plan
        # On a handful of rows the planner may start from either table; neither is read whole.
        assert "Seq Scan" not in plan, plan
    for each in (listed_plan, plan):
        assert "SCAN event\n" not in each + "\n" and "Seq Scan on event " not in each, each
    corpus.rollback()


def test_pages_of_many_equal_matches_follow_the_full_ranking(db_session: Session, engine: Engine) -> None:
    """Many matches, most of them tied, some internal: every page is the slice of the full ranking (score, then
    the later start, then the id), worked out here by one SQL query over every match."""
    for number in range(130):
        make_event(
            db_session, title=f"Border meeting {number % 3}" if number % 4 else f"Border border talks {number}",
            start_date=f"2026-{1 + number % 12:02d}-{1 + number % 5:02d}", start_time="10:00", end_time="11:00",
            visibility="internal" if number % 9 == 0 else "public",
        )  # fmt: skip
    if engine.dialect.name == "postgresql":
        oracle = text(
            "SELECT e.id FROM event e JOIN event_search s ON s.event_id = e.id "
            "WHERE s.document @@ to_tsquery('simple', 'border:*') AND e.visibility = 'public' "
            "AND e.deleted_dt IS NULL "
            "ORDER BY ts_rank(s.document, to_tsquery('simple', 'border:*')) DESC, e.start_dt DESC, e.id"
        )
    else:
        oracle = text(
            "SELECT e.id FROM event e JOIN event_search ON event_search.rowid = e.id "
            "WHERE event_search MATCH 'border*' AND e.visibility = 'public' AND e.deleted_dt IS NULL "
            "ORDER BY bm25(event_search, 10.0, 5.0, 3.0, 1.0), e.start_dt DESC, e.id"
        )
    expected = [row[0] for row in db_session.exec(oracle)]  # type: ignore[call-overload]
    assert len(expected) == 115
    event_filter = parse_filter({"q": "border"}, db_session)

    def page(offset: int) -> list[int]:
        hits = search.search_events(db_session, event_filter, include_internal=False, limit=50, offset=offset)
        return [hit.event.id for hit in hits]

    pages = [page(offset) for offset in (0, 50, 100)]
    assert pages == [expected[:50], expected[50:100], expected[100:]]


def test_internal_and_deleted_events_are_not_found_by_the_public(corpus: Session) -> None:
    make_event(corpus, title="Internal coordination on Skopje", visibility="internal")
    event_filter = parse_filter({"q": "coordination"}, corpus)
    assert search.search_events(corpus, event_filter, include_internal=False) == []
    assert len(search.search_events(corpus, event_filter, include_internal=True)) == 1
    budget = corpus.exec(select(Event).where(Event.title == "Budget meeting")).scalar_one()
    delete_event(corpus, budget.id, budget.revision, None, NOW)
    corpus.commit()
    assert found(corpus, "logistics") == []


def test_index_follows_edits_renames_and_removals(corpus: Session, engine: Engine) -> None:
    event = corpus.exec(select(Event).where(Event.title == "Budget meeting")).scalar_one()
    values = {
        "title": "Budget review", "kind": "meeting", "timezone": "Europe/Zurich", "start_date": "2026-11-10",
        "start_time": "10:00", "end_time": "12:00", "city": "Lausanne", "country": "CH",
        "description": "Nothing about that anymore.", "organisations": [("Frontex", "host")],
    }  # fmt: skip
    update_event(corpus, event.id, EventInput.from_form(values), event.revision, None, NOW)
    corpus.commit()
    assert found(corpus, "logistics") == []
    assert found(corpus, "lausanne review") == ["Budget review"]
    assert found(corpus, "frontex") == ["Budget review"]

    # Renaming an organisation or a person re-indexes their events (a trigger, not the app, does it).
    with engine.begin() as connection:
        connection.execute(text("UPDATE organisation SET acronym = 'FX' WHERE name = 'Frontex'"))
        connection.execute(text("UPDATE person SET name = 'Вит Ракушан' WHERE name = 'Vít Rakušan'"))
    corpus.commit()  # end the read transaction: see the other connection's writes
    assert found(corpus, "FX") == ["Budget review"]
    assert found(corpus, "Ракушан") == ["Working visit of Minister Vít Rakušan"]

    # Removing an organisation takes it out of its events' entries.
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM organisation WHERE name = 'Frontex'"))
    corpus.commit()
    assert found(corpus, "frontex") == []
    assert found(corpus, "review") == ["Budget review"]
    assert corpus.exec(select(Organisation).where(Organisation.name == "Frontex")).first() is None


def test_rows_inserted_without_the_app_are_indexed(corpus: Session, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            Event.__table__.insert(),  # type: ignore[attr-defined]
            [
                {
                    "uid": "bulk-1@test", "title": "Bulk loaded Ohrid seminar", "kind": "conference",
                    "status": "confirmed", "all_day": False, "timezone": "Europe/Skopje", "start_dt": NOW,
                    "end_dt": NOW, "venue": "", "city": "Охрид", "description": "", "visibility": "public",
                    "revision": 1, "sequence": 0, "created_dt": NOW, "updated_dt": NOW,
                }
            ],
        )  # fmt: skip
    assert found(corpus, "ohrid") == ["Bulk loaded Ohrid seminar"]


def test_highlight_marks_matches_in_any_script_and_escapes_the_rest() -> None:
    terms = search.highlight_terms("skopje rakusan")
    html = str(search.highlight("<b>Visit</b> to Скопје by Vít Rakušan, Skopje-based", terms))
    assert html == (
        "&lt;b&gt;Visit&lt;/b&gt; to <mark>Скопје</mark> by Vít <mark>Rakušan</mark>, <mark>Skopje</mark>-based"
    )
    assert str(search.highlight("a & b", ())) == "a &amp; b"
    long_text = " ".join(["filler"] * 50 + ["Skopje"] + ["tail"] * 50)
    excerpt = str(search.snippet(long_text, terms))
    assert excerpt.startswith("… ") and excerpt.endswith(" …") and "<mark>Skopje</mark>" in excerpt


def test_transliteration_of_query_words() -> None:
    assert fulltext.word_variants("Skopje") == ("skopje", "скопје")
    assert fulltext.word_variants("Штип") == ("штип", "shtip", "stip")
    assert fulltext.word_variants("Kičevo") == ("kicevo", "кичево")
    assert fulltext.word_variants("2022") == ("2022",)
    assert fulltext.fts5_query("Skopje 2022") == '("skopje"* OR "скопје"*) AND ("2022"*)'
    assert fulltext.tsquery("Skopje 2022") == "('skopje':* | 'скопје':*) & ('2022':*)"


def _migration_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_migration_folds_like_the_search_module() -> None:
    migration = _migration_module()
    assert migration.SPECIAL_LETTERS == text_rules.SPECIAL_LETTERS
    for first, last in migration.FOLDED_RANGES:
        for code in range(first, last + 1):
            assert migration._fold_char(chr(code)) == fulltext.fold(chr(code)), hex(code)
    sqlite_extras = {char.lower(): folded for char, folded in migration.SQLITE_EXTRA_FOLDS}
    assert {key: value for key, value in text_rules.SPECIAL_LETTERS.items() if key != "ẞ"} == {
        key: value for key, value in sqlite_extras.items() if key != "ẞ"
    }


def test_postgresql_fold_function_agrees_with_python(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the fold function exists on PostgreSQL only (FTS5 folds on SQLite)")
    letters = [
        chr(code)
        for first, last in ((0x41, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF), (0x400, 0x4FF))
        for code in range(first, last + 1)
        if unicodedata.category(chr(code))[0] == "L"
    ]
    sample = "".join(letters)
    with engine.connect() as connection:
        folded = connection.execute(text("SELECT tracker_search_fold(:value)"), {"value": sample}).scalar_one()
    assert folded == fulltext.fold(sample)
