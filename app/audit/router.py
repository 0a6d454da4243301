"""HTTP for reading the audit log (admins only). There is no way to change it."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import SQLModel, col, select

from app.core.audit import AuditAction, AuditEntry
from app.core.deps import Admin, DbSession
from app.core.http import CSV_LIST, list_response
from app.core.pagination import ListParams, Page, list_params, paginate, to_page

router = APIRouter(prefix="/audit", tags=["audit"])
Params = Annotated[ListParams, Depends(list_params("Audit", ["created_at"], "-created_at"))]


class AuditEntryOut(SQLModel):
    """One write in the audit log: who did what to which resource, and the fields it changed."""

    id: uuid.UUID
    created_at: datetime
    principal_id: uuid.UUID | None
    principal_name: str
    action: AuditAction
    resource_type: str
    resource_id: uuid.UUID
    changes: dict[str, Any]


@router.get("", name="audit_list", summary="List audit entries, newest first", responses=CSV_LIST)
def list_audit(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: Params,
    resource_type: Annotated[str | None, Query(max_length=60, description="e.g. organisation, person.")] = None,
    resource_id: uuid.UUID | None = None,
    principal_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
) -> Page[AuditEntryOut]:
    """Every write made through the API, newest first: who, what, which resource and the changed fields.
    Admins only. Filter by `resource_type`, `resource_id`, `principal_id` or `action`; also as CSV."""
    stmt = select(AuditEntry)
    if resource_type:
        stmt = stmt.where(AuditEntry.resource_type == resource_type)
    if resource_id:
        stmt = stmt.where(AuditEntry.resource_id == resource_id)
    if principal_id:
        stmt = stmt.where(AuditEntry.principal_id == principal_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    result = paginate(session, stmt, AuditEntry, params, {"created_at": col(AuditEntry.created_at)})
    page = to_page(request, result, AuditEntryOut.model_validate)
    return list_response(request, page, "audit")
