"""Funds (länsgemensamma medel, e.g. UPH-medel): a fund with its numbered focus areas, its yearly rounds, each
round's pots of money, and the transfers between a round's pots. Money moved between pots is a transfer with its
decision, never an edited budget; what remains of a pot is computed (see app.funds.summary), never stored."""

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import JSON, Column, Index, String, Text, text
from sqlmodel import Field

from app.core.db import SortKey, enum_column, keep_sort_key
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.core.money import Amount, AmountOut, MoneyColumn
from app.funds.applications.models import ApplicationStatus

_LIVE = text("deleted_at IS NULL")


class RoundStatus(StrEnum):
    """Where a round stands: `draft` → `open` (applications may be submitted) → `closed` → `decided` →
    `archived`. Only forward, one step at a time (409 `invalid_transition` names the allowed one)."""

    draft = "draft"
    open = "open"
    closed = "closed"
    decided = "decided"
    archived = "archived"


class Fund(Resource, table=True):
    __tablename__ = "funds"
    __table_args__ = (Index("uq_funds_code_live", "code", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),)

    # The prefix of the round's application numbers (`UPH` in UPH-2025-014).
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    name_sort: str = Field(default="", sa_type=SortKey, index=True)
    owning_body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    deciding_body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    description: str | None = Field(default=None, sa_column=Column(Text))


keep_sort_key(Fund, "name_sort", lambda f: f.name)


class FocusArea(Resource, table=True):
    """A numbered focus area (fokusområde) of a fund. Kept by number: an application (next) refers to its id,
    which a fund's update keeps as long as the number stays."""

    __tablename__ = "fund_focus_areas"
    __table_args__ = (
        Index(
            "uq_fund_focus_areas_number_live",
            "fund_id",
            "number",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    fund_id: uuid.UUID = Field(foreign_key="funds.id", index=True)
    number: int = Field(ge=1, le=99)
    text: str = Field(sa_column=Column(String(2000), nullable=False))


class Round(Resource, table=True):
    __tablename__ = "fund_rounds"
    __table_args__ = (
        Index("uq_fund_rounds_year_live", "fund_id", "year", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    fund_id: uuid.UUID = Field(foreign_key="funds.id", index=True)
    year: int = Field(index=True)
    opens_on: date
    closes_on: date
    status: RoundStatus = Field(sa_column=enum_column(RoundStatus, index=True))
    priorities: str | None = Field(default=None, sa_column=Column(Text))
    review_criteria: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    # The last application number given in this round (UPH-2025-014 → 14): raised under the round's row lock.
    last_sequence: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})


class Pot(Resource, table=True):
    """A share of a round's money. `carried_over` came from a pot of an earlier round of the same fund, which it
    leaves (that pot's remaining amount shows it as carried forward)."""

    __tablename__ = "fund_pots"
    __table_args__ = (
        Index("uq_fund_pots_name_live", "round_id", "name", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    round_id: uuid.UUID = Field(foreign_key="fund_rounds.id", index=True)
    name: str = Field(max_length=200)
    name_sort: str = Field(default="", sa_type=SortKey, index=True)
    budget: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))
    carried_over: Decimal = Field(
        default=Decimal("0.00"), sa_column=Column(MoneyColumn(), nullable=False, server_default=text("0"))
    )
    carried_from_pot_id: uuid.UUID | None = Field(default=None, foreign_key="fund_pots.id", index=True)


keep_sort_key(Pot, "name_sort", lambda p: p.name)


class Transfer(Resource, table=True):
    """Money moved between two pots of one round by a decision: a decision in the record, or a reference to a
    delegated one. Never edited nor deleted: a mistake is undone by the opposite transfer."""

    __tablename__ = "fund_transfers"

    round_id: uuid.UUID = Field(foreign_key="fund_rounds.id", index=True)
    from_pot_id: uuid.UUID = Field(foreign_key="fund_pots.id", index=True)
    to_pot_id: uuid.UUID = Field(foreign_key="fund_pots.id", index=True)
    amount: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))
    decision_id: uuid.UUID | None = Field(default=None, foreign_key="decisions.id", index=True)
    decision_reference: str | None = Field(default=None, max_length=200)
    comment: str | None = Field(default=None, sa_column=Column(String(2000)))
    created_by_id: uuid.UUID = Field(foreign_key="principals.id")


