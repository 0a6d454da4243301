"""Who sees which application, as one SQL condition: lists filter with it in the database (so keyset pages stay
right) and single reads find an application only through it (one you may not see is 404, never 403).

Fund managers and admins see every application. An editor of a principal sees that principal's applications in
every state. Everyone else, readers and anonymous callers alike (when public reading is on), sees an application
only once it is granted or later: drafts and applications under review are not public.
"""

import uuid
from typing import Any

from sqlalchemy import not_, or_, true
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from app.core.errors import not_found
from app.core.principal import Actor, Role
from app.funds.applications.models import Application
from app.funds.applications.workflow import GRANTED_OR_LATER, KIND


def sees_everything(actor: Actor | None) -> bool:
    """Fund managers and admins (admins hold every role)."""
    return actor is not None and actor.has_role(Role.fund_manager)


def visible_to(actor: Actor | None) -> ColumnElement[bool]:
    """The condition an application must meet for this caller (None: anonymous) to see it."""
    if sees_everything(actor):
        return true()
    public = col(Application.status).in_(sorted(GRANTED_OR_LATER))
    grants = actor.grants if actor else frozenset()
    own = sorted(g.organisation_id for g in grants if g.role is Role.editor and g.organisation_id)
    return or_(public, col(Application.applicant_id).in_(own)) if own else public


def get_visible(session: Session, actor: Actor | None, ident: uuid.UUID, *, for_update: bool = False) -> Application:
    """A live application this caller may see, or 404."""
    stmt = select(Application).where(
        col(Application.id) == ident, col(Application.deleted_at).is_(None), visible_to(actor)
    )
    if for_update:
        stmt = stmt.with_for_update()
    found = session.exec(stmt).first()
    if found is None:
        raise not_found(KIND, ident)
    return found


def hidden_documents(actor: Actor | None) -> Select[Any] | None:
    """The documents this caller may not see: attachments of an application it may not see (a draft's budget is
    no more public than the draft). None when it sees every application."""
    from app.documents.models import DocumentLink, LinkTarget

    if sees_everything(actor):
        return None
    return (
        select(col(DocumentLink.document_id))
        .join(Application, col(Application.id) == DocumentLink.target_id)
        .where(col(DocumentLink.target_type) == LinkTarget.fund_application, not_(visible_to(actor)))
    )
