"""What every stored resource has: a UUID id, UTC timestamps, a soft-delete mark and a version for ETags."""

import uuid
from datetime import date, datetime
from typing import Any, get_args

from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic import Field as ApiField
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

from app.core.db import UTCDateTime, utcnow
from app.core.text import nfc


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


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_has_nul(v) for v in value)
    return False


def _composed(value: Any) -> Any:
    """Text pasted from a .docx or .pdf can be decomposed (a + ring): every request's text is taken as NFC,
    so it is stored, matched, sorted and found as one character."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [_composed(v) for v in value]
    return value


def _no_null(schema: dict[str, Any]) -> None:
    branches = [b for b in schema.pop("anyOf", []) if b != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    schema.pop("default", None)


# For a PATCH field that may be left out but never cleared (`Annotated[str | None, NotNull]`): the schema offers
# no null, and the service refuses one (crud.apply_changes' `required`), so the contract says what is true.
NotNull = ApiField(json_schema_extra=_no_null)


class ApiModel(SQLModel):
    """Base of every request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # type: ignore[assignment]

    @field_validator("*", mode="before")
    @classmethod
    def _as_sent(cls, value: Any, info: ValidationInfo) -> Any:
        # Checked here, before pydantic's lax conversions and before the service, so that a PATCH with a stale
        # If-Match and a bad body is still a 422 (fuzzing found both of these accepted).
        field = cls.model_fields[info.field_name] if info.field_name else None
        if field is None:
            return value
        if value is None and field.json_schema_extra is _no_null:
            raise ValueError("may be left out, but not null")
        kinds = set(get_args(field.annotation)) | {field.annotation}
        if bool in kinds and value is not None and not isinstance(value, bool):
            raise ValueError("must be true or false")  # pydantic would take 0, 1, "yes" and "off"
        if kinds & {date, datetime} and isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("must be an ISO 8601 date or date-time")  # pydantic reads a number as seconds since 1970
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # PostgreSQL cannot store the NUL character; it is never meaningful in our text anyway.
        if _has_nul(value):
            raise ValueError("may not contain the NUL character")
        return _composed(value)


def examples(*bodies: dict[str, Any]) -> SQLModelConfig:
    """`model_config` of a request body: realistic examples for the contract. tests/test_openapi.py checks that
    each one validates, against the model and against its schema."""
    return SQLModelConfig(json_schema_extra={"examples": list(bodies)})


class ResourceOut(SQLModel):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime


class Tombstone(SQLModel):
    """A deleted object in a sync (`updated_since`): its id and when it was deleted."""

    id: uuid.UUID
    deleted: bool = True
    updated_at: datetime
