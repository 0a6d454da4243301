"""The versioned write of values (app.metrics.values.store): created, unchanged, corrected with a reason and a
new version, refused as a whole batch, withdrawn with the history kept."""

import uuid
from decimal import Decimal

import pytest
from sqlmodel import Session, select

from app.core.errors import Forbidden
from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.metrics import periods, scopes
from app.metrics.models import Aggregation, Direction, Gender, Indicator, IndicatorValue, Unit, ValueVersion
from app.metrics.values import store
from app.organisations import service as orgs
from app.organisations.models import OrganisationCreate, OrganisationKind

ADMIN = Actor(uuid.uuid4(), PrincipalKind.service, "test", frozenset({Grant(Role.admin)}))
D = Decimal


def _principal(session: Session, name: str, code: str) -> scopes.Scope:
    body = OrganisationCreate(kind=OrganisationKind.municipality, name=name, municipality_code=code, is_principal=True)
    org = orgs.create(session, ADMIN, body)
    session.flush()
    return scopes.resolve(session, str(org.id))


def _indicator(session: Session, unit: Unit = Unit.percent, aggregation: Aggregation = Aggregation.ratio) -> Indicator:
    ind = Indicator(
        code=f"T-{uuid.uuid4().hex[:6]}",
        name="Andel",
        name_sort="andel",
        unit=unit,
        direction=Direction.increase,
        by_gender=True,
        aggregation=aggregation,
    )
    session.add(ind)
    session.flush()
    return ind


@pytest.fixture
def world(session: Session) -> tuple[Indicator, scopes.Scope]:
    ind = _indicator(session)
    scope = _principal(session, "Umeå kommun", "2480")
    session.commit()
    return ind, scope


def _row(ind: Indicator, scope: scopes.Scope, period: str = "2024", **fields: object) -> store.ValueRow:
    return store.ValueRow(ind.id, scope, periods.parse(period), **fields)  # type: ignore[arg-type]


def test_created_then_unchanged_then_corrected_with_a_version(session: Session, world: tuple) -> None:
    ind, scope = world
    first = store.upsert_rows(session, ADMIN, [_row(ind, scope, numerator=D(131), denominator=D(250))])
    assert (first.created, first.changed, first.unchanged) == (1, 0, 0)
    again = store.upsert_rows(session, ADMIN, [_row(ind, scope, numerator=D(131), denominator=D(250))])
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert again.ids == first.ids

    with pytest.raises(store.RowsRefused) as refused:
        store.upsert_rows(session, ADMIN, [_row(ind, scope, numerator=D(140), denominator=D(250))])
    assert [(p.index, p.field) for p in refused.value.problems] == [(0, "reason")]

    fixed = store.upsert_rows(
        session, ADMIN, [_row(ind, scope, numerator=D(140), denominator=D(250))], reason="Fel i underlaget"
    )
    assert fixed.changed == 1
    session.commit()
    value = session.get(IndicatorValue, first.ids[0])
    assert value is not None and value.value == D("56.0000") and value.version == 2
    versions = session.exec(
        select(ValueVersion).where(ValueVersion.value_id == value.id).order_by(ValueVersion.number)
    ).all()
    assert [(v.number, v.value, v.reason, v.superseded_at is None) for v in versions] == [
        (1, D("52.4000"), None, False),
        (2, D("56.0000"), "Fel i underlaget", True),
    ]


def test_a_batch_with_one_bad_row_writes_nothing_and_names_every_problem(session: Session, world: tuple) -> None:
    ind, scope = world
    rows = [
        _row(ind, scope, "2020", numerator=D(1), denominator=D(2)),
        _row(ind, scope, "2021", value=D(40)),  # a ratio indicator needs numerator and denominator
        _row(ind, scope, "2022", numerator=D(1), denominator=D(0)),
        _row(ind, scope, "2020", numerator=D(1), denominator=D(2)),  # the same key twice
    ]
    with pytest.raises(store.RowsRefused) as refused:
        store.upsert_rows(session, ADMIN, rows)
    assert [(p.index, p.field) for p in refused.value.problems] == [(1, "numerator"), (2, "denominator"), (3, "period")]
    session.rollback()
    assert session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == ind.id)).all() == []


def test_an_editor_reports_only_for_their_own_principal(session: Session, world: tuple) -> None:
    ind, scope = world
    other = _principal(session, "Vännäs kommun", "2460")
    editor = Actor(uuid.uuid4(), PrincipalKind.person, "e", frozenset({Grant(Role.editor, scope.organisation_id)}))
    assert store.upsert_rows(session, editor, [_row(ind, scope, numerator=D(1), denominator=D(4))]).created == 1
    with pytest.raises(Forbidden):
        store.upsert_rows(session, editor, [_row(ind, other, numerator=D(1), denominator=D(4))])
    with pytest.raises(Forbidden):
        store.upsert_rows(session, editor, [_row(ind, scopes.COUNTY, numerator=D(1), denominator=D(4))])


def test_withdrawn_value_keeps_its_history(session: Session, world: tuple) -> None:
    ind, scope = world
    ident = store.upsert_rows(
        session, ADMIN, [_row(ind, scope, gender=Gender.female, numerator=D(3), denominator=D(4))]
    ).ids[0]
    session.commit()
    value = session.get(IndicatorValue, ident)
    assert value is not None
    store.withdraw(session, ADMIN, value, "Dubblett")
    session.commit()
    session.expire_all()
    value = session.get(IndicatorValue, ident)
    assert value is not None and value.deleted_at is not None and value.version == 2
    last = session.exec(select(ValueVersion).where(ValueVersion.value_id == ident, ValueVersion.number == 2)).one()
    assert last.withdrawn and last.reason == "Dubblett"
    # Reported again after the withdrawal: a new value, not a resurrection of the old one.
    again = store.upsert_rows(
        session, ADMIN, [_row(ind, scope, gender=Gender.female, numerator=D(3), denominator=D(4))]
    )
    assert again.created == 1 and again.ids[0] != ident


def test_row_of_takes_a_change_of_the_figure_named_value(session: Session, world: tuple) -> None:
    ind, scope = world
    ident = store.upsert_rows(session, ADMIN, [_row(ind, scope, numerator=D(1), denominator=D(4))]).ids[0]
    value = session.get(IndicatorValue, ident)
    assert value is not None
    row = store.row_of(value, scope, periods.parse(value.period), value=None, numerator=D(2))
    assert (row.value, row.numerator, row.denominator) == (None, D(2), D("4.0000"))
