"""The search index: one row per searchable object, kept up to date by the services that write them.

The words are indexed as their Swedish stems, made in Python (app.search.swedish) so both databases find
the same: an FTS5 table (`search_fts`, tokenizer keeping å/ä/ö) over the stems, filled by triggers, on SQLite;
a GIN index over a `simple` tsvector of the stems on PostgreSQL. Both are made by the migrations.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, enum_column, utcnow


class SearchKind(StrEnum):
    """What a search hit is."""

    case = "case"
    agenda_item = "agenda_item"
    decision = "decision"
    document = "document"


class SearchEntry(SQLModel, table=True):
    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "object_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: SearchKind = Field(sa_column=enum_column(SearchKind))
    object_id: uuid.UUID = Field(index=True)
    body_id: uuid.UUID | None = Field(default=None, index=True)
    year: int | None = Field(default=None, index=True)
    title: str = Field(max_length=500)
    body_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    # The stems of title and text (what is searched); title and text themselves give the snippets.
    title_stems: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    text_stems: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SearchHit(SQLModel):
    """One search hit, with a highlighted snippet and its rank."""

    kind: SearchKind
    id: uuid.UUID
    title: str
    snippet: str
    rank: float
    body_id: uuid.UUID | None
    year: int | None
