"""The directory without duplicates: lookups by alias and key, aliases in the forms, merge, delete, suggestions.

Oracles are the names and links written in each test; the feed is read as served (``/calendar.ics``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, login, make_event
from tests.feeds_support import unfolded_text
from tracker.lookup import find_organisation, find_person
from tracker.models import (
    Event,
    EventIcs,
    EventOrganisation,
    EventPerson,
    EventRevision,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    User,
)
from tracker.services import merging
from tracker.services.directory import close_organisations, close_people, save_organisation
from tracker.services.events import delete_event
from tracker.validation import InputError, OrganisationInput
from tracker.visibility import organisation_condition

CZECH = "Ministry of the Interior of the Czech Republic"
IOM = "International Organization for Migration"


def fresh(session: Session) -> None:
    session.rollback()
    session.expire_all()


def org(session: Session, name: str, acronym: str | None = None, aliases: tuple[str, ...] = (), **fields: Any) -> int:
    organisation = Organisation(name=name, acronym=acronym, **fields)
    organisation.aliases = [OrganisationAlias(name=alias) for alias in aliases]
    session.add(organisation)
    session.commit()
    return organisation.id  # type: ignore[return-value]


def person(session: Session, name: str, position: str = "", aliases: tuple[str, ...] = (), **fields: Any) -> int:
    entry = Person(name=name, position=position, **fields)
    entry.aliases = [PersonAlias(name=alias) for alias in aliases]
    session.add(entry)
    session.commit()
    return entry.id  # type: ignore[return-value]


def count(session: Session, model: Any) -> int:
    return session.exec(select(func.count()).select_from(model)).scalar_one()


def org_links(session: Session, event_id: int) -> list[tuple[str, str]]:
    """(organisation name, role) of an event, in its order."""
    statement = (
        select(Organisation.name, EventOrganisation.role)
        .join(EventOrganisation, EventOrganisation.organisation_id == Organisation.id)
        .where(EventOrganisation.event_id == event_id)
        .order_by(EventOrganisation.sort_order, Organisation.name)
    )
    return [tuple(row) for row in session.execute(statement).all()]  # type: ignore[misc]


def people_of(session: Session, event_id: int) -> list[str]:
    statement = (
        select(Person.name)
        .join(EventPerson, EventPerson.person_id == Person.id)
        .where(EventPerson.event_id == event_id)
        .order_by(EventPerson.sort_order)
    )
    return list(session.execute(statement).scalars())


# ------------------------------------------------------------------------------------------------ lookups


def test_find_organisation_by_alias_key_and_composite_name(db_session: Session) -> None:
    czech = org(db_session, CZECH, "MoI CZ", ("Ministerstvo vnitra České republiky",))
    iom = org(db_session, IOM, "IOM", ("Меѓународна организација за миграции",))
    org(db_session, "Ministry of Interior of Serbia")
    assert find_organisation(db_session, "ministerstvo vnitra české republiky").id == czech  # alias, any case
    assert find_organisation(db_session, "Ministerstvo vnitra Ceske republiky").id == czech  # alias's key
    assert find_organisation(db_session, "Ministry of Interior of the Czech Republic").id == czech  # name's key
    assert find_organisation(db_session, "MINISTRY OF INTERIOR, CZECH REPUBLIC").id == czech
    assert find_organisation(db_session, "Megjunarodna organizacija za migracii").id == iom
    assert find_organisation(db_session, "IOM - the International Organization for Migration").id == iom
    assert find_organisation(db_session, "IOM – International Organisation for Migration") is None  # only close
    assert find_organisation(db_session, "IOM - Ministry of the Interior of the Czech Republic") is None  # two
    assert find_organisation(db_session, "Ministry of Interior of Croatia") is None
    assert find_organisation(db_session, "Ministry of Interior") is None
    assert find_organisation(db_session, "") is None and find_organisation(db_session, "of the") is None


def test_the_oldest_wins_a_shared_alias_but_a_shared_key_names_nobody(db_session: Session) -> None:
    newer, older = 1_000_000_050, 1_000_000_007
    db_session.add(Organisation(id=newer, name="Ministry for the Interior", aliases=[OrganisationAlias(name="MUP")]))
    db_session.commit()
    db_session.add(Organisation(id=older, name="Ministry of Interior", aliases=[OrganisationAlias(name="mup")]))
    db_session.commit()
    assert find_organisation(db_session, "MUP").id == older
    assert find_organisation(db_session, "the Ministry Interior") is None, "two entries have that key: ask"


def test_filters_find_by_alias_only_what_the_audience_may_know(db_session: Session) -> None:
    """An organisation only internal events use stays unknown to the public, under any of its names."""
    make_event(db_session, title="Closed meeting", visibility="internal", organisations=[("Secret Unit", "host")])
    unit = find_organisation(db_session, "Secret Unit")
    unit.aliases = [OrganisationAlias(name="Tajna jedinica")]
    db_session.commit()
    public, editors = organisation_condition(False), organisation_condition(True)
    for token in ("Tajna jedinica", "tajna JEDINICA", "Secret  Unit of the"):
        assert find_organisation(db_session, token, where=public) is None, token
        assert find_organisation(db_session, token, where=editors).id == unit.id, token


def test_find_person_by_name_alias_and_key(db_session: Session) -> None:
    vitorino = person(db_session, "António Vitorino", "Director General", ("Антонио Виторино",))
    rakusan = person(db_session, "Vít Rakušan", "Minister of the Interior")
    assert find_person(db_session, "antónio vitorino").id == vitorino
    assert find_person(db_session, "Антонио Виторино, генерален директор").id == vitorino  # alias, before the comma
    assert find_person(db_session, "Antonio Vitorino, Director General").id == vitorino  # key
    assert find_person(db_session, "Dr. Antonio Vitorino").id == vitorino
    assert find_person(db_session, "Vit Rakusan").id == rakusan
    assert find_person(db_session, "Vitorino") is None and find_person(db_session, ", position") is None


def test_entering_known_spellings_creates_nothing_new(db_session: Session) -> None:
    org(db_session, CZECH, "MoI CZ")
    org(db_session, IOM, "IOM")
    person(db_session, "António Vitorino", "Director General")
    values = {
        **SKOPJE_CONFERENCE,
        "organisations": [
            ("Ministry of Interior of the Czech Republic", "co_organiser"),
            ("IOM - the International Organization for Migration", "supporter"),
        ],
        "people": ["Antonio Vitorino, Director General of IOM"],
    }
    event = make_event(db_session, **values)
    assert (count(db_session, Organisation), count(db_session, Person)) == (2, 1)
    assert org_links(db_session, event.id) == [(CZECH, "co_organiser"), (IOM, "supporter")]
    assert people_of(db_session, event.id) == ["António Vitorino"]


def test_close_matches_rank_names_acronyms_and_aliases(db_session: Session) -> None:
    iom = org(db_session, IOM, "IOM")
    medicine = org(db_session, "Institute of Medicine")
    serbia = org(db_session, "Ministry of Interior of Serbia", aliases=("МВР Србије",))
    croatia = org(db_session, "Ministry of Interior of Croatia")
    names = lambda found: [entry.id for entry in found]  # noqa: E731
    assert names(close_organisations(db_session, "IOM")) == [iom, medicine]
    assert names(close_organisations(db_session, "IOM", exclude_ids=[iom])) == [medicine]
    assert names(close_organisations(db_session, "Ministry of Interior of Serbia")) == [serbia]
    assert names(close_organisations(db_session, "мвр србије")) == [serbia]
    assert names(close_organisations(db_session, "Ministry of Interior", limit=1)) == [serbia]
    assert names(close_organisations(db_session, "Ministry of Interior of Cro", partial=True)) == [croatia]
    vitorino = person(db_session, "António Vitorino")
    person(db_session, "António Guterres")
    assert [entry.id for entry in close_people(db_session, "antonio vitorino, DG")] == [vitorino]


# ------------------------------------------------------------------------------------------------- merges


def test_merging_organisations_moves_links_people_and_names(db_session: Session, editor: User) -> None:
    survivor = org(db_session, CZECH, "MoI CZ", kind="ministry")
    loser = org(db_session, "Ministry of Interior of Czechia", "MVCR", ("Ministerstvo vnitra",), country="CZ")
    other = org(db_session, IOM, "IOM")
    only_loser = make_event(db_session, title="Visit", organisations=[("MVCR", "host")])
    both = make_event(
        db_session,
        title="Conference",
        organisations=[("MVCR", "co_organiser"), ("IOM", "supporter"), ("MoI CZ", "co_organiser"), ("MVCR", "host")],
    )
    untouched = make_event(db_session, title="Workshop", organisations=[("IOM", "host")])
    deleted = make_event(db_session, title="Old visit", organisations=[("MVCR", "host")])
    delete_event(db_session, deleted.id, None, editor, NOW)
    db_session.commit()
    staff = person(db_session, "Jan Novák", organisation_id=loser)
    revisions_before = {event.id: db_session.get(Event, event.id).revision for event in (only_loser, both, untouched)}

    plan = merging.merge_organisations(db_session, loser, survivor, editor, NOW + timedelta(hours=1))
    db_session.commit()
    fresh(db_session)

    assert [event.title for event in plan.events] == ["Visit", "Conference", "Old visit"]  # tombstones move too
    assert plan.aliases == ["Ministry of Interior of Czechia", "MVCR", "Ministerstvo vnitra"]
    assert db_session.get(Organisation, loser) is None and count(db_session, Organisation) == 2
    assert org_links(db_session, only_loser.id) == [(CZECH, "host")]
    # The loser's and the survivor's co-organiser links become one; the loser's host link stays, as the survivor's.
    assert org_links(db_session, both.id) == [(CZECH, "co_organiser"), (IOM, "supporter"), (CZECH, "host")]
    assert org_links(db_session, deleted.id) == [(CZECH, "host")]
    assert db_session.get(Person, staff).organisation_id == survivor
    kept = db_session.get(Organisation, survivor)
    assert (kept.acronym, kept.kind, kept.country) == ("MoI CZ", "ministry", "CZ")  # the empty country taken over
    assert sorted(alias.name for alias in kept.aliases) == [
        "MVCR",
        "Ministerstvo vnitra",
        "Ministry of Interior of Czechia",
    ]
    for token in ("MVCR", "Ministerstvo vnitra", "ministry of interior of czechia", "Ministry of Interior, Czechia"):
        assert find_organisation(db_session, token).id == survivor, token
    assert db_session.get(Event, untouched.id).revision == revisions_before[untouched.id]
    assert find_organisation(db_session, "IOM").id == other

    for event in (only_loser, both):
        stored = db_session.get(Event, event.id)
        assert stored.revision == revisions_before[event.id] + 1
        record = db_session.exec(
            select(EventRevision).where(EventRevision.event_id == event.id, EventRevision.revision == stored.revision)
        ).scalar_one()
        assert (record.action, record.user_id, record.changed_dt) == ("updated", editor.id, NOW + timedelta(hours=1))
        assert list(record.changes) == ["organisations"]
    record = (
        db_session.exec(
            select(EventRevision).where(EventRevision.event_id == both.id).order_by(EventRevision.revision.desc())
        )
        .scalars()
        .first()
    )
    assert record.changes["organisations"] == [
        [["Ministry of Interior of Czechia", "co_organiser"], [IOM, "supporter"], [CZECH, "co_organiser"],
         ["Ministry of Interior of Czechia", "host"]],
        [[CZECH, "co_organiser"], [IOM, "supporter"], [CZECH, "host"]],
    ]  # fmt: skip


def test_merging_people_moves_their_events_and_keeps_their_names(db_session: Session, editor: User) -> None:
    iom = org(db_session, IOM, "IOM")
    survivor = person(db_session, "António Vitorino")
    loser = person(db_session, "Antonio Vitorino", "Director General", ("A. Vitorino",), organisation_id=iom)
    other = person(db_session, "Ylva Johansson")
    alone = make_event(db_session, title="Visit", people=["Antonio Vitorino"])
    both = make_event(db_session, title="Panel", people=["Ylva Johansson", "António Vitorino", "Antonio Vitorino"])
    assert people_of(db_session, alone.id) == ["Antonio Vitorino"]  # an exact name wins over the key

    plan = merging.merge_people(db_session, loser, survivor, editor, NOW)
    db_session.commit()
    fresh(db_session)

    assert [event.title for event in plan.events] == ["Visit", "Panel"]
    assert people_of(db_session, alone.id) == ["António Vitorino"]
    assert people_of(db_session, both.id) == ["Ylva Johansson", "António Vitorino"]
    kept = db_session.get(Person, survivor)
    assert (kept.position, kept.organisation_id) == ("Director General", iom)  # empty fields taken over
    assert sorted(alias.name for alias in kept.aliases) == ["A. Vitorino", "Antonio Vitorino"]
    assert find_person(db_session, "a. vitorino").id == survivor
    assert db_session.get(Person, loser) is None and db_session.get(Person, other) is not None
    history = (
        db_session.exec(
            select(EventRevision).where(EventRevision.event_id == both.id).order_by(EventRevision.revision.desc())
        )
        .scalars()
        .first()
    )
    assert history.changes == {
        "people": [["Ylva Johansson", "António Vitorino", "Antonio Vitorino"], ["Ylva Johansson", "António Vitorino"]]
    }


def test_a_merge_refuses_the_entry_itself_and_unknown_ids(db_session: Session, editor: User) -> None:
    entry = org(db_session, IOM, "IOM")
    with pytest.raises(merging.DirectoryError, match="cannot be merged into itself"):
        merging.merge_organisations(db_session, entry, entry, editor, NOW)
    with pytest.raises(LookupError):
        merging.merge_organisations(db_session, entry, entry + 1, editor, NOW)
    with pytest.raises(LookupError):
        merging.plan_person_merge(db_session, 1, 2)


def test_a_merge_keeps_at_most_twenty_aliases(db_session: Session, editor: User) -> None:
    survivor = org(db_session, "Survivor", "SVR", tuple(f"Survivor name {number}" for number in range(18)))
    loser = org(db_session, "Loser", "LSR", ("Loser one", "Loser two"))
    plan = merging.merge_organisations(db_session, loser, survivor, editor, NOW)
    assert (plan.aliases, plan.dropped_aliases) == (["Loser", "LSR"], ["Loser one", "Loser two"])
    db_session.commit()
    fresh(db_session)
    assert len(db_session.get(Organisation, survivor).aliases) == 20


def test_the_feed_shows_the_survivor_after_a_merge(
    client: FlaskClient, app_factory: Any, db_session: Session, editor: User
) -> None:
    """Stored VEVENT blocks of the old revision are not served again: the served feed names the survivor, in this
    process and in one started afterwards (which has only the stored blocks)."""
    with time_machine.travel(NOW, tick=False) as clock:
        survivor = org(db_session, IOM, "IOM")
        loser = org(db_session, "International Organisation for Migration")
        event = make_event(
            db_session,
            **{**SKOPJE_CONFERENCE, "organisations": [("International Organisation for Migration", "supporter")]},
        )
        assert org_links(db_session, event.id) == [("International Organisation for Migration", "supporter")]
        before = client.get("/calendar.ics")
        assert "Supporter: International Organisation for Migration" in unfolded_text(before.data)
        before.close()  # the blocks are stored once the answer is sent
        fresh(db_session)
        stored = db_session.exec(select(EventIcs.revision).where(EventIcs.event_id == event.id)).scalars().all()
        assert stored == [1]  # the GET stored its block of revision 1

        clock.move_to(NOW + timedelta(hours=1))
        merging.merge_organisations(db_session, loser, survivor, editor, NOW + timedelta(hours=1))
        db_session.commit()
        after = client.get("/calendar.ics")
        after.close()
        restarted = app_factory().test_client().get("/calendar.ics")
    assert restarted.data == after.data
    text = unfolded_text(after.data)
    assert "Supporter: International Organization for Migration (IOM)" in text
    assert "International Organisation" not in text
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "SEQUENCE:0" in text  # the event did not move: subscribers' calendars replace it, no reschedule
    fresh(db_session)
    assert db_session.exec(select(EventIcs.revision).where(EventIcs.event_id == event.id)).scalars().all() == [2]


# ----------------------------------------------------------------------------------------------- deleting


def test_delete_only_what_nothing_uses(db_session: Session, editor: User) -> None:
    used = org(db_session, IOM, "IOM")
    make_event(db_session, title="One", organisations=[("IOM", "host")])
    make_event(db_session, title="Two", organisations=[("IOM", "host")])
    person(db_session, "Staff member", organisation_id=used)
    member = org(db_session, "Employer")
    person(db_session, "Worker", organisation_id=member)
    unused = org(db_session, "Nobody's organisation")
    with pytest.raises(merging.DirectoryError) as caught:
        merging.delete_organisation(db_session, used)
    assert caught.value.message == (
        "International Organization for Migration cannot be deleted: 2 events use it and 1 person belongs to it. "
        "Merge it into another organisation instead."
    )
    with pytest.raises(merging.DirectoryError, match=r"Employer cannot be deleted: 1 person belongs to it\."):
        merging.delete_organisation(db_session, member)
    merging.delete_organisation(db_session, unused)
    db_session.commit()
    assert db_session.get(Organisation, unused) is None and db_session.get(Organisation, used) is not None

    speaker = person(db_session, "Speaker")
    make_event(db_session, title="Three", people=["Speaker"])
    gone = make_event(db_session, title="Four", people=["Speaker"])
    delete_event(db_session, gone.id, None, editor, NOW)  # a deleted event still counts: it can be restored
    db_session.commit()
    with pytest.raises(merging.DirectoryError) as refused:
        merging.delete_person(db_session, speaker)
    assert refused.value.message.startswith("Speaker cannot be deleted: 2 events use this person.")
    idle = person(db_session, "Idle")
    merging.delete_person(db_session, idle)
    db_session.commit()
    assert db_session.get(Person, idle) is None
    with pytest.raises(LookupError):
        merging.delete_person(db_session, idle)


# ------------------------------------------------------------------------------------------- the editor's pages


def page(response: Any) -> str:
    return response.get_data(as_text=True)


def test_merge_pages_confirm_then_merge(editor_client: FlaskClient, db_session: Session) -> None:
    survivor = org(db_session, IOM, "IOM")
    loser = org(db_session, "International Organisation for Migration")
    make_event(
        db_session, title="Migration dialogue", organisations=[("International Organisation for Migration", "host")]
    )
    person(db_session, "Staff member", "Officer", organisation_id=loser)
    edit = page(editor_client.get(f"/edit/organisations/{loser}"))
    assert f'<optgroup label="Close matches"><option value="{survivor}">' in edit
    assert "Used by 1 event and 1 person." in edit and f"/edit/organisations/{loser}/delete" not in edit

    confirm = editor_client.get(f"/edit/organisations/{loser}/merge", query_string={"into": survivor})
    text = page(confirm)
    assert confirm.status_code == 200
    assert "Merge “International Organisation for Migration” into “International Organization for Migration”?" in text
    assert "Migration dialogue" in text and "Staff member, Officer" in text
    assert "<li>International Organisation for Migration</li>" in text  # the alias it will keep
    fresh(db_session)
    assert db_session.get(Organisation, loser) is not None  # a GET changes nothing

    done = editor_client.post(f"/edit/organisations/{loser}/merge", data={"into": str(survivor)})
    assert done.status_code == 302 and done.headers["Location"] == f"/edit/organisations/{survivor}"
    shown = page(editor_client.get(done.headers["Location"]))
    moved = "Merged “International Organisation for Migration” into “International Organization for Migration”"
    assert f"{moved}: 1 event moved." in shown
    fresh(db_session)
    assert db_session.get(Organisation, loser) is None


def test_merge_pages_refuse_bad_choices(editor_client: FlaskClient, db_session: Session) -> None:
    entry = person(db_session, "António Vitorino")
    missing = editor_client.get(f"/edit/people/{entry}/merge", query_string={"into": "x"})
    assert missing.status_code == 302 and missing.headers["Location"] == f"/edit/people/{entry}"
    assert "Choose the person to merge “António Vitorino” into." in page(editor_client.get(f"/edit/people/{entry}"))
    itself = editor_client.post(f"/edit/people/{entry}/merge", data={"into": str(entry)}, follow_redirects=True)
    assert "Choose another person to merge into: an entry cannot be merged into itself." in page(itself)
    assert editor_client.get(f"/edit/people/{entry}/merge", query_string={"into": "999999"}).status_code == 404
    assert editor_client.get("/edit/people/999999/merge", query_string={"into": str(entry)}).status_code == 404


def test_delete_pages(editor_client: FlaskClient, db_session: Session) -> None:
    unused = org(db_session, "Spare organisation")
    used = org(db_session, IOM, "IOM")
    make_event(db_session, organisations=[("IOM", "host")])
    assert f'href="/edit/organisations/{unused}/delete"' in page(editor_client.get(f"/edit/organisations/{unused}"))
    assert "Used by 1 event." in page(editor_client.get(f"/edit/organisations/{used}"))
    refused = page(editor_client.get(f"/edit/organisations/{used}/delete"))
    assert "cannot be deleted. Used by 1 event." in refused and "<form" not in refused.split("<main", 1)[-1]
    posted = editor_client.post(f"/edit/organisations/{used}/delete", follow_redirects=True)
    assert "International Organization for Migration cannot be deleted: 1 event uses it." in page(posted)
    asked = page(editor_client.get(f"/edit/organisations/{unused}/delete"))
    assert "Delete “Spare organisation”?" in asked
    done = editor_client.post(f"/edit/organisations/{unused}/delete")
    assert done.status_code == 302 and done.headers["Location"] == "/edit/organisations"
    assert "Deleted “Spare organisation”." in page(editor_client.get("/edit/organisations"))
    fresh(db_session)
    assert db_session.get(Organisation, unused) is None
    idle = person(db_session, "Idle person")
    assert editor_client.post(f"/edit/people/{idle}/delete").status_code == 302
    fresh(db_session)
    assert db_session.get(Person, idle) is None
    assert editor_client.post("/edit/people/999999/delete").status_code == 404


def test_suggestions_for_the_editor(client: FlaskClient, db_session: Session, editor: User) -> None:
    iom = org(db_session, IOM, "IOM")
    org(db_session, "Institute of Medicine")
    org(db_session, "International Labour Organization", "ILO")
    vitorino = person(db_session, "António Vitorino", "Director General", organisation_id=iom)
    person(db_session, "António Guterres", "Secretary-General")
    anonymous = client.get("/edit/suggest/organisations", query_string={"q": "IOM"})
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    login(client, editor.email)

    answer = client.get("/edit/suggest/organisations", query_string={"q": "IOM"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "private, no-store"
    suggestions = answer.get_json()["suggestions"]
    assert suggestions[0] == {"id": iom, "name": IOM, "label": f"{IOM} (IOM)", "acronym": "IOM"}
    assert [item["name"] for item in suggestions] == [IOM, "Institute of Medicine"]
    typed = client.get("/edit/suggest/organisations", query_string={"q": "internat"}).get_json()["suggestions"]
    assert {item["name"] for item in typed} == {IOM, "International Labour Organization"}

    people = client.get("/edit/suggest/people", query_string={"q": "antonio vit"}).get_json()["suggestions"]
    assert people == [
        {"id": vitorino, "name": "António Vitorino", "label": "António Vitorino, Director General, IOM",
         "position": "Director General"}
    ]  # fmt: skip
    assert client.get("/edit/suggest/people", query_string={"q": "  "}).get_json() == {"suggestions": []}
    too_long = client.get("/edit/suggest/people", query_string={"q": "a" * 201})
    assert too_long.status_code == 400
    assert too_long.get_json() == {"error": "The name may have at most 200 characters."}
    assert client.get("/edit/suggest/people", query_string={"q": "a" * 200}).status_code == 200


def test_the_pages_load_the_suggestion_script(editor_client: FlaskClient, db_session: Session) -> None:
    people = page(editor_client.get("/edit/people"))
    assert '<script src="/static/suggest.js" defer></script>' in people and 'list="organisation-names"' in people
    script = editor_client.get("/static/suggest.js")
    assert script.status_code == 200 and b"edit/suggest/organisations" in script.data


# ----------------------------------------------------------------------------------------------- the alias form


def test_aliases_are_saved_and_shown(editor_client: FlaskClient, db_session: Session) -> None:
    data = {"name": IOM, "acronym": "IOM", "kind": "international_organisation"}
    aliases = (
        "Меѓународна организација за миграции\r\n\r\nOIM\r\nIOM\r\noim\r\n"
        "  Organisation internationale   pour les migrations "
    )
    assert editor_client.post("/edit/organisations", data={**data, "aliases": aliases}).status_code == 302
    fresh(db_session)
    saved = find_organisation(db_session, "OIM")
    # Blank lines, repeats and the acronym itself are dropped; spaces are collapsed.
    assert [alias.name for alias in sorted(saved.aliases, key=lambda alias: alias.id)] == [
        "Меѓународна организација за миграции",
        "OIM",
        "Organisation internationale pour les migrations",
    ]
    form = page(editor_client.get(f"/edit/organisations/{saved.id}"))
    assert (
        ">Меѓународна организација за миграции\nOIM\nOrganisation internationale pour les migrations</textarea>" in form
    )
    kept_id = next(alias.id for alias in saved.aliases if alias.name == "OIM")
    assert editor_client.post(f"/edit/organisations/{saved.id}", data={**data, "aliases": "OIM"}).status_code == 302
    fresh(db_session)
    assert [(alias.id, alias.name) for alias in db_session.get(Organisation, saved.id).aliases] == [(kept_id, "OIM")]
    assert "Also: OIM" in page(editor_client.get("/edit/organisations"))
    who = {"name": "António Vitorino", "aliases": "Антонио Виторино\nAntonio Vitorino"}
    assert editor_client.post("/edit/people", data=who).status_code == 302
    fresh(db_session)
    assert find_person(db_session, "Антонио Виторино").name == "António Vitorino"


RCC = "Regional Cooperation Council"
NAMES_ANOTHER = "names another organisation, Regional Cooperation Council; merge the two instead."


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        (RCC, f"The alias “{RCC}” {NAMES_ANOTHER}"),
        ("rcc", f"The alias “rcc” {NAMES_ANOTHER}"),
        ("the Regional Co-operation Council", f"The alias “the Regional Co-operation Council” {NAMES_ANOTHER}"),
        ("Savet za regionalnu saradnju", f"The alias “Savet za regionalnu saradnju” is already an alias of {RCC}."),
        ("\n".join(f"Name {number}" for number in range(21)), "At most 20 aliases are allowed."),
        ("x" * 201, "An alias has 201 characters; at most 200 are allowed."),
        ("Bad\x07bell", "An alias may not contain control characters."),
    ],
)
def test_alias_form_errors(editor_client: FlaskClient, db_session: Session, aliases: str, message: str) -> None:
    org(db_session, "Regional Cooperation Council", "RCC", ("Savet za regionalnu saradnju",))
    response = editor_client.post("/edit/organisations", data={"name": IOM, "aliases": aliases})
    assert response.status_code == 400
    text = page(response).replace("&#34;", '"').replace("&#39;", "'")
    assert f'<p class="field-error" id="aliases-error">{message}</p>' in text
    assert 'aria-invalid="true">' in text
    fresh(db_session)
    assert count(db_session, Organisation) == 1


def test_a_name_that_is_another_organisations_alias_is_refused(db_session: Session) -> None:
    org(db_session, "Regional Cooperation Council", "RCC", ("Savet za regionalnu saradnju",))
    with pytest.raises(InputError) as caught:
        save_organisation(db_session, None, OrganisationInput.from_form({"name": "Savet za regionalnu saradnju"}), NOW)
    assert caught.value.errors == {
        "name": "Another organisation is known by this name (an alias); merge the two instead."
    }


def test_person_alias_errors(editor_client: FlaskClient, db_session: Session) -> None:
    person(db_session, "Ylva Johansson", aliases=("Commissioner Johansson",))
    for alias, message in [
        ("ylva johansson", "The alias “ylva johansson” is already used for Ylva Johansson."),
        ("Commissioner Johansson", "The alias “Commissioner Johansson” is already used for Ylva Johansson."),
    ]:
        response = editor_client.post("/edit/people", data={"name": "Someone else", "aliases": alias})
        assert response.status_code == 400
        assert f'<p class="field-error" id="aliases-error">{message}</p>' in page(response)
    assert count(db_session, PersonAlias) == 1
