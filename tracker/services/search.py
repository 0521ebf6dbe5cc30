"""Free-text search over events, on the database's own full-text index.

The index (built by migration 0002 and kept current by triggers, so bulk loads and renamed organisations
are covered too) holds, per event: title; organisation names and acronyms, people and tags; venue and
city; description. SQLite uses FTS5 (``unicode61 remove_diacritics 2``), PostgreSQL a weighted
``tsvector`` of the ``simple`` configuration over ``tracker_search_fold(text)`` with a GIN index.

Both sides fold text the same way (``fold``): lower case, Latin diacritics removed (``Rakušan`` →
``rakusan``), a few letters without a decomposition spelled out (``ł`` → ``l``, ``ß`` → ``ss``); Cyrillic
stays Cyrillic. Each query word is matched as a prefix, in its own script and transliterated (Macedonian
rules), so ``Skopje`` finds ``Скопје`` and ``Скопје`` finds ``Skopje`` (``tracker.fulltext`` builds the
condition and folds). Results are ranked (bm25 / ts_rank, title above names above place above description)
and matches are highlighted with ``<mark>``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Select, String, bindparam, column, func, literal_column, select, table
from sqlmodel import Session

from tracker.fulltext import WORD, fold, fts5_query, query_words, tsquery
from tracker.models import Event
from tracker.services.listing import page_parameters, with_organisations


@dataclass(frozen=True)
class SearchHit:
    event: Event
    rank: float


@lru_cache(maxsize=256)
def _ranked_statement(event_filter: Any, include_internal: bool, dialect: str) -> Select[Any]:
    """Ids and ranks of the events matching ``:fts5_query`` / ``:tsquery`` (and ``event_filter``, which has no
    ``q``), best first, a page at a time. Ids only: the sort then carries no wide rows, the events of the page
    are loaded afterwards (``_events_by_id``)."""
    statement = event_filter.apply(select(Event.id), include_internal=include_internal)
    if dialect == "postgresql":
        index = table("event_search", column("event_id"), column("document"))
        parsed = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("tsquery", type_=String()))
        rank = func.ts_rank(index.c.document, parsed)
        statement = (
            statement.join(index, index.c.event_id == Event.id)
            .where(index.c.document.op("@@")(parsed))
            .add_columns(rank.label("rank"))
            .order_by(rank.desc(), Event.start_dt.desc(), Event.id)
        )
    else:
        index = table("event_search", column("rowid"))
        rank = literal_column("bm25(event_search, 10.0, 5.0, 3.0, 1.0)")
        statement = (
            statement.join(index, index.c.rowid == Event.id)
            .where(literal_column("event_search").op("MATCH")(bindparam("fts5_query", type_=String())))
            .add_columns(rank.label("rank"))
            .order_by(rank, Event.start_dt.desc(), Event.id)
        )
    return page_parameters(statement)


_EVENTS_BY_ID = with_organisations(select(Event).where(Event.id.in_(bindparam("ids", expanding=True))))


def search_events(
    session: Session,
    event_filter: Any,
    *,
    include_internal: bool,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchHit]:
    """Events matching ``event_filter.q`` (and its other filters), best match first, any date.

    Ranking: bm25 on SQLite, ts_rank on PostgreSQL; title weighs most, then organisations/people/tags,
    then the place, then the description. Ties go to the later event.
    """
    if not query_words(event_filter.q):
        return []
    dialect = session.get_bind().dialect.name
    statement = _ranked_statement(replace(event_filter, q="", tz=""), include_internal, dialect)
    parameters: dict[str, Any] = {"page_limit": limit, "page_offset": offset}
    if dialect == "postgresql":
        parameters["tsquery"], sign = tsquery(event_filter.q), 1.0
    else:
        parameters["fts5_query"], sign = fts5_query(event_filter.q), -1.0  # bm25: lower is better
    ranked = session.exec(statement, params=parameters).all()  # type: ignore[call-overload]
    if not ranked:
        return []
    loaded = session.exec(_EVENTS_BY_ID, params={"ids": [row[0] for row in ranked]}).scalars()  # type: ignore[call-overload]
    events = {event.id: event for event in loaded}
    return [SearchHit(event=events[ident], rank=sign * float(rank)) for ident, rank in ranked]


def highlight_terms(query: str) -> tuple[str, ...]:
    """Every folded variant of every query word: a text word whose folded form starts with one is a match."""
    return tuple(dict.fromkeys(variant for variants in query_words(query) for variant in variants))


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    folded = fold(word)
    return any(folded.startswith(term) for term in terms)


def highlight(text: str | None, terms: tuple[str, ...] | list[str] | None) -> Markup:
    """``text`` escaped, with each matching word wrapped in ``<mark>``."""
    text = text or ""
    if not terms:
        return escape(text)
    terms = tuple(terms)
    parts: list[str] = []
    position = 0
    for match in WORD.finditer(text):
        if _matches(match.group(), terms):
            parts.append(str(escape(text[position : match.start()])))
            parts.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    parts.append(str(escape(text[position:])))
    return Markup("".join(parts))


def snippet(text: str | None, terms: tuple[str, ...] | list[str] | None, words: int = 28) -> Markup:
    """A short excerpt of ``text`` around its first match (or its start), highlighted."""
    tokens = (text or "").split()
    if not tokens:
        return Markup("")
    terms = tuple(terms or ())
    first = next(
        (index for index, token in enumerate(tokens) if any(_matches(w, terms) for w in WORD.findall(token))), 0
    )
    start = max(0, first - words // 3)
    end = min(len(tokens), start + words)
    excerpt = " ".join(tokens[start:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(tokens) else ""
    return Markup(prefix) + highlight(excerpt, terms) + Markup(suffix)
