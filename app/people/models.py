"""People (politicians, officials, presenters) and their memberships of bodies."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import EmailStr

# SQLModel's Field ignores `regex`: patterns go through pydantic's Field.
from pydantic import Field as ApiField
from sqlalchemy import Column, Index, String, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples

_LIVE = text("deleted_at IS NULL")
PARTY_PATTERN = r"^[a-zåäö]{1,10}$"
PHONE_PATTERN = r"^\+?[0-9 ()-]{5,30}$"


class Person(Resource, table=True):
    __tablename__ = "people"
    __table_args__ = (Index("uq_people_email_live", "email", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),)

    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    name_sort: str = Field(sa_type=SortKey, index=True)
    search_text: str = Field(sa_column=Column(String(4000), nullable=False))
    party: str | None = Field(default=None, max_length=10)
    title: str | None = Field(default=None, max_length=200)
    employer_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)


class PersonAlias(SQLModel, table=True):
    """Another spelling of the name or another e-mail address, so imports match the same person."""

    __tablename__ = "person_aliases"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    person_id: uuid.UUID = Field(foreign_key="people.id", index=True, ondelete="CASCADE")
    alias: str = Field(max_length=254)
    alias_folded: str = Field(max_length=254, index=True)


class MembershipRole(StrEnum):
    """A person's role in a body."""

    chair = "chair"
    vice_chair = "vice_chair"
    member = "member"
    substitute = "substitute"
    co_opted = "co_opted"
    secretary = "secretary"
    official = "official"


VOTING_ROLES = frozenset({MembershipRole.chair, MembershipRole.vice_chair, MembershipRole.member})


class MembershipSource(StrEnum):
    """Entered by hand, or inferred by a protocol import from the lists of who sat (dates: the political term)."""

    manual = "manual"
    inferred = "inferred"


class Membership(Resource, table=True):
    __tablename__ = "memberships"

    person_id: uuid.UUID = Field(foreign_key="people.id", index=True)
    body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    role: MembershipRole = Field(sa_column=enum_column(MembershipRole))
    on_behalf_of_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    voting_right: bool = True
    start_date: date = Field(index=True)
    end_date: date | None = Field(default=None, index=True)
    source: MembershipSource = Field(
        default=MembershipSource.manual, sa_column=enum_column(MembershipSource, server_default="manual")
    )
    # The person's sort key, copied so "members by name" pages with a plain index (kept in step on rename).
    person_sort: str = Field(sa_type=SortKey, index=True)


# --- API models: people ---


class Contact(ApiModel):
    """Personal contact data: shown to people who log in and to service clients with more than the reader role;
    `null` otherwise."""

    email: EmailStr | None = None
    phone: str | None = ApiField(default=None, pattern=PHONE_PATTERN)


class PersonCreate(ApiModel):
    """A new person, with optional contact data and aliases (other spellings, used by imports)."""

    model_config = examples(
        {
            "given_name": "Anna",
            "family_name": "Lindström",
            "party": "s",
            "title": "Kommunalråd",
            "employer_id": "f1a2dfc8-61b0-4c27-8b37-81272dae09f9",
            "contact": {"email": "anna.lindstrom@umea.se", "phone": "090-16 10 00"},
            "aliases": ["Anna Lindstrom"],
        }
    )

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    party: str | None = ApiField(default=None, pattern=PARTY_PATTERN, description="Party abbreviation: s, m, c, åp …")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    employer_id: uuid.UUID | None = None
    contact: Contact | None = None
    aliases: list[str] = Field(default_factory=list, max_length=50)


class PersonUpdate(ApiModel):
    """Changes to a person: only the fields sent change; `null` clears an optional field."""

    model_config = examples({"title": "Ordförande i socialnämnden", "party": "s"})

    given_name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=100)
    family_name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=100)
    party: str | None = ApiField(default=None, pattern=PARTY_PATTERN)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    employer_id: uuid.UUID | None = None
    contact: Contact | None = Field(default=None, description="Merged: only the given fields change.")
    aliases: list[str] | None = Field(default=None, max_length=50)


class PersonOut(ResourceOut):
    """A person (politician or official): name, party, title, employer and, for those with the right, contact data
    and aliases."""

    given_name: str
    family_name: str
    name: str
    party: str | None
    title: str | None
    employer_id: uuid.UUID | None
    contact: Contact | None = Field(description="Null for principals not entitled to personal contact data.")
    aliases: list[str] | None = Field(description="Null for principals not entitled to personal contact data.")


# --- API models: memberships ---


class Ref(SQLModel):
    """An object by id and name."""

    id: uuid.UUID
    name: str


class PersonRef(Ref):
    """A person, by id, name and party."""

    party: str | None


# The dates are checked in the service, after a PATCH is merged, so the error names end_date (a model
# validator could only name the whole body).
class MembershipCreate(ApiModel):
    """A person's seat in a body, in a role, from a date (and on behalf of a principal organisation)."""

    model_config = examples(
        {
            "person_id": "72621704-068b-458d-baf3-1b047a685afd",
            "body_id": "bad0f373-0630-4393-b45f-a78a07a1d8c6",
            "role": "member",
            "on_behalf_of_id": "f1a2dfc8-61b0-4c27-8b37-81272dae09f9",
            "voting_right": True,
            "start_date": "2023-01-01",
            "end_date": "2026-12-31",
        }
    )

    person_id: uuid.UUID
    body_id: uuid.UUID
    role: MembershipRole
    on_behalf_of_id: uuid.UUID | None = Field(default=None, description="The principal the person sits for.")
    voting_right: bool | None = Field(default=None, description="Default: true for chair, vice chair and member.")
    start_date: date
    end_date: date | None = None


class MembershipUpdate(ApiModel):
    """Changes to a membership; set `end_date` when someone leaves."""

    model_config = examples({"end_date": "2024-06-30"})

    role: Annotated[MembershipRole | None, NotNull] = None
    on_behalf_of_id: uuid.UUID | None = None
    voting_right: Annotated[bool | None, NotNull] = None
    start_date: Annotated[date | None, NotNull] = None
    end_date: date | None = None


class MembershipOut(ResourceOut):
    """A person's seat in a body: role, on whose behalf, voting right and period."""

    person: PersonRef
    body: Ref
    role: MembershipRole
    on_behalf_of: Ref | None
    voting_right: bool
    start_date: date
    end_date: date | None
    source: MembershipSource = ApiField(description="manual, or inferred by a protocol import (a political term).")
