"""`samverkan import …` in a subprocess: locally against the test database, and remotely against a real uvicorn
server with an API token. The --dry-run --json plan is the document the API returns."""

import io
import json
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import test_e2e
from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, TEAMS, Upload, blank_pdf, row_counts
from tests.imports.test_protocol_merge import ByHand
from tests.test_e2e import CLI, ROOT

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

env, start_server = test_e2e.env, test_e2e.start_server  # the end-to-end fixtures: a var dir, uvicorn servers
CURRENT = TEAMS / "attendance_current_en_utf16le.csv"


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([*CLI, "import", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if ok:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


def as_json(env: dict[str, str], *args: str) -> dict[str, Any]:
    return json.loads(run(env, *args, "--json").stdout)  # type: ignore[no-any-return]


def import_script_token(client: TestClient, admin: dict[str, str], grants: list[dict[str, str]]) -> str:
    """An API token for a service client "import-script" holding these grants, as a coordinator would make one."""
    principal = client.post(
        f"{API}/principals",
        json={"kind": "service", "login": "import-script", "display_name": "Importskript", "grants": grants},
        headers=admin,
    )
    assert principal.status_code == 201, principal.text
    token: str = client.post(
        f"{API}/api-tokens", json={"principal_id": principal.json()["id"], "name": "import"}, headers=admin
    ).json()["token"]
    return token


def test_a_protocol_dry_run_prints_the_apis_plan_and_the_import_applies_it(
    env: dict[str, str], upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    before = row_counts()
    printed = as_json(env, "protocol", str(PROTOCOL), "--dry-run")
    assert row_counts() == before
    over_http = upload("protocol", PROTOCOL.read_bytes(), PROTOCOL.name, admin).json()
    assert printed == over_http  # the same document, key for key, down to the plan's hash
    plan = printed["plan"]
    assert plan["meeting"]["diary_number"] == "HSN 50:2-2024" and len(plan["items"]) == 11
    assert plan["items"][4]["decisions"][0]["assignee_body_id"] == orgs[P.LSG]
    assert plan["attendance"][0] == {
        "action": "create",
        "in_protocol": True,
        "source": "protocol",
        "changes": [],
        "person_id": None,
        "name": "Carin Nilsson",
        "status": "present",
        "role": "chair",
        "body": P.COUNCIL,
        "body_id": orgs[P.COUNCIL],
        "organisation": "Umeå kommun",
        "on_behalf_of_id": orgs["Umeå kommun"],
        "substitute_for": None,
        "from_item": None,
        "to_item": None,
        "absent_items": [],
        "adjuster": False,
        "note": "ordförande",
    }

    applied = run(env, "protocol", str(PROTOCOL))
    assert "Applied" in applied.stderr
    [record] = client.get(f"{API}/imports", headers=admin).json()["data"]
    assert (record["kind"], record["filename"], record["sha256"]) == ("protocol", PROTOCOL.name, plan["file"]["sha256"])
    meeting = client.get(f"{API}/meetings/{record['meeting_id']}", params={"include": "items"}, headers=admin).json()
    assert [i["number"] for i in meeting["items"]] == [str(n) for n in range(15, 26)]
    after = row_counts()
    assert after["meetings"] - before["meetings"] == 3 and after["people"] - before["people"] == 51

    again = as_json(env, "protocol", str(PROTOCOL))
    assert again["applied"] is False and again["plan"]["already_imported"] is True
    assert row_counts() == after

    annual_report = PROTOCOL.with_name("arsrapport-2023.txt")
    refused = run(env, "protocol", str(annual_report), ok=False)
    assert refused.returncode == 1 and "body.file: not a meeting protocol" in refused.stderr + refused.stdout
    assert "Traceback" not in refused.stderr
    assert row_counts() == after


def test_an_attendance_dry_run_prints_every_participant_with_the_person_matched(
    env: dict[str, str], upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    r = client.post(
        f"{API}/meetings",
        json={"body_ids": [orgs[P.COUNCIL]], "starts_at": "2025-03-12T13:00:00", "ends_at": "2025-03-12T15:00:00"},
        headers=admin,
    )
    meeting = r.json()["id"]
    body = {"given_name": "Anna", "family_name": "Exempel", "contact": {"email": "anna.exempel@region.example"}}
    anna = client.post(f"{API}/people", json=body, headers=admin).json()["id"]
    before = row_counts()

    printed = as_json(env, "attendance", str(CURRENT), "--meeting", meeting, "--dry-run")
    assert row_counts() == before
    assert printed == upload("attendance", CURRENT.read_bytes(), CURRENT.name, admin, meeting_id=meeting).json()
    first = printed["plan"]["participants"][0]
    assert {k: first[k] for k in ("name", "status", "joined_at", "left_at", "duration_seconds", "action")} == {
        "name": "Anna Exempel",
        "status": "present",
        "joined_at": "2025-03-12T12:00:21Z",
        "left_at": "2025-03-12T14:01:05Z",
        "duration_seconds": 7244,
        "action": "create",
    }
    assert (first["match"]["status"], first["match"]["person_id"], first["match"]["by"]) == ("matched", anna, "email")
    assert [p["match"]["status"] for p in printed["plan"]["participants"]] == [
        "matched",
        "unmatched",
        "unmatched",
        "unmatched",
        "guest",
        "unmatched",
    ]


def test_the_unmatched_are_named_with_the_resolve_options_to_copy(
    env: dict[str, str], client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    r = client.post(
        f"{API}/meetings",
        json={"body_ids": [orgs[P.COUNCIL]], "starts_at": "2025-03-12T13:00:00", "ends_at": "2025-03-12T15:00:00"},
        headers=admin,
    )
    meeting = r.json()["id"]
    body = {"given_name": "Anna", "family_name": "Exempel", "contact": {"email": "anna.exempel@region.example"}}
    assert client.post(f"{API}/people", json=body, headers=admin).status_code == 201
    # Eva Öberg joined as a guest; the register knows her by her new name, so only a coordinator can tell.
    eva = client.post(f"{API}/people", json={"given_name": "Eva", "family_name": "Lindgren"}, headers=admin).json()[
        "id"
    ]

    shown = run(env, "attendance", str(CURRENT), "--meeting", meeting, "--dry-run").stderr
    lines = shown.splitlines()
    assert "Attendance 1/1: planned attendance_current_en_utf16le.csv" in lines  # plain lines: not a terminal
    start = lines.index("5 participant(s) not matched; their attendance is not recorded:")
    assert lines[start + 1 : start + 6] == [
        "  Björn Prövsson: unmatched",
        "  Lindqvist, Maria: unmatched",
        "  Johan Påhittad (Kommun Exempel): unmatched",
        "  Eva Öberg (Guest): guest",
        "  Karl-Åke Fiktiv: unmatched",
    ]
    assert lines[start + 6] == "To record them, run the same import again with:"
    options = lines[start + 7].strip()
    assert options.startswith("--resolve 'Björn Prövsson=<person id>' --resolve 'Lindqvist, Maria=<person id>'")
    copied = shlex.split(options)  # as a coordinator copies it, with one id filled in
    resolve = ["--resolve", next(o for o in copied if o.startswith("Eva Öberg")).replace("<person id>", eva)]
    applied = run(env, "attendance", str(CURRENT), "--meeting", meeting, *resolve, "--json")
    participants = {p["name"]: p for p in json.loads(applied.stdout)["plan"]["participants"]}
    assert participants["Eva Öberg (Guest)"]["match"] == {
        "status": "matched", "person_id": eva, "person_name": "Eva Lindgren", "by": "resolution", "candidates": []
    }  # fmt: skip
    assert "Eva Öberg (Guest)" not in json.loads(applied.stdout)["plan"]["unmatched"]


def test_a_terminal_gets_a_progress_bar_and_anything_else_plain_lines() -> None:
    from rich.console import Console

    from app.imports.cli import Steps

    terminal, piped = io.StringIO(), io.StringIO()
    for out in (Console(file=terminal, force_terminal=True, width=100), Console(file=piped, width=100)):
        with Steps("Importing", 2, out) as steps:
            steps.step("Samråd 2024-05-03/protokoll-2024-05-03.txt")
            steps.step("Närvarorapport.csv")
    assert "━" in terminal.getvalue() and "\x1b[" in terminal.getvalue() and "1/2:" not in terminal.getvalue()
    assert piped.getvalue().splitlines() == [
        "Importing 1/2: Samråd 2024-05-03/protokoll-2024-05-03.txt",
        "Importing 2/2: Närvarorapport.csv",
    ]


def test_a_folder_on_disk_is_imported(
    env: dict[str, str], tmp_path: Path, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    channel = tmp_path / "Samråd hälsa, vård och omsorg"
    meeting_folder = channel / "Samråd 2024-05-03"
    meeting_folder.mkdir(parents=True)
    (meeting_folder / PROTOCOL.name).write_bytes(PROTOCOL.read_bytes())
    (meeting_folder / "Bilaga 23 Primärvård.pdf").write_bytes(blank_pdf())
    (channel / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")

    done = run(env, "folder", str(channel), "--json")
    result = json.loads(done.stdout)
    assert result["applied"] is True
    progress = [line for line in done.stderr.splitlines() if line.startswith(("Planning", "Importing"))]
    assert progress == [
        "Planning 1/3: .DS_Store",
        f"Planning 2/3: Samråd 2024-05-03/{PROTOCOL.name}",
        "Planning 3/3: Samråd 2024-05-03/Bilaga 23 Primärvård.pdf",
        "Importing 1/3: .DS_Store",
        f"Importing 2/3: Samråd 2024-05-03/{PROTOCOL.name}",
        "Importing 3/3: Samråd 2024-05-03/Bilaga 23 Primärvård.pdf",
    ]
    assert sorted((e["path"], e["action"]) for e in result["plan"]["entries"]) == [
        (".DS_Store", "skipped"),
        ("Samråd 2024-05-03/Bilaga 23 Primärvård.pdf", "document"),
        (f"Samråd 2024-05-03/{PROTOCOL.name}", "protocol"),
    ]
    made = {i["kind"]: i for i in client.get(f"{API}/imports", headers=admin).json()["data"]}
    assert made["folder"]["filename"] == "Samråd hälsa, vård och omsorg.zip"
    meeting = client.get(
        f"{API}/meetings/{made['protocol']['meeting_id']}", params={"include": "documents"}, headers=admin
    ).json()
    assert [(d["filename"], d["label"]) for d in meeting["documents"]] == [("Bilaga 23 Primärvård.pdf", "Bilaga 23")]


def test_remote_import_through_a_server_with_an_api_token(
    env: dict[str, str],
    start_server: Callable[[], str],
    upload: Upload,
    client: TestClient,
    admin: dict[str, str],
    orgs: dict[str, str],
) -> None:
    grants = [{"role": "secretary", "organisation_id": orgs[b]} for b in (P.COUNCIL, P.SYSTEMLEDNING)]
    token = import_script_token(client, admin, grants)
    base = start_server()

    refused = run(env, "protocol", str(PROTOCOL), "--server", base, "--token", "svk_not-a-token", ok=False)
    assert refused.returncode == 1 and "401" in refused.stderr
    before = row_counts()
    remote = ["--server", base, "--token", token]
    printed = as_json(env, "protocol", str(PROTOCOL), "--dry-run", *remote)
    assert row_counts() == before
    as_the_script = {"Authorization": f"Bearer {token}"}
    assert printed == upload("protocol", PROTOCOL.read_bytes(), PROTOCOL.name, as_the_script).json()
    # Memberships are inferred only in the bodies the script is secretary of; the plan says which are left out.
    assert {m["body_id"] for m in printed["plan"]["memberships"]} == {orgs[P.COUNCIL]}
    assert f"memberships of {P.LSG} are not inferred: only its secretary may change them" in printed["plan"]["warnings"]

    applied = as_json(env, "protocol", str(PROTOCOL), *remote)
    assert applied["applied"] is True and applied["plan"]["plan_hash"] == printed["plan"]["plan_hash"]
    meeting = client.get(f"{API}/meetings/{applied['meeting_id']}", headers=admin).json()
    assert meeting["diary_number"] == "HSN 50:2-2024"
    provenance = client.get(f"{API}/imports", headers=admin).json()["data"]
    assert [i["kind"] for i in provenance] == ["protocol"]


def test_conflicts_are_listed_with_the_options_that_answer_them(
    env: dict[str, str], tmp_path: Path, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    hand = ByHand(client, admin, orgs)
    before = row_counts()
    refused = run(env, "protocol", str(PROTOCOL), ok=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert row_counts() == before
    lines = refused.stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if "conflict(s): the import would change" in line)
    listed = lines[start + 2 : lines.index("To answer them, run the same import again with one of:")]
    assert '  item/21/title: "Avtal om läkarmedverkan" → "Övriga frågor"' in listed
    assert f'  attendance/{hand.people["Fredrik Stenberg"]}/status: "absent" → "present"' in listed
    options = lines[lines.index("  --on-conflict take") + 1].strip()
    assert "--conflict item/21/title=keep" in options and "--conflict meeting/body_ids=keep" in options

    # As a coordinator copies them: keep the hand-entered values, but let the joint part's bodies join.
    copied = ["--on-conflict", "keep", "--conflict", "meeting/body_ids=take", "--conflict", "item/21=take"]
    applied = json.loads(run(env, "protocol", str(PROTOCOL), *copied, "--json").stdout)
    assert applied["applied"] is True and applied["plan"]["conflicts"] == []
    doc = hand.record()
    assert {i["number"]: i["title"] for i in doc["items"]}["21"] == "Övriga frågor"
    rows = {a["person_name"]: a for a in doc["attendance"]}
    assert (rows["Fredrik Stenberg"]["status"], rows["Fredrik Stenberg"]["source"]) == ("absent", "manual")
    resaved = tmp_path / PROTOCOL.name  # another file (its hash too), the same protocol: nothing left to change
    resaved.write_bytes(PROTOCOL.read_bytes() + b"\n")
    again = json.loads(run(env, "protocol", str(resaved), "--on-conflict", "keep", "--json").stdout)
    assert again["plan"]["already_imported"] is False and again["applied"] is False

    bad = run(env, "protocol", str(PROTOCOL), "--conflict", "item/21/title", ok=False)
    assert bad.returncode == 2 and "must be KEY=keep or KEY=take" in bad.stderr


def test_a_folders_conflicts_are_answered_through_a_server(
    env: dict[str, str],
    start_server: Callable[[], str],
    tmp_path: Path,
    client: TestClient,
    admin: dict[str, str],
    orgs: dict[str, str],
) -> None:
    hand = ByHand(client, admin, orgs)
    channel = tmp_path / "Samråd hälsa, vård och omsorg"
    (channel / "Samråd 2024-05-03").mkdir(parents=True)
    (channel / "Samråd 2024-05-03" / PROTOCOL.name).write_bytes(PROTOCOL.read_bytes())
    token = import_script_token(client, admin, [{"role": "admin"}])
    remote = ["--server", start_server(), "--token", token]
    before = row_counts()

    refused = run(env, "folder", str(channel), *remote, ok=False)
    assert refused.returncode == 1 and "Not applied: answer the conflicts above." in refused.stderr
    assert f'  item/21/title: "Avtal om läkarmedverkan" → "Övriga frågor" in Samråd 2024-05-03/{PROTOCOL.name}' in (
        refused.stderr.splitlines()
    )
    assert row_counts() == before

    answered = ["--on-conflict", "keep", "--conflict", "meeting/body_ids=take"]
    applied = json.loads(run(env, "folder", str(channel), *answered, *remote, "--json").stdout)
    assert applied["applied"] is True
    doc = hand.record()
    assert {i["number"]: i["title"] for i in doc["items"]}["21"] == "Avtal om läkarmedverkan"  # kept
    assert len(doc["items"]) == 11
