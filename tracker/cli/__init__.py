"""The ``tracker`` command: a Flask CLI group (``flask --app tracker …`` works the same)."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from tracker.config import ConfigError


def _create_app() -> Flask:
    from tracker import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """Conference Tracker: events, feeds and reminders."""


def _upgrade_database(app: Flask) -> None:
    from tracker.migrations import upgrade
    from tracker.web.sessions import get_engine

    upgrade(get_engine(app))


@cli.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply all Alembic migrations (safe to repeat)."""
    _upgrade_database(current_app)
    click.echo("Database is up to date.")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="Worker threads.")
@click.option("--no-scheduler", is_flag=True, help="Do not run the reminder scheduler in this process.")
@with_appcontext
def serve(host: str, port: int, threads: int, no_scheduler: bool) -> None:
    """Run the app with a production WSGI server (waitress), migrating the database first."""
    import waitress

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _upgrade_database(app)
    shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    if not app.config["BASE_URL_CONFIGURED"]:
        # Links in pages, feeds and mail must reach this server, not a default port nobody listens on.
        shown = f"[{shown_host}]" if ":" in shown_host else shown_host
        app.config["BASE_URL"] = f"http://{shown}:{port}"
    scheduler = None  # started after BASE_URL is final: its first tick may already mail links
    if not no_scheduler:
        from tracker import scheduler as scheduler_module

        scheduler = scheduler_module.start_in_process(app)
    # waitress buffers a whole body before the app sees it: refuse too large ones (413) from the headers alone.
    # Its limit counts ">=", Flask's ">", hence the + 1.
    body_limit = int(app.config["MAX_CONTENT_LENGTH"]) + 1
    server = waitress.create_server(
        app, host=host, port=port, threads=threads, ident="tracker", max_request_body_size=body_limit
    )
    # Printed once the socket is bound, so whoever reads this line can connect at once.
    click.echo(f"Conference Tracker is running at http://{shown_host}:{port}/  (Ctrl+C to stop)")
    if not app.config["BASE_URL_CONFIGURED"]:
        click.echo(  # after the banner, which stays the first line a script reads
            f"TRACKER_BASE_URL is not set: links in feeds and e-mail use {app.config['BASE_URL']} "
            "(set TRACKER_BASE_URL to the address your users reach).",
            err=True,
        )
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if scheduler is not None:
            scheduler.shutdown(wait=False)


@cli.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "editor"]), default="editor", show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
@with_appcontext
def create_user(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an editor or admin account (or reset an existing account's password and role).

    A reset ends every session the account had and lifts its login lockout.
    """
    from tracker.db import write_session
    from tracker.models import User
    from tracker.services.accounts import check_password_strength, end_sessions, forget_login_failures, hash_password
    from tracker.validation import normalise_email
    from tracker.web.sessions import get_engine

    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = check_password_strength(password)
    if problem:
        raise click.ClickException(f"password refused: {problem}")
    _upgrade_database(current_app)
    password_hash = hash_password(password)  # before the transaction: it holds the write lock on SQLite
    with write_session(get_engine()) as session:
        user = session.exec(select(User).where(User.email == email)).scalar_one_or_none()
        created = user is None
        if user is None:
            user = User(email=email, password_hash="")
        user.password_hash = password_hash
        user.role = role
        user.name = name or user.name
        user.active = True
        session.add(user)
        session.flush()
        if not created:
            end_sessions(session, user.id)
            forget_login_failures(session, email)
        session.commit()
    click.echo(f"{'Created' if created else 'Updated'} {role} {email}.")


@cli.command("deactivate-user")
@click.argument("email")
@with_appcontext
def deactivate_user(email: str) -> None:
    """Deactivate an account: it can no longer log in and every session it had ends (create-user reactivates)."""
    from tracker.db import write_session
    from tracker.models import User
    from tracker.services.accounts import end_sessions
    from tracker.validation import normalise_email
    from tracker.web.sessions import get_engine

    try:
        email = normalise_email(email)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="EMAIL") from None
    with write_session(get_engine()) as session:
        user = session.exec(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None or user.id is None:
            raise click.ClickException(f"no account {email!r}")
        user.active = False
        session.flush()
        end_sessions(session, user.id)
        session.commit()
        click.echo(f"Deactivated {user.email}; its sessions have ended.")


@cli.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo data set (idempotent: running it twice adds nothing)."""
    from tracker.db import write_session
    from tracker.models import utcnow
    from tracker.services.demo import load_demo
    from tracker.web.sessions import get_engine

    _upgrade_database(current_app)
    with write_session(get_engine()) as session:
        added = load_demo(session, utcnow())
        session.commit()
    click.echo(f"Demo data loaded: {added} new event(s).")


def main() -> None:
    cli(prog_name="tracker")


# --- press releases (issue 11) --------------------------------------------------------------------------------

#: The largest release ``tracker extract`` reads.
MAX_RELEASE_BYTES = 1_000_000


def _release_text(source: str) -> str:
    """The release from a file or standard input ("-"), as UTF-8, refused when too large or not text."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_RELEASE_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_RELEASE_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(raw) > MAX_RELEASE_BYTES:
        raise click.ClickException(f"{source} is larger than {MAX_RELEASE_BYTES:,} bytes; paste one release at a time")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{source} is not UTF-8 text (byte {exc.start + 1} is not valid)") from None


@cli.command("extract")
@click.argument("source", metavar="FILE|-")
@click.option("--dateline", type=click.DateTime(formats=["%Y-%m-%d"]), help="The release's date (else read from it).")
@click.option(
    "--database/--no-database",
    default=True,
    show_default=True,
    help="Recognise the organisations already in the database (their names, acronyms and aliases).",
)
@with_appcontext
def extract_command(source: str, dateline: Any, database: bool) -> None:
    """Print the draft events a press release reports or announces, as JSON (nothing is stored)."""
    import json

    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from tracker.db import read_only_bind
    from tracker.extraction.drafts import extract_json
    from tracker.services.directory import known_organisations
    from tracker.web.sessions import get_engine

    text = _release_text(source)
    known = []
    if database:
        try:
            with Session(read_only_bind(get_engine())) as session:
                known = known_organisations(session)
        except SQLAlchemyError:
            click.echo("note: no database to read organisations from; using the built-in list only", err=True)
    result = extract_json(text, dateline=dateline.date() if dateline else None, known=known)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


# --- reminders (issue 5) -----------------------------------------------------------------------------------


@cli.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the reminder scheduler in this process (one tick every SCHEDULER_INTERVAL_SECONDS, at most 30 s).

    Run one per host or several: reminders are claimed in the database, so none is sent twice.
    Run ``tracker db upgrade`` first; this command does not migrate.
    """
    import logging
    import signal

    from tracker import scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def _stop(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, _stop)
    click.echo(f"Reminder scheduler running every {scheduler.interval_seconds(app)} s (Ctrl+C to stop).")
    sys.stdout.flush()
    scheduler.run_blocking(app)


@cli.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Plan and send every due reminder once, then exit (for cron)."""
    from tracker import scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    summary = scheduler.run_tick(app)
    click.echo(", ".join(f"{key}: {value}" for key, value in summary.items()))


def _add_commands() -> None:
    """The commands kept in modules of their own (``tracker.cli.imports``, ``tracker.cli.api_tokens``)."""
    from tracker.cli.api_tokens import api_token_group
    from tracker.cli.imports import import_command

    cli.add_command(import_command)
    cli.add_command(api_token_group)


_add_commands()
