"""Scopes of a figure: the county, a sub-region (länsdel) or a principal, and who makes up each.

In requests a scope is `county`, an organisation's id, or a principal's four-digit municipality code (SCB
kommunkod, as Kolada and spreadsheets name municipalities). A sub-region's members are its principals
(`area_members`); the county's are the members of all its sub-regions, so each principal counts once. For one
indicator, only the principals that report it (`Indicator.reporters`) are members."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from app.core.errors import Forbidden, ValidationFailed
from app.core.principal import Actor, Role
from app.core.reads import execute
from app.metrics.models import COUNTY_KEY, Reporters, ScopeKind, scope_key
from app.organisations.models import Organisation, OrganisationKind

COUNTY_NAME = "Västerbottens län"
DESCRIPTION = "`county`, an organisation's id (a sub-region or a principal), or a principal's municipality code."


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    organisation_id: uuid.UUID | None
    name: str
    # For a principal: a municipality or the region (which principals report an indicator: `reports`).
    organisation_kind: OrganisationKind | None = None

    @property
    def key(self) -> str:
        return scope_key(self.organisation_id)

    @property
    def ref(self) -> str:
        """The scope as the API shows it: `county` or the organisation's id."""
        return COUNTY_KEY if self.organisation_id is None else str(self.organisation_id)


COUNTY = Scope(ScopeKind.county, None, COUNTY_NAME)


@dataclass(frozen=True)
class Member:
    organisation_id: uuid.UUID
    name: str
    kind: OrganisationKind | None = None

    @property
    def key(self) -> str:
        return self.organisation_id.hex


def _kind(org_kind: OrganisationKind, is_principal: bool) -> ScopeKind | None:
    if org_kind is OrganisationKind.sub_region:
        return ScopeKind.sub_region
    return ScopeKind.principal if is_principal else None


_COLUMNS = (col(Organisation.id), col(Organisation.name), col(Organisation.kind), col(Organisation.is_principal))
_LIVE = col(Organisation.deleted_at).is_(None)


NOT_A_SCOPE = "no such sub-region or principal"
# Texts per IN (…): well under SQLite's and PostgreSQL's limits on bound parameters.
_IN_CHUNK = 500


def resolve_all(session: Session, texts: Iterable[str]) -> dict[str, Scope | str]:
    """Each distinct text → its scope, or why it is none: one statement per 500 texts, however many rows name
    them (a bulk file, a series' repeated `scope`, one request field)."""
    out: dict[str, Scope | str] = {}
    codes: dict[str, str] = {}
    ids: dict[uuid.UUID, str] = {}
    for text in set(texts):
        raw = text.strip()
        if raw.lower() == COUNTY_KEY:
            out[text] = COUNTY
        elif raw.isdigit() and len(raw) == 4:
            codes[raw] = text
        else:
            try:
                ids[uuid.UUID(raw)] = text
            except ValueError:
                out[text] = f"{raw!r} is not a scope: give {DESCRIPTION}"
    code_list, id_list = list(codes), list(ids)
    for start in range(0, max(len(code_list), len(id_list)), _IN_CHUNK):
        stmt = select(*_COLUMNS, col(Organisation.municipality_code)).where(
            _LIVE,
            col(Organisation.municipality_code).in_(code_list[start : start + _IN_CHUNK])
            | col(Organisation.id).in_(id_list[start : start + _IN_CHUNK]),
        )
        for r in execute(session, stmt):
            kind = _kind(r.kind, r.is_principal)
            if kind is None:
                continue
            scope = Scope(kind, r.id, r.name, r.kind)
            if r.id in ids:
                out[ids[r.id]] = scope
            if r.municipality_code in codes:
                out[codes[r.municipality_code]] = scope
    for text in [*codes.values(), *ids.values()]:
        out.setdefault(text, NOT_A_SCOPE)
    return out


def resolve(session: Session, text: str | uuid.UUID, loc: str | tuple[str | int, ...] = ("query", "scope")) -> Scope:
    """The scope a request names; 422 at `loc` for anything that is not the county, a sub-region or a principal."""
    found = resolve_all(session, [str(text)])[str(text)]
    if isinstance(found, str):
        raise ValidationFailed(loc, found)
    return found


def sub_regions(session: Session) -> list[Scope]:
    """Every live sub-region, by name."""
    stmt = select(col(Organisation.id), col(Organisation.name)).where(
        _LIVE, col(Organisation.kind) == OrganisationKind.sub_region
    )
    rows = execute(session, stmt.order_by(col(Organisation.name_sort)))
    return [Scope(ScopeKind.sub_region, r.id, r.name) for r in rows]


_REPORTING_KINDS = {
    Reporters.municipalities: frozenset({OrganisationKind.municipality}),
    Reporters.region: frozenset({OrganisationKind.region}),
}


def reports(reporters: Reporters, kind: OrganisationKind | None) -> bool:
    """Whether a principal of this kind reports an indicator of these reporters."""
    wanted = _REPORTING_KINDS.get(reporters)
    return wanted is None or kind in wanted


def require_reporter(actor: Actor, scope: Scope, loc: str | tuple[str | int, ...] = "scope") -> None:
    """Editors report for their own principal; fund managers and admins for any scope."""
    if actor.has_role(Role.fund_manager):
        return
    if scope.kind is ScopeKind.principal and scope.organisation_id and actor.holds(Role.editor, scope.organisation_id):
        return
    raise Forbidden(
        f"Reporting values for {scope.name} needs the fund_manager role, or the editor role for that principal.",
        code="missing_role",
    )
