"""Finding the people and organisations an import names: e-mail first, then aliases, then the name.

Indexes are loaded once per import (a constant number of queries, however long the file), and two
candidates for one name are never chosen between automatically.
"""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.core.text import clean, fold
from app.imports.models import Candidate, MatchStatus, PersonMatch
from app.organisations.models import Organisation, OrganisationName
from app.people.models import Person, PersonAlias

_GUEST = re.compile(r"\s*\((?:guest|gäst|gast|invité|invitée|gość|gast|extern|external)\)\s*$", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_EXT_UPN = re.compile(r"^(?P<local>.+)_(?P<domain>[^_#]+)#EXT#@", re.IGNORECASE)


def is_guest(name: str) -> bool:
    return bool(_GUEST.search(name))


def person_name(raw: str) -> str:
    """The name without '(Guest)' or an organisation in parentheses, in 'First Last' order."""
    name = clean(raw)
    name = _GUEST.sub("", name)
    name = _SUFFIX.sub("", name)
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}"
    return clean(name)


def email_from_upn(upn: str | None) -> str | None:
    """`johan.pahittad_kommun.example#EXT#@tenant.onmicrosoft.com` → `johan.pahittad@kommun.example`."""
    if not upn:
        return None
    match = _EXT_UPN.match(upn)
    if match:
        return f"{match.group('local')}@{match.group('domain')}".lower()
    return upn.lower() if "@" in upn else None


@dataclass
class PeopleIndex:
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    by_email: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    by_alias: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls, session: Session) -> "PeopleIndex":
        index = cls()
        for p in session.exec(select(Person).where(col(Person.deleted_at).is_(None))):
            index.add(p.id, p.given_name, p.family_name, p.email)
        live = select(Person.id).where(col(Person.deleted_at).is_(None))
        for a in session.exec(select(PersonAlias).where(col(PersonAlias.person_id).in_(live))):
            index.by_alias[a.alias_folded].add(a.person_id)
        return index

    def add(self, ident: uuid.UUID, given: str, family: str, email: str | None) -> None:
        self.names[ident] = f"{given} {family}"
        if email:
            self.by_email[email.lower()].add(ident)
        self.by_name[fold(f"{given} {family}")].add(ident)
        self.by_name[fold(f"{family} {given}")].add(ident)

    def _result(self, ids: set[uuid.UUID], by: str) -> PersonMatch | None:
        if len(ids) == 1:
            ident = next(iter(ids))
            return PersonMatch(status=MatchStatus.matched, person_id=ident, person_name=self.names.get(ident), by=by)
        if len(ids) > 1:
            candidates = sorted((Candidate(id=i, name=self.names.get(i, "")) for i in ids), key=lambda c: c.name)
            return PersonMatch(status=MatchStatus.ambiguous, candidates=candidates, by=by)
        return None

    def match(self, raw_name: str, email: str | None = None, upn: str | None = None) -> PersonMatch:
        emails = [e.lower() for e in (email, email_from_upn(upn)) if e]
        for address in emails:
            if found := self._result(self.by_email.get(address, set()), "email"):
                return found
        for key in [*emails, fold(raw_name), fold(person_name(raw_name))]:
            if found := self._result(self.by_alias.get(key, set()), "alias"):
                return found
        if found := self._result(self.by_name.get(fold(person_name(raw_name)), set()), "name"):
            return found
        return PersonMatch(status=MatchStatus.unmatched)


@dataclass
class OrganisationIndex:
    by_name: dict[str, set[uuid.UUID]] = field(default_factory=lambda: defaultdict(set))
    names: dict[uuid.UUID, str] = field(default_factory=dict)
    principals: set[uuid.UUID] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> "OrganisationIndex":
        index = cls()
        for o in session.exec(select(Organisation).where(col(Organisation.deleted_at).is_(None))):
            index.names[o.id] = o.name
            if o.is_principal:
                index.principals.add(o.id)
            for name in filter(None, [o.name, o.short_name]):
                index.by_name[fold(name)].add(o.id)
        for n in session.exec(select(OrganisationName)):
            if n.organisation_id in index.names:
                index.by_name[fold(n.name)].add(n.organisation_id)
        return index

    def find(self, name: str | None) -> uuid.UUID | None:
        """One organisation by its name, short name or a former name; None when unknown or ambiguous."""
        if not name:
            return None
        ids = self.by_name.get(fold(name), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def principal(self, name: str | None) -> uuid.UUID | None:
        found = self.find(name)
        return found if found in self.principals else None
