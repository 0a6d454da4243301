"""The fixed part of the funds benchmark's data set (bench/funds_dataset.py): the fund UPH-medel with its four
focus areas, the council that owns it, the region and the 15 municipalities as principals, the roadmap's eight
strategies, three fund managers and an editor per principal. What the database already holds is used (principals
found by name: bench/dataset.py has five of them; strategies by number), the rest is added."""

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from app.auth.models import Principal, RoleGrant
from app.core.principal import PrincipalKind, Role
from app.core.text import fold, swedish_sort_key
from app.funds.models import FocusArea, Fund
from app.organisations.models import Organisation
from app.people.models import Person
from app.strategies.models import Strategy

CODE, YEAR = "UPH", 2025
OPENS, CLOSES = date(YEAR, 2, 1), date(YEAR, 3, 31)
DECIDED = datetime(YEAR, 5, 20, 9, 0, tzinfo=UTC)
CRITERIA = ["Länsgemensam nytta", "Spridningsbarhet", "Uppföljningsbarhet"]
COUNCIL = "Samråd hälsa, vård och omsorg"
MUNICIPALITIES = [
    "Bjurholms",
    "Dorotea",
    "Lycksele",
    "Malå",
    "Nordmalings",
    "Norsjö",
    "Robertsfors",
    "Skellefteå",
    "Sorsele",
    "Storumans",
    "Umeå",
    "Vilhelmina",
    "Vindelns",
    "Vännäs",
    "Åsele",
]
PRINCIPALS = ["Region Västerbotten"] + [f"{m} kommun" for m in MUNICIPALITIES]
FOCUS_AREAS = [
    "Långsiktiga länsgemensamma insatser som når alla huvudmän.",
    "Lokala eller delregionala insatser som kan spridas, även piloter.",
    "Suicidprevention, hälsofrämjande och förebyggande arbete.",
    "Enstaka insatser som fyller ett konkret behov, och kompetenshöjning.",
]
STRATEGIES = [
    "Med hälsan i fokus",
    "Låt behoven stå i centrum för utvecklingen",
    "Tillsammans för invånaren",
    "Ledarskap som gör det möjligt",
    "Kommunikation",
    "Digitalisering som ett verktyg",
    "Prioriteringar som stödjer Nära vård",
    "Här vill jag jobba!",
]
POTS = ["En mer sammanhållen vård", "Det suicidpreventiva arbetet", "Förstärkt patient- och brukarmedverkan"]
PROJECTS = [
    "Processtöd för HLT",
    "Hälsoundersökningar i LSS-boenden",
    "Suicide Zero",
    "Fenixprojektet",
    "Dans för hälsa",
    "Samordnad individuell plan",
    "Stöd till anhöriga",
    "Tidiga insatser i skolan",
]
CATEGORIES = ["Personal", "Utbildning", "Resor", "Material", "Utvärdering"]
TABLES: dict[str, sa.Table] = {
    t.__tablename__: t.__table__  # type: ignore[union-attr]
    for t in (Organisation, Principal, RoleGrant, Strategy, Fund, FocusArea)
}
# Ids of their own range: bench/dataset.py's kinds are below 0xF0.
_KINDS = {
    name: 0xF0 + n
    for n, name in enumerate(
        [
            "org",
            "principal",
            "role",
            "strategy",
            "fund",
            "area",
            "round",
            "pot",
            "application",
            "line",
            "event",
            "review",
            "grant",
            "payment",
            "report",
        ]
    )
}


def ident(kind: str, n: int) -> uuid.UUID:
    return uuid.UUID(int=_KINDS[kind] << 64 | n)


FUND_ID = ident("fund", 0)
MANAGER_ID = ident("principal", 0)  # the first of three fund managers: the benchmark's token for the list


def stamped(at: datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at, "deleted_at": None, "version": 1}


