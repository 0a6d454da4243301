"""The eight strategies of the roadmap Nära vård 2030: a small taxonomy other resources link to."""

from typing import Annotated

from sqlalchemy import Column, Index, String, text
from sqlmodel import Field

from app.core.db import SortKey
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples

_LIVE = text("deleted_at IS NULL")


class Strategy(Resource, table=True):
    __tablename__ = "strategies"
    __table_args__ = (
        Index("uq_strategies_number_live", "number", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    number: int = Field(ge=1, le=99)
    name: str = Field(max_length=200)
    name_sort: str = Field(sa_type=SortKey, index=True)
    description: str | None = Field(default=None, sa_column=Column(String(4000)))


class StrategyCreate(ApiModel):
    """A new strategy of the roadmap Nära vård 2030."""

    model_config = examples(
        {
            "number": 3,
            "name": "Hälsofrämjande och förebyggande arbete",
            "description": "Stärka det hälsofrämjande och förebyggande arbetet i hela länet.",
        }
    )

    number: int = Field(ge=1, le=99, description="Its place in the roadmap.")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


class StrategyUpdate(ApiModel):
    """Changes to a strategy: only the fields sent change."""

    model_config = examples({"name": "Hälsofrämjande och förebyggande arbete för alla åldrar"})

    number: Annotated[int | None, NotNull] = Field(default=None, ge=1, le=99)
    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


class StrategyOut(ResourceOut):
    """A strategy of the roadmap Nära vård 2030, which cases link to."""

    number: int
    name: str
    description: str | None
