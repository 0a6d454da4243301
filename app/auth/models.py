"""Principals (people who log in, service clients), their role grants, API tokens and login throttling."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, field_validator

# SQLModel's Field ignores `regex`: patterns go through pydantic's Field.
from pydantic import Field as ApiField
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, UTCDateTime, enum_column, keep_sort_key
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.core.principal import SCOPED_ROLES, PrincipalKind, Role


class Principal(Resource, table=True):
    __tablename__ = "principals"

    kind: PrincipalKind = Field(sa_column=enum_column(PrincipalKind))
    # Login name for people, client id for service clients; stored folded so look-ups ignore case.
    login: str = Field(max_length=120, unique=True, index=True)
    display_name: str = Field(max_length=200)
    name_sort: str = Field(default="", sa_type=SortKey, index=True)
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
    name_sort: str = Field(default="", sa_type=SortKey, index=True)
    token_digest: str = Field(max_length=64, unique=True)
    scopes: str = Field(max_length=4000)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


keep_sort_key(Principal, "name_sort", lambda p: p.display_name)
keep_sort_key(ApiToken, "name_sort", lambda t: t.name)


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
    """A role to give a principal; secretary is for a body and editor for a principal organisation
    (`organisation_id`)."""

    role: Role
    organisation_id: uuid.UUID | None = None


class GrantOut(SQLModel):
    """A role a principal holds, with the organisation it is scoped to."""

    role: Role
    organisation_id: uuid.UUID | None = None


class PrincipalCreate(ApiModel):
    """A new principal: a person who logs in with a password, or a service client (a secret is generated when none
    is given)."""

    model_config = examples(
        {
            "kind": "person",
            "login": "anna.lindstrom",
            "display_name": "Anna Lindström",
            "email": "anna.lindstrom@umea.se",
            "password": "korrekt-häst-batteri-häftklammer",
            "person_id": "72621704-068b-458d-baf3-1b047a685afd",
            "grants": [{"role": "secretary", "organisation_id": "bad0f373-0630-4393-b45f-a78a07a1d8c6"}],
        },
        {
            "kind": "service",
            "login": "intranat-umea",
            "display_name": "Intranätet, Umeå kommun",
            "grants": [{"role": "reader"}],
        },
    )

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
    """Changes to a principal; `grants` replaces the whole list of roles."""

    model_config = examples(
        {"grants": [{"role": "editor", "organisation_id": "f1a2dfc8-61b0-4c27-8b37-81272dae09f9"}, {"role": "reader"}]}
    )

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
    """Someone who may use the API, with their roles."""

    kind: PrincipalKind
    login: str
    display_name: str
    email: str | None
    person_id: uuid.UUID | None
    is_active: bool
    grants: list[GrantOut]


class PrincipalCreated(PrincipalOut):
    """The created principal; `client_secret` is shown in this answer only."""

    client_secret: str | None = Field(description="Shown once, for service clients created without a password.")


class Me(SQLModel):
    """The principal behind a token and the roles this token carries."""

    id: uuid.UUID
    kind: PrincipalKind
    login: str
    display_name: str
    person_id: uuid.UUID | None
    grants: list[GrantOut] = Field(description="What this token may do: its scopes within the principal's roles.")
    token_id: str | None


class TokenResponse(SQLModel):
    """An access token (OAuth 2): send it as `Authorization: Bearer <access_token>`."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int
    scope: str


class ApiTokenCreate(ApiModel):
    """A long-lived API token to issue to a service client, optionally with fewer scopes than it holds."""

    model_config = examples(
        {
            "principal_id": "0bd21d82-14fc-4e2a-be58-c02c6d3867e1",
            "name": "Intranätets publicering",
            "scopes": ["reader"],
            "expires_in_days": 365,
        }
    )

    principal_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] | None = Field(default=None, max_length=100, description="Default: all the principal holds.")
    expires_in_days: int | None = Field(default=None, ge=1, le=5 * 365)


class ApiTokenOut(ResourceOut):
    """The record of an API token (never the token itself): scopes, expiry, last use and revocation."""

    principal_id: uuid.UUID
    name: str
    scopes: list[str]
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenOut):
    """The issued API token: `token` is shown in this answer only."""

    token: str = Field(description="Shown once; only a digest is stored.")
