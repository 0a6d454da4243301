"""HTTP for reading the audit log (admins only). There is no way to change it."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import SQLModel, col

from app.core.audit import AuditAction, AuditEntry
from app.core.deps import Admin, DbSession
from app.core.http import CSV_LIST, list_response
from app.core.pagination import ListParams, Page, list_params, page_of, read_page
from app.core.reads import shape

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


SHAPE = shape(AuditEntry, AuditEntryOut)


@router.get(
    "",
    name="audit_list",
    summary="List audit entries, newest first",
    response_model=Page[AuditEntryOut],
    responses=CSV_LIST,
)
def list_audit(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: Params,
    resource_type: Annotated[str | None, Query(max_length=60, description="e.g. organisation, person.")] = None,
    resource_id: uuid.UUID | None = None,
    principal_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
) -> Response:
    """Every write made through the API, newest first: who, what, which resource and the changed fields.
    Admins only. Filter by `resource_type`, `resource_id`, `principal_id` or `action`; also as CSV."""
    stmt = SHAPE.select()
    if resource_type:
        stmt = stmt.where(col(AuditEntry.resource_type) == resource_type)
    if resource_id:
        stmt = stmt.where(col(AuditEntry.resource_id) == resource_id)
    if principal_id:
        stmt = stmt.where(col(AuditEntry.principal_id) == principal_id)
    if action:
        stmt = stmt.where(col(AuditEntry.action) == action)
    result = read_page(session, SHAPE, stmt, params, {"created_at": col(AuditEntry.created_at)})
    page = page_of(request, result, SHAPE.render)
    return list_response(request, page, "audit")
