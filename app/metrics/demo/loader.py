"""The demo's follow-up (app.metrics.demo.catalogue, app.metrics.demo.values), loaded through the services by the
demo's fund manager, so every rule, the versions and the audit log apply: the seven indicators with their
strategies and owner, the SIP target of each sub-region, the values 2020–2025 as first reported, then the
corrections, each with its reason (the history shows both versions).

Keyed on the indicator code: an indicator that exists is left as it is, with its targets and values, so loading
twice changes nothing, and a database loaded before metrics existed gets them on its next load."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.core.principal import Actor
from app.funds.demo import users
from app.metrics import periods, scopes
from app.metrics.demo import catalogue, values
from app.metrics.indicators.models import IndicatorCreate, TargetCreate
from app.metrics.indicators.service import by_code, create_indicator
from app.metrics.indicators.targets import create_target
from app.metrics.models import Gender, ValueStatus
from app.metrics.values.store import ValueRow, upsert_rows
from app.organisations.models import Organisation, OrganisationKind
from app.strategies.models import Strategy


@dataclass
class MetricsResult:
    created: bool
    summary: str = ""


class _Names:
    """What the catalogue names, as ids and scopes: the owner, the strategies, sub-regions and the
    principals by municipality code (resolved once each)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        live = col(Organisation.deleted_at).is_(None)
        orgs = session.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name, Organisation.kind).where(live)
        )
        self.orgs: dict[str, uuid.UUID] = {}
        for ident, name, short_name, kind in orgs:
            self.orgs[name] = ident
            if kind == OrganisationKind.sub_region and short_name:
                self.orgs[short_name] = ident  # "Umeå med krans" for "Länsdel Umeå med krans"
        live_strategy = col(Strategy.deleted_at).is_(None)
        self.strategies = dict(session.execute(select(Strategy.name, Strategy.id).where(live_strategy)).all())
        self._scopes: dict[str, scopes.Scope] = {}

    def scope(self, text: str) -> scopes.Scope:
        """A value's scope: a municipality code."""
        if text not in self._scopes:
            self._scopes[text] = scopes.resolve(self.session, text)
        return self._scopes[text]


def _row(names: _Names, indicator_id: uuid.UUID, row: dict[str, Any]) -> ValueRow:
    return ValueRow(
        indicator_id=indicator_id,
        scope=names.scope(row["scope"]),
        period=periods.parse(row["period"]),
        gender=Gender(row["gender"]),
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        status=ValueStatus(row["status"]),
        source=row["source"],
        comment=row["comment"],
    )


def load_metrics(session: Session, system: Actor) -> MetricsResult:
    """Load what is missing; `system` (the demo's admin actor) makes the fund manager who enters it."""
    missing = [spec for spec in catalogue.INDICATORS if by_code(session, spec["code"]) is None]
    if not missing:
        return MetricsResult(False)
    manager = users.fund_manager(session, system)
    names = _Names(session)
    first_reports, counts = values.first_reports(), {"targets": 0, "values": 0, "corrections": 0}
    for spec in missing:
        code = spec["code"]
        strategy_ids = [names.strategies[s] for s in catalogue.STRATEGIES[code]]
        body = IndicatorCreate(**spec, body_id=names.orgs[catalogue.OWNER], strategy_ids=strategy_ids)
        indicator = create_indicator(session, manager, body)
        for target in (t for t in catalogue.TARGETS if t["indicator_code"] == code):
            fields = {k: v for k, v in target.items() if k not in ("indicator_code", "sub_region")}
            scope = str(names.orgs[target["sub_region"]])
            create_target(session, manager, TargetCreate(**fields, indicator_id=indicator.id, scope=scope))
            counts["targets"] += 1
        rows = [_row(names, indicator.id, r) for r in first_reports if r["indicator_code"] == code]
        counts["values"] += upsert_rows(session, manager, rows).created
        for correction in (c for c in values.CORRECTIONS if c.indicator_code == code):
            fixed = _row(names, indicator.id, values.corrected(correction))
            counts["corrections"] += upsert_rows(session, manager, [fixed], reason=correction.reason).changed
    summary = (
        f"{len(missing)} indicators, {counts['targets']} targets, {counts['values']} values "
        f"{catalogue.FIRST_YEAR}–{catalogue.LAST_YEAR} ({counts['corrections']} corrected)"
    )
    return MetricsResult(True, summary)
