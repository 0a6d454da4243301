"""What the demo's follow-up holds: the seven indicators the documents name (children in HLT and their share with a
SIP, the disputed invoices of the payment responsibility in count, days and kronor, occupational therapists and
physiotherapists per 1 000 listed citizens), the roadmap's strategies each follows up, and the SIP target of 50 %
per sub-region. Data only, as plain dicts whose keys are the API's field names (IndicatorCreate, TargetCreate):
the loader (app.metrics.demo.loader) fills in the ids it finds and enters them through the services."""

from decimal import Decimal
from typing import Any

# The council's joint body owns the follow-up (app.demo creates it under this name).
OWNER = "Samråd hälsa, vård och omsorg"
FIRST_YEAR, LAST_YEAR = 2020, 2025
# The last year's figures are still preliminary; the earlier ones are final.
PRELIMINARY_FROM = 2025

HLT_SOURCE = "HLT-uppföljning"
PAYMENT_SOURCE = "Betalningsansvar, årlig uppföljning"
STAFF_SOURCE = "Personaluppföljning och listning, årlig uppföljning"

INDICATORS: list[dict[str, Any]] = [
    {
        "code": "HLT-BARN",
        "name": "Barn i HLT",
        "definition": (
            "Antal barn och unga som under året haft en samverkan enligt HLT (Hälsa, Lärande, Trygghet) mellan "
            "skola, socialtjänst och hälso- och sjukvård, per kommun där barnet är folkbokfört."
        ),
        "unit": "count",
        "direction": "increase",
        "by_gender": True,
        "aggregation": "sum",
        "reporters": "municipalities",
        "decimals": 0,
        "source": HLT_SOURCE,
    },
    {
        "code": "SIP-ANDEL",
        "name": "Andel barn i HLT med SIP",
        "definition": (
            "Andel av barnen i HLT som under året har en samordnad individuell plan (SIP), i procent: barn med "
            "SIP (täljare) / barn i HLT (nämnare). Länsdelens och länets andel räknas om från täljare och nämnare."
        ),
        "unit": "percent",
        "direction": "increase",
        "by_gender": True,
        "aggregation": "ratio",
        "reporters": "municipalities",
        "decimals": 1,
        "source": HLT_SOURCE,
    },
    {
        "code": "BETALNING-FAKTUROR",
        "name": "Bestridda fakturor, betalningsansvar",
        "definition": (
            "Antal fakturor för utskrivningsklara patienter (lagen om samverkan vid utskrivning från sluten hälso- "
            "och sjukvård) som kommunen bestridit under året."
        ),
        "unit": "count",
        "direction": "decrease",
        "by_gender": False,
        "aggregation": "sum",
        "reporters": "municipalities",
        "decimals": 0,
        "source": PAYMENT_SOURCE,
    },
    {
        "code": "BETALNING-DAGAR",
        "name": "Vårddagar i bestridda fakturor",
        "definition": "Antal vårddagar efter utskrivningsklar som de bestridda fakturorna under året gäller.",
        "unit": "days",
        "direction": "decrease",
        "by_gender": False,
        "aggregation": "sum",
        "reporters": "municipalities",
        "decimals": 0,
        "source": PAYMENT_SOURCE,
    },
    {
        "code": "BETALNING-BELOPP",
        "name": "Bestritt belopp, betalningsansvar",
        "definition": "Summa i kronor av de fakturor för utskrivningsklara patienter som bestridits under året.",
        "unit": "sek",
        "direction": "decrease",
        "by_gender": False,
        "aggregation": "sum",
        "reporters": "municipalities",
        "decimals": 0,
        "source": PAYMENT_SOURCE,
    },
    {
        "code": "ARBETSTERAPEUTER-1000",
        "name": "Arbetsterapeuter per 1 000 listade invånare",
        "definition": (
            "Antal arbetsterapeuter (årsarbetare) hos huvudmannen per 1 000 invånare listade i huvudmannens "
            "område, den 1 november: årsarbetare (täljare) / listade invånare (nämnare) × 1 000."
        ),
        "unit": "per_1000",
        "direction": "increase",
        "by_gender": False,
        "aggregation": "ratio",
        "reporters": "municipalities",
        "decimals": 2,
        "source": STAFF_SOURCE,
    },
    {
        "code": "FYSIOTERAPEUTER-1000",
        "name": "Fysioterapeuter per 1 000 listade invånare",
        "definition": (
            "Antal fysioterapeuter (årsarbetare) hos huvudmannen per 1 000 invånare listade i huvudmannens "
            "område, den 1 november: årsarbetare (täljare) / listade invånare (nämnare) × 1 000."
        ),
        "unit": "per_1000",
        "direction": "increase",
        "by_gender": False,
        "aggregation": "ratio",
        "reporters": "municipalities",
        "decimals": 2,
        "source": STAFF_SOURCE,
    },
]

# The roadmap's strategies (app.demo.STRATEGIES) each indicator follows up, by name.
STRATEGIES: dict[str, list[str]] = {
    "HLT-BARN": ["Med hälsan i fokus", "Tillsammans för invånaren"],
    "SIP-ANDEL": ["Tillsammans för invånaren", "Låt behoven stå i centrum för utvecklingen"],
    "BETALNING-FAKTUROR": ["Tillsammans för invånaren", "Prioriteringar som stödjer Nära vård"],
    "BETALNING-DAGAR": ["Tillsammans för invånaren", "Prioriteringar som stödjer Nära vård"],
    "BETALNING-BELOPP": ["Prioriteringar som stödjer Nära vård"],
    "ARBETSTERAPEUTER-1000": ["Här vill jag jobba!", "Med hälsan i fokus"],
    "FYSIOTERAPEUTER-1000": ["Här vill jag jobba!", "Med hälsan i fokus"],
}

# The HLT follow-up's target: at least half of the children in HLT have a SIP, in every sub-region, from 2020 on.
SIP_TARGET = Decimal(50)
TARGETS: list[dict[str, Any]] = [
    {
        "indicator_code": "SIP-ANDEL",
        "sub_region": sub_region,  # the loader puts the sub-region's id in `scope`
        "gender": "total",
        "period_from": str(FIRST_YEAR),
        "period_to": None,
        "comparison": "gte",
        "value": SIP_TARGET,
        "comment": "Minst hälften av barnen i HLT ska ha en samordnad individuell plan (SIP).",
    }
    for sub_region in ("Umeå med krans", "Skellefteå", "Södra Lappland")
]
