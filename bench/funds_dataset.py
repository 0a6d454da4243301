"""The funds benchmark's data set: UPH-medel with four focus areas, its 2025 round with three pots, and N
applications (10 000 in the read-path benchmark) in every status of the workflow, inserted in bulk (SQLAlchemy
Core, in batches, as bench/bulk.py does) into a migrated database, on its own or on top of bench/dataset.py.

Each application has 1–3 budget lines adding up to the requested amount, 0–2 co-applicant principals, 0–2
strategies and a history that follows `app.funds.applications.workflow.TRANSITIONS` step by step. Reviewed ones
have 0–3 reviews (one per fund manager, with their mean score); granted ones and later have a grant, 0–3 payments
(a repayment for some closed ones) and an interim and/or a final report whose status matches the application's.
Numbers are `UPH-2025-001` onwards, given in order of submission (drafts and withdrawn drafts have none), and
`Round.last_sequence` is the last one given. Every pot's budget is its grants plus a margin, so no pot is below zero.

The fund, its principals, managers and strategies come from bench/funds_setting.py (found, or added). Made with a
seeded `random.Random`, so two runs make the same rows; not written: the audit log, which no benchmark reads.
"""

import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

import sqlalchemy as sa

from app.core.text import swedish_sort_key
from app.funds.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ApplicationStrategy,
    BudgetLine,
    CoApplicant,
    Review,
)
from app.funds.applications.workflow import TRANSITIONS, Party
from app.funds.grants.models import FundGrant, Payment, Report
from app.funds.models import Pot, Round
from bench import funds_setting
from bench.funds_setting import (
    CATEGORIES,
    CLOSES,
    CODE,
    CRITERIA,
    DECIDED,
    FUND_ID,
    MANAGER_ID,
    OPENS,
    POTS,
    PRINCIPALS,
    PROJECTS,
    STRATEGIES,
    YEAR,
    Context,
    ident,
    stamped,
)

__all__ = ["MANAGER_ID", "POTS", "PRINCIPALS", "ROUND_ID", "Built", "insert", "path_to"]

S = ApplicationStatus
BATCH = 5000
# Applications in each status, per 100 (and, first, one in each status, so that a small data set has them all).
WEIGHTS = {
    S.draft: 6,
    S.submitted: 8,
    S.in_review: 10,
    S.more_info_requested: 4,
    S.granted: 8,
    S.partially_granted: 6,
    S.rejected: 14,
    S.withdrawn: 4,
    S.in_progress: 14,
    S.report_due: 8,
    S.reported: 6,
    S.closed: 12,
}
GRANTED = frozenset({S.granted, S.partially_granted})
# Parents before children: rows are written in this order, and foreign keys are enforced.
TABLES: dict[str, sa.Table] = funds_setting.TABLES | {
    t.__tablename__: t.__table__  # type: ignore[union-attr]
    for t in (
        Round,
        Pot,
        Application,
        CoApplicant,
        ApplicationStrategy,
        BudgetLine,
        ApplicationEvent,
        Review,
        FundGrant,
        Payment,
        Report,
    )
}
ROUND_ID = ident("round", 0)
CENT = Decimal("0.01")


