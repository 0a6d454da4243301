"""Documents: files stored on disk by their SHA-256, with metadata, extracted text and links."""

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.core.db import enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut


class DocumentRole(StrEnum):
    agenda = "agenda"
    minutes = "minutes"
    decision_basis = "decision_basis"
    information_basis = "information_basis"
    other = "other"


class LinkTarget(StrEnum):
    meeting = "meeting"
    agenda_item = "agenda_item"
    case = "case"
    decision = "decision"


class Document(Resource, table=True):
    __tablename__ = "documents"

    sha256: str = Field(max_length=64, index=True)
    filename: str = Field(max_length=255)
    media_type: str = Field(max_length=120)
    size: int
    label: str | None = Field(default=None, max_length=60, description="e.g. Bilaga 23, Bilaga 22.1")
    role: DocumentRole = Field(sa_column=enum_column(DocumentRole))
    text: str | None = Field(default=None, sa_column=Column(Text))


class DocumentLink(SQLModel, table=True):
    __tablename__ = "document_links"

    document_id: uuid.UUID = Field(foreign_key="documents.id", primary_key=True, ondelete="CASCADE")
    target_type: LinkTarget = Field(sa_column=enum_column(LinkTarget, primary_key=True))
    target_id: uuid.UUID = Field(primary_key=True, index=True)


class LinkIn(ApiModel):
    target_type: LinkTarget
    target_id: uuid.UUID


class DocumentUpdate(ApiModel):
    filename: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=255)
    label: str | None = ApiField(default=None, min_length=1, max_length=60)
    role: Annotated[DocumentRole | None, NotNull] = None
    links: list[LinkIn] | None = ApiField(default=None, max_length=50)


class DocumentOut(ResourceOut):
    sha256: str
    filename: str
    media_type: str
    size: int
    label: str | None
    role: DocumentRole
    links: list[LinkIn]
    has_text: bool
