"""``tracker api-token``: JSON API tokens issued, listed and revoked by an operator."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

# --- API tokens (issue 12) ------------------------------------------------------------------------------------


@click.group("api-token")
def api_token_group() -> None:
    """Issue, list and revoke tokens for the JSON API (the token is shown once, when issued)."""


@api_token_group.command("issue")
@click.argument("name")
@click.option("--user", "email", required=True, help="The account the token acts as (revisions name it).")
@click.option("--write", is_flag=True, help="May create, update and cancel events.")
@click.option("--internal", is_flag=True, help="May read (and write) internal events.")
@with_appcontext
def api_token_issue(name: str, email: str, write: bool, internal: bool) -> None:
    """Issue a token named NAME; prints the token once (only its hash is stored)."""
    from tracker.db import write_session
    from tracker.models import User, utcnow
    from tracker.services.api_tokens import TokenError, issue_token
    from tracker.web.sessions import get_engine

    with write_session(get_engine(), expire_on_commit=False) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
        if user is None:
            raise click.ClickException(f"no account {email!r}")
        try:
            token, secret = issue_token(session, name, user, utcnow(), can_write=write, can_see_internal=internal)
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        session.commit()
    click.echo(f"Issued API token {token.id} ({token.name}) for {user.email}. It is shown only now:", err=True)
    click.echo(secret)


@api_token_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def api_token_revoke(token_id: int) -> None:
    """Revoke the token with id TOKEN_ID for good."""
    from tracker.db import write_session
    from tracker.models import utcnow
    from tracker.services.api_tokens import TokenError, revoke_token
    from tracker.web.sessions import get_engine

    with write_session(get_engine(), expire_on_commit=False) as session:
        try:
            token = revoke_token(session, token_id, utcnow())
        except TokenError as exc:
            raise click.ClickException(str(exc)) from None
        session.commit()
    click.echo(f"Revoked API token {token.id} ({token.name}).")


@api_token_group.command("list")
@with_appcontext
def api_token_list() -> None:
    """Every token: id, prefix, rights, account, last use, revoked."""
    from sqlmodel import Session

    from tracker.services.api_tokens import list_tokens
    from tracker.web.sessions import get_engine

    with Session(get_engine()) as session:
        for token, user in list_tokens(session):
            rights = "+".join(
                name for name, on in (("write", token.can_write), ("internal", token.can_see_internal)) if on
            )
            state = f"revoked {token.revoked_dt:%Y-%m-%d}" if token.revoked_dt else "active"
            used = f"{token.last_used_dt:%Y-%m-%d %H:%M}" if token.last_used_dt else "never"
            who = user.email if user else "-"
            click.echo(f"{token.id}\t{token.prefix}…\t{token.name}\t{rights or 'read'}\t{who}\tused {used}\t{state}")