# Requests and answers -------------------------------------------------------------------------------------------

CODE = r"^[A-ZÅÄÖ0-9]+$"
Criterion = Annotated[str, ApiField(min_length=1, max_length=500)]


class FocusAreaIn(ApiModel):
    """A numbered focus area of a fund, as sent."""

    number: int = Field(ge=1, le=99)
    text: str = Field(min_length=1, max_length=2000)


class FocusAreaOut(ApiModel):
    """A numbered focus area of a fund; applications refer to its id."""

    id: uuid.UUID
    number: int
    text: str


class FundCreate(ApiModel):
    """A new fund, with its focus areas."""

    model_config = examples(
        {
            "code": "UPH",
            "name": "UPH-medel",
            "owning_body_id": "3f0b8c2e-6a57-4a83-9d39-7a8f3c1e2b4d",
            "deciding_body_id": "3f0b8c2e-6a57-4a83-9d39-7a8f3c1e2b4d",
            "description": "Länsgemensamma medel för psykisk hälsa och suicidprevention.",
            "focus_areas": [
                {"number": 1, "text": "Långsiktiga länsgemensamma insatser som når alla huvudmän."},
                {"number": 3, "text": "Suicidprevention, hälsofrämjande och förebyggande arbete."},
            ],
        }
    )

    code: str = ApiField(min_length=1, max_length=20, pattern=CODE, description="Prefix of application numbers.")
    name: str = Field(min_length=1, max_length=200)
    owning_body_id: uuid.UUID
    deciding_body_id: uuid.UUID
    description: str | None = Field(default=None, max_length=20000)
    focus_areas: list[FocusAreaIn] = Field(default_factory=list, max_length=20)


class FundUpdate(ApiModel):
    """Changes to a fund: only the fields sent change. `focus_areas` replaces the list; an area keeps its id while
    its number stays."""

    model_config = examples({"focus_areas": [{"number": 4, "text": "Enstaka insatser och kompetenshöjning."}]})

    code: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=20, pattern=CODE)
    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    owning_body_id: Annotated[uuid.UUID | None, NotNull] = None
    deciding_body_id: Annotated[uuid.UUID | None, NotNull] = None
    description: str | None = Field(default=None, max_length=20000)
    focus_areas: Annotated[list[FocusAreaIn] | None, NotNull] = Field(default=None, max_length=20)


class FundOut(ResourceOut):
    """A fund (länsgemensamma medel), with its numbered focus areas."""

    code: str
    name: str
    owning_body_id: uuid.UUID
    deciding_body_id: uuid.UUID
    description: str | None
    focus_areas: list[FocusAreaOut]


class RoundCreate(ApiModel):
    """A new round of a fund: it starts as `draft`."""

    model_config = examples(
        {
            "fund_id": "9a1d4e57-2b8c-4f1a-8e3d-6c5b4a392817",
            "year": 2025,
            "opens_on": "2025-02-01",
            "closes_on": "2025-03-31",
            "priorities": "Samsjuklighet, suicidprevention, barn och ungas psykiska hälsa.",
            "review_criteria": ["Länsgemensam nytta", "Spridningsbarhet", "Uppföljningsbarhet"],
        }
    )

    fund_id: uuid.UUID
    year: int = Field(ge=2000, le=2100)
    opens_on: date
    closes_on: date
    priorities: str | None = Field(default=None, max_length=20000)
    review_criteria: list[Criterion] = Field(default_factory=list, max_length=20)


class RoundUpdate(ApiModel):
    """Changes to a round; `status` moves one step forward along draft → open → closed → decided → archived."""

    model_config = examples({"status": "open"})

    year: Annotated[int | None, NotNull] = Field(default=None, ge=2000, le=2100)
    opens_on: Annotated[date | None, NotNull] = None
    closes_on: Annotated[date | None, NotNull] = None
    status: Annotated[RoundStatus | None, NotNull] = None
    priorities: str | None = Field(default=None, max_length=20000)
    review_criteria: Annotated[list[Criterion] | None, NotNull] = Field(default=None, max_length=20)


class RoundOut(ResourceOut):
    """A yearly round of a fund: its dates, status, priorities and review criteria."""

    fund_id: uuid.UUID
    year: int
    opens_on: date
    closes_on: date
    status: RoundStatus
    priorities: str | None
    review_criteria: list[str]


