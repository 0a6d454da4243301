"""Keeping the search index up to date, and ranked, Swedish-aware full-text search over it."""

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Float, Row, Uuid, bindparam, delete, text
from sqlalchemy.types import TypeEngine
from sqlmodel import Session, col, select

from app.core.db import utcnow
from app.core.text import nfc
from app.search.models import SearchEntry, SearchHit, SearchKind

_WORD = re.compile(r"\w+", re.UNICODE)
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
    entry = session.exec(
        select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.object_id == object_id)
    ).one_or_none()
    if entry is None:
        entry = SearchEntry(kind=kind, object_id=object_id, title=title)
    entry.title, entry.body_text = nfc(title)[:500], nfc(body_text or "")
    entry.body_id, entry.year, entry.updated_at = body_id, year, utcnow()
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


def search(session: Session, flt: SearchFilter, limit: int) -> list[SearchHit]:
    # NUL cannot reach PostgreSQL in a text value; it separates words like any other control character.
    q = nfc(flt.q).replace("\x00", " ")
    words = _WORD.findall(q)
    if not words:
        return []
    where, params = _filters(flt)
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgresql(session, q, where, params, limit)
    return _search_sqlite(session, words, where, params, limit)


def _hits(rows: Sequence[Row[Any]]) -> list[SearchHit]:
    return [
        SearchHit(
            kind=SearchKind(r.kind),
            id=r.object_id,
            title=r.title,
            snippet=r.snippet or "",
            rank=round(float(r.rank), 6),
            body_id=r.body_id,
            year=r.year,
        )
        for r in rows
    ]


def _search_sqlite(
    session: Session, words: list[str], where: str, params: list[BindParameter[Any]], limit: int
) -> list[SearchHit]:
    # Each word quoted (no FTS syntax from users) and prefix-matched, which stands in for stemming.
    query = " ".join('"' + w.replace('"', '""') + '"*' for w in words)
    # Only fixed fragments are joined into the SQL; every value the user gave is a bound parameter.
    sql = text(
        "SELECT e.kind, e.object_id, e.title, e.body_id, e.year, -bm25(search_fts, 0.0, 4.0, 1.0) AS rank, "  # noqa: S608
        # Column -1: the snippet comes from whichever of title and text matched best (a case may have no text).
        f"snippet(search_fts, -1, '«', '»', '…', {SNIPPET_WORDS}) AS snippet "
        "FROM search_fts JOIN search_entries e ON e.id = search_fts.entry_id "
        f"WHERE search_fts MATCH :query{where} ORDER BY rank DESC, e.object_id LIMIT :limit"
    )
    typed = sql.bindparams(*params).columns(**_RESULT_TYPES)
    rows = session.execute(typed, {"query": query, "limit": limit}).all()
    return _hits(rows)


def _search_postgresql(
    session: Session, q: str, where: str, params: list[BindParameter[Any]], limit: int
) -> list[SearchHit]:
    sql = text(
        "SELECT e.kind, e.object_id, e.title, e.body_id, e.year, "  # noqa: S608 - fixed fragments, values bound
        "ts_rank(to_tsvector('swedish', e.title || ' ' || e.body_text), query) AS rank, "
        # The snippet from the text when the text matches, else from the title (as SQLite's best column).
        "ts_headline('swedish', CASE WHEN to_tsvector('swedish', e.body_text) @@ query THEN e.body_text "
        "ELSE e.title END, query, "
        f"'StartSel=«, StopSel=», MaxWords={SNIPPET_WORDS}, MinWords=5, MaxFragments=1') AS snippet "
        "FROM search_entries e, websearch_to_tsquery('swedish', :q) AS query "
        f"WHERE to_tsvector('swedish', e.title || ' ' || e.body_text) @@ query{where} "
        "ORDER BY rank DESC, e.object_id LIMIT :limit"
    )
    typed = sql.bindparams(*params).columns(**_RESULT_TYPES)
    rows = session.execute(typed, {"q": q, "limit": limit}).all()
    return _hits(rows)
