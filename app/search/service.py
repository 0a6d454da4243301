"""Keeping the search index up to date, and ranked, Swedish-aware full-text search over it."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Float, Row, Uuid, bindparam, delete, text
from sqlalchemy.types import TypeEngine
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.core.text import nfc
from app.search import swedish
from app.search.models import SearchEntry, SearchKind

SNIPPET_WORDS = 16
# Typed result columns, so both drivers give back UUIDs (SQLite stores them as hex text).
_RESULT_TYPES: dict[str, TypeEngine[Any]] = {"object_id": Uuid(), "body_id": Uuid(), "rank": Float()}


def index(
    session: Session,
    kind: SearchKind,
    object_id: uuid.UUID,
    title: str,
    body_text: str | None,
    body_id: uuid.UUID | None,
    year: int | None,
) -> None:
    """Add or refresh one object's entry (called by the services that write searchable objects)."""
    index_many(session, kind, [Indexed(object_id, title, body_text, body_id, year)])


@dataclass(frozen=True)
class Indexed:
    """What the index holds of one object."""

    object_id: uuid.UUID
    title: str
    body_text: str | None
    body_id: uuid.UUID | None
    year: int | None


def index_many(session: Session, kind: SearchKind, objects: list[Indexed]) -> None:
    """Add or refresh the entries of many objects of one kind, finding the existing ones in one query."""
    if not objects:
        return
    ids = [o.object_id for o in objects]
    existing = {
        e.object_id: e
        for e in session.exec(select(SearchEntry).where(SearchEntry.kind == kind, col(SearchEntry.object_id).in_(ids)))
    }
    now = utcnow()
    for o in objects:
        entry = existing.get(o.object_id) or SearchEntry(kind=kind, object_id=o.object_id, title=o.title)
        entry.title, entry.body_text = nfc(o.title)[:500], nfc(o.body_text or "")
        entry.title_stems = swedish.stemmed_text(entry.title)
        entry.text_stems = swedish.stemmed_text(entry.body_text)
        entry.body_id, entry.year, entry.updated_at = o.body_id, o.year, now
        session.add(entry)


def unindex(session: Session, kind: SearchKind, object_id: uuid.UUID) -> None:
    session.execute(delete(SearchEntry).where(col(SearchEntry.kind) == kind, col(SearchEntry.object_id) == object_id))


@dataclass(frozen=True)
class SearchFilter:
    q: str
    kinds: list[SearchKind] | None = None
    body_id: uuid.UUID | None = None
    year: int | None = None


def _filters(flt: SearchFilter) -> tuple[str, list[BindParameter[Any]]]:
    clauses: list[str] = []
    params: list[BindParameter[Any]] = []
    if flt.kinds:
        names = [f"k{i}" for i in range(len(flt.kinds))]
        clauses.append(f"e.kind IN ({', '.join(':' + n for n in names)})")
        params += [bindparam(n, k.value) for n, k in zip(names, flt.kinds, strict=True)]
    if flt.body_id:
        clauses.append("e.body_id = :body_id")
        # Typed, so each driver gets the id as its column stores it (hex text on SQLite).
        params.append(bindparam("body_id", flt.body_id, type_=Uuid()))
    if flt.year:
        clauses.append("e.year = :year")
        params.append(bindparam("year", flt.year))
    return "".join(f" AND {c}" for c in clauses), params


def search(session: Session, flt: SearchFilter, limit: int) -> list[dict[str, Any]]:
    """The best hits, best first, as plain data in SearchHit's shape."""
    # NUL cannot reach PostgreSQL in a text value; it separates words like any other control character.
    query = list(dict.fromkeys(swedish.stems(flt.q.replace("\x00", " "))))
    if not query:
        return []
    where, params = _filters(flt)
    if session.get_bind().dialect.name == "postgresql":
        rows = _search_postgresql(session, query, where, params, limit)
    else:
        rows = _search_sqlite(session, query, where, params, limit)
    return _hits(rows, set(query))


def _hits(rows: Sequence[Row[Any]], query: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "kind": SearchKind(r.kind),
            "id": r.object_id,
            "title": r.title,
            # From the text when the text matches, else from the title; the original words, marked.
            "snippet": swedish.snippet(r.body_text, query, SNIPPET_WORDS)
            or swedish.snippet(r.title, query, SNIPPET_WORDS)
            or "",
            "rank": round(float(r.rank), 6),
            "body_id": r.body_id,
            "year": r.year,
        }
        for r in rows
    ]


# The best hits are chosen first; only their texts are then read, for the snippets.
_WITH_TEXT = (
    "SELECT r.kind, r.object_id, r.title, r.body_id, r.year, r.rank, t.body_text FROM ({ranked}) r "
    "JOIN search_entries t ON t.id = r.id ORDER BY r.rank DESC, r.object_id"
)


def _search_sqlite(
    session: Session, query: list[str], where: str, params: list[BindParameter[Any]], limit: int
) -> Sequence[Row[Any]]:
    # Each stem quoted, so nothing a user types is FTS syntax; all must be there.
    match = " ".join('"' + s.replace('"', '""') + '"' for s in query)
    # Only fixed fragments are joined into the SQL; every value the user gave is a bound parameter.
    ranked = (
        "SELECT e.id, e.kind, e.object_id, e.title, e.body_id, e.year, -bm25(search_fts, 0.0, 4.0, 1.0) AS rank "  # noqa: S608
        "FROM search_fts JOIN search_entries e ON e.id = search_fts.entry_id "
        f"WHERE search_fts MATCH :query{where} ORDER BY rank DESC, e.object_id LIMIT :limit"
    )
    typed = text(_WITH_TEXT.format(ranked=ranked)).bindparams(*params).columns(**_RESULT_TYPES)
    return session.execute(typed, {"query": match, "limit": limit}).all()


def _search_postgresql(
    session: Session, query: list[str], where: str, params: list[BindParameter[Any]], limit: int
) -> Sequence[Row[Any]]:
    # The stems are searched with the `simple` configuration: they are stemmed already.
    ranked = (
        "SELECT e.id, e.kind, e.object_id, e.title, e.body_id, e.year, "  # noqa: S608 - fixed fragments, values bound
        "ts_rank(to_tsvector('simple', e.title_stems || ' ' || e.text_stems), query) AS rank "
        "FROM search_entries e, plainto_tsquery('simple', :stems) AS query "
        f"WHERE to_tsvector('simple', e.title_stems || ' ' || e.text_stems) @@ query{where} "
        "ORDER BY rank DESC, e.object_id LIMIT :limit"
    )
    typed = text(_WITH_TEXT.format(ranked=ranked)).bindparams(*params).columns(**_RESULT_TYPES)
    return session.execute(typed, {"stems": " ".join(query), "limit": limit}).all()
