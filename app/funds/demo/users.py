"""The demo's people who act on the fund, as principals who log in: a fund manager, Umeå kommun's editor and an
editor for the other applicant principals (the history shows them by name). The fund manager's and Umeå's
editor's passwords are printed by `samverkan demo load`; all are kept, like the admin's, in
`var/demo-<login>-password.txt` (readable by the owner only)."""

import os
import secrets
from pathlib import Path

from sqlmodel import Session, col, select

from app.auth import service as auth
from app.auth.models import GrantIn, Principal, PrincipalCreate
from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.core.settings import get_settings
from app.organisations.models import Organisation

FUND_MANAGER_LOGIN = "fund-manager"
ADMIN_LOGIN = "admin"  # app.demo's admin (app.demo.ADMIN_LOGIN; that module imports this one)
# Shown by `samverkan demo load` besides the admin: enough to try every role of the workflow.
UMEA_EDITOR = "editor-umea"
OTHER_EDITORS = "editor-lanet"
SHOWN_LOGINS = (FUND_MANAGER_LOGIN, UMEA_EDITOR)


def password_file(login: str) -> Path:
    return get_settings().var_dir / f"demo-{login}-password.txt"


def saved_password(login: str) -> str | None:
    path = password_file(login)
    return path.read_text().strip() if path.exists() else None


def _save_password(login: str, password: str) -> None:
    path = password_file(login)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others
    with os.fdopen(fd, "w") as f:
        f.write(password + "\n")


def editor_login(org: Organisation) -> str:
    """`editor-umea` for Umeå kommun, `editor-region` for Region Västerbotten."""
    base = "region" if org.kind == "region" else (org.short_name or org.name.split()[0])
    return "editor-" + base.lower().translate(str.maketrans("åäöé", "aaoe"))


def _actor(principal: Principal, grants: list[Grant]) -> Actor:
    return Actor(principal.id, principal.kind, principal.display_name, frozenset(grants), login=principal.login)


def _principal(session: Session, system: Actor, login: str, name: str, grants: list[Grant]) -> Actor:
    """The principal with this login, created with a new saved password when missing."""
    found = session.execute(select(Principal).where(col(Principal.login) == login)).scalar_one_or_none()
    if found is None:
        password = secrets.token_urlsafe(12)
        data = PrincipalCreate(
            kind=PrincipalKind.person,
            login=login,
            display_name=name,
            password=password,
            grants=[GrantIn(role=g.role, organisation_id=g.organisation_id) for g in grants],
        )
        found, _ = auth.create_principal(session, system, data)
        _save_password(login, password)
    return _actor(found, grants)


def admin(session: Session) -> Actor:
    """The demo's admin (app.demo), who writes the second review of each application."""
    found = session.execute(select(Principal).where(col(Principal.login) == ADMIN_LOGIN)).scalar_one()
    return _actor(found, [Grant(Role.admin)])


def fund_manager(session: Session, system: Actor) -> Actor:
    name = "Demo fondförvaltare (fund manager)"
    return _principal(session, system, FUND_MANAGER_LOGIN, name, [Grant(Role.fund_manager)])


class Editors:
    """The applicants' editors: Umeå kommun's own (`editor-umea`), and one editor for every other applicant
    principal (`editor-lanet`). One login each, not one per principal: every login costs a password hash, the
    bulk of the demo's load time."""

    def __init__(self, session: Session, system: Actor, applicants: list[Organisation]) -> None:
        self.session, self.system = session, system
        self._others = [org for org in applicants if editor_login(org) != UMEA_EDITOR]
        self._actors: dict[str, Actor] = {}

    def of(self, org: Organisation) -> Actor:
        login = UMEA_EDITOR if editor_login(org) == UMEA_EDITOR else OTHER_EDITORS
        if login not in self._actors:
            if login == UMEA_EDITOR:
                name, grants = f"Demo redaktör, {org.name} (editor)", [Grant(Role.editor, org.id)]
            else:
                name = "Demo redaktör för länets övriga huvudmän (editor)"
                grants = [Grant(Role.editor, other.id) for other in self._others]
            self._actors[login] = _principal(self.session, self.system, login, name, grants)
        return self._actors[login]
