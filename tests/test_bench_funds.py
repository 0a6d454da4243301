"""The funds benchmark's data set (bench/funds_dataset.py), built small on the test database, keeps the rules the
service keeps: so that the generator fails here, not in a benchmark run, when the schema or the workflow change."""

from collections import Counter, defaultdict
from decimal import Decimal
from itertools import pairwise
from statistics import mean
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.core import db as core_db
from app.funds.applications.models import ApplicationStatus
from app.funds.applications.workflow import GRANTED_OR_LATER, TRANSITIONS
from bench import bulk, funds_dataset

APPLICATIONS = 50
T = funds_dataset.TABLES
APPS, GRANTS = T["fund_applications"].c, T["fund_grants"].c


def rows(*columns: Any, where: Any = sa.true(), order: Any = ()) -> list[Any]:
    with core_db.get_engine().connect() as conn:
        return list(conn.execute(sa.select(*columns).where(where).order_by(*order)).all())


def test_the_funds_data_set_on_top_of_the_read_path_data_set_keeps_the_services_rules(
    client: TestClient, reader: dict[str, str]
) -> None:
    engine = core_db.get_engine()
    bulk.insert(engine, 20, 200)  # as the benchmark does: the meetings' data set first (five of the principals)
    built = funds_dataset.insert(engine, APPLICATIONS)

    # Every status, as many as the generator says; every principal applies, and none is there twice.
    statuses = Counter(s for (s,) in rows(APPS.status))
    assert statuses == built.statuses and set(statuses) == set(ApplicationStatus)
    assert sum(statuses.values()) == APPLICATIONS
    orgs = T["organisations"].c
    principals = rows(orgs.id, orgs.name, where=orgs.is_principal)
    assert sorted(name for _, name in principals) == sorted(funds_dataset.PRINCIPALS)
    assert {a for (a,) in rows(APPS.applicant_id)} == {i for i, _ in principals}

    # Numbers: given at submission, gap-free and unique in the round, as the app formats them.
    in_round = APPS.round_id == built.round_id
    numbered = rows(
        APPS.sequence, APPS.number, APPS.status, where=in_round & APPS.sequence.is_not(None), order=[APPS.sequence]
    )
    assert [s for s, _, _ in numbered] == list(range(1, len(numbered) + 1))
    assert [n for _, n, _ in numbered] == [f"UPH-2025-{s:03d}" for s, _, _ in numbered]
    assert len({n for _, n, _ in numbered}) == len(numbered)
    rounds = T["fund_rounds"].c
    assert rows(rounds.last_sequence, where=rounds.id == built.round_id) == [(len(numbered),)]
    unnumbered = rows(APPS.status, APPS.number, where=APPS.sequence.is_(None))
    assert {s for s, _ in unnumbered} <= {"draft", "withdrawn"} and all(n is None for _, n in unnumbered)
    assert "draft" not in {s for _, _, s in numbered}

    # Money: the budget lines add up to the amount requested; a grant is at most what was requested, and exists
    # for each application granted or later; payments less repayments at most the grant; no pot below zero.
    lines: dict[Any, Decimal] = defaultdict(Decimal)
    for app, amount in rows(T["fund_budget_lines"].c.application_id, T["fund_budget_lines"].c.amount):
        lines[app] += amount
    assert dict(rows(APPS.id, APPS.requested)) == dict(lines)
    grants = rows(GRANTS.id, GRANTS.amount, APPS.requested, APPS.status, where=APPS.id == GRANTS.application_id)
    assert Counter(s for *_, s in grants) == {s: n for s, n in statuses.items() if s in GRANTED_OR_LATER}
    assert all(amount <= asked for _, amount, asked, _ in grants)
    paid: dict[Any, Decimal] = defaultdict(Decimal)
    payments = T["fund_payments"].c
    for grant, kind, amount in rows(payments.grant_id, payments.kind, payments.amount):
        paid[grant] += amount if kind == "payment" else -amount
    assert all(Decimal(0) <= paid[g] <= amount for g, amount, _, _ in grants) and paid
    pots = T["fund_pots"].c
    budgets = dict(rows(pots.id, pots.budget, where=pots.round_id == built.round_id))
    granted: dict[Any, Decimal] = defaultdict(Decimal)
    for pot, amount in rows(GRANTS.pot_id, GRANTS.amount):
        granted[pot] += amount
    assert len(budgets) == 3 and set(granted) == set(budgets)
    assert all(granted[pot] <= budget for pot, budget in budgets.items())

    # History: each step one the workflow allows, from a draft to where the application stands.
    events = T["fund_application_events"].c
    history: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for app, before, to in rows(
        events.application_id, events.from_status, events.to_status, order=[events.at, events.id]
    ):
        history[app].append((before, to))
    current = dict(rows(APPS.id, APPS.status))
    assert set(history) == set(current)
    for app, steps in history.items():
        assert steps[0] == (None, "draft") and steps[-1][1] == current[app]
        for (_, reached), (before, to) in pairwise(steps):
            assert before == reached and to in TRANSITIONS[before]

    # Reviews: one per reviewer and application, with the mean of its scores.
    reviews = T["fund_reviews"].c
    found = rows(reviews.application_id, reviews.reviewer_id, reviews.scores, reviews.mean_score)
    assert len({(a, r) for a, r, _, _ in found}) == len(found) > 0
    assert all(score == round(Decimal(mean(scores.values())), 2) for _, _, scores, score in found)
    assert {k for (k,) in rows(T["fund_reports"].c.kind)} == {"interim", "final"}

    # The benchmarked summary answers for the round.
    summary = client.get(f"/api/v1/rounds/{built.round_id}/summary", headers=reader)
    assert summary.status_code == 200, summary.text
    assert sorted(p["name"] for p in summary.json()["pots"]) == sorted(funds_dataset.POTS)


def test_the_cached_data_set_follows_the_migrations_text(tmp_path: Any) -> None:
    """A migration not yet released changes under the same revision id: the cached SQLite file must not outlive
    it (it did, and the benchmark then failed on a column the cached file lacked)."""
    (tmp_path / "0001_a.py").write_text("op.create_table('a')")
    before = bulk.migrations_digest(tmp_path)
    (tmp_path / "0001_a.py").write_text("op.create_table('a', sa.Column('b'))")
    assert bulk.migrations_digest(tmp_path) != before
    assert bulk.migrations_digest(tmp_path.parent / "nothing-here") == b""