class Context:
    """What the database already holds that the rows refer to, and what must be added."""

    def __init__(self, conn: sa.Connection) -> None:
        orgs = Organisation.__table__  # type: ignore[attr-defined]
        found: dict[str, uuid.UUID] = dict(
            conn.execute(sa.select(orgs.c.name, orgs.c.id).where(orgs.c.deleted_at.is_(None))).all()
        )
        self.new_orgs = [name for name in [COUNCIL, *PRINCIPALS] if name not in found]
        found |= {name: ident("org", k) for k, name in enumerate(self.new_orgs)}
        self.council = found[COUNCIL]
        self.principals = [found[name] for name in PRINCIPALS]
        strategies = Strategy.__table__  # type: ignore[attr-defined]
        have: dict[int, uuid.UUID] = dict(
            conn.execute(sa.select(strategies.c.number, strategies.c.id).where(strategies.c.deleted_at.is_(None))).all()
        )
        self.new_strategies = [k for k in range(1, len(STRATEGIES) + 1) if k not in have]
        self.strategies = [have.get(k, ident("strategy", k)) for k in range(1, len(STRATEGIES) + 1)]
        people = Person.__table__  # type: ignore[attr-defined]
        self.people = list(
            conn.execute(sa.select(people.c.id).where(people.c.deleted_at.is_(None)).order_by(people.c.id).limit(500))
            .scalars()
            .all()
        )
        self.managers = [ident("principal", k) for k in range(3)]
        self.editors = [ident("principal", 100 + k) for k in range(len(PRINCIPALS))]


def setting(ctx: Context, at: datetime) -> Iterator[tuple[str, dict[str, Any]]]:
    for k, name in enumerate(ctx.new_orgs):
        body = name == COUNCIL
        yield (
            "organisations",
            {
                "id": ident("org", k),
                **stamped(at),
                "name": name,
                "short_name": None,
                "name_sort": swedish_sort_key(name),
                "search_text": fold(name),
                "municipality_code": None,
                "county_code": None,
                "org_number": None,
                "parent_id": None,
                "is_principal": not body,
                "start_date": date(2020, 9, 1),
                "end_date": None,
                "website": None,
                "contact_email": None,
                "kind": "joint_body" if body else "region" if name.startswith("Region") else "municipality",
            },
        )
    people: list[tuple[int, str, Role, uuid.UUID | None]] = [
        (m, f"Handläggare {m + 1}", Role.fund_manager, None) for m in range(3)
    ]
    people += [(100 + k, f"Redaktör {PRINCIPALS[k]}", Role.editor, ctx.principals[k]) for k in range(len(PRINCIPALS))]
    for k, name, role, org in people:
        yield (
            "principals",
            {
                "id": ident("principal", k),
                **stamped(at),
                "kind": PrincipalKind.person.value,
                "login": f"bench-funds-{k}",
                "display_name": name,
                "name_sort": swedish_sort_key(name),
                "email": None,
                "secret_hash": None,
                "person_id": None,
                "is_active": True,
            },
        )
        yield (
            "role_grants",
            {"id": ident("role", k), "principal_id": ident("principal", k), "role": role.value, "organisation_id": org},
        )
    for k in ctx.new_strategies:
        name = STRATEGIES[k - 1]
        yield (
            "strategies",
            {
                "id": ident("strategy", k),
                **stamped(at),
                "number": k,
                "name": name,
                "name_sort": swedish_sort_key(name),
                "description": None,
            },
        )
    yield (
        "funds",
        {
            "id": FUND_ID,
            **stamped(at),
            "code": CODE,
            "name": "UPH-medel",
            "name_sort": swedish_sort_key("UPH-medel"),
            "owning_body_id": ctx.council,
            "deciding_body_id": ctx.council,
            "description": "Länsgemensamma medel för psykisk hälsa och suicidprevention.",
        },
    )
    for k, text in enumerate(FOCUS_AREAS):
        yield (
            "fund_focus_areas",
            {"id": ident("area", k), **stamped(at), "fund_id": FUND_ID, "number": k + 1, "text": text},
        )
