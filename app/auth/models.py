"""Principals (people who log in, service clients), their role grants, API tokens and login throttling."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, field_validator

# SQLModel's Field ignores `regex`: patterns go through pydantic's Field.
from pydantic import Field as ApiField
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut
from app.core.principal import SCOPED_ROLES, PrincipalKind, Role


class Principal(Resource, table=True):
    __tablename__ = "principals"

    kind: PrincipalKind = Field(sa_column=enum_column(PrincipalKind))
    # Login name for people, client id for service clients; stored folded so look-ups ignore case.
    login: str = Field(max_length=120, unique=True, index=True)
    display_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    secret_hash: str | None = Field(default=None, max_length=200)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id", index=True)
    is_active: bool = Field(default=True)


class RoleGrant(SQLModel, table=True):
    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("principal_id", "role", "organisation_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    principal_id: uuid.UUID = Field(foreign_key="principals.id", index=True, ondelete="CASCADE")
    role: Role = Field(sa_column=enum_column(Role))
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)


class ApiToken(Resource, table=True):
    """A long-lived token for a service client: the JWT's `jti` is this row's id; only its digest is kept."""

    __tablename__ = "api_tokens"

    principal_id: uuid.UUID = Field(foreign_key="principals.id", index=True)
    name: str = Field(max_length=200)
    token_digest: str = Field(max_length=64, unique=True)
    scopes: str = Field(max_length=4000)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginThrottle(SQLModel, table=True):
    """Failed logins per login name, kept in the database so every app process sees the same count.

    Keyed by the name tried, whether or not such a principal exists, so a lock says nothing about existence.
    """

    __tablename__ = "login_throttle"

    login: str = Field(primary_key=True, max_length=120)
    failures: int = Field(default=0)
    last_failure_at: datetime = Field(sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- API models ---


class GrantIn(ApiModel):
    role: Role
    organisation_id: uuid.UUID | None = None


class GrantOut(SQLModel):
    role: Role
    organisation_id: uuid.UUID | None = None


class PrincipalCreate(ApiModel):
    kind: PrincipalKind
    login: str = ApiField(min_length=2, max_length=120, pattern=r"^[A-Za-z0-9._@-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    password: str | None = Field(default=None, min_length=12, max_length=200)
    person_id: uuid.UUID | None = None
    grants: list[GrantIn] = Field(default_factory=list, max_length=100)

    @field_validator("grants")
    @classmethod
    def _scoped(cls, grants: list[GrantIn]) -> list[GrantIn]:
        for g in grants:
            if (g.role in SCOPED_ROLES) != (g.organisation_id is not None):
                raise ValueError(f"{g.role} {'needs' if g.role in SCOPED_ROLES else 'takes no'} organisation_id")
        return grants


class PrincipalUpdate(ApiModel):
    display_name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = None
    password: str | None = Field(default=None, min_length=12, max_length=200)
    is_active: Annotated[bool | None, NotNull] = None
    grants: list[GrantIn] | None = Field(
        default=None,
        max_length=100,
        description="Replaces every grant; `[]` or `null` (JSON merge: null clears) removes them all.",
    )

    @field_validator("grants")
    @classmethod
    def _scoped(cls, grants: list[GrantIn] | None) -> list[GrantIn] | None:
        return None if grants is None else PrincipalCreate._scoped(grants)


class PrincipalOut(ResourceOut):
    kind: PrincipalKind
    login: str
    display_name: str
    email: str | None
    person_id: uuid.UUID | None
    is_active: bool
    grants: list[GrantOut]


class PrincipalCreated(PrincipalOut):
    client_secret: str | None = Field(description="Shown once, for service clients created without a password.")


class Me(SQLModel):
    id: uuid.UUID
    kind: PrincipalKind
    login: str
    display_name: str
    person_id: uuid.UUID | None
    grants: list[GrantOut] = Field(description="What this token may do: its scopes within the principal's roles.")
    token_id: str | None


class TokenResponse(SQLModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    scope: str


class ApiTokenCreate(ApiModel):
    principal_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] | None = Field(default=None, max_length=100, description="Default: all the principal holds.")
    expires_in_days: int | None = Field(default=None, ge=1, le=5 * 365)


class ApiTokenOut(ResourceOut):
    principal_id: uuid.UUID
    name: str
    scopes: list[str]
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenOut):
    token: str = Field(description="Shown once; only a digest is stored.")
