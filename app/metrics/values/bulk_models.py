"""API models of the bulk imports: many values in JSON or CSV, and a saved Kolada answer."""

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel, model_validator
from sqlmodel import Field

from app.core.models import ApiModel, examples
from app.metrics import periods
from app.metrics.models import Gender, ValueStatus
from app.metrics.numbers import Figure


def _period(text: str) -> str:
    return periods.parse(text).text


PeriodText = Annotated[str, AfterValidator(_period), Field(description=periods.DESCRIPTION, max_length=7)]
_UMEA_SIP = {"indicator_code": "SIP-ANDEL", "scope": "2480", "period": "2024", "numerator": 131, "denominator": 250}


# The fields of values/models.py `ValueIn`, checked as a file's row is: an indicator code in any spelling (an
# unknown one is named by its row, after the scopes the caller may not report for have been refused).
class ImportRowIn(ApiModel):
    """One value of an import: its indicator by id or by code (exactly one), scope, period and gender, and its
    figures."""

    model_config = examples(_UMEA_SIP | {"gender": "total", "status": "final", "source": "Journalsystemet"})

    indicator_id: uuid.UUID | None = None
    indicator_code: str | None = Field(default=None, min_length=1, max_length=40)
    scope: str = Field(
        min_length=1,
        max_length=40,
        description="`county`, an organisation's id, or a principal's four-digit municipality code.",
    )
    period: PeriodText
    gender: Gender = Gender.total
    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None
    weight: Figure | None = None
    status: ValueStatus = ValueStatus.preliminary
    source: str | None = Field(default=None, max_length=300)
    comment: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _one_indicator(self) -> "ImportRowIn":
        if (self.indicator_id is None) == (self.indicator_code is None):
            raise ValueError("give exactly one of indicator_id and indicator_code")
        return self


class ValueImport(ApiModel):
    """Many values at once, all or nothing. A value that exists with other figures is corrected (a new version),
    which needs a `reason`; one with the same figures is left unchanged."""

    model_config = examples(
        {
            "reason": "Rättade siffror från Skellefteå",
            "dry_run": True,
            "values": [_UMEA_SIP, {"indicator_code": "HLT-BARN", "scope": "2482", "period": "2024", "value": 212}],
        }
    )

    reason: str | None = Field(default=None, min_length=1, max_length=1000)
    dry_run: bool = False
    values: list[ImportRowIn] = Field(min_length=1)


CSV_EXAMPLE = (
    "indicator_code;scope;period;gender;value;numerator;denominator;weight;status;source;comment\r\n"
    "SIP-ANDEL;2480;2024;total;52,4;131;250;;final;Journalsystemet;\r\n"
    "HLT-BARN;2482;2024;total;212;;;;preliminary;;Räknat för hand i Skellefteå\r\n"
)


class ValueImportCsv(RootModel[str]):
    """The values list's CSV export: `;` between cells, UTF-8 (with or without a BOM), a decimal comma or point.
    The first line names the columns; read-only columns of the export (id, scope_name, created_at …) are
    ignored, an unknown column is refused."""

    model_config = ConfigDict(json_schema_extra={"examples": [CSV_EXAMPLE]})


class ValueImportOut(BaseModel):
    """What an import did (or, in a dry run, would do): rows created, corrected (changed) and unchanged."""

    created: int
    changed: int
    unchanged: int
    total: int
    dry_run: bool


class KoladaValue(BaseModel):
    """One figure of a Kolada row: its gender (T, K, M) and value (null when Kolada has none)."""

    model_config = ConfigDict(extra="ignore", strict=True)

    gender: str = Field(max_length=1)
    value: float | None = None
    count: int | None = None
    status: str | None = None
    isdeleted: bool = False


class KoladaRow(BaseModel):
    """A Kolada row: a KPI, a municipality (or county, or the country) and a year, with its figures."""

    model_config = ConfigDict(extra="ignore", strict=True)

    kpi: str = Field(max_length=20)
    municipality: str = Field(max_length=10)
    period: int | str
    values: list[KoladaValue]


class KoladaAnswer(BaseModel):
    """A saved answer of Kolada's v3 API (`/v3/data/kpi/{kpi}/municipality/{ids}/year/{years}`): its `values`;
    the other fields of the answer (count, next_page …) are ignored."""

    model_config = ConfigDict(
        extra="ignore",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "values": [
                        {
                            "kpi": "N00945",
                            "municipality": "2480",
                            "period": 2020,
                            "values": [
                                {"gender": "T", "value": 12.3, "count": 1, "status": "", "isdeleted": False},
                                {"gender": "K", "value": None, "count": 0, "status": "", "isdeleted": False},
                            ],
                        }
                    ]
                }
            ]
        },
    )

    values: list[KoladaRow]


class Skipped(BaseModel):
    """Kolada figures not imported, counted by why."""

    unknown_kpi: int = 0
    unknown_municipality: int = 0
    no_value: int = 0
    not_by_gender: int = 0
    refused: int = 0


class KoladaOut(ValueImportOut):
    """What a Kolada import did: like any import, plus the figures skipped and why (a KPI no indicator carries,
    a municipality that is not one of ours, no value, a gender split the indicator does not have, a figure its
    indicator's rules refuse, e.g. a share without numerator and denominator)."""

    skipped: int
    skipped_because: Skipped
    # The rules' message of each refused figure, at most 20 (a whole KPI is usually refused for one reason).
    refusals: list[dict[str, Any]] = []
