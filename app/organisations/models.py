"""Organisations: the 16 principals, sub-regions, joint bodies, working groups and external parties."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import EmailStr, HttpUrl, field_validator, model_validator

# SQLModel's Field ignores `regex`: patterns go through pydantic's Field.
from pydantic import Field as ApiField
from sqlalchemy import Column, Index, String, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.core.validators import normalise_org_number


class OrganisationKind(StrEnum):
    """The kind of organisation."""

    region = "region"
    municipality = "municipality"
    sub_region = "sub_region"
    joint_body = "joint_body"
    working_group = "working_group"
    external = "external"


PRINCIPAL_KINDS = frozenset({OrganisationKind.region, OrganisationKind.municipality})
BODY_KINDS = frozenset({OrganisationKind.joint_body, OrganisationKind.working_group})

_LIVE = text("deleted_at IS NULL")


class Organisation(Resource, table=True):
    __tablename__ = "organisations"
    __table_args__ = (
        Index(
            "uq_organisations_org_number_live",
            "org_number",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        Index(
            "uq_organisations_municipality_code_live",
            "municipality_code",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    kind: OrganisationKind = Field(sa_column=enum_column(OrganisationKind, index=True))
    name: str = Field(max_length=200)
    short_name: str | None = Field(default=None, max_length=60)
    name_sort: str = Field(sa_type=SortKey, index=True)
    # Folded current, short and former names: "found by either name" on both databases alike.
    search_text: str = Field(sa_column=Column(String(4000), nullable=False))
    municipality_code: str | None = Field(default=None, max_length=4)
    county_code: str | None = Field(default=None, max_length=2)
    org_number: str | None = Field(default=None, max_length=11)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    is_principal: bool = Field(default=False, index=True)
    start_date: date | None = None
    end_date: date | None = None
    website: str | None = Field(default=None, max_length=300)
    contact_email: str | None = Field(default=None, max_length=254)


class OrganisationName(SQLModel, table=True):
    """A former name, with the dates it was in use (the council was renamed by 2024)."""

    __tablename__ = "organisation_names"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    valid_from: date | None = None
    valid_to: date | None = None


class AreaMember(SQLModel, table=True):
    """A municipality (or the region) that belongs to a sub-region."""

    __tablename__ = "area_members"

    area_id: uuid.UUID = Field(foreign_key="organisations.id", primary_key=True, ondelete="CASCADE")
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", primary_key=True, index=True)


# --- API models ---


class FormerName(ApiModel):
    """A name an organisation had before, with the dates it was used."""

    name: str = Field(min_length=1, max_length=200)
    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> "FormerName":
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class _OrganisationFields(ApiModel):
    short_name: str | None = Field(default=None, min_length=1, max_length=60)
    municipality_code: str | None = ApiField(
        default=None, pattern=r"^\d{4}$", description="SCB kommunkod, e.g. 2480 for Umeå."
    )
    county_code: str | None = ApiField(default=None, pattern=r"^\d{2}$", description="SCB länskod: 24 is Västerbotten.")
    org_number: str | None = Field(
        default=None, max_length=11, description="Organisationsnummer, 10 digits (NNNNNN-NNNN), Luhn-checked."
    )
    parent_id: uuid.UUID | None = None
    start_date: date | None = None
    end_date: date | None = None
    website: HttpUrl | None = Field(default=None, max_length=300)
    contact_email: EmailStr | None = None

    @field_validator("org_number")
    @classmethod
    def _org_number(cls, value: str | None) -> str | None:
        return normalise_org_number(value) if value is not None else None


class OrganisationCreate(_OrganisationFields):
    """A new organisation. Municipalities carry their SCB municipality code and the county code; `org_number` is a
    Luhn-checked Swedish organisation number."""

    model_config = examples(
        {
            "kind": "municipality",
            "name": "Umeå kommun",
            "short_name": "Umeå",
            "municipality_code": "2480",
            "county_code": "24",
            "org_number": "212000-2742",
            "is_principal": True,
            "website": "https://www.umea.se/",
        },
        {"kind": "joint_body", "name": "Politisk samverkansberedning", "short_name": "PSB", "start_date": "2019-01-01"},
    )

    kind: OrganisationKind
    name: str = Field(min_length=1, max_length=200)
    is_principal: bool = False
    former_names: list[FormerName] = Field(default_factory=list, max_length=50)
    member_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50, description="Sub-regions only.")


class OrganisationUpdate(_OrganisationFields):
    """Changes to an organisation. A new `name` with `renamed_on` keeps the old name as a former name."""

    model_config = examples({"name": "Region Västerbotten", "renamed_on": "2019-01-01"})

    kind: Annotated[OrganisationKind | None, NotNull] = None
    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    renamed_on: date | None = Field(
        default=None, description="With a new name: the day it took effect; the old name is kept until then."
    )
    is_principal: Annotated[bool | None, NotNull] = None
    former_names: list[FormerName] | None = Field(default=None, max_length=50)
    member_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)


class OrganisationOut(ResourceOut):
    """An organisation: a principal (the region or a municipality), a sub-region, a joint body, a working group or
    an external party, with its former names."""

    kind: OrganisationKind
    name: str
    short_name: str | None
    former_names: list[FormerName]
    municipality_code: str | None
    county_code: str | None
    org_number: str | None
    parent_id: uuid.UUID | None
    is_principal: bool
    start_date: date | None
    end_date: date | None
    website: str | None
    contact_email: str | None
    member_ids: list[uuid.UUID]
