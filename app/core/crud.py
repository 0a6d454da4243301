"""Create, update and soft-delete with auditing: the steps every domain service shares."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic_core import to_jsonable_python
from sqlmodel import Session

from app.core.audit import AuditAction, record, record_many
from app.core.db import utcnow
from app.core.errors import AppError, ValidationFailed, not_found
from app.core.models import Resource
from app.core.principal import Actor

R = TypeVar("R", bound=Resource)


def get_live(session: Session, model: type[R], ident: uuid.UUID, kind: str, *, for_update: bool = False) -> R:
    """`for_update`: lock the row (PostgreSQL; SQLite's writers already take the one write lock at BEGIN) so that
    concurrent writes to what hangs off it queue behind each other instead of deadlocking or going stale."""
    obj = session.get(model, ident, with_for_update=for_update)
    if obj is None or obj.deleted_at is not None:
        raise not_found(kind, ident)
    return obj


def live_or_invalid(
    session: Session, model: type[R], ident: uuid.UUID, loc: str | tuple[str | int, ...], kind: str
) -> R:
    """An object a request refers to (not the one it addresses): missing or deleted is the client's 422."""
    obj = session.get(model, ident)
    if obj is None or obj.deleted_at is not None:
        raise ValidationFailed(loc, f"no such {kind}")
    return obj


def create(session: Session, actor: Actor | None, obj: R, kind: str, fields: dict[str, Any]) -> R:
    obj.updated_at = obj.created_at
    session.add(obj)
    session.flush()
    record(session, actor, AuditAction.create, kind, obj.id, fields)
    return obj


def add_new(session: Session, actor: Actor | None, obj: R, kind: str, fields: dict[str, Any]) -> R:
    """A new object and its audit entry, left for the caller's one flush (a batch inserts its rows together)."""
    obj.updated_at = obj.created_at
    session.add(obj)
    record(session, actor, AuditAction.create, kind, obj.id, fields)
    return obj


def create_many(session: Session, actor: Actor | None, rows: list[tuple[R, dict[str, Any]]], kind: str) -> list[R]:
    """Many new objects of one kind, each with its audit entry, written in one flush (batched INSERTs): for
    imports. The ORM's per-row hooks (sort keys) still run; the caller has checked the rules for the whole set."""
    for obj, _ in rows:
        obj.updated_at = obj.created_at
    session.add_all([obj for obj, _ in rows])
    session.flush()
    record_many(session, actor, AuditAction.create, kind, [(obj.id, fields) for obj, fields in rows])
    return [obj for obj, _ in rows]


@contextmanager
def for_row(index: int) -> Iterator[None]:
    """A refusal while checking row `index` of a batch carries it (`exc.row`, not part of the problem), so the
    caller can name the object (an import names `item/24`)."""
    try:
        yield
    except AppError as exc:
        if getattr(exc, "row", None) is None:
            exc.row = index  # type: ignore[attr-defined]
        raise


def apply_changes(
    obj: Resource, changes: dict[str, Any], required: set[str] | frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Set the given fields (JSON merge: null clears) and return {field: [old, new]} for those that changed."""
    for name, value in changes.items():
        if value is None and name in required:
            raise ValidationFailed(name, "may not be null", type="null_not_allowed")
    diff: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if old != value:
            diff[name] = [to_jsonable_python(old), to_jsonable_python(value)]
            setattr(obj, name, value)
    return diff


def mark_source(obj: Resource, source: Any, diff: dict[str, Any]) -> None:
    """Who changed a record with a `source` column (hand or import): set only when something changed."""
    if diff and getattr(obj, "source", source) != source:
        diff["source"] = [to_jsonable_python(obj.source), to_jsonable_python(source)]  # type: ignore[attr-defined]
        obj.source = source


def save_update(session: Session, actor: Actor, obj: Resource, kind: str, diff: dict[str, Any]) -> None:
    """Persist an update: bump updated_at (the version bumps itself) and audit. A no-op change writes nothing."""
    if not diff:
        return
    obj.updated_at = utcnow()
    session.add(obj)
    session.flush()
    record(session, actor, AuditAction.update, kind, obj.id, diff)


def soft_delete(
    session: Session, actor: Actor, obj: Resource, kind: str, scrubbed: dict[str, Any] | None = None
) -> None:
    """Mark deleted; `scrubbed` fields are overwritten so the tombstone keeps no personal data."""
    for name, value in (scrubbed or {}).items():
        setattr(obj, name, value)
    obj.deleted_at = obj.updated_at = utcnow()
    session.add(obj)
    session.flush()
    record(session, actor, AuditAction.delete, kind, obj.id, {})
