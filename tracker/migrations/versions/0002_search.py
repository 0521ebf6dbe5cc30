"""full-text search index and the event-duration index

SQLite: an FTS5 table ``event_search`` (rowid = event id). PostgreSQL: ``event_search`` (event id →
weighted ``tsvector``) with a GIN index, and the IMMUTABLE function ``tracker_search_fold`` that folds case
and Latin diacritics the way ``tracker.fulltext.fold`` does (no unaccent extension needed). On both,
triggers on events, their organisation/person/tag links and on renamed organisations and people keep the
index current, so bulk loads and edits made outside the app are searchable too.

``ix_event_duration`` (an expression index on end − start) makes "the longest event" an index lookup: month
and agenda queries use it as the lower bound on ``start_dt`` that lets the (start_dt, end_dt) index work.

The folding tables are written out here, not imported, so that this migration keeps meaning what it meant;
tests compare them with ``tracker.services.search``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SPECIAL_LETTERS = {
    "ł": "l", "đ": "d", "ø": "o", "ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ħ": "h", "ı": "i", "þ": "th",
}  # fmt: skip
#: Code points the PostgreSQL fold function maps (Latin with diacritics; Cyrillic for case).
FOLDED_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x0400, 0x04FF))
#: Letters FTS5's unicode61 tokenizer does not fold (no decomposition): replaced before indexing on SQLite.
SQLITE_EXTRA_FOLDS = (
    ("ł", "l"), ("Ł", "l"), ("đ", "d"), ("Đ", "d"), ("ø", "o"), ("Ø", "o"), ("ß", "ss"), ("ẞ", "ss"),
    ("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe"), ("ħ", "h"), ("Ħ", "h"), ("ı", "i"), ("þ", "th"),
    ("Þ", "th"),
)  # fmt: skip


def _fold_char(char: str) -> str:
    lowered = char.lower()
    if lowered in SPECIAL_LETTERS:
        return SPECIAL_LETTERS[lowered]
    code = ord(char)
    if not (code < 0x250 or 0x1E00 <= code <= 0x1EFF):
        return lowered
    return "".join(part for part in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(part))


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def postgresql_fold_sql() -> str:
    """Body of ``tracker_search_fold``: multi-letter replacements, then one ``translate``, then ``lower``."""
    single_from, single_to, multi = [], [], []
    for first, last in FOLDED_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            if unicodedata.category(char)[0] != "L":
                continue
            folded = _fold_char(char)
            if folded == char:
                continue
            if len(folded) == 1:
                single_from.append(char)
                single_to.append(folded)
            else:
                multi.append((char, folded))
    expression = "value"
    for char, folded in multi:
        expression = f"replace({expression}, {_quote(char)}, {_quote(folded)})"
    return f"SELECT lower(translate({expression}, {_quote(''.join(single_from))}, {_quote(''.join(single_to))}))"


def _sqlite_fold(expression: str) -> str:
    for char, folded in SQLITE_EXTRA_FOLDS:
        expression = f"replace({expression}, '{char}', '{folded}')"
    return expression


# What is indexed, per event: (column, SQL over the event ``e``).
_NAMES_SQL = (
    "coalesce((SELECT {agg}(o.name || ' ' || coalesce(o.acronym, ''), ' ') FROM event_organisation AS eo"
    " JOIN organisation AS o ON o.id = eo.organisation_id WHERE eo.event_id = e.id), '')"
    " || ' ' || coalesce((SELECT {agg}(p.name, ' ') FROM event_person AS ep"
    " JOIN person AS p ON p.id = ep.person_id WHERE ep.event_id = e.id), '')"
    " || ' ' || coalesce((SELECT {agg}(t.tag, ' ') FROM event_tag AS t WHERE t.event_id = e.id), '')"
)
_PLACE_SQL = "e.venue || ' ' || e.city"


def _sqlite_refresh(event_condition: str) -> str:
    """Statements that rebuild the index rows of the events matching ``event_condition`` (over ``e.id``)."""
    names = _NAMES_SQL.format(agg="group_concat")
    return (
        f"DELETE FROM event_search WHERE rowid IN (SELECT e.id FROM event AS e WHERE {event_condition});\n"
        "INSERT INTO event_search (rowid, title, names, place, description) "
        f"SELECT e.id, {_sqlite_fold('e.title')}, {_sqlite_fold(names)}, {_sqlite_fold(_PLACE_SQL)}, "
        f"{_sqlite_fold('e.description')} FROM event AS e WHERE {event_condition};"
    )


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE event_search USING fts5("
        "title, names, place, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    triggers = {
        "event_search_event_insert": ("AFTER INSERT ON event", _sqlite_refresh("e.id = NEW.id")),
        "event_search_event_update": (
            "AFTER UPDATE OF title, venue, city, description ON event",
            _sqlite_refresh("e.id = NEW.id"),
        ),
        "event_search_event_delete": ("AFTER DELETE ON event", "DELETE FROM event_search WHERE rowid = OLD.id;"),
        "event_search_org_update": (
            "AFTER UPDATE OF name, acronym ON organisation",
            _sqlite_refresh("e.id IN (SELECT event_id FROM event_organisation WHERE organisation_id = NEW.id)"),
        ),
        "event_search_person_update": (
            "AFTER UPDATE OF name ON person",
            _sqlite_refresh("e.id IN (SELECT event_id FROM event_person WHERE person_id = NEW.id)"),
        ),
    }
    for link in ("event_organisation", "event_person", "event_tag"):
        triggers[f"event_search_{link}_insert"] = (f"AFTER INSERT ON {link}", _sqlite_refresh("e.id = NEW.event_id"))
        triggers[f"event_search_{link}_delete"] = (f"AFTER DELETE ON {link}", _sqlite_refresh("e.id = OLD.event_id"))
        triggers[f"event_search_{link}_update"] = (
            f"AFTER UPDATE ON {link}",
            _sqlite_refresh("e.id IN (OLD.event_id, NEW.event_id)"),
        )
    for name, (when, body) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN\n{body}\nEND")
    op.execute(_sqlite_refresh("1 = 1").split("\n", 1)[1])  # index what is already there
    op.execute("CREATE INDEX ix_event_duration ON event ((julianday(end_dt) - julianday(start_dt)))")


def _postgresql_upgrade() -> None:
    op.execute(
        "CREATE TABLE event_search ("
        "event_id integer PRIMARY KEY REFERENCES event (id) ON DELETE CASCADE, document tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX ix_fts_event_search_document ON event_search USING gin (document)")
    op.execute(
        "CREATE FUNCTION tracker_search_fold(value text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$ {postgresql_fold_sql()} $fold$"
    )
    names = _NAMES_SQL.format(agg="string_agg")
    op.execute(
        f"""
        CREATE FUNCTION tracker_search_refresh(target integer) RETURNS void LANGUAGE plpgsql AS $refresh$
        BEGIN
          INSERT INTO event_search (event_id, document)
          SELECT e.id,
                 setweight(to_tsvector('simple'::regconfig, tracker_search_fold(e.title)), 'A')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold({names})), 'B')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold({_PLACE_SQL})), 'C')
              || setweight(to_tsvector('simple'::regconfig, tracker_search_fold(e.description)), 'D')
          FROM event AS e WHERE e.id = target
          ON CONFLICT (event_id) DO UPDATE SET document = EXCLUDED.document;
          IF NOT FOUND THEN
            DELETE FROM event_search WHERE event_id = target;
          END IF;
        END
        $refresh$
        """
    )
    op.execute(
        """
        CREATE FUNCTION tracker_search_on_change() RETURNS trigger LANGUAGE plpgsql AS $trigger$
        BEGIN
          IF TG_TABLE_NAME = 'event' THEN
            PERFORM tracker_search_refresh(NEW.id);
          ELSIF TG_TABLE_NAME = 'organisation' THEN
            PERFORM tracker_search_refresh(eo.event_id) FROM event_organisation AS eo WHERE eo.organisation_id = NEW.id;
          ELSIF TG_TABLE_NAME = 'person' THEN
            PERFORM tracker_search_refresh(ep.event_id) FROM event_person AS ep WHERE ep.person_id = NEW.id;
          ELSE
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
              PERFORM tracker_search_refresh(OLD.event_id);
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
              PERFORM tracker_search_refresh(NEW.event_id);
            END IF;
          END IF;
          RETURN NULL;
        END
        $trigger$
        """
    )
    triggers = {
        "event_search_event": "AFTER INSERT OR UPDATE OF title, venue, city, description ON event",
        "event_search_org": "AFTER UPDATE OF name, acronym ON organisation",
        "event_search_person": "AFTER UPDATE OF name ON person",
        "event_search_event_organisation": "AFTER INSERT OR UPDATE OR DELETE ON event_organisation",
        "event_search_event_person": "AFTER INSERT OR UPDATE OR DELETE ON event_person",
        "event_search_event_tag": "AFTER INSERT OR UPDATE OR DELETE ON event_tag",
    }
    for name, when in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION tracker_search_on_change()")
    op.execute("SELECT tracker_search_refresh(id) FROM event")  # index what is already there
    op.execute("CREATE INDEX ix_event_duration ON event ((end_dt - start_dt))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DROP INDEX IF EXISTS ix_event_duration")
    if bind.dialect.name == "postgresql":
        for name, table_name in (
            ("event_search_event", "event"),
            ("event_search_org", "organisation"),
            ("event_search_person", "person"),
            ("event_search_event_organisation", "event_organisation"),
            ("event_search_event_person", "event_person"),
            ("event_search_event_tag", "event_tag"),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table_name}")
        op.execute("DROP FUNCTION IF EXISTS tracker_search_on_change()")
        op.execute("DROP FUNCTION IF EXISTS tracker_search_refresh(integer)")
        op.execute("DROP FUNCTION IF EXISTS tracker_search_fold(text)")
        op.execute("DROP TABLE IF EXISTS event_search")
    else:
        query = sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'event_search_%'")
        for (name,) in bind.execute(query).fetchall():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS event_search")
