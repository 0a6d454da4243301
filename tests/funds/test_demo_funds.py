"""The demo's fund (app.funds.demo), loaded through the services into the test database and read over HTTP as
its demo users would: 2021 shows the protocol's figures, its five example projects are granted applications,
2025 is open with every status of the workflow, and loading again changes nothing."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel

import app.demo
import app.tables  # every table known to the ORM, for the row counts
from app.core.money import as_text
from app.core.settings import get_settings
from app.core.time import today
from app.demo import load
from app.funds.applications.models import ApplicationStatus
from app.funds.applications.workflow import GRANTED_OR_LATER
from app.funds.demo import users, year2021
from app.funds.demo.loader import FundsResult
from tests.funds.conftest import API, Headers, ok


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo's password files go to the test's own directory."""
    monkeypatch.setenv("SAMVERKAN_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    monkeypatch.undo()
    get_settings.cache_clear()


def _login(client: TestClient, login: str) -> Headers:
    password = users.saved_password(login)
    assert password, f"no saved password for {login}"
    form = {"grant_type": "password", "username": login, "password": password}
    token = ok(client.post(f"{API}/auth/token", data=form))["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def _rounds(client: TestClient, headers: Headers) -> dict[int, dict[str, Any]]:
    fund = ok(client.get(f"{API}/funds", headers=headers))["data"]
    assert [f["code"] for f in fund] == ["UPH"]
    listed = ok(client.get(f"{API}/rounds", params={"fund_id": fund[0]["id"]}, headers=headers))["data"]
    return {r["year"]: r for r in listed}


def _applications(client: TestClient, headers: Headers, round_id: str) -> list[dict[str, Any]]:
    params = {"round_id": round_id, "limit": 100}
    return list(ok(client.get(f"{API}/applications", params=params, headers=headers))["data"])


def test_the_demo_fund_over_http(client: TestClient, session: Session, var_dir: Path) -> None:
    first = load(session)
    session.commit()
    assert first.created and "UPH" in first.summary
    assert set(first.more_logins) == {"fund-manager", "editor-umea"} and all(first.more_logins.values())
    manager = _login(client, "fund-manager")
    by_year = _rounds(client, manager)
    assert {year: r["status"] for year, r in by_year.items()} == {
        2021: "archived",
        2022: "archived",
        2023: "archived",
        2024: "decided",
        2025: "open",
    }

    # 2021: the protocol's figures, exactly.
    summary = ok(client.get(f"{API}/rounds/{by_year[2021]['id']}/summary", headers=manager))
    figures = {p["name"]: (p["granted"], p["remaining"]) for p in summary["pots"]}
    assert figures == {
        "En mer sammanhållen vård": ("3270000.00", "4230934.00"),
        "Det suicidpreventiva arbetet": ("1927000.00", "3338124.00"),
        "Förstärkt patient- och brukarmedverkan": ("608500.00", "391500.00"),
    }
    assert figures == {p.name: (as_text(p.granted), as_text(p.remaining)) for p in year2021.POTS}

    # The domain's example projects are granted applications of 2021, each with its grant.
    of_2021 = _applications(client, manager, by_year[2021]["id"])
    assert {a["title"] for a in of_2021} == {p.title for p in year2021.PROJECTS}
    assert all(a["status"] in GRANTED_OR_LATER and a["number"].startswith("UPH-2021-") for a in of_2021)
    grants = ok(client.get(f"{API}/grants", params={"round_id": by_year[2021]["id"]}, headers=manager))["data"]
    granted = {g["application_id"]: g["amount"] for g in grants}
    assert {a["title"]: granted[a["id"]] for a in of_2021} == {p.title: as_text(p.granted) for p in year2021.PROJECTS}

    # 2025 is open, keeps taking submissions, and shows every status of the workflow.
    open_round = by_year[2025]
    assert open_round["closes_on"] >= (today() + timedelta(days=30)).isoformat()
    statuses = {a["status"] for a in _applications(client, manager, open_round["id"])}
    assert statuses == {s.value for s in ApplicationStatus}

    # Umeå's editor sees Umeå's draft and may submit it.
    editor = _login(client, "editor-umea")
    mine = [a for a in _applications(client, editor, open_round["id"]) if a["status"] == "draft"]
    assert [a["title"] for a in mine] == ["Anhörigstöd vid psykisk ohälsa"]
    moved = client.post(f"{API}/applications/{mine[0]['id']}/transitions", json={"to": "submitted"}, headers=editor)
    assert moved.status_code in (200, 201), moved.text

    # Loading again changes nothing.
    before = _row_counts(session)
    again = load(session)
    session.commit()
    assert not again.created
    assert _row_counts(session) == before


def test_a_demo_loaded_before_funds_gets_the_fund(
    client: TestClient, session: Session, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo as it was before funds existed: everything but the fund.
    with monkeypatch.context() as patched:
        patched.setattr(app.demo, "load_funds", lambda *_: FundsResult(False))
        assert load(session).created
    session.commit()
    assert not ok(client.get(f"{API}/funds", headers=_login(client, "admin")))["data"]

    second = load(session)
    session.commit()
    assert second.created and "UPH" in second.summary
    assert [f["code"] for f in ok(client.get(f"{API}/funds", headers=_login(client, "fund-manager")))["data"]] == [
        "UPH"
    ]
