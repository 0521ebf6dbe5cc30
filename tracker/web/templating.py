"""Every Jinja filter and global the templates use, registered in this one place."""

from __future__ import annotations

from flask import Flask

from tracker import event_texts, formatting, i18n, organisation_names
from tracker.countries import country_choices
from tracker.models import Event, EventKind, EventStatus, OrganisationKind, OrganisationRole, Visibility, utcnow
from tracker.services import search
from tracker.services.reminders import leads, rules
from tracker.timezones import zone_names
from tracker.web import language, links


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        formatting.TEMPLATE_FILTERS,
        highlight=search.highlight,
        snippet=search.snippet,
        lead_label=lambda minutes: leads.lead_label(int(minutes)),
    )
    app.jinja_env.globals.update(
        choices=formatting.enum_choices,
        script_texts=formatting.script_texts,
        zone_names=zone_names(),
        country_choices=country_choices,
        filter_url=links.filter_url,
        week_of=links.week_of,
        feed_links=links.feed_links,
        embed_links=links.embed_links,
        reminder_lead_choices=leads.LEAD_CHOICES,
        reminders_offered=reminders_offered,
        subscription_status_label=formatting.subscription_status_label,
        EventKind=EventKind,
        EventStatus=EventStatus,
        Visibility=Visibility,
        OrganisationKind=OrganisationKind,
        OrganisationRole=OrganisationRole,
    )
    i18n.install_in_jinja(app.jinja_env)
    app.jinja_env.globals.update(language_url=language.language_url, base_url=links.base_url)
    # An event's title and texts in the reader's language (``tracker.event_texts``: fallback and its note, lang).
    app.jinja_env.globals.update(local_title=event_texts.local_title, local_text=event_texts.localized)
    # An organisation's name in the reader's language (``tracker.organisation_names``: else the stored one).
    app.jinja_env.globals.update(
        local_name=organisation_names.local_name,
        local_acronym=organisation_names.local_acronym,
        local_label=organisation_names.local_label,
        local_short=organisation_names.local_short,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def reminders_offered(event: Event | None) -> bool:
    """Whether the reminder form is shown for this event: the planning rule itself (``rules.gets_reminders``)."""
    return rules.gets_reminders(event, utcnow())
