"""``tracker import``: an .ics file or feed imported from the command line."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

# --- iCalendar import (issue 12) -------------------------------------------------------------------------------


def _ics_bytes(source: str, settings: Any) -> bytes:
    """The file, or the feed at an http(s)/webcal address (fetched with the sources' safety rules)."""
    from tracker.services.fetching import FetchError, fetch, source_url

    if "://" in source:
        try:
            return fetch(source_url(source), limits=settings.fetch).body
        except (ValueError, FetchError) as exc:
            raise click.ClickException(f"cannot fetch {source}: {exc}") from None
    try:
        with open(source, "rb") as handle:
            data = handle.read(settings.max_bytes + 1)
    except OSError as exc:
        raise click.ClickException(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > settings.max_bytes:
        raise click.ClickException(f"{source} is larger than {settings.max_bytes:,} bytes")
    return data


@click.command("import")
@click.argument("source", metavar="FILE|URL")
@click.option(
    "--kind",
    "default_kind",
    type=click.Choice(["conference", "official_visit", "meeting", "other"]),
    default="meeting",
    show_default=True,
    help="Kind of events whose file names none.",
)
@click.option("--visibility", "default_visibility", type=click.Choice(["public", "internal"]), default="public")
@click.option("--tags", "default_tags", default="", help="Tags for every event, separated by commas.")
@click.option("--organisation", default="", help="An organisation of the directory that hosts the events.")
@click.option("--dry-run", is_flag=True, help="Print what would happen; store nothing.")
@click.option("--create-duplicates", is_flag=True, help="Create events flagged as possible duplicates too.")
@with_appcontext
def import_command(source: str, dry_run: bool, create_duplicates: bool, **typed: str) -> None:
    """Import the events of an .ics file or feed; a bad file changes nothing and exits with status 1."""
    from tracker.db import write_session
    from tracker.ical.reading import read_calendar
    from tracker.models import utcnow
    from tracker.services.import_forms import defaults_values, import_defaults, known_organisation
    from tracker.services.import_words import action_label, describe_counts
    from tracker.services.imports import apply_import, plan_import
    from tracker.services.sources import SyncSettings
    from tracker.validation import InputError
    from tracker.web.sessions import get_engine

    settings, now = SyncSettings.from_config(current_app.config), utcnow()
    result = read_calendar(_ics_bytes(source, settings), settings.read_limits(now.date()))
    with write_session(get_engine()) as session:
        try:
            values = defaults_values(typed)
            defaults = import_defaults(values, known_organisation(session, values["organisation"]), source[-300:])
        except InputError as exc:
            raise click.ClickException("; ".join(exc.errors.values())) from None
        plan = plan_import(session, result, defaults, source_id=None, now=now)
        if not plan.ok:
            click.echo(f"{source} was not imported; nothing was changed:", err=True)
            for problem in plan.problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1)
        for change in plan.changes:
            click.echo(f"{action_label(change.action).lower():>14}  {change.shown_when:<28} {change.title}")
        if dry_run:
            click.echo(f"dry run: {len(plan.changes)} events read, nothing stored")
            return
        chosen = frozenset(change.key for change in plan.changes) if create_duplicates else frozenset()
        counts = apply_import(session, plan, None, now, source_id=None, create_duplicates=chosen)
        session.commit()
    click.echo(describe_counts(counts))
