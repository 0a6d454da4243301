"""Memberships a protocol shows: who sits in the body, for which principal, over which political term.

A protocol's lists show that a person held a seat on the meeting's day, not since when or until when. The seat is
taken to cover the political term (*mandatperiod*) of that day: four-year terms from 1 January after the
election (2019–2022, 2023–2026, …). The rules:
- members, the chair and substitutes who sit for a principal get a seat; present or absent, they hold it.
  A substitute's seat is a substitute's (ersättare), also when they replace a member that day. Officials,
  co-opted members, guests and presenters get none;
- a person who already holds a membership of the body on that day (any role, entered or inferred) gets nothing new;
- the inferred membership never overlaps another of the same person in the body: it is cut to the gap around the
  day, so it never starts after the protocol that shows the person, and a hand-entered one keeps its dates;
- an inferred membership of the same role and principal that ends the day before (or starts the day after) is
  extended instead of a second one beside it: protocols of two terms, in either order, give one membership.
Memberships are marked `inferred`; a coordinator's edit makes them `manual`, and imports leave those alone.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from app.core.principal import Actor, Role
from app.imports.models import MatchStatus, PlannedAttendee, PlannedMembership, PlannedPerson
from app.organisations.models import Organisation
from app.people import memberships as people_memberships
from app.people.models import Membership, MembershipCreate, MembershipRole, MembershipSource, MembershipUpdate

FIRST_TERM_START = 2019  # the term 2019-01-01 – 2022-12-31; every term lasts four years
TERM_YEARS = 4
_VICE_CHAIR = re.compile(r"\bvice\s+ordf", re.IGNORECASE)
# The attendance role on a protocol's list → the seat it shows. Missing roles sit for no principal.
SEAT_ROLES = {
    "chair": MembershipRole.chair,
    "member": MembershipRole.member,
    "adjuster": MembershipRole.member,
    "substitute": MembershipRole.substitute,
}


def term_of(day: date) -> tuple[date, date]:
    """The political term the day falls in: 2024-05-03 → (2023-01-01, 2026-12-31)."""
    first = FIRST_TERM_START + (day.year - FIRST_TERM_START) // TERM_YEARS * TERM_YEARS
    return date(first, 1, 1), date(first + TERM_YEARS - 1, 12, 31)


@dataclass(frozen=True)
class Seat:
    name: str
    person_id: uuid.UUID | None  # None: the import creates the person
    body_id: uuid.UUID
    role: MembershipRole
    on_behalf_of_id: uuid.UUID


def seats(attendance: list[PlannedAttendee], persons: list[PlannedPerson]) -> list[Seat]:
    """One seat a person and body, for those on a body's list who sit for a principal."""
    ids = {p.name: p.match.person_id for p in persons if p.match.status is MatchStatus.matched}
    out: dict[tuple[str, uuid.UUID], Seat] = {}
    for a in attendance:
        role = SEAT_ROLES.get(a.role)
        if role is None or a.body_id is None or a.on_behalf_of_id is None or (a.name, a.body_id) in out:
            continue
        if role is MembershipRole.member and a.note and _VICE_CHAIR.search(a.note):
            role = MembershipRole.vice_chair
        out[(a.name, a.body_id)] = Seat(a.name, ids.get(a.name), a.body_id, role, a.on_behalf_of_id)
    return list(out.values())


def infer(session: Session, actor: Actor, found: list[Seat], day: date, warnings: list[str]) -> list[PlannedMembership]:
    """What the seats shown on `day` mean for memberships: create, extend, or nothing (already seated)."""
    allowed = [s for s in found if actor.holds(Role.secretary, s.body_id)]
    for body_id in dict.fromkeys(s.body_id for s in found if not actor.holds(Role.secretary, s.body_id)):
        body = session.get(Organisation, body_id)
        name = body.name if body else str(body_id)
        warnings.append(f"memberships of {name} are not inferred: only its secretary may change them")
    held = _memberships(session, allowed)
    term_start, term_end = term_of(day)
    out = []
    for seat in allowed:
        others = held.get((seat.person_id, seat.body_id), []) if seat.person_id else []
        if any(m.start_date <= day <= (m.end_date or date.max) for m in others):
            continue
        start = max([term_start, *(m.end_date + timedelta(days=1) for m in others if m.end_date and m.end_date < day)])
        end = min([term_end, *(m.start_date - timedelta(days=1) for m in others if m.start_date > day)])
        planned = PlannedMembership(
            action="create",
            name=seat.name,
            person_id=seat.person_id,
            body_id=seat.body_id,
            role=seat.role,
            on_behalf_of_id=seat.on_behalf_of_id,
            start_date=start,
            end_date=end,
        )
        neighbour = next((m for m in others if _continues(m, seat, start, end)), None)
        if neighbour is not None:
            planned.action, planned.membership_id = "extend", neighbour.id
            planned.start_date = min(start, neighbour.start_date)
            planned.end_date = max(end, neighbour.end_date or end)
        out.append(planned)
    return out


def _continues(m: Membership, seat: Seat, start: date, end: date) -> bool:
    """An inferred membership of the same seat that ends the day before the new one starts, or starts the day
    after it ends."""
    if m.source is not MembershipSource.inferred or (m.role, m.on_behalf_of_id) != (seat.role, seat.on_behalf_of_id):
        return False
    return m.end_date == start - timedelta(days=1) or m.start_date == end + timedelta(days=1)


def _memberships(session: Session, found: list[Seat]) -> dict[tuple[uuid.UUID, uuid.UUID], list[Membership]]:
    """The live memberships of these people in these bodies, in one query."""
    person_ids = {s.person_id for s in found if s.person_id}
    if not person_ids:
        return {}
    rows = session.exec(
        select(Membership).where(
            col(Membership.person_id).in_(person_ids),
            col(Membership.body_id).in_({s.body_id for s in found}),
            col(Membership.deleted_at).is_(None),
        )
    )
    out: dict[tuple[uuid.UUID, uuid.UUID], list[Membership]] = {}
    for m in rows:
        out.setdefault((m.person_id, m.body_id), []).append(m)
    return out


def apply(session: Session, actor: Actor, planned: list[PlannedMembership], person_ids: dict[str, uuid.UUID]) -> None:
    """Write the memberships through the memberships service (its rules and the audit log), marked inferred: the new
    ones together, checked and written as one set."""
    new = []
    for p in planned:
        person_id = p.person_id or person_ids.get(p.name)
        if person_id is None:
            continue
        if p.action == "extend" and p.membership_id is not None:
            change = MembershipUpdate(start_date=p.start_date, end_date=p.end_date)
            held = people_memberships.get_membership(session, p.membership_id)
            people_memberships.update_membership(session, actor, held, change, MembershipSource.inferred)
            continue
        new.append(
            MembershipCreate(
                person_id=person_id,
                body_id=p.body_id,
                role=p.role,
                on_behalf_of_id=p.on_behalf_of_id,
                start_date=p.start_date,
                end_date=p.end_date,
            )
        )
    people_memberships.create_memberships(session, actor, new, MembershipSource.inferred)
