"""The demo's fund: UPH-medel with its rounds 2021–2025, loaded through the services (every rule and the audit
log apply) by the demo's fund manager and the applicants' editors (app.funds.demo.users).

- 2021 reproduces the protocol (DOMAIN.md): its three pots and the five example projects, granted by one
  delegated decision of the council, so that the round's summary shows exactly 3 270 000 / 4 230 934,
  1 927 000 / 3 338 124 and 608 500 / 391 500 granted / remaining. Nothing is repaid or carried over out of it:
  either would change its remaining amounts.
- 2021–2023 are archived and 2024 decided, each with granted projects (some closed after an accepted final
  report), a rejection or a withdrawal.
- 2025 is open, with an application in each of the twelve statuses (app.funds.demo.year2025). The demo keeps its
  open round open: its deadline is at least 30 days after the load day.

A past round cannot take submissions after its deadline (the rule holds for the demo too), so the loader opens
each past round with the load day as its deadline, submits its applications, then sets the round's own deadline
as it closes it; both changes are in the round's audit trail.

Keyed on the fund code: a database with a fund UPH is left as it is, so loading twice changes nothing, and a
database holding the rest of the demo (loaded before funds existed) gets the fund on its next load."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.core.principal import Actor
from app.core.time import today
from app.funds import pots, rounds
from app.funds import service as funds
from app.funds.demo import catalogue, lifecycle, users, year2025
from app.funds.demo.catalogue import DemoRound
from app.funds.models import (
    FocusArea,
    FocusAreaIn,
    Fund,
    FundCreate,
    PotCreate,
    RoundCreate,
    RoundStatus,
    RoundUpdate,
    TransferCreate,
)
from app.organisations.models import Organisation

ROUNDS = (catalogue.ROUND_2021, catalogue.ROUND_2022, catalogue.ROUND_2023, catalogue.ROUND_2024, year2025.ROUND)


@dataclass
class FundsResult:
    created: bool
    summary: str = ""


def has_fund(session: Session) -> bool:
    live = select(Fund.id).where(col(Fund.code) == catalogue.FUND_CODE, col(Fund.deleted_at).is_(None))
    return session.execute(live).first() is not None


def _organisation(session: Session, name: str) -> Organisation:
    found = select(Organisation).where(col(Organisation.name) == name, col(Organisation.deleted_at).is_(None))
    return session.execute(found).scalar_one()


def load_funds(session: Session, system: Actor) -> FundsResult:
    """Load the fund once; `system` (the demo's admin actor) creates the demo's fund manager and editors."""
    if has_fund(session):
        return FundsResult(False)
    manager = users.fund_manager(session, system)
    names = sorted({a.applicant for spec in ROUNDS for a in spec.applications})
    editors = users.Editors(session, system, [_organisation(session, name) for name in names])
    council = _organisation(session, catalogue.COUNCIL)
    fund = funds.create(
        session,
        manager,
        FundCreate(
            code=catalogue.FUND_CODE,
            name=catalogue.FUND_NAME,
            owning_body_id=council.id,
            deciding_body_id=council.id,
            description=catalogue.FUND_DESCRIPTION,
            focus_areas=[FocusAreaIn(number=n, text=t) for n, t in catalogue.FOCUS_AREAS.items()],
        ),
    )
    areas = select(FocusArea.number, FocusArea.id).where(
        col(FocusArea.fund_id) == fund.id, col(FocusArea.deleted_at).is_(None)
    )
    focus_areas: dict[int, uuid.UUID] = {row[0]: row[1] for row in session.execute(areas)}
    second_reviewer = users.admin(session)
    count = 0
    for spec in ROUNDS:
        count += _round(session, manager, second_reviewer, editors, fund.id, focus_areas, spec)
    summary = (
        f"fund {catalogue.FUND_CODE} ({catalogue.FUND_NAME}) with rounds {ROUNDS[0].year}–{ROUNDS[-1].year} "
        f"and {count} applications"
    )
    return FundsResult(True, summary)


def _round(
    session: Session,
    manager: Actor,
    second_reviewer: Actor,
    editors: users.Editors,
    fund_id: uuid.UUID,
    focus_areas: dict[int, uuid.UUID],
    spec: DemoRound,
) -> int:
    still_open = spec.status == RoundStatus.open
    # Open for submissions on the load day: see the module's docstring.
    closes_on = year2025.closes_on() if still_open else max(spec.closes_on, today())
    created = RoundCreate(
        fund_id=fund_id,
        year=spec.year,
        opens_on=spec.opens_on,
        closes_on=closes_on,
        priorities=spec.priorities,
        review_criteria=catalogue.REVIEW_CRITERIA,
    )
    r = rounds.create(session, manager, created)
    pot_ids = {
        name: pots.create_pot(session, manager, PotCreate(round_id=r.id, name=name, budget=budget)).id
        for name, budget in spec.pots.items()
    }
    rounds.update(session, manager, r, RoundUpdate(status=RoundStatus.open))
    ctx = lifecycle.Context(session, manager, second_reviewer, r.id, spec.year, spec.decided_on, pot_ids, focus_areas)
    submitted = []
    for application in spec.applications:
        applicant = _organisation(session, application.applicant)
        editor = editors.of(applicant)
        submitted.append((editor, lifecycle.submit(ctx, editor, applicant.id, application), application))
    if not still_open:
        rounds.update(session, manager, r, RoundUpdate(closes_on=spec.closes_on, status=RoundStatus.closed))
    for editor, made, application in submitted:
        lifecycle.carry_on(ctx, editor, made, application)
    if still_open:
        _transfer(session, manager, pot_ids)
        return len(submitted)
    rounds.update(session, manager, r, RoundUpdate(status=RoundStatus.decided))
    if spec.status == RoundStatus.archived:
        rounds.update(session, manager, r, RoundUpdate(status=RoundStatus.archived))
    return len(submitted)


def _transfer(session: Session, manager: Actor, pot_ids: dict[str, uuid.UUID]) -> None:
    """The open round shows a transfer between two of its pots, by a delegated decision."""
    data = TransferCreate(
        from_pot_id=pot_ids[year2025.NARA],
        to_pot_id=pot_ids[year2025.BARN],
        amount=catalogue.sek(200_000),
        decision_reference="Delegationsbeslut 2025-09-10, SHVO 2025/31",
        comment="Fler ansökningar än väntat inom barn och ungas psykiska hälsa.",
    )
    pots.create_transfer(session, manager, data)
