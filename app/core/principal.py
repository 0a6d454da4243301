"""Who is calling: the authenticated principal as services see it, with the rights its token carries."""

import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import Forbidden, ValidationFailed


class Role(StrEnum):
    """A role: admin (coordinators), secretary of a body, editor for a principal organisation, fund_manager,
    reader."""

    admin = "admin"
    secretary = "secretary"
    fund_manager = "fund_manager"
    editor = "editor"
    reader = "reader"


SCOPED_ROLES = frozenset({Role.secretary, Role.editor})


class PrincipalKind(StrEnum):
    """A person who logs in, or a service client (a script, an intranet)."""

    person = "person"
    service = "service"


@dataclass(frozen=True)
class Grant:
    """A role, scoped to an organisation for secretaries (a body) and editors (a principal organisation)."""

    role: Role
    organisation_id: uuid.UUID | None = None

    def __str__(self) -> str:
        return f"{self.role}:{self.organisation_id}" if self.organisation_id else str(self.role)

    @classmethod
    def parse(cls, text: str) -> "Grant":
        role_text, _, org_text = text.partition(":")
        try:
            role = Role(role_text)
            org = uuid.UUID(org_text) if org_text else None
        except ValueError as exc:
            raise ValidationFailed("scope", f"unknown scope {text!r}", type="scope_invalid") from exc
        if (role in SCOPED_ROLES) != (org is not None):
            raise ValidationFailed(
                "scope",
                f"{role} must name an organisation" if role in SCOPED_ROLES else f"{role} takes no organisation",
            )
        return cls(role, org)


@dataclass(frozen=True)
class Actor:
    """The caller of one request. `grants` are what the token carries, cut down to what the principal still holds."""

    id: uuid.UUID
    kind: PrincipalKind
    name: str
    grants: frozenset[Grant] = field(default_factory=frozenset)
    token_id: str | None = None
    # What `/auth/me` shows besides: authentication loads them with the rest, so that it needs no query of its own.
    login: str = ""
    person_id: uuid.UUID | None = None

    @property
    def is_admin(self) -> bool:
        return any(g.role is Role.admin for g in self.grants)

    def has_role(self, *roles: Role) -> bool:
        return self.is_admin or any(g.role in roles for g in self.grants)

    def holds(self, role: Role, organisation_id: uuid.UUID) -> bool:
        return self.is_admin or Grant(role, organisation_id) in self.grants

    @property
    def can_read(self) -> bool:
        return bool(self.grants)

    @property
    def sees_contact_details(self) -> bool:
        """Contact details are personal data. Intranet clients that publish pages hold only `reader`."""
        if self.kind is PrincipalKind.person:
            return self.can_read
        return self.has_role(Role.secretary, Role.fund_manager, Role.editor)

    def require(self, role: Role, organisation_id: uuid.UUID | None = None) -> None:
        ok = self.holds(role, organisation_id) if organisation_id else self.has_role(role)
        if not ok:
            where = f" for organisation {organisation_id}" if organisation_id else ""
            raise Forbidden(f"This needs the {role} role{where}.", code="missing_role")
