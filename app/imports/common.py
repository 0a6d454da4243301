"""What every import shares: file facts, provenance look-ups, plan hashes, and who may import."""

import hashlib
import json
import uuid
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, Forbidden
from app.core.principal import Actor, Role
from app.imports.models import FileInfo, ImportKind, ImportRecord

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def file_info(data: bytes, filename: str, **read_as: Any) -> FileInfo:
    return FileInfo(filename=filename, sha256=hashlib.sha256(data).hexdigest(), size=len(data), **read_as)


def already_imported(session: Session, kind: ImportKind, sha256: str, meeting_id: uuid.UUID | None = None) -> bool:
    stmt = select(ImportRecord.id).where(
        ImportRecord.kind == kind, ImportRecord.sha256 == sha256, col(ImportRecord.deleted_at).is_(None)
    )
    if meeting_id is not None:
        stmt = stmt.where(ImportRecord.meeting_id == meeting_id)
    return session.exec(stmt).first() is not None


def seal(plan: BaseModel) -> None:
    """The plan's hash: apply with `expected_plan` refuses when the data changed since the dry run."""
    body = plan.model_dump(mode="json", exclude={"plan_hash"})
    plan.plan_hash = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]  # type: ignore[attr-defined]


def check_expected(plan: BaseModel, expected: str | None) -> None:
    if expected and expected != plan.plan_hash:  # type: ignore[attr-defined]
        raise Conflict(
            "The data changed since the dry run: the plan is no longer the one you saw. Run the dry run again.",
            code="plan_changed",
        )


def require_importer(actor: Actor) -> None:
    if not actor.has_role(Role.secretary):
        raise Forbidden("Only admins and secretaries may import.", code="missing_role")


def record_import(
    session: Session,
    actor: Actor,
    kind: ImportKind,
    info: FileInfo,
    meeting_id: uuid.UUID | None,
    summary: dict[str, Any],
) -> ImportRecord:
    row = ImportRecord(
        kind=kind,
        sha256=info.sha256,
        filename=info.filename,
        layout=info.layout,
        encoding=info.encoding,
        meeting_id=meeting_id,
        summary=summary,
    )
    return crud.create(session, actor, row, "import", {"kind": kind, "filename": info.filename, "sha256": info.sha256})
