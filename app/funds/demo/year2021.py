"""The 2021 round of UPH-medel as the protocol records it (DOMAIN.md, "Funds"): three pots, and invented grants
to the domain's example projects that reproduce the protocol's figures exactly:

| pot                                    | budget    | granted   | remaining |
|----------------------------------------|-----------|-----------|-----------|
| En mer sammanhållen vård               | 7 500 934 | 3 270 000 | 4 230 934 |
| Det suicidpreventiva arbetet           | 5 265 124 | 1 927 000 | 3 338 124 |
| Förstärkt patient- och brukarmedverkan | 1 000 000 |   608 500 |   391 500 |

Data only: the demo data and the test that enters these grants through the API (tests/funds/test_grants_2021.py)
both read it. A project granted less than it asked for becomes `partially_granted`.
"""

from dataclasses import dataclass
from decimal import Decimal

FUND_CODE = "UPH"
YEAR = 2021


@dataclass(frozen=True)
class Pot2021:
    name: str
    budget: Decimal
    # What the protocol states, for the test to compare against.
    granted: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Project2021:
    title: str
    pot: str
    applicant: str  # a principal: a municipality or the region
    applicant_unit: str
    focus_area: int  # the fund's focus area number (1–4)
    requested: Decimal
    granted: Decimal


POTS = (
    Pot2021("En mer sammanhållen vård", Decimal("7500934.00"), Decimal("3270000.00"), Decimal("4230934.00")),
    Pot2021("Det suicidpreventiva arbetet", Decimal("5265124.00"), Decimal("1927000.00"), Decimal("3338124.00")),
    Pot2021(
        "Förstärkt patient- och brukarmedverkan", Decimal("1000000.00"), Decimal("608500.00"), Decimal("391500.00")
    ),
)

PROJECTS = (
    Project2021(
        "Processtöd för HLT (Hälsa, Lärande, Trygghet)",
        "En mer sammanhållen vård",
        "Region Västerbotten",
        "Regionalt kunskapscentrum",
        1,
        Decimal("1900000.00"),
        Decimal("1850000.00"),
    ),
    Project2021(
        "Hälsoundersökningar i LSS-boenden",
        "En mer sammanhållen vård",
        "Skellefteå kommun",
        "Omsorgsförvaltningen",
        2,
        Decimal("1420000.00"),
        Decimal("1420000.00"),
    ),
    Project2021(
        "Suicide Zero i skolan",
        "Det suicidpreventiva arbetet",
        "Umeå kommun",
        "För- och grundskolenämnden",
        3,
        Decimal("1200000.00"),
        Decimal("1100000.00"),
    ),
    Project2021(
        "Dans för hälsa",
        "Det suicidpreventiva arbetet",
        "Lycksele kommun",
        "Folkhälsoenheten",
        3,
        Decimal("827000.00"),
        Decimal("827000.00"),
    ),
    Project2021(
        "Fenixprojektet",
        "Förstärkt patient- och brukarmedverkan",
        "Vilhelmina kommun",
        "Individ- och familjeomsorgen",
        4,
        Decimal("650000.00"),
        Decimal("608500.00"),
    ),
)
