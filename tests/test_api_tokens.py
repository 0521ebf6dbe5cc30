"""API tokens: only their SHA-256 is stored, shown once, refused once revoked or their account deactivated, never
logged; issued and revoked on the admin page and by ``tracker api-token``."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import NOW, add_user, login
from tests.test_cli import run
from tracker.models.security import ApiToken
from tracker.services.api_tokens import issue_token, revoke_token

TOKEN_SHAPE = re.compile(r"trk_[A-Za-z0-9_-]{43}")


def stored_rows(db_session: Session) -> list[ApiToken]:
    db_session.rollback()  # a fresh snapshot (and fresh objects) for every look
    return list(db_session.exec(select(ApiToken)).scalars())  # type: ignore[call-overload]


def test_only_the_sha256_is_stored(db_session: Session) -> None:
    user = add_user(db_session, email="bot@example.org")
    _row, secret = issue_token(db_session, "Newsroom calendar", user, NOW, can_write=True)
    db_session.commit()
    assert TOKEN_SHAPE.fullmatch(secret)
    [stored] = stored_rows(db_session)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12] and stored.can_write and not stored.can_see_internal
    assert all(secret not in str(value) for value in stored.model_dump().values())


def ask(client: FlaskClient, secret: str) -> Any:
    return client.get("/api/events?start=2022-11-01&end=2022-12-01", headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize(
    "header",
    ["Bearer trk_" + "A" * 43, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", "trk_" + "A" * 43],
)
def test_a_token_that_opens_nothing_is_a_401_never_the_public_answer(client: FlaskClient, header: str) -> None:
    response = client.get("/api/events", headers={"Authorization": header})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]["status"] == 401


def test_revoked_tokens_and_deactivated_accounts_are_refused(client: FlaskClient, db_session: Session) -> None:
    user = add_user(db_session, email="bot@example.org")
    row, secret = issue_token(db_session, "bot", user, NOW)
    other_user = add_user(db_session, email="other@example.org")
    _row, other = issue_token(db_session, "other", other_user, NOW)
    db_session.commit()
    assert ask(client, secret).status_code == 200
    revoke_token(db_session, row.id, NOW)  # type: ignore[arg-type]
    db_session.commit()
    assert ask(client, secret).status_code == 401
    other_user.active = False
    db_session.add(other_user)
    db_session.commit()
    assert ask(client, other).status_code == 401


def test_the_last_use_is_recorded_after_the_answer(client: FlaskClient, db_session: Session) -> None:
    user = add_user(db_session, email="bot@example.org")
    _row, secret = issue_token(db_session, "bot", user, NOW)
    db_session.commit()
    response = ask(client, secret)
    assert response.status_code == 200
    assert stored_rows(db_session)[0].last_used_dt is None  # not while the answer is being sent
    response.close()  # what a server does once the answer is out
    assert stored_rows(db_session)[0].last_used_dt is not None


def test_the_token_is_never_logged(client: FlaskClient, db_session: Session, caplog: pytest.LogCaptureFixture) -> None:
    user = add_user(db_session, email="bot@example.org")
    _row, secret = issue_token(db_session, "bot", user, NOW, can_write=True)
    db_session.commit()
    with caplog.at_level(logging.DEBUG):
        ask(client, secret)
        client.post("/api/events", json={"title": ""}, headers={"Authorization": f"Bearer {secret}"})
    assert secret not in caplog.text and secret[12:] not in caplog.text


def test_an_admin_issues_a_token_shown_once_and_revokes_it(app: Flask, db_session: Session) -> None:
    admin = add_user(db_session, email="admin@example.org", role="admin", name="Ada Admin")
    add_user(db_session, email="robot@example.org", name="Robot")
    client = app.test_client()
    login(client, admin.email)
    form = {"name": "Partner ministry", "user": "robot@example.org", "can_write": "on"}
    issued = client.post("/admin/api-tokens", data=form)
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    [secret] = TOKEN_SHAPE.findall(issued.get_data(as_text=True))
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Partner ministry" in listing and secret[:12] in listing and secret not in listing
    assert ask(app.test_client(), secret).status_code == 200
    [stored] = stored_rows(db_session)
    assert stored.can_write and not stored.can_see_internal and stored.user_id is not None
    assert client.post(f"/admin/api-tokens/{stored.id}/revoke").status_code == 302
    assert ask(app.test_client(), secret).status_code == 401
    assert client.post("/admin/api-tokens", data={**form, "name": " "}).status_code == 400


def test_an_editor_may_not_manage_tokens(editor_client: FlaskClient) -> None:
    assert editor_client.get("/admin/api-tokens").status_code == 403
    assert editor_client.post("/admin/api-tokens", data={"name": "x", "user": "editor@example.org"}).status_code == 403


def test_the_command_issues_lists_and_revokes(
    app: Flask, database_url: str, tmp_path: Path, db_session: Session
) -> None:
    add_user(db_session, email="robot@example.org")
    result = run(
        ["api-token", "issue", "Newsroom", "--user", "robot@example.org", "--internal"], database_url, tmp_path
    )
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip()
    assert TOKEN_SHAPE.fullmatch(secret) and "shown only now" in result.stderr
    [stored] = stored_rows(db_session)
    assert stored.can_see_internal and not stored.can_write
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    listing = run(["api-token", "list"], database_url, tmp_path)
    assert f"{stored.id}\t{secret[:12]}…\tNewsroom\tinternal\trobot@example.org" in listing.stdout
    assert secret not in listing.stdout
    assert ask(app.test_client(), secret).status_code == 200
    revoked = run(["api-token", "revoke", str(stored.id)], database_url, tmp_path)
    assert revoked.returncode == 0 and "Revoked" in revoked.stdout
    assert ask(app.test_client(), secret).status_code == 401
    assert "revoked" in run(["api-token", "list"], database_url, tmp_path).stdout
    unknown = run(["api-token", "issue", "x", "--user", "nobody@example.org"], database_url, tmp_path)
    assert unknown.returncode != 0 and "no account" in unknown.stderr
    assert run(["api-token", "revoke", "999"], database_url, tmp_path).returncode != 0
