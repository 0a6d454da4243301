"""Documents: files stored on disk by their SHA-256, with metadata, extracted text and links."""

import re
import uuid
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import Column, Text, false
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, enum_column, keep_sort_key
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.core.text import fold

_WORD = re.compile(r"\w+")


class DocumentRole(StrEnum):
    """What a document is to a meeting: agenda, minutes, decision basis, information basis or other."""

    agenda = "agenda"
    minutes = "minutes"
    decision_basis = "decision_basis"
    information_basis = "information_basis"
    other = "other"


class LinkTarget(StrEnum):
    """What a document can be linked to."""

    meeting = "meeting"
    agenda_item = "agenda_item"
    case = "case"
    decision = "decision"
    fund_application = "fund_application"
    fund_report = "fund_report"


class Document(Resource, table=True):
    __tablename__ = "documents"

    sha256: str = Field(max_length=64, index=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=120)
    size: int
    label: str | None = Field(default=None, max_length=60, description="e.g. Bilaga 23, Bilaga 22.1")
    role: DocumentRole = Field(sa_column=enum_column(DocumentRole))
    text: str | None = Field(default=None, sa_column=Column(Text))
    # The text was cut at SAMVERKAN_MAX_EXTRACTED_TEXT_CHARS.
    text_truncated: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Sorted by what lists and search show: the title, and the file name.
    title_sort: str = Field(default="", sa_type=SortKey, index=True)
    name_sort: str = Field(default="", sa_type=SortKey, index=True)


def document_title(label: str | None, filename: str) -> str:
    """The label and the file name without its extension (PostgreSQL's parser would read "Protokoll.pdf" as one
    token, a file path); the label only once when the name already holds it ("Bilaga 23 Primärvård.pdf")."""
    name = PurePosixPath(filename).stem
    label_words = _words(label or "")
    if label_words and label_words in _word_runs(_words(name), len(label_words)):
        return name
    return " ".join(filter(None, [label, name]))


def _words(value: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(value)))


def _word_runs(words: tuple[str, ...], length: int) -> set[tuple[str, ...]]:
    return {words[i : i + length] for i in range(len(words) - length + 1)}


keep_sort_key(Document, "title_sort", lambda d: document_title(d.label, d.filename))
keep_sort_key(Document, "name_sort", lambda d: d.filename)


class DocumentLink(SQLModel, table=True):
    __tablename__ = "document_links"

    document_id: uuid.UUID = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    target_type: LinkTarget = Field(sa_column=enum_column(LinkTarget, primary_key=True))
    target_id: uuid.UUID = Field(primary_key=True, index=True)


class LinkIn(ApiModel):
    """A link from a document to a meeting, agenda item, case or decision."""

    target_type: LinkTarget
    target_id: uuid.UUID


class DocumentUpdate(ApiModel):
    """Changes to a document's metadata; `links` replaces the whole list."""

    model_config = examples(
        {
            "label": "Bilaga 23",
            "role": "decision_basis",
            "links": [{"target_type": "agenda_item", "target_id": "6b8fe6e7-4fc2-4b31-a707-4f3730413572"}],
        }
    )

    filename: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=255)
    label: str | None = ApiField(default=None, min_length=1, max_length=60)
    role: Annotated[DocumentRole | None, NotNull] = None
    links: list[LinkIn] | None = ApiField(default=None, max_length=50)


class DocumentOut(ResourceOut):
    """A stored file's metadata: name, media type read from its content, size, hash, role and links."""

    sha256: str
    filename: str
    media_type: str
    size: int
    label: str | None
    role: DocumentRole
    links: list[LinkIn]
    has_text: bool
    text_truncated: bool = ApiField(
        description="The extracted text was cut at the service's limit (SAMVERKAN_MAX_EXTRACTED_TEXT_CHARS)."
    )
