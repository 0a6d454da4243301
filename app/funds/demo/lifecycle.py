"""One demo application's way through the workflow, entered through the services as its applicant's editor and
the fund manager would: drafted and submitted while the round is open (`submit`), then reviewed, granted, paid
and reported on (`carry_on`) as far as its `end` status. Every move lands in the application's history, with a
comment in Swedish, and in the audit log."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from app.core.principal import Actor
from app.funds.applications import moves, reviews
from app.funds.applications import service as applications
from app.funds.applications.models import (
    Application,
    ApplicationCreate,
    ApplicationStatus,
    BudgetLineIn,
    Recommendation,
    ReviewCreate,
    TransitionIn,
)
from app.funds.demo.catalogue import REVIEW_CRITERIA, DemoApplication
from app.funds.grants import payments, reports
from app.funds.grants import service as grants
from app.funds.grants.models import (
    DelegatedDecision,
    FundGrant,
    FundGrantCreate,
    PaymentCreate,
    PaymentKind,
    Report,
    ReportDueIn,
    ReportKind,
    ReportStatus,
    ReportTransition,
    ReportUpdate,
)

S = ApplicationStatus
KRONA = Decimal(1)


@dataclass
class Context:
    """What one round's applications need: the actors, and the ids their specifications name."""

    session: Session
    manager: Actor
    second_reviewer: Actor
    round_id: uuid.UUID
    year: int
    decided_on: date
    pots: dict[str, uuid.UUID]
    focus_areas: dict[int, uuid.UUID]


def _budget(spec: DemoApplication, year: int) -> list[BudgetLineIn]:
    """Staff, training and the rest, adding up to what is asked for exactly."""
    staff = (spec.requested * Decimal("0.6")).quantize(KRONA)
    training = (spec.requested * Decimal("0.25")).quantize(KRONA)
    rest = spec.requested - staff - training
    lines = [("Personal", staff), ("Utbildning och handledning", training), ("Material, lokaler och resor", rest)]
    return [BudgetLineIn(category=c, year=year, amount=a) for c, a in lines if a > 0]


def _move(ctx: Context, actor: Actor, a: Application, to: ApplicationStatus, comment: str) -> None:
    moves.transition(ctx.session, actor, a, TransitionIn(to=to, comment=comment))


def submit(ctx: Context, editor: Actor, applicant_id: uuid.UUID, spec: DemoApplication) -> Application:
    """Drafted by the applicant's editor and, unless it stays a draft, submitted (it gets its number)."""
    data = ApplicationCreate(
        round_id=ctx.round_id,
        applicant_id=applicant_id,
        applicant_unit=spec.unit,
        title=spec.title,
        summary=spec.summary,
        target_group=spec.target_group,
        focus_area_id=ctx.focus_areas[spec.focus_area],
        pot_id=ctx.pots[spec.pot],
        requested=spec.requested,
        budget_lines=_budget(spec, ctx.year),
        period_start=date(ctx.year, 8, 1),
        period_end=date(ctx.year + 1, 6, 30),
    )
    a = applications.create(ctx.session, editor, data)
    if spec.end is not S.draft:
        _move(ctx, editor, a, S.submitted, "Ansökan skickas in efter beslut i förvaltningens ledningsgrupp.")
    if spec.end is S.withdrawn:
        _move(ctx, editor, a, S.withdrawn, spec.note or "Ansökan dras tillbaka.")
    return a


def _recommendation(spec: DemoApplication) -> Recommendation:
    if spec.end is S.rejected:
        return Recommendation.reject
    if spec.granted is not None and spec.granted < spec.requested:
        return Recommendation.partial
    return Recommendation.grant


def _review(ctx: Context, reviewer: Actor, a: Application, spec: DemoApplication, offset: int) -> None:
    base = {Recommendation.grant: 4, Recommendation.partial: 3, Recommendation.reject: 1}[_recommendation(spec)]
    scores = {c: max(0, min(5, base + (offset + i) % 3 - 1)) for i, c in enumerate(REVIEW_CRITERIA)}
    comment = {
        Recommendation.grant: "Väl förankrad hos huvudmännen och med en tydlig plan för uppföljning.",
        Recommendation.partial: "Angelägen insats; budgeten för personal kan minskas under första året.",
        Recommendation.reject: "Svag koppling till fondens fokusområden och årets prioriteringar.",
    }[_recommendation(spec)]
    data = ReviewCreate(application_id=a.id, scores=scores, recommendation=_recommendation(spec), comment=comment)
    reviews.create(ctx.session, reviewer, data)


