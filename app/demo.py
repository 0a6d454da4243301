"""Demo data: the real structure of the collaboration (principals, sub-regions, bodies, strategies) and
invented people, so that every role has someone, and the fund UPH-medel with its rounds 2021–2025
(app.funds.demo), and the follow-up metrics 2020–2025 (app.metrics.demo). Loaded through the services, so every
rule and the audit log apply. Loading twice changes nothing; a database loaded before funds or metrics existed gets
them on its next load."""

import os
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app.auth import service as auth
from app.auth.models import GrantIn, PrincipalCreate
from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.core.settings import get_settings
from app.funds.demo import users as fund_users
from app.funds.demo.loader import load_funds
from app.metrics.demo.loader import load_metrics
from app.organisations import service as orgs
from app.organisations.models import FormerName, Organisation, OrganisationCreate
from app.people import memberships
from app.people import service as people
from app.people.models import Contact, MembershipCreate, MembershipRole, PersonCreate
from app.strategies import service as strategies
from app.strategies.models import StrategyCreate

SYSTEM = Actor(uuid.UUID(int=0), PrincipalKind.service, "demo loader", frozenset({Grant(Role.admin)}))
ADMIN_LOGIN = "admin"
STRUCTURE_START = date(2020, 9, 1)
RENAMED_BY = date(2023, 12, 31)

# SCB kommunkoder, Västerbotten (län 24). Organisation numbers only where we are sure of them.
# Official names take the genitive where the municipality's own name does: "Bjurholms kommun".
GENITIVE = {"Bjurholm", "Nordmaling", "Storuman", "Vindeln"}
MUNICIPALITIES = {
    "Bjurholm": "2403",
    "Dorotea": "2425",
    "Lycksele": "2481",
    "Malå": "2418",
    "Nordmaling": "2401",
    "Norsjö": "2417",
    "Robertsfors": "2409",
    "Skellefteå": "2482",
    "Sorsele": "2422",
    "Storuman": "2421",
    "Umeå": "2480",
    "Vilhelmina": "2462",
    "Vindeln": "2404",
    "Vännäs": "2460",
    "Åsele": "2463",
}
ORG_NUMBERS = {"Umeå": "212000-2742", "Skellefteå": "212000-2759"}
SUB_REGIONS = {
    "Umeå med krans": ["Umeå", "Vännäs", "Vindeln", "Bjurholm", "Nordmaling", "Robertsfors"],
    "Skellefteå": ["Skellefteå", "Norsjö", "Malå"],
    "Södra Lappland": ["Lycksele", "Storuman", "Sorsele", "Vilhelmina", "Dorotea", "Åsele"],
}
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
# Invented people: (given, family, party, sits for, title)
POLITICIANS = [
    ("Åsa", "Lindström", "s", "Region Västerbotten", "Regionråd"),
    ("Jörgen", "Öberg", "m", "Skellefteå kommun", "Kommunalråd"),
    ("Märta", "Näslund", "c", "Umeå kommun", "Ordförande socialnämnden"),
    ("Örjan", "Wikström", "s", "Lycksele kommun", "Kommunalråd"),
    ("Linnéa", "Häggström", "v", "Vännäs kommun", "Ledamot kommunstyrelsen"),
    ("Pär", "Sjölander", "kd", "Åsele kommun", "Kommunalråd"),
]
OFFICIALS = [
    ("Karin", "Åström", "Region Västerbotten", "Regional samverkanskoordinator"),
    ("Elin", "Bäckström", "Region Västerbotten", "Hälso- och sjukvårdsdirektör"),
    ("Johan", "Sundqvist", "Umeå kommun", "Socialchef"),
]
PRESENTER = ("Ingrid", "Mörk", "Sveriges Kommuner och Regioner", "Utredare")


@dataclass
class DemoResult:
    created: bool
    summary: str = ""
    admin_login: str = ADMIN_LOGIN
    admin_password: str | None = None
    password_file: Path | None = None
    # The fund's demo users besides the admin: login → password (None when its file is gone).
    more_logins: dict[str, str | None] = field(default_factory=dict)


def official_name(municipality: str) -> str:
    return f"{municipality}{'s' if municipality in GENITIVE else ''} kommun"


def _org(session: Session, **fields: object) -> Organisation:
    return orgs.create(session, SYSTEM, OrganisationCreate.model_validate(fields))


