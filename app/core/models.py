"""What every stored resource has: a UUID id, UTC timestamps, a soft-delete mark and a version for ETags."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import ConfigDict
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, utcnow


class Resource(SQLModel):
    """Mixin for `table=True` classes. `version` doubles as SQLAlchemy's optimistic lock column."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    version: int = Field(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class ApiModel(SQLModel):
    """Base of every request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # type: ignore[assignment]


class ResourceOut(SQLModel):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime


class Tombstone(SQLModel):
    id: uuid.UUID
    deleted: bool = True
    updated_at: datetime
