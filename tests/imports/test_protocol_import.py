"""Importing a protocol over the API: the 2024-05-03 protocol into exactly its record, dry run and apply,
stale plans, re-imports, a crash half-way, bad files and who may import."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.imports import common
from app.imports.protocol import apply as protocol_apply
from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, SAMPLES, Upload, blank_pdf, docx, row_counts

WRITTEN = ("meetings", "people", "agenda_items", "decisions", "attendance", "memberships", "imports", "audit_log")


def sample(kind: str) -> tuple[bytes, str]:
    text = PROTOCOL.read_text(encoding="utf-8")
    if kind == "docx":
        return docx(text), "Protokoll Samråd 2024-05-03.docx"
    return text.encode(), PROTOCOL.name


def without_joint_part() -> str:
    """The sample without items 24–25, which Systemledningen decides: the council's own part only."""
    text = PROTOCOL.read_text(encoding="utf-8")
    head, _, rest = text.partition("Systemledning tillsammans med Länssamverkansgruppen")
    return head + "Närvarande" + rest.partition(" Närvarande")[2]


def assert_problem(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = r.json()
    assert "Traceback" not in r.text
    if code:
        assert body["code"] == code
    return body


def assert_file_named(body: dict[str, Any]) -> None:
    assert body["code"] == "validation_failed"
    assert [e["loc"] for e in body["errors"]] == [["body", "file"]], body


class Record:
    """The meeting as the API gives it back, with ids turned into names."""

    def __init__(self, client: TestClient, headers: dict[str, str], meeting_id: str) -> None:
        self.c, self.h = client, headers
        r = client.get(
            f"{API}/meetings/{meeting_id}", params={"include": "items,decisions,attendance"}, headers=headers
        )
        assert r.status_code == 200, r.text
        self.doc: dict[str, Any] = r.json()
        self.people = {a["person_id"]: a["person_name"] for a in self.doc["attendance"]}
        self._orgs: dict[str | None, str | None] = {None: None}

    def org(self, ident: str | None) -> str | None:
        if ident not in self._orgs:
            r = self.c.get(f"{API}/organisations/{ident}", headers=self.h)
            assert r.status_code == 200, r.text
            self._orgs[ident] = r.json()["name"]
        return self._orgs[ident]


def all_actions(plan: dict[str, Any]) -> list[str]:
    """The action of every object of a protocol plan: the meeting, items, presenters, decisions, attendance."""
    items = plan["items"]
    objects = [plan["meeting"], *items, *(x for i in items for x in i["presenters"] + i["decisions"])]
    return [o["action"] for o in objects + plan["attendance"]]


def expected_decisions() -> list[tuple[object, ...]]:
    return [
        (number, kind, text, clauses, extra.get("body", P.COUNCIL), extra.get("assignee"), extra.get("target"))
        for number, *_, decisions in P.ITEMS
        for kind, text, clauses, extra in decisions
    ]


def assert_is_the_record(rec: Record) -> None:
    doc = rec.doc
    assert doc["diary_number"] == "HSN 50:2-2024"
    assert (doc["starts_at"], doc["ends_at"]) == ("2024-05-03T09:30:00+02:00", "2024-05-03T15:00:00+02:00")
    assert (doc["place"], doc["online"], doc["kind"], doc["item_range"]) == ("Teams", True, "joint", "15-25")
    # A protocol shows the meeting was held; approving the minutes is the adjuster's act, not the importer's.
    assert doc["status"] == "held"
    assert [rec.org(b) for b in doc["body_ids"]] == [P.COUNCIL, P.LSG, P.SYSTEMLEDNING]
    assert rec.people[doc["chair_id"]] == "Carin Nilsson"
    assert [rec.people[a] for a in doc["adjuster_ids"]] == ["Anna-Lena Danielsson"]

    items = doc["items"]
    assert [(i["number"], i["title"], i["kind"], i["format"], i["section"]) for i in items] == [
        (number, title, kind, fmt, section) for number, title, kind, fmt, section, *_ in P.ITEMS
    ]
    for item, (number, *_, presenters, minutes, _decisions) in zip(items, P.ITEMS, strict=True):
        assert [(p["name"], p["organisation"]) for p in item["presenters"]] == presenters, number
        # A presenter named without an organisation is the person of the same name on the lists.
        for p in item["presenters"]:
            if p["person_id"] is not None:
                assert rec.people[p["person_id"]] == p["name"]
        if minutes is None:
            assert item["minutes_text"] is None, number
        else:
            assert item["minutes_text"].startswith(minutes), number
    linked = {p["name"] for i in items for p in i["presenters"] if p["person_id"]}
    assert {"Monica Wahlström", "Katarina Lindahl", "Britta Edström"} <= linked

    number_of = {i["id"]: i["number"] for i in items}
    decisions = [
        (
            number_of[d["agenda_item_id"]],
            d["kind"],
            d["text"],
            d["clauses"],
            rec.org(d["body_id"]),
            rec.org(d["assignee_body_id"]),
            rec.org(d["target_body_id"]),
        )
        for d in doc["decisions"]
    ]
    assert decisions == expected_decisions()
    assert all(d["decided_on"] == "2024-05-03" for d in doc["decisions"])
    assert [d["assignment_status"] for d in doc["decisions"] if d["kind"] == "assignment"] == ["open", "open"]

    rows = doc["attendance"]
    assert all(a["source"] == "protocol" for a in rows)
    listed = [
        (
            a["person_name"],
            a["party"],
            rec.org(a["on_behalf_of_id"]),
            a["status"],
            a["role"],
            rec.people.get(a["substitute_for_id"]),
            a["note"],
            rec.org(a["body_id"]),
        )
        for a in rows
    ]
    council = [(*row, P.COUNCIL) for row in P.COUNCIL_ATTENDANCE]
    lsg = [(name, None, *rest, P.LSG) for name, *rest in P.LSG_ATTENDANCE]
    assert listed[: len(council) + len(lsg)] == council + lsg
    tail = rows[len(council) + len(lsg) :]
    assert [(a["person_name"], a["role"], a["status"], a["body_id"]) for a in tail] == [
        (name, "co_opted", "present", None) for name, _ in P.CO_OPTED
    ]
    # Who they come from: a principal they sit for, or (FoU Socialtjänst is none) the note.
    assert [rec.org(a["on_behalf_of_id"]) or a["note"] for a in tail] == [org for _, org in P.CO_OPTED]


def assert_next_meetings(client: TestClient, headers: dict[str, str], rec: Record) -> None:
    r = client.get(f"{API}/meetings", params={"from": "2024-05-04", "sort": "starts_at"}, headers=headers)
    assert r.status_code == 200, r.text
    planned = [
        (m["title"], m["starts_at"], m["place"], m["kind"], m["status"], [rec.org(b) for b in m["body_ids"]])
        for m in r.json()["data"]
    ]
    assert planned == [
        (title, f"{day}T09:00:00+02:00", place, kind, "planned", [P.COUNCIL])
        for title, day, place, kind in P.NEXT_MEETINGS
    ]


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_the_sample_protocol_round_trips_into_its_record(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str], kind: str
) -> None:
    data, name = sample(kind)
    before = row_counts()
    dry = upload("protocol", data, name, admin)  # a dry run unless told otherwise
    assert dry.status_code == 200, dry.text
    assert row_counts() == before
    result = dry.json()
    assert result["applied"] is False and result["meeting_id"] is None
    plan = result["plan"]
    assert plan["kind"] == "protocol" and plan["already_imported"] is False and plan["warnings"] == []
    assert plan["file"]["filename"] == name and plan["file"]["size"] == len(data)
    assert plan["meeting"]["action"] == "create"
    assert plan["meeting"]["body_ids"] == [orgs[P.COUNCIL], orgs[P.LSG], orgs[P.SYSTEMLEDNING]]
    assert plan["counts"] == {
        "items": 11,
        "decisions": 5,
        "attendance": 51,
        "people_created": 51,
        "people_ambiguous": 0,
        "next_meetings": 2,
        "updates": 0,
        "conflicts": 0,
    }
    assert plan["problems"] == [] and plan["conflicts"] == []

    applied = upload("protocol", data, name, admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True
    assert applied.json()["plan"] == plan
    after = row_counts()
    grown = {t: after[t] - before[t] for t in WRITTEN}
    assert grown["meetings"] == 3 and grown["agenda_items"] == 11 and grown["decisions"] == 5
    assert grown["people"] == 51 and grown["attendance"] == 51 and grown["imports"] == 1
    assert grown["audit_log"] > 0

    rec = Record(client, admin, applied.json()["meeting_id"])
    assert_is_the_record(rec)
    assert_next_meetings(client, admin, rec)

    provenance = client.get(f"{API}/imports", headers=admin).json()["data"]
    assert [(i["kind"], i["filename"], i["sha256"], i["meeting_id"]) for i in provenance] == [
        ("protocol", name, plan["file"]["sha256"], rec.doc["id"])
    ]


@pytest.mark.parametrize(
    ("form", "loc"),
    [({"dryrun": "false"}, ["body", "dryrun"]), ({"expected_plan": ""}, ["body", "expected_plan"])],
    ids=["misspelt_field", "empty_field"],
)
def test_a_misspelt_or_empty_form_field_is_422_and_nothing_is_written(
    upload: Upload, orgs: dict[str, str], admin: dict[str, str], form: dict[str, str], loc: list[str]
) -> None:
    data, name = sample("txt")
    before = row_counts()
    r = upload("protocol", data, name, admin, **form)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [loc]
    assert row_counts() == before


def test_importing_the_same_file_again_changes_nothing(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data, name = sample("txt")
    first = upload("protocol", data, name, admin, dry_run=False)
    assert first.status_code == 200 and first.json()["applied"] is True
    meeting_id = first.json()["meeting_id"]
    stamp = client.get(f"{API}/meetings/{meeting_id}", headers=admin).json()["updated_at"]
    before = row_counts()

    dry = upload("protocol", data, name, admin)
    assert dry.json()["plan"]["already_imported"] is True
    assert {
        k: v for k, v in dry.json()["plan"]["meeting"].items() if k not in ("action", "meeting_id", "fingerprint")
    } == {k: v for k, v in first.json()["plan"]["meeting"].items() if k not in ("action", "meeting_id", "fingerprint")}
    assert dry.json()["plan"]["meeting"]["meeting_id"] == meeting_id
    assert set(all_actions(dry.json()["plan"])) == {"unchanged"}
    again = upload("protocol", data, name, admin, dry_run=False, expected_plan=dry.json()["plan"]["plan_hash"])
    assert again.status_code == 200, again.text
    assert again.json()["applied"] is False and again.json()["plan"]["already_imported"] is True
    assert again.json()["meeting_id"] == meeting_id
    assert row_counts() == before
    assert client.get(f"{API}/meetings/{meeting_id}", headers=admin).json()["updated_at"] == stamp


def test_the_same_protocol_in_another_format_changes_nothing(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    txt, docx_file = sample("txt"), sample("docx")
    first = upload("protocol", *txt, admin, dry_run=False)
    assert first.status_code == 200, first.text
    before = row_counts()

    dry = upload("protocol", *docx_file, admin).json()["plan"]
    assert dry["already_imported"] is False
    assert dry["meeting"]["meeting_id"] == first.json()["meeting_id"]
    assert set(all_actions(dry)) == {"unchanged"}
    assert {p["match"]["status"] for p in dry["people"]} == {"matched"}
    assert [n["action"] for n in dry["next_meetings"]] == ["unchanged", "unchanged"]
    assert dry["counts"] == {
        "items": 11,
        "decisions": 0,
        "attendance": 51,
        "people_created": 0,
        "people_ambiguous": 0,
        "next_meetings": 0,
        "updates": 0,
        "conflicts": 0,
    }

    second = upload("protocol", *docx_file, admin, dry_run=False, expected_plan=dry["plan_hash"])
    assert second.status_code == 200, second.text
    # The same record in another file: nothing to write, so nothing is written (not even the import).
    assert second.json()["applied"] is False and second.json()["meeting_id"] == first.json()["meeting_id"]
    assert row_counts() == before
    assert_is_the_record(Record(client, admin, first.json()["meeting_id"]))


def test_a_plan_that_went_stale_is_refused_and_nothing_is_written(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data, name = sample("txt")
    plan = upload("protocol", data, name, admin).json()["plan"]
    carin = next(p for p in plan["people"] if p["name"] == "Carin Nilsson")
    assert carin["match"]["status"] == "created"

    # Someone enters the chair by hand between the dry run and the apply.
    r = client.post(
        f"{API}/people", json={"given_name": "Carin", "family_name": "Nilsson", "party": "s"}, headers=admin
    )
    assert r.status_code == 201, r.text
    carin_id = r.json()["id"]
    before = row_counts()
    stale = upload("protocol", data, name, admin, dry_run=False, expected_plan=plan["plan_hash"])
    body = assert_problem(stale, 409, "plan_changed")
    assert "dry run" in body["detail"]
    assert row_counts() == before

    fresh = upload("protocol", data, name, admin).json()["plan"]
    assert fresh["plan_hash"] != plan["plan_hash"]
    assert next(p for p in fresh["people"] if p["name"] == "Carin Nilsson")["match"] == {
        "status": "matched",
        "person_id": carin_id,
        "person_name": "Carin Nilsson",
        "by": "name",
        "candidates": [],
    }
    assert fresh["counts"]["people_created"] == 50
    applied = upload("protocol", data, name, admin, dry_run=False, expected_plan=fresh["plan_hash"])
    assert applied.status_code == 200, applied.text
    meeting = client.get(f"{API}/meetings/{applied.json()['meeting_id']}", headers=admin).json()
    assert meeting["chair_id"] == carin_id


def test_a_crash_half_way_leaves_nothing_behind(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = protocol_apply.decisions.create
    calls: list[int] = []

    def create_then_fail(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(protocol_apply.decisions, "create", create_then_fail)
    data, name = sample("txt")
    before = row_counts()
    r = upload("protocol", data, name, admin, dry_run=False)
    body = assert_problem(r, 500, "internal_error")
    assert "disk is full" not in r.text and body["status"] == 500
    assert len(calls) == 4  # people, the meeting, items and three decisions were written before the failure
    assert row_counts() == before

    monkeypatch.setattr(protocol_apply.decisions, "create", real)
    assert upload("protocol", data, name, admin).json()["plan"]["already_imported"] is False


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("protokoll.txt", lambda: b""),
        ("protokoll.docx", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("protokoll.txt", lambda: bytes(range(256)) * 8),
        ("protokoll.docx", lambda: docx(PROTOCOL.read_text(encoding="utf-8"))[:100]),
        ("protokoll.pdf", blank_pdf),
        ("protokoll.txt", lambda: (SAMPLES / "seeds" / "arsrapport-2023.txt").read_bytes()),
    ],
    ids=["empty", "binary-docx", "binary-txt", "truncated-docx", "pdf-without-a-protocol", "annual-report"],
)
def test_a_bad_file_is_a_422_naming_the_file_and_nothing_is_written(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], name: str, data: Callable[[], bytes]
) -> None:
    before = row_counts()
    for dry_run in (True, False):
        body = assert_problem(upload("protocol", data(), name, admin, dry_run=dry_run), 422)
        assert_file_named(body)
        assert body["errors"][0]["msg"]
    assert row_counts() == before


def test_a_file_over_the_limit_is_a_413(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, name = sample("txt")
    monkeypatch.setattr(common, "MAX_IMPORT_BYTES", len(data) - 1)
    before = row_counts()
    body = assert_problem(upload("protocol", data, name, admin, dry_run=False), 413)
    assert str(len(data) - 1) in body["detail"]
    assert row_counts() == before
    monkeypatch.setattr(common, "MAX_IMPORT_BYTES", len(data))
    assert upload("protocol", data, name, admin).status_code == 200


def test_a_protocol_of_an_unknown_body_is_a_422(upload: Upload, admin: dict[str, str]) -> None:
    data, name = sample("txt")
    before = row_counts()
    for dry_run in (True, False):
        body = assert_problem(upload("protocol", data, name, admin, dry_run=dry_run), 422)
        assert_file_named(body)
        assert "Samråd hälsa, vård och omsorg" in body["errors"][0]["msg"]
    assert row_counts() == before


def test_who_may_import(
    upload: Upload, orgs: dict[str, str], make_principal: Callable[..., dict[str, str]], reader: dict[str, str]
) -> None:
    data, name = sample("txt")
    before = row_counts()
    r = upload("protocol", data, name, {})
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert_problem(upload("protocol", data, name, reader), 403, "missing_role")
    elsewhere = make_principal(f"secretary:{orgs['Hjälpmedelsrådet']}")
    for dry_run in (True, False):
        body = assert_problem(upload("protocol", data, name, elsewhere, dry_run=dry_run), 403, "missing_role")
        assert P.COUNCIL in body["detail"]
    # The joint part records Systemledningen's decision: the council's secretary alone may not write it.
    council_only = make_principal(f"secretary:{orgs[P.COUNCIL]}")
    for dry_run in (True, False):
        body = assert_problem(upload("protocol", data, name, council_only, dry_run=dry_run), 403, "missing_role")
        assert P.SYSTEMLEDNING in body["detail"]
    assert row_counts() == {**before, "principals": before["principals"] + 2, "role_grants": before["role_grants"] + 2}

    both = make_principal(f"secretary:{orgs[P.COUNCIL]}", f"secretary:{orgs[P.SYSTEMLEDNING]}")
    r = upload("protocol", data, name, both, dry_run=False)
    assert r.status_code == 200, r.text
    assert r.json()["applied"] is True


def test_a_secretary_imports_the_protocol_of_their_own_body(
    upload: Upload, client: TestClient, orgs: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    secretary = make_principal(f"secretary:{orgs[P.COUNCIL]}")
    data = without_joint_part().encode()
    plan = upload("protocol", data, "protokoll.txt", secretary).json()["plan"]
    assert [i["number"] for i in plan["items"]] == [str(n) for n in range(15, 24)]
    r = upload("protocol", data, "protokoll.txt", secretary, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    meeting = client.get(
        f"{API}/meetings/{r.json()['meeting_id']}", params={"include": "decisions"}, headers=secretary
    ).json()
    assert meeting["body_ids"][0] == orgs[P.COUNCIL]
    assert [d["kind"] for d in meeting["decisions"]] == ["noted", "noted", "assignment", "referral"]