def carry_on(ctx: Context, editor: Actor, a: Application, spec: DemoApplication) -> None:
    """From submitted on, as far as `spec.end`."""
    if spec.end in (S.draft, S.submitted, S.withdrawn):
        return
    _move(ctx, ctx.manager, a, S.in_review, "Ansökan är komplett och går till beredning.")
    _review(ctx, ctx.manager, a, spec, 0)
    if spec.end is S.in_review:
        return
    if spec.end is S.more_info_requested:
        _move(ctx, ctx.manager, a, S.more_info_requested, spec.note or "Komplettera ansökan.")
        return
    _review(ctx, ctx.second_reviewer, a, spec, 1)
    if spec.end is S.rejected:
        _move(ctx, ctx.manager, a, S.rejected, spec.note or "Samrådet avslår ansökan.")
        return
    grant = _grant(ctx, a, spec)
    if spec.end in (S.granted, S.partially_granted):
        return
    _move(ctx, editor, a, S.in_progress, "Projektet har startat; projektledare är anställd.")
    _pay(ctx, grant, spec)
    if spec.end is S.in_progress:
        return
    interim, final = _reports(ctx, grant)
    _report(ctx, editor, interim, spec, "Delrapport: insatsen har kommit i gång enligt plan.")
    if spec.end is S.report_due:
        _move(ctx, ctx.manager, a, S.report_due, f"Slutrapporten ska lämnas senast {final.due_on.isoformat()}.")
        return
    _report(ctx, editor, final, spec, "Slutrapport: målen är nådda och arbetssättet lever vidare.", accept=False)
    if spec.end is S.reported:
        return
    accepted = ReportTransition(to=ReportStatus.accepted, comment="Slutrapporten godkänns av samrådet.")
    reports.transition(ctx.session, ctx.manager, final, accepted)
    if spec.repaid:
        repayment = PaymentCreate(
            grant_id=grant.id,
            kind=PaymentKind.repayment,
            paid_on=date(ctx.year + 1, 10, 1),
            amount=spec.repaid,
            reason="Medel som inte förbrukades under projekttiden betalas tillbaka.",
        )
        payments.create(ctx.session, ctx.manager, repayment)


def _grant(ctx: Context, a: Application, spec: DemoApplication) -> FundGrant:
    assert spec.granted is not None, f"{spec.title}: ends {spec.end} without an amount granted"
    decided = ctx.decided_on
    data = FundGrantCreate(
        application_id=a.id,
        amount=spec.granted,
        conditions="Delrapport till samrådet i december och slutrapport med ekonomisk redovisning.",
        delegated=DelegatedDecision(
            by="Samråd hälsa, vård och omsorg (ordförande Åsa Lindström)",
            on=decided,
            reference=f"SHVO {ctx.year}-{decided.month:02d}-{decided.day:02d} § 7",
        ),
        reports=[
            ReportDueIn(kind=ReportKind.interim, due_on=date(ctx.year, 12, 15)),
            ReportDueIn(kind=ReportKind.final, due_on=date(ctx.year + 1, 6, 30)),
        ],
    )
    return grants.create(ctx.session, ctx.manager, data)


def _pay(ctx: Context, grant: FundGrant, spec: DemoApplication) -> None:
    """The whole grant in two instalments, or one instalment of what is paid so far."""
    first = (spec.paid / 2).quantize(KRONA) if spec.paid == grant.amount else spec.paid
    instalments = [(date(ctx.year, 6, 15), first), (date(ctx.year + 1, 1, 15), spec.paid - first)]
    for paid_on, amount in instalments:
        if amount > 0:
            data = PaymentCreate(grant_id=grant.id, kind=PaymentKind.payment, paid_on=paid_on, amount=amount)
            payments.create(ctx.session, ctx.manager, data)


def _reports(ctx: Context, grant: FundGrant) -> tuple[Report, Report]:
    found = ctx.session.scalars(select(Report).where(col(Report.grant_id) == grant.id)).all()
    by_kind = {r.kind: r for r in found}
    return by_kind[ReportKind.interim], by_kind[ReportKind.final]


def _report(
    ctx: Context, editor: Actor, report: Report, spec: DemoApplication, text: str, *, accept: bool = True
) -> None:
    """Written and submitted by the applicant; an interim report is accepted at once by the fund manager."""
    spent = spec.paid - spec.repaid if report.kind is ReportKind.final else (spec.paid / 2).quantize(KRONA)
    results = f"{spec.target_group}: deltagarna har följts upp med enkät före och efter insatsen."
    reports.update(ctx.session, editor, report, ReportUpdate(text=text, amount_spent=spent, results=results))
    reports.transition(ctx.session, editor, report, ReportTransition(to=ReportStatus.submitted))
    if accept:
        reports.transition(ctx.session, ctx.manager, report, ReportTransition(to=ReportStatus.accepted))