def load(session: Session) -> DemoResult:
    password_file = get_settings().var_dir / "demo-admin-password.txt"
    existing = session.execute(select(Organisation.id).where(Organisation.name == "Region Västerbotten")).first()
    if existing:
        # A database loaded before funds existed gets the fund now; one that has it stays as it is.
        saved = password_file.read_text().strip() if password_file.exists() else None
        funds = load_funds(session, SYSTEM)
        # Likewise the follow-up metrics, after the fund (its fund manager enters them).
        metrics = load_metrics(session, SYSTEM)
        summary = ", ".join(filter(None, [funds.summary, metrics.summary]))
        return DemoResult(
            funds.created or metrics.created,
            summary,
            admin_password=saved,
            password_file=password_file,
            more_logins=_fund_logins(),
        )

    by_name: dict[str, Organisation] = {}
    region = _org(
        session,
        kind="region",
        name="Region Västerbotten",
        county_code="24",
        org_number="232100-0222",
        is_principal=True,
        website="https://www.regionvasterbotten.se",
    )
    by_name[region.name] = region
    for name, code in MUNICIPALITIES.items():
        org = _org(
            session,
            kind="municipality",
            name=official_name(name),
            short_name=name,
            municipality_code=code,
            county_code="24",
            org_number=ORG_NUMBERS.get(name),
            is_principal=True,
        )
        by_name[org.name] = org
    for area, members in SUB_REGIONS.items():
        ids = [region.id] + [by_name[official_name(m)].id for m in members]
        _org(session, kind="sub_region", name=f"Länsdel {area}", short_name=area, member_ids=ids)

    council = _org(
        session,
        kind="joint_body",
        name="Samråd hälsa, vård och omsorg",
        short_name="SHVO",
        start_date=STRUCTURE_START,
        former_names=[FormerName(name="Samråd vård och omsorg", valid_from=STRUCTURE_START, valid_to=RENAMED_BY)],
    )
    au = _org(
        session,
        kind="joint_body",
        name="Samråd hälsa, vård och omsorg – arbetsutskott",
        short_name="AU",
        parent_id=council.id,
        start_date=STRUCTURE_START,
    )
    lsg = _org(session, kind="joint_body", name="Länssamverkansgruppen", short_name="LSG", start_date=STRUCTURE_START)
    _org(session, kind="joint_body", name="Systemledning för Nära vård", start_date=STRUCTURE_START)
    for name in ("Beredning barn och unga", "Beredning vuxna och äldre"):
        _org(session, kind="working_group", name=name, parent_id=lsg.id, start_date=STRUCTURE_START)
    _org(session, kind="joint_body", name="Hjälpmedelsrådet", start_date=STRUCTURE_START)
    skr = _org(
        session, kind="external", name="Sveriges Kommuner och Regioner", short_name="SKR", website="https://skr.se"
    )
    by_name[skr.name] = skr

    for number, name in enumerate(STRATEGIES, start=1):
        strategies.create(session, SYSTEM, StrategyCreate(number=number, name=name))

    _people(session, by_name, council.id, au.id, lsg.id)
    password = _admin(session)
    password_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")
    principals = len(MUNICIPALITIES) + 1
    people_count = len(POLITICIANS) + len(OFFICIALS) + 1
    funds = load_funds(session, SYSTEM)
    metrics = load_metrics(session, SYSTEM)
    summary = (
        f"{principals} principals, 3 sub-regions, 7 bodies, SKR, {len(STRATEGIES)} strategies, {people_count} people, "
        f"{funds.summary}, {metrics.summary}"
    )
    return DemoResult(True, summary, admin_password=password, password_file=password_file, more_logins=_fund_logins())


def _fund_logins() -> dict[str, str | None]:
    return {login: fund_users.saved_password(login) for login in fund_users.SHOWN_LOGINS}


def _person(
    session: Session, given: str, family: str, employer: Organisation, title: str, party: str | None = None
) -> uuid.UUID:
    email = f"{given}.{family}@example.se".lower().translate(str.maketrans("åäöé", "aaoe"))
    data = PersonCreate(
        given_name=given,
        family_name=family,
        party=party,
        title=title,
        employer_id=employer.id,
        contact=Contact(email=email, phone="+46 90 000 00 00"),
        aliases=[f"{family}, {given}"],
    )
    return people.create_person(session, SYSTEM, data).id


def _member(session: Session, person: uuid.UUID, body: uuid.UUID, role: str, behalf: Organisation | None) -> None:
    data = MembershipCreate(
        person_id=person,
        body_id=body,
        role=MembershipRole(role),
        start_date=date(2023, 1, 1),
        on_behalf_of_id=behalf.id if behalf else None,
    )
    memberships.create_membership(session, SYSTEM, data)


def _people(
    session: Session, by_name: dict[str, Organisation], council: uuid.UUID, au: uuid.UUID, lsg: uuid.UUID
) -> None:
    roles = ["chair", "vice_chair", "member", "member", "substitute", "member"]
    for (given, family, party, behalf, title), role in zip(POLITICIANS, roles, strict=True):
        org = by_name[behalf]
        pid = _person(session, given, family, org, title, party)
        _member(session, pid, council, role, org)
        if role in ("chair", "vice_chair"):
            _member(session, pid, au, role, org)
    coordinator, director, social_chief = (_person(session, g, f, by_name[o], t) for g, f, o, t in OFFICIALS)
    _member(session, coordinator, council, "secretary", None)
    _member(session, coordinator, lsg, "secretary", None)
    _member(session, director, lsg, "chair", by_name["Region Västerbotten"])
    _member(session, director, council, "official", None)
    _member(session, social_chief, lsg, "member", by_name["Umeå kommun"])
    given, family, employer, title = PRESENTER
    presenter = _person(session, given, family, by_name[employer], title)
    _member(session, presenter, council, "co_opted", None)


def _admin(session: Session) -> str:
    password = secrets.token_urlsafe(12)
    auth.create_principal(
        session,
        SYSTEM,
        PrincipalCreate(
            kind=PrincipalKind.person,
            login=ADMIN_LOGIN,
            display_name="Demo coordinator (admin)",
            password=password,
            grants=[GrantIn(role=Role.admin)],
        ),
    )
    return password
