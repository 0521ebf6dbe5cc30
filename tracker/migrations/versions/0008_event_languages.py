"""event languages: the language of an event's own title and description, and its translations; search finds them

``event.language`` (en, mk or sq) is the language of ``title`` and ``description``; ``event.translations`` holds
the texts in the other languages as JSON ``{"mk": {"title": …, "description": …}}`` (``tracker.event_texts``).

The full-text index of 0002 now holds every language: its ``title`` part is the event's title followed by the
translated titles, its ``description`` part likewise (so ranking still weighs titles above descriptions). SQLite
reads the JSON with ``json_each``/``json_extract`` (text that is not valid JSON counts as no translations);
PostgreSQL with ``jsonb_each`` in ``tracker_search_translated``, which answers '' for text that is not a JSON
object instead of failing the write. The triggers on ``event`` fire on changes of ``translations`` too. The
downgrade puts 0002's index and triggers back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: 0002's folding and its per-event SQL (names, place): unchanged here, so taken from it.
_search = importlib.import_module("tracker.migrations.versions.0002_search")

_SQLITE_TRANSLATED = (
    "coalesce((SELECT group_concat(json_extract(j.value, '$.{field}'), ' ') FROM json_each("
    "CASE WHEN json_valid(e.translations) THEN e.translations ELSE '{{}}' END) AS j WHERE j.type = 'object'), '')"
)
#: (title, description, the event columns whose update re-indexes) before and after this revision.
_PLAIN = ("e.title", "e.description", "title, venue, city, description")
_SQLITE_TRANSLATIONS = (
    "e.title || ' ' || " + _SQLITE_TRANSLATED.format(field="title"),
    "e.description || ' ' || " + _SQLITE_TRANSLATED.format(field="description"),
    "title, venue, city, description, translations",
)
_POSTGRESQL_TRANSLATIONS = (
    "e.title || ' ' || tracker_search_translated(e.translations, 'title')",
    "e.description || ' ' || tracker_search_translated(e.translations, 'description')",
    "title, venue, city, description, translations",
)


def _sqlite_refresh(event_condition: str, title: str, description: str) -> str:
    """0002's statements rebuilding the index rows of the events matching ``event_condition``, with these texts."""
    fold, names = _search._sqlite_fold, _search._NAMES_SQL.format(agg="group_concat")
    return (
        f"DELETE FROM event_search WHERE rowid IN (SELECT e.id FROM event AS e WHERE {event_condition});\n"
        "INSERT INTO event_search (rowid, title, names, place, description) "
        f"SELECT e.id, {fold(title)}, {fold(names)}, {fold(_search._PLACE_SQL)}, "
        f"{fold(description)} FROM event AS e WHERE {event_condition};"
    )


def _sqlite_triggers(title: str, description: str, event_columns: str) -> None:
    """Drop every index trigger and create 0002's set with these texts, then re-index every event."""
    bind = op.get_bind()
    query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'event_search_%'")
    for (name,) in bind.execute(query).fetchall():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")

    def refresh(condition: str) -> str:
        return _sqlite_refresh(condition, title, description)

    triggers = {
        "event_search_event_insert": ("AFTER INSERT ON event", refresh("e.id = NEW.id")),
        "event_search_event_update": (f"AFTER UPDATE OF {event_columns} ON event", refresh("e.id = NEW.id")),
        "event_search_event_delete": ("AFTER DELETE ON event", "DELETE FROM event_search WHERE rowid = OLD.id;"),
        "event_search_org_update": (
            "AFTER UPDATE OF name, acronym ON organisation",
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


def _postgresql_refresh(title: str, description: str, event_columns: str) -> None:
    """0002's ``tracker_search_refresh`` with these texts, the event trigger on these columns, every event
    re-indexed."""
    names = _search._NAMES_SQL.format(agg="string_agg")
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
    op.execute("DROP TRIGGER IF EXISTS event_search_event ON event")
    op.execute(
        f"CREATE TRIGGER event_search_event AFTER INSERT OR UPDATE OF {event_columns} ON event "
        "FOR EACH ROW EXECUTE FUNCTION tracker_search_on_change()"
    )
    op.execute("SELECT tracker_search_refresh(id) FROM event")


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), server_default="en", nullable=False))
        batch.add_column(sa.Column("translations", sa.Text(), server_default="{}", nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION tracker_search_translated(stored text, field text) RETURNS text
            LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $translated$
            BEGIN
              RETURN coalesce((SELECT string_agg(j.value ->> field, ' ') FROM jsonb_each(stored::jsonb) AS j
                               WHERE jsonb_typeof(j.value) = 'object'), '');
            EXCEPTION WHEN others THEN
              RETURN '';
            END
            $translated$
            """
        )
        _postgresql_refresh(*_POSTGRESQL_TRANSLATIONS)
    else:
        _sqlite_triggers(*_SQLITE_TRANSLATIONS)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("DROP TRIGGER IF EXISTS event_search_event ON event")
    else:
        query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'event_search_%'")
        for (name,) in op.get_bind().execute(query).fetchall():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("translations")
        batch.drop_column("language")
    if postgresql:
        _postgresql_refresh(*_PLAIN)
        op.execute("DROP FUNCTION IF EXISTS tracker_search_translated(text, text)")
    else:
        _sqlite_triggers(*_PLAIN)
