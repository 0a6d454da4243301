"""The append-only audit log: every write records who did what to which resource, and the changed fields.

Written in the same transaction as the change itself, so a change and its entry stand or fall together.
The migration adds triggers that refuse UPDATE and DELETE on the table, on both databases.
"""

import uuid
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import JSON, Column, insert
from sqlmodel import Field, Session, SQLModel

from app.core.db import UTCDateTime, enum_column, utcnow
from app.core.principal import Actor


class AuditAction(StrEnum):
    """What a write did: create, update, delete, revoke (an API token) or login."""

    create = "create"
    update = "update"
    delete = "delete"
    revoke = "revoke"
    login = "login"


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    principal_id: uuid.UUID | None = Field(default=None, index=True)
    principal_name: str = Field(max_length=200)
    action: AuditAction = Field(sa_column=enum_column(AuditAction))
    resource_type: str = Field(max_length=60, index=True)
    resource_id: uuid.UUID = Field(index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def record(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    resource_type: str,
    resource_id: uuid.UUID,
    changes: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            principal_id=actor.id if actor else None,
            principal_name=actor.name if actor else "system",
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            changes=to_jsonable_python(changes or {}),
        )
    )


def record_many(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    resource_type: str,
    changes: list[tuple[uuid.UUID, dict[str, Any]]],
) -> None:
    """Entries of one action on many resources of one type (an import's hundreds of creates), in one INSERT:
    the same rows `record` writes, without building an ORM object for each."""
    if changes:
        session.execute(insert(AuditEntry), entries(actor, action, resource_type, changes))


def entries(
    actor: Actor | None,
    action: AuditAction,
    resource_type: str,
    changes: list[tuple[uuid.UUID, dict[str, Any]]],
    ids: Iterator[uuid.UUID] | None = None,
) -> list[dict[str, Any]]:
    """The rows of `record_many`, for a writer that inserts them itself (the bulk write of values, which gives
    ids that follow one another, so that its half a million entries append to the table's index)."""
    now = utcnow()
    return [
        {
            "id": next(ids) if ids else uuid.uuid4(),
            "created_at": now,
            "principal_id": actor.id if actor else None,
            "principal_name": actor.name if actor else "system",
            "action": action,
            "resource_type": resource_type,
            "resource_id": resource_id,
            "changes": to_jsonable_python(fields or {}),
        }
        for resource_id, fields in changes
    ]
