"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from app.auth.models import ApiToken, LoginThrottle, Principal, RoleGrant
from app.core.audit import AuditEntry
from app.core.db import metadata
from app.core.idempotency import IdempotencyRecord
from app.organisations.models import AreaMember, Organisation, OrganisationName
from app.people.models import Membership, Person, PersonAlias
from app.strategies.models import Strategy

__all__ = [
    "ApiToken",
    "AreaMember",
    "AuditEntry",
    "IdempotencyRecord",
    "LoginThrottle",
    "Membership",
    "Organisation",
    "OrganisationName",
    "Person",
    "PersonAlias",
    "Principal",
    "RoleGrant",
    "Strategy",
    "metadata",
]
