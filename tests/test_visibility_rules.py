"""Who may see what, rule by rule, on a handful of rows whose expected answers are written out by hand.

No app and no migrations: the rules are SQL conditions and one loader, so the tables are simply created in an
in-memory SQLite database and, when ``TRACKER_TEST_DATABASE_URL`` is set, in a scratch PostgreSQL database too.
PostgreSQL matters here: it refuses a scalar sub-query that yields two rows, where SQLite quietly takes the
first, so only there does a lost ``LIMIT 1`` show. (``test_visibility_oracle.py`` checks every route end to end.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import ColumnElement, Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine, select

from tracker.db import scratch_postgresql_database
from tracker.models import Event, EventOrganisation, EventTag, Organisation
from tracker.visibility import (
    EDITORS,
    PUBLIC,
    known_tags,
    listed_condition,
    live_condition,
    load_visible_event,
    may_see,
    organisation_condition,
    visibility_condition,
)

START = datetime(2026, 11, 10, 9, tzinfo=UTC)
DELETED = datetime(2026, 11, 1, 12, tzinfo=UTC)

#: Event title → (visibility, deleted?, organisations, tags).
EVENTS: dict[str, tuple[str, bool, list[str], list[str]]] = {
    "public": ("public", False, ["Open Ministry", "Shared Agency"], ["open", "shared"]),
    "public too": ("public", False, ["Open Ministry"], ["open"]),
    "internal": ("internal", False, ["Secret Directorate", "Shared Agency"], ["secret", "shared"]),
    "public deleted": ("public", True, ["Gone Office"], ["gone"]),
    "internal deleted": ("internal", True, ["Buried Bureau"], ["buried"]),
}
UNUSED_ORGANISATION = "Idle Institute"


@dataclass
class Rows:
    session: Session
    ids: dict[str, int]


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TRACKER_TEST_DATABASE_URL") else ["sqlite"]


@pytest.fixture(scope="module", params=_backends())
def rows(request: pytest.FixtureRequest) -> Iterator[Rows]:
    with ExitStack() as stack:
        if request.param == "postgresql":
            url = stack.enter_context(
                scratch_postgresql_database(os.environ["TRACKER_TEST_DATABASE_URL"], "tracker_visibility")
            )
            engine = create_engine(url)
        else:
            engine = create_engine("sqlite://", poolclass=StaticPool)
        stack.callback(engine.dispose)
        SQLModel.metadata.create_all(engine)
        yield stack.enter_context(_fill(engine))


@contextmanager
def _fill(engine: Engine) -> Iterator[Rows]:
    with Session(engine, expire_on_commit=False) as session:
        organisations = {
            name: Organisation(name=name)
            for name in sorted({name for *_, names, _ in EVENTS.values() for name in names} | {UNUSED_ORGANISATION})
        }
        session.add_all(organisations.values())
        ids = {}
        for title, (visibility, deleted, names, tags) in EVENTS.items():
            event = Event(
                title=title,
                timezone="UTC",
                start_dt=START,
                end_dt=START,
                visibility=visibility,
                deleted_dt=DELETED if deleted else None,
            )
            session.add(event)
            session.flush()
            assert event.id is not None
            ids[title] = event.id
            for role, name in enumerate(names):
                session.add(
                    EventOrganisation(event_id=event.id, organisation_id=organisations[name].id, role=f"r{role}")
                )
            session.add_all(EventTag(event_id=event.id, tag=tag) for tag in tags)
        session.commit()
        yield Rows(session, ids)


def _titles(rows: Rows, condition: ColumnElement[bool]) -> set[str]:
    return set(rows.session.exec(select(Event.title).where(condition)).all())


def test_the_audiences_are_named_flags() -> None:
    assert PUBLIC is False
    assert EDITORS is True


def test_visibility_condition(rows: Rows) -> None:
    assert _titles(rows, visibility_condition(PUBLIC)) == {"public", "public too", "public deleted"}
    assert _titles(rows, visibility_condition(EDITORS)) == set(EVENTS)


def test_live_condition(rows: Rows) -> None:
    assert _titles(rows, live_condition()) == {"public", "public too", "internal"}


def test_listed_condition(rows: Rows) -> None:
    assert _titles(rows, listed_condition(PUBLIC)) == {"public", "public too"}
    assert _titles(rows, listed_condition(EDITORS)) == {"public", "public too", "internal"}


@pytest.mark.parametrize(
    ("visibility", "public", "editors"), [("public", True, True), ("internal", False, True), ("", False, True)]
)
def test_may_see(visibility: str, public: bool, editors: bool) -> None:
    event = Event(title="x", timezone="UTC", start_dt=START, end_dt=START, visibility=visibility)
    assert may_see(event, include_internal=PUBLIC) is public
    assert may_see(event, include_internal=EDITORS) is editors


@pytest.mark.parametrize(
    ("title", "include_internal", "include_deleted", "found"),
    [
        ("public", PUBLIC, False, True),
        ("public", EDITORS, False, True),
        ("internal", PUBLIC, False, False),
        ("internal", PUBLIC, True, False),
        ("internal", EDITORS, False, True),
        ("public deleted", PUBLIC, False, False),
        ("public deleted", PUBLIC, True, True),
        ("public deleted", EDITORS, False, False),
        ("public deleted", EDITORS, True, True),
        ("internal deleted", PUBLIC, True, False),
        ("internal deleted", EDITORS, False, False),
        ("internal deleted", EDITORS, True, True),
    ],
)
def test_load_visible_event(rows: Rows, title: str, include_internal: bool, include_deleted: bool, found: bool) -> None:
    event = load_visible_event(
        rows.session, rows.ids[title], include_internal=include_internal, include_deleted=include_deleted
    )
    if found:
        assert event is not None
        assert event.title == title
    else:
        assert event is None


def test_load_visible_event_without_an_id_or_with_a_missing_one(rows: Rows) -> None:
    missing = max(rows.ids.values()) + 1
    for audience in (PUBLIC, EDITORS):
        assert load_visible_event(rows.session, None, include_internal=audience, include_deleted=True) is None
        assert load_visible_event(rows.session, missing, include_internal=audience, include_deleted=True) is None
    # Deleted events stay hidden unless asked for.
    assert load_visible_event(rows.session, rows.ids["public deleted"], include_internal=EDITORS) is None


def test_the_public_learns_only_of_organisations_in_live_public_events(rows: Rows) -> None:
    def names(include_internal: bool) -> set[str]:
        query = select(Organisation.name).where(organisation_condition(include_internal))
        return set(rows.session.exec(query).all())

    assert names(PUBLIC) == {"Open Ministry", "Shared Agency"}
    assert names(EDITORS) == {
        "Open Ministry",
        "Shared Agency",
        "Secret Directorate",
        "Gone Office",
        "Buried Bureau",
        UNUSED_ORGANISATION,
    }


def test_known_tags_are_those_of_live_events_the_audience_sees(rows: Rows) -> None:
    def tags(include_internal: bool) -> list[str]:
        # Callers read the column by its name, ``tag``.
        return sorted(row.tag for row in rows.session.execute(known_tags(include_internal)))

    assert tags(PUBLIC) == ["open", "shared"]
    assert tags(EDITORS) == ["open", "secret", "shared"]
