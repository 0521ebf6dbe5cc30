"""The ``tracker`` command, run as a real subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Event, Organisation, Person, User
from tracker.services.accounts import verify_password
from tracker.services.events import load_event

TRACKER = str(Path(sys.executable).with_name("tracker"))


def run(args: list[str], database_url: str, instance: Path, stdin: str = "", extra_env: dict | None = None):
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_")}
    env.update(TRACKER_DATABASE_URL=database_url, TRACKER_INSTANCE_PATH=str(instance), **(extra_env or {}))
    return subprocess.run([TRACKER, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_create_user_reads_the_password_from_stdin(app, database_url: str, tmp_path: Path, db_session: Session) -> None:
    result = run(
        ["create-user", "Minister.Office@Example.org", "--role", "admin", "--password-stdin"],
        database_url,
        tmp_path,
        stdin="a long enough password\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Created admin minister.office@example.org" in result.stdout
    user = db_session.exec(select(User)).scalar_one()
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(user, "a long enough password") and not verify_password(user, "wrong")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["create-user", "not-an-address", "--password-stdin"], "a long enough password\n", "not a valid e-mail"),
        (["create-user", "a@example.org", "--password-stdin"], "short\n", "at least 10 characters"),
        (
            ["create-user", "a@example.org", "--role", "owner", "--password-stdin"],
            "x" * 12 + "\n",
            "'owner' is not one of",
        ),
    ],
)
def test_create_user_refuses_bad_input(
    app, database_url: str, tmp_path: Path, db_session: Session, args: list[str], stdin: str, message: str
) -> None:
    result = run(args, database_url, tmp_path, stdin=stdin)
    assert result.returncode != 0 and message in result.stderr
    assert db_session.exec(select(func.count()).select_from(User)).scalar_one() == 0


def test_bad_configuration_stops_with_the_variable_named(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], "sqlite:///x.db", tmp_path, extra_env={"TRACKER_BASE_URL": "example.org"})
    assert result.returncode != 0
    assert "configuration error: TRACKER_BASE_URL: expected an absolute http" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_loads_the_press_release_events_once(app, database_url: str, tmp_path: Path, db_session: Session) -> None:
    first = run(["demo"], database_url, tmp_path)
    assert first.returncode == 0, first.stderr
    counts = [
        db_session.exec(select(func.count()).select_from(model)).scalar_one() for model in (Event, Organisation, Person)
    ]
    second = run(["demo"], database_url, tmp_path)
    assert "0 new event(s)" in second.stdout
    db_session.rollback()
    assert [
        db_session.exec(select(func.count()).select_from(model)).scalar_one() for model in (Event, Organisation, Person)
    ] == counts
    assert counts[0] >= 15 and counts[1] >= 10

    conference_id = db_session.exec(
        select(Event.id).where(Event.uid == "demo-mia-2022-skopje-ministerial@conference-tracker")
    ).scalar_one()
    conference = load_event(db_session, conference_id)
    assert (conference.start_date.isoformat(), conference.end_date.isoformat(), conference.city) == (
        "2022-11-15",
        "2022-11-16",
        "Skopje",
    )
    roles = {role: [org.acronym for org in orgs] for role, orgs in conference.organisations_by_role().items()}
    assert roles == {"host": ["MoI MK"], "co_organiser": ["MoI CZ"], "supporter": ["IOM"]}

    visit_id = db_session.exec(
        select(Event.id).where(Event.uid == "demo-mia-2022-geneva-visit@conference-tracker")
    ).scalar_one()
    visit = load_event(db_session, visit_id)
    assert visit.start_date.isoformat() == "2022-11-07" and visit.start_date.weekday() == 0, "Monday's meeting"
    assert visit.city == "Geneva" and visit.timezone == "Europe/Zurich"
    assert [person.name for person in visit.people] == ["Oliver Spasovski", "António Vitorino"]

    zones = set(db_session.exec(select(Event.timezone)).scalars())
    countries = set(db_session.exec(select(Event.country)).scalars())
    statuses = set(db_session.exec(select(Event.status)).scalars())
    assert len(zones) >= 5 and len(countries) >= 8
    assert statuses == {"tentative", "confirmed", "postponed", "cancelled"}
