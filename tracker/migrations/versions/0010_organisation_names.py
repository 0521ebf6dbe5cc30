"""organisation names: an organisation's name and acronym in the other interface languages; search finds them

``organisation.translations`` holds them as JSON ``{"mk": {"name": …, "acronym": …}}``
(``tracker.organisation_names``); ``name`` and ``acronym`` stay the stored (English) ones.

The full-text index's ``names`` part (0002, 0008) now holds each organisation's translated names and acronyms
after its own, so a name typed in Macedonian finds its events; the triggers on ``organisation`` fire on changes
of ``translations`` too. Text that is not a JSON object counts as no translations (SQLite: ``json_valid``;
PostgreSQL: 0008's ``tracker_search_translated``). The downgrade puts 0008's index and triggers back, then drops
the column (plain ALTER TABLE on both backends: a batch copy of the table would lose its triggers).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_search = importlib.import_module("tracker.migrations.versions.0002_search")
_languages = importlib.import_module("tracker.migrations.versions.0008_event_languages")

_SQLITE_ORG_TRANSLATED = (
    "coalesce((SELECT group_concat(coalesce(json_extract(j.value, '$.name'), '') || ' ' || "
    "coalesce(json_extract(j.value, '$.acronym'), ''), ' ') FROM json_each("
    "CASE WHEN json_valid(o.translations) THEN o.translations ELSE '{}' END) AS j WHERE j.type = 'object'), '')"
)
_POSTGRESQL_ORG_TRANSLATED = (
    "tracker_search_translated(o.translations, 'name') || ' ' || tracker_search_translated(o.translations, 'acronym')"
)


def _names_sql(agg: str, translated: str) -> str:
    """0002's names of an event's organisations and people, each organisation's translated names added."""
    return (
        f"coalesce((SELECT {agg}(o.name || ' ' || coalesce(o.acronym, '') || ' ' || {translated}, ' ')"
        " FROM event_organisation AS eo JOIN organisation AS o ON o.id = eo.organisation_id"
        " WHERE eo.event_id = e.id), '')"
        + _search._NAMES_SQL.split("WHERE eo.event_id = e.id), '')", 1)[1].format(agg=agg)
    )


def _sqlite_triggers() -> None:
    """0008's triggers with the translated organisation names; every event re-indexed."""
    title, description, event_columns = _languages._SQLITE_TRANSLATIONS
    names, fold = _names_sql("group_concat", _SQLITE_ORG_TRANSLATED), _search._sqlite_fold
    bind = op.get_bind()
    query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'event_search_%'")
    for (name,) in bind.execute(query).fetchall():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")

    def refresh(condition: str) -> str:
        return (
            f"DELETE FROM event_search WHERE rowid IN (SELECT e.id FROM event AS e WHERE {condition});\n"
            "INSERT INTO event_search (rowid, title, names, place, description) "
            f"SELECT e.id, {fold(title)}, {fold(names)}, {fold(_search._PLACE_SQL)}, "
            f"{fold(description)} FROM event AS e WHERE {condition};"
        )

    triggers = {
        "event_search_event_insert": ("AFTER INSERT ON event", refresh("e.id = NEW.id")),
        "event_search_event_update": (f"AFTER UPDATE OF {event_columns} ON event", refresh("e.id = NEW.id")),
        "event_search_event_delete": ("AFTER DELETE ON event", "DELETE FROM event_search WHERE rowid = OLD.id;"),
        "event_search_org_update": (
            "AFTER UPDATE OF name, acronym, translations ON organisation",
            refresh("e.id IN (SELECT event_id FROM event_organisation WHERE organisation_id = NEW.id)"),
        ),
        "event_search_person_update": (
            "AFTER UPDATE OF name ON person",
            refresh("e.id IN (SELECT event_id FROM event_person WHERE person_id = NEW.id)"),
        ),
    }
    for link in ("event_organisation", "event_person", "event_tag"):
        triggers[f"event_search_{link}_insert"] = (f"AFTER INSERT ON {link}", refresh("e.id = NEW.event_id"))
        triggers[f"event_search_{link}_delete"] = (f"AFTER DELETE ON {link}", refresh("e.id = OLD.event_id"))
        triggers[f"event_search_{link}_update"] = (
            f"AFTER UPDATE ON {link}",
            refresh("e.id IN (OLD.event_id, NEW.event_id)"),
        )
    for name, (when, body) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN\n{body}\nEND")
    op.execute("DELETE FROM event_search")
    op.execute(refresh("1 = 1").split("\n", 1)[1])


def _postgresql_refresh() -> None:
    """0008's ``tracker_search_refresh`` with the translated organisation names; every event re-indexed."""
    title, description, _columns = _languages._POSTGRESQL_TRANSLATIONS
    names = _names_sql("string_agg", _POSTGRESQL_ORG_TRANSLATED)
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION tracker_search_refresh(target integer) RETURNS void LANGUAGE plpgsql AS $refresh$
        BEGIN
          INSERT INTO event_search (event_id, document)
          SELECT e.id,
                 setweight(to_tsvector('simple'::regconfig, tracker_search_fold({title})), 'A')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold({names})), 'B')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold({_search._PLACE_SQL})), 'C')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold({description})), 'D')
          FROM event AS e WHERE e.id = target
          ON CONFLICT (event_id) DO UPDATE SET document = EXCLUDED.document;
          IF NOT FOUND THEN
            DELETE FROM event_search WHERE event_id = target;
          END IF;
        END
        $refresh$
        """
    )
    _org_trigger("name, acronym, translations")
    op.execute("SELECT tracker_search_refresh(id) FROM event")


def _org_trigger(columns: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS event_search_org ON organisation")
    op.execute(
        f"CREATE TRIGGER event_search_org AFTER UPDATE OF {columns} ON organisation "
        "FOR EACH ROW EXECUTE FUNCTION tracker_search_on_change()"
    )


def upgrade() -> None:
    op.add_column("organisation", sa.Column("translations", sa.Text(), server_default="{}", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_refresh()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _org_trigger("name, acronym")
        _languages._postgresql_refresh(*_languages._POSTGRESQL_TRANSLATIONS)
    else:
        _languages._sqlite_triggers(*_languages._SQLITE_TRANSLATIONS)
    op.drop_column("organisation", "translations")
