"""Ranked free-text search over events, with highlighting and snippets for the results page.

What the index holds and how words match (folding, prefixes, Cyrillic ↔ Latin) is ``tracker.fulltext``.
Results are ranked by bm25 (SQLite) or ts_rank (PostgreSQL): title above names above place above description.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Integer, Select, String, bindparam, column, func, literal_column, select, table
from sqlmodel import Session

from tracker.fulltext import WORD, fold, fts5_query, query_words, tsquery
from tracker.models import Event
from tracker.services.listing import LIST_COLUMNS, ListedEvent, listed_events, page_parameters
from tracker.visibility import listed_condition


@dataclass(frozen=True)
class SearchHit:
    event: ListedEvent
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


_EVENTS_BY_ID = select(*LIST_COLUMNS).where(Event.id.in_(bindparam("ids", expanding=True)))

#: How many of the index's best matches the first look takes, per result wanted (then four times more).
CANDIDATES_PER_RESULT = 2
#: Beyond this many candidates the one-statement ranking (``_ranked_statement``) is cheaper.
MAX_CANDIDATES = 2000


@lru_cache(maxsize=4)
def _candidates_statement(dialect: str) -> Select[Any]:
    """Ids and ranks of the index's best ``:candidate_limit`` matches, best first, from the index alone.

    Ranking needs every match scored, but only the best few need their event read: the index's own top
    matches come out without touching ``event``, and the audience's filter is applied to those alone.
    """
    if dialect == "postgresql":
        index = table("event_search", column("event_id"), column("document"))
        parsed = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("tsquery", type_=String()))
        rank = func.ts_rank(index.c.document, parsed)
        statement = select(index.c.event_id, rank.label("rank")).where(index.c.document.op("@@")(parsed))
        statement = statement.order_by(rank.desc())
    else:
        rank = literal_column("bm25(event_search, 10.0, 5.0, 3.0, 1.0)")
        statement = select(literal_column("event_search.rowid"), rank.label("rank")).select_from(table("event_search"))
        statement = statement.where(
            literal_column("event_search").op("MATCH")(bindparam("fts5_query", type_=String()))
        ).order_by(rank)
    return statement.limit(bindparam("candidate_limit", type_=Integer))


@lru_cache(maxsize=4)
def _listed_among_statement(include_internal: bool) -> Select[Any]:
    """Which of ``:ids`` the audience sees listed, with their start (the ranking's tie-break)."""
    ids = bindparam("ids", expanding=True)
    return select(Event.id, Event.start_dt).where(Event.id.in_(ids), listed_condition(include_internal))


def _best_of_candidates(
    session: Session, parameters: dict[str, Any], include_internal: bool, wanted: int, sign: float
) -> list[tuple[int, float]] | None:
    """The ``wanted`` best (id, score) pairs the audience sees, from the index's best matches; None when
    they are not certainly among the ``MAX_CANDIDATES`` best.

    Exact: every match scoring above the last candidate's score is a candidate, so once ``wanted`` listed
    candidates score above it, no other match can come before them (ties at that score may be cut off,
    so they do not count). Order: score, then the later start, then the id — as ``_ranked_statement``.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    count = max(CANDIDATES_PER_RESULT * wanted, 100)
    while count <= MAX_CANDIDATES:
        candidates = connection.execute(_candidates_statement(dialect), {**parameters, "candidate_limit": count}).all()
        complete = len(candidates) < count
        scores = {ident: sign * float(rank) for ident, rank in candidates}
        floor = None if complete else scores[candidates[-1][0]]
        listed = connection.execute(_listed_among_statement(include_internal), {"ids": list(scores)}).all()
        ranked = [(scores[ident], start, ident) for ident, start in listed if floor is None or scores[ident] > floor]
        if complete or len(ranked) >= wanted:
            ranked.sort(key=lambda item: item[2])
            ranked.sort(key=lambda item: item[1], reverse=True)
            ranked.sort(key=lambda item: item[0], reverse=True)
            return [(ident, score) for score, _start, ident in ranked[:wanted]]
        count *= 4
    return None


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
    then the place, then the description. Ties go to the later event. Without other filters the best
    matches come from the index alone (``_best_of_candidates``); with them, from one query over the matches.
    """
    if not query_words(event_filter.q):
        return []
    dialect = session.get_bind().dialect.name
    unsearched = replace(event_filter, q="", tz="")
    parameters: dict[str, Any] = {}
    if dialect == "postgresql":
        parameters["tsquery"], sign = tsquery(event_filter.q), 1.0
    else:
        parameters["fts5_query"], sign = fts5_query(event_filter.q), -1.0  # bm25: lower is better
    best = None
    if unsearched.is_empty:
        best = _best_of_candidates(session, parameters, include_internal, offset + limit, sign)
    if best is None:
        statement = _ranked_statement(unsearched, include_internal, dialect)
        rows = session.exec(statement, params={**parameters, "page_limit": offset + limit, "page_offset": 0})  # type: ignore[call-overload]
        best = [(ident, sign * float(rank)) for ident, rank in rows.all()]
    page = best[offset:]
    if not page:
        return []
    events = {event.id: event for event in listed_events(session, _EVENTS_BY_ID, {"ids": [row[0] for row in page]})}
    return [SearchHit(event=events[ident], rank=score) for ident, score in page]


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