class PotCreate(ApiModel):
    """A new pot of a round. `carried_over` needs the pot of an earlier round of the same fund it comes from."""

    model_config = examples(
        {"round_id": "5e2f7a90-1c3d-4b6e-8f01-2a3b4c5d6e7f", "name": "En mer sammanhållen vård", "budget": "7500934.00"}
    )

    round_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    budget: Amount
    carried_over: Amount = Decimal("0.00")
    carried_from_pot_id: uuid.UUID | None = None


class PotUpdate(ApiModel):
    """Changes to a pot. The budget is changed only while the round is a draft: later, money moves by transfer."""

    model_config = examples({"name": "Det suicidpreventiva arbetet"})

    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    budget: Annotated[Amount | None, NotNull] = None
    carried_over: Annotated[Amount | None, NotNull] = None
    carried_from_pot_id: uuid.UUID | None = None


class PotOut(ResourceOut):
    """A pot of a round's money. Its live figures are in the round summary."""

    round_id: uuid.UUID
    name: str
    budget: AmountOut
    carried_over: AmountOut
    carried_from_pot_id: uuid.UUID | None


class TransferCreate(ApiModel):
    """Money moved from one pot of a round to another, by a decision in the record (`decision_id`) or a delegated
    one (`decision_reference`); at least one of the two."""

    model_config = examples(
        {
            "from_pot_id": "5e2f7a90-1c3d-4b6e-8f01-2a3b4c5d6e7f",
            "to_pot_id": "6f3a8b01-2d4e-4c7f-9a12-3b4c5d6e7f80",
            "amount": "250000.00",
            "decision_reference": "Delegationsbeslut 2021-09-14, RS 2021/88",
        }
    )

    from_pot_id: uuid.UUID
    to_pot_id: uuid.UUID
    amount: Amount
    decision_id: uuid.UUID | None = None
    decision_reference: str | None = Field(default=None, min_length=1, max_length=200)
    comment: str | None = Field(default=None, max_length=2000)


class TransferOut(ResourceOut):
    """A transfer between two pots of a round, with the decision that made it and who entered it."""

    round_id: uuid.UUID
    from_pot_id: uuid.UUID
    to_pot_id: uuid.UUID
    amount: AmountOut
    decision_id: uuid.UUID | None
    decision_reference: str | None
    comment: str | None
    created_by_id: uuid.UUID


class FiguresOut(ApiModel):
    """Live figures, computed from the record at the moment of the request, never stored. `remaining` = budget +
    carried over + transferred in − transferred out − carried forward − granted + repaid. `requested` sums the
    applications submitted and not withdrawn (every status but draft and withdrawn); granted, paid and repaid
    follow the pot each grant was made from."""

    budget: AmountOut
    carried_over: AmountOut
    transferred_in: AmountOut
    transferred_out: AmountOut
    carried_forward: AmountOut = ApiField(description="Carried over to pots of later rounds.")
    requested: AmountOut = ApiField(description="Asked for by applications submitted and not withdrawn.")
    granted: AmountOut
    paid: AmountOut
    repaid: AmountOut = ApiField(description="Unused money paid back: it flows back to `remaining`.")
    remaining: AmountOut


class PotSummary(FiguresOut):
    """One pot's live figures."""

    pot_id: uuid.UUID
    name: str


class FocusAreaSummary(ApiModel):
    """The round's applications in one focus area of the fund: what they asked for (submitted, not withdrawn),
    what was granted, paid and repaid, and how many they are."""

    focus_area_id: uuid.UUID
    number: int
    text: str
    requested: AmountOut
    granted: AmountOut
    paid: AmountOut
    repaid: AmountOut
    applications: int = ApiField(description="Applications submitted and not withdrawn.")


class RoundSummary(ApiModel):
    """What the council asks at every meeting: per pot and for the whole round, how much is granted and how much
    remains; per focus area of the fund, what was asked for and granted; how many applications are in each
    status (every status named, zeros too). As CSV: the pots' table (one row per pot and a total row)."""

    round_id: uuid.UUID
    fund_id: uuid.UUID
    year: int
    status: RoundStatus
    pots: list[PotSummary]
    total: FiguresOut
    focus_areas: list[FocusAreaSummary]
    applications: dict[ApplicationStatus, int] = ApiField(
        description="The number of the round's applications in each status, every status named."
    )
