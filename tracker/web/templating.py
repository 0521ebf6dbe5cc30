"""Every Jinja filter and global the templates use, registered in this one place."""

from __future__ import annotations

from flask import Flask

from tracker import formatting
from tracker.countries import country_choices
from tracker.models import EventKind, EventStatus, OrganisationKind, OrganisationRole, Visibility
from tracker.services import search
from tracker.timezones import zone_names
from tracker.web import links


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(formatting.TEMPLATE_FILTERS, highlight=search.highlight, snippet=search.snippet)
    app.jinja_env.globals.update(
        choices=formatting.enum_choices,
        zone_names=zone_names(),
        country_choices=country_choices(),
        filter_url=links.filter_url,
        week_of=links.week_of,
        feed_links=links.feed_links,
        EventKind=EventKind,
        EventStatus=EventStatus,
        Visibility=Visibility,
        OrganisationKind=OrganisationKind,
        OrganisationRole=OrganisationRole,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