@dataclass
class Built:
    round_id: uuid.UUID
    manager_id: uuid.UUID
    statuses: Counter[str] = field(default_factory=Counter)
    rows: int = 0
    seconds: float = 0.0


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _thousands(value: Decimal) -> Decimal:
    """Down to whole thousands of kronor."""
    return Decimal(int(value) // 1000 * 1000).quantize(CENT)


def path_to(status: ApplicationStatus, n: int) -> list[ApplicationStatus]:
    """The statuses an application went through to reach `status`, each step one the workflow allows; some took
    the more-information loop, and some closed ones had their final report returned once."""
    if status is S.withdrawn:
        return [[S.draft], [S.draft, S.submitted], [S.draft, S.submitted, S.in_review]][n % 3] + [S.withdrawn]
    if status in (S.draft, S.submitted):
        return [S.draft, S.submitted][: 1 + (status is S.submitted)]
    steps = [S.draft, S.submitted, S.in_review] + ([S.more_info_requested, S.in_review] if n % 4 == 0 else [])
    if status in (S.in_review, S.more_info_requested, S.rejected, S.granted, S.partially_granted):
        return steps if status is S.in_review else [*steps, status]
    decided = S.partially_granted if n % 3 == 0 else S.granted
    later = [decided, S.in_progress, S.report_due, S.reported] + ([S.report_due, S.reported] if n % 5 == 0 else [])
    if status is S.closed:
        return [*steps, *later, S.closed]
    return steps + later[: len(later) - later[::-1].index(status)]  # up to its last time in `later`


def _status(n: int) -> ApplicationStatus:
    every = list(WEIGHTS)
    if n < len(every):
        return every[n]
    pattern = [s for s, w in WEIGHTS.items() for _ in range(w)]
    return pattern[(n * 37) % len(pattern)]  # 37 is prime to 100: the statuses interleave


class _Generator:
    def __init__(self, ctx: Context, count: int) -> None:
        self.ctx, self.count, self.rng = ctx, count, random.Random(YEAR)
        self.granted = [Decimal(0)] * len(POTS)
        self.sequence = 0
        self.statuses: Counter[str] = Counter()
        self.counters: Counter[str] = Counter()

    def ident(self, kind: str) -> uuid.UUID:
        self.counters[kind] += 1
        return ident(kind, self.counters[kind])

    def rows(self, at: datetime) -> Iterator[tuple[str, dict[str, Any]]]:
        # The applications come first (in memory: the pots' budgets depend on their grants), then the round and
        # pots, then everything in order.
        apps = [list(self.application(n)) for n in range(self.count)]
        yield from funds_setting.setting(self.ctx, at)
        yield (
            "fund_rounds",
            {
                "id": ROUND_ID,
                **stamped(at),
                "fund_id": FUND_ID,
                "year": YEAR,
                "opens_on": OPENS,
                "closes_on": CLOSES,
                "status": "decided",
                "review_criteria": CRITERIA,
                "last_sequence": self.sequence,
                "priorities": "Samsjuklighet, suicidprevention, barn och ungas psykiska hälsa.",
            },
        )
        for k, name in enumerate(POTS):
            # The pot's grants, a fifth more, and a million, up to whole hundred thousands.
            budget = Decimal((int(self.granted[k] * 6 / 5) + 1_000_000) // 100_000 * 100_000).quantize(CENT)
            yield (
                "fund_pots",
                {
                    "id": ident("pot", k),
                    **stamped(at),
                    "round_id": ROUND_ID,
                    "name": name,
                    "name_sort": swedish_sort_key(name),
                    "budget": budget,
                    "carried_over": Decimal("0.00"),
                    "carried_from_pot_id": None,
                },
            )
        for rows in apps:
            yield from rows

    def application(self, n: int) -> Iterator[tuple[str, dict[str, Any]]]:
        rng, ctx = self.rng, self.ctx
        status = _status(n)
        self.statuses[status.value] += 1
        steps = path_to(status, n)
        app_id, applicant = ident("application", n), n % len(PRINCIPALS)
        # Created over the first 50 days the round is open, so every submission is before it closes.
        created = datetime(YEAR, 2, 1, 8, tzinfo=UTC) + timedelta(minutes=n * 50 * 24 * 60 // self.count)
        times = [created + timedelta(days=3 * k) for k in range(len(steps))]
        if any(s in GRANTED or s is S.rejected for s in steps):  # decided at the council's meeting
            decided_at = steps.index(next(s for s in steps if s in GRANTED or s is S.rejected))
            times[decided_at:] = [DECIDED + timedelta(days=40 * k, minutes=n) for k in range(len(steps) - decided_at)]
        numbered = S.submitted in steps
        if numbered:
            self.sequence += 1
        lines = [_money(rng.randrange(20, 400) * 1000 + (500 if n % 9 == 0 else 0)) for _ in range(rng.randint(1, 3))]
        requested, pot = sum(lines, Decimal("0.00")), n % len(POTS)
        title = f"{PROJECTS[n % len(PROJECTS)]} ({PRINCIPALS[applicant]}, {n + 1})"
        yield (
            "fund_applications",
            {
                "id": app_id,
                **stamped(created),
                "updated_at": times[-1],
                "round_id": ROUND_ID,
                "sequence": self.sequence if numbered else None,
                "number": f"{CODE}-{YEAR}-{self.sequence:03d}" if numbered else None,
                "status": status.value,
                "applicant_id": ctx.principals[applicant],
                "applicant_unit": f"Enhet {n % 7 + 1}, {PRINCIPALS[applicant]}",
                "contact_person_id": ctx.people[n % len(ctx.people)] if ctx.people else None,
                "title": title,
                "title_sort": swedish_sort_key(title),
                "summary": f"Insatsen {title} riktar sig till barn, unga och vuxna i länet.",
                "target_group": ["Barn och unga", "Vuxna", "Äldre", None][n % 4],
                "focus_area_id": ident("area", n % 4),
                "pot_id": ident("pot", pot),
                "requested": requested,
                "period_start": date(YEAR + 1, 1, 1),
                "period_end": date(YEAR + 1 + n % 2, 12, 31),
                "case_id": None,
                "submitted_at": times[1] if numbered else None,
                "created_by_id": ctx.editors[applicant],
            },
        )
        for k in rng.sample([p for p in range(len(PRINCIPALS)) if p != applicant], rng.randint(0, 2)):
            yield "fund_application_co_applicants", {"application_id": app_id, "organisation_id": ctx.principals[k]}
        for k in rng.sample(range(len(STRATEGIES)), rng.randint(0, 2)):
            yield "fund_application_strategies", {"application_id": app_id, "strategy_id": ctx.strategies[k]}
        for k, amount in enumerate(lines):
            yield (
                "fund_budget_lines",
                {
                    "id": self.ident("line"),
                    "application_id": app_id,
                    "position": k,
                    "category": CATEGORIES[(n + k) % len(CATEGORIES)],
                    "year": YEAR + 1,
                    "amount": amount,
                },
            )
        for k, (before, to) in enumerate(zip([None, *steps], steps, strict=False)):
            assert before is None or to in TRANSITIONS[before], (before, to)
            by_applicant = before is None or (Party.applicant in TRANSITIONS[before][to] and to is not S.in_review)
            actor = ctx.editors[applicant] if by_applicant else ctx.managers[n % 3]
            yield (
                "fund_application_events",
                {
                    "id": self.ident("event"),
                    "application_id": app_id,
                    "at": times[k],
                    "from_status": before.value if before else None,
                    "to_status": to.value,
                    "actor_id": actor,
                    "actor_name": f"Redaktör {PRINCIPALS[applicant]}" if by_applicant else f"Handläggare {n % 3 + 1}",
                    "comment": "Kompletterad budget." if to is S.more_info_requested else None,
                },
            )
        if S.in_review in steps:
            yield from self.reviews(n, app_id, steps, times[steps.index(S.in_review)])
        decided = next((s for s in steps if s in GRANTED), None)
        if decided is not None:
            amount = requested if decided is S.granted else _thousands(requested * 6 / 10)
            self.granted[pot] += amount
            yield from self.grant(n, app_id, pot, amount, steps)

    def reviews(self, n: int, app_id: uuid.UUID, steps: list[Any], at: datetime) -> Iterator[tuple[str, Any]]:
        decided = any(s in GRANTED or s is S.rejected for s in steps)
        for reviewer in self.rng.sample(self.ctx.managers, self.rng.randint(1 if decided else 0, 3)):
            scores = {c: self.rng.randint(0, 5) for c in CRITERIA}
            mean = _money(sum(scores.values()) / len(scores))
            yield (
                "fund_reviews",
                {
                    "id": self.ident("review"),
                    **stamped(at),
                    "application_id": app_id,
                    "reviewer_id": reviewer,
                    "scores": scores,
                    "mean_score": mean,
                    "comment": "Väl förankrad hos huvudmännen." if n % 2 else None,
                    "recommendation": "grant" if mean >= 3 else "partial" if mean >= 2 else "reject",
                },
            )

    def grant(
        self, n: int, app_id: uuid.UUID, pot: int, amount: Decimal, steps: list[ApplicationStatus]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        grant_id, manager = self.ident("grant"), self.ctx.managers[n % 3]
        yield (
            "fund_grants",
            {
                "id": grant_id,
                **stamped(DECIDED),
                "application_id": app_id,
                "pot_id": ident("pot", pot),
                "focus_area_id": ident("area", n % 4),
                "amount": amount,
                "conditions": "Slutrapport senast ett år efter projektets slut." if n % 2 else None,
                "decision_id": None,
                "delegated_by": "Ordförande",
                "delegated_on": DECIDED.date(),
                "delegated_reference": f"UPH {YEAR}/{n + 1}",
                "created_by_id": manager,
            },
        )
        order = [S.granted, S.partially_granted, S.in_progress, S.report_due, S.reported, S.closed]
        stage = max(order.index(steps[-1]) - 1, 0)  # 0 decided, 1 in progress, 2 report due, 3 reported, 4 closed
        instalments = [0, 1, 1 + n % 2, 2, 2 + n % 2][stage]
        share = (amount / 3).quantize(CENT, rounding=ROUND_DOWN)
        paid = Decimal("0.00")
        where = {"pot_id": ident("pot", pot), "focus_area_id": ident("area", n % 4)}  # the grant's, as the app copies
        for k in range(instalments):
            part = amount - 2 * share if stage == 4 and k == instalments - 1 and instalments == 3 else share
            paid += part
            yield (
                "fund_payments",
                self.payment(grant_id, "payment", DECIDED.date() + timedelta(days=30 + 120 * k), part, None, manager)
                | where,
            )
        if stage == 4 and n % 7 == 0:
            back = (paid / 10).quantize(CENT)
            yield (
                "fund_payments",
                self.payment(
                    grant_id, "repayment", date(YEAR + 2, 3, 1), back, "Oförbrukade medel återbetalda.", manager
                )
                | where,
            )
        interim = ["due", "due", "accepted", "accepted", "accepted"][stage]
        returned = steps[-2:] == [S.reported, S.report_due]
        final = ["due", "due", "revision_requested" if returned else "due", "submitted", "accepted"][stage]
        kinds = [("interim", date(YEAR + 1, 6, 30), interim)] if n % 2 else []
        for kind, due_on, report_status in [*kinds, ("final", date(YEAR + 2, 1, 31), final)]:
            done = report_status != "due"
            yield (
                "fund_reports",
                {
                    "id": self.ident("report"),
                    **stamped(DECIDED),
                    "grant_id": grant_id,
                    "kind": kind,
                    "due_on": due_on,
                    "status": report_status,
                    "text": "Insatsen genomfördes enligt plan." if done else None,
                    "amount_spent": paid if done else None,
                    "results": "Fler fick en samordnad plan." if done else None,
                    "submitted_at": datetime.combine(due_on, datetime.min.time(), UTC) if done else None,
                    "submitted_by_id": self.ctx.editors[n % len(PRINCIPALS)] if done else None,
                    "reviewed_at": datetime.combine(due_on, datetime.min.time(), UTC) + timedelta(days=14)
                    if report_status in ("accepted", "revision_requested")
                    else None,
                    "review_comment": "Komplettera resultaten." if report_status == "revision_requested" else None,
                },
            )

    def payment(
        self, grant_id: uuid.UUID, kind: str, on: date, amount: Decimal, reason: str | None, by: uuid.UUID
    ) -> dict[str, Any]:
        at = datetime.combine(on, datetime.min.time(), UTC)
        return {
            "id": self.ident("payment"),
            **stamped(at),
            "grant_id": grant_id,
            "kind": kind,
            "paid_on": on,
            "amount": amount,
            "reason": reason,
            "created_by_id": by,
        }


def insert(engine: sa.Engine, applications: int) -> Built:
    """Every row of the funds data set, in one transaction, then ANALYZE of the tables written."""
    started = time.perf_counter()
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    written = waiting = 0
    with engine.begin() as conn:
        generator = _Generator(Context(conn), applications)

        def flush() -> None:
            for name, batch in pending.items():
                if batch:
                    conn.execute(TABLES[name].insert(), batch)
                    pending[name] = []

        for name, row in generator.rows(datetime(YEAR, 1, 15, tzinfo=UTC)):
            pending[name].append(row)
            written += 1
            waiting += 1
            if waiting >= BATCH:
                flush()
                waiting = 0
        flush()
    with engine.begin() as conn:
        for name in TABLES:
            conn.exec_driver_sql(f"ANALYZE {name}")
    built = Built(ROUND_ID, MANAGER_ID, generator.statuses, written)
    built.seconds = time.perf_counter() - started
    return built
