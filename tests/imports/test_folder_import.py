"""Importing a Teams channel folder as a zip over the API: the protocol, its attendance report and attachments,
names mangled by zip tools repaired, everything skipped listed with a reason, and re-imports that change nothing."""

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, TEAMS, Upload, blank_pdf, row_counts

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

FOLDER = "Samråd 2024-05-03"
ATTACHMENT = f"{FOLDER}/Bilaga 23 Primärvård.pdf"
REPORT = "Närvarorapport 2024-05-03.csv"


class UnflaggedName(zipfile.ZipInfo):
    """A member named in `encoding` without the UTF-8 flag, as Windows' and older Mac zip tools write them."""

    def __init__(self, name: str, encoding: str) -> None:
        super().__init__(name)
        self.encoding = encoding

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.filename.encode(self.encoding), self.flag_bits & ~0x800


def report_of_the_meeting() -> bytes:
    """The current-layout sample moved to 2024-05-03 (13:00–15:01), with the chair and the adjuster in it."""
    text = (TEAMS / "attendance_current_en_utf16le.csv").read_bytes().decode("utf-16")
    text = text.replace("3/12/25", "5/3/24").replace("Anna Exempel", "Carin Nilsson")
    return text.replace("Lindqvist, Maria", "Danielsson, Anna-Lena").encode("utf-16")


def channel_zip(attachment_encoding: str = "utf-8") -> bytes:
    """The channel's folder as Teams downloads it, the attachment's name written without the UTF-8 flag."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{FOLDER}/protokoll-2024-05-03.txt", PROTOCOL.read_bytes())
        z.writestr(REPORT, report_of_the_meeting())
        z.writestr(UnflaggedName(ATTACHMENT, attachment_encoding), blank_pdf())
        z.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
        z.writestr(f"{FOLDER}/~$temp.docx", b"\x0cMaria Lind")
        z.writestr(f"__MACOSX/{FOLDER}/._protokoll-2024-05-03.txt", b"\x00\x05\x16\x07")
        z.writestr(f"{FOLDER}/Anteckningar.txt", b"")
    return out.getvalue()


def entries(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["path"], e["action"], e["reason"], e["meeting"], e["label"]) for e in plan["entries"]]


def imported(client: TestClient, headers: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    rows = client.get(f"{API}/imports", headers=headers).json()["data"]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["kind"], []).append(row)
    return out


def test_a_channel_zip_is_imported_and_everything_skipped_is_listed(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data = channel_zip()
    as_read = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert ATTACHMENT not in as_read and "Samr├Ñd 2024-05-03/Bilaga 23 Prim├ñrv├Ñrd.pdf" in as_read
    before = row_counts()

    dry = upload("folder", data, "Samråd hälsa, vård och omsorg.zip", admin)
    assert dry.status_code == 200, dry.text
    assert row_counts() == before
    plan = dry.json()["plan"]
    assert plan["kind"] == "folder" and plan["already_imported"] is False
    assert (plan["file"]["filename"], plan["file"]["size"]) == ("Samråd hälsa, vård och omsorg.zip", len(data))
    hidden = "hidden or temporary file"
    assert sorted(entries(plan)) == sorted(
        [
            (f"{FOLDER}/protokoll-2024-05-03.txt", "protocol", None, "HSN 50:2-2024", None),
            (REPORT, "attendance", None, "HSN 50:2-2024", None),
            (ATTACHMENT, "document", None, "HSN 50:2-2024", "Bilaga 23"),
            (".DS_Store", "skipped", hidden, None, None),
            (f"{FOLDER}/~$temp.docx", "skipped", hidden, None, None),
            (f"__MACOSX/{FOLDER}/._protokoll-2024-05-03.txt", "skipped", hidden, None, None),
            (f"{FOLDER}/Anteckningar.txt", "skipped", "empty file", None, None),
        ]
    )
    assert plan["counts"] == {"protocol": 1, "attendance": 1, "document": 1, "skipped": 4}
    [protocol] = plan["protocols"]
    assert protocol["meeting"]["action"] == "create" and protocol["counts"]["items"] == 11

    applied = upload(
        "folder", data, "Samråd hälsa, vård och omsorg.zip", admin, dry_run=False, expected_plan=plan["plan_hash"]
    )
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True

    made = imported(client, admin)
    [folder], [protocol_row], [report_row] = made["folder"], made["protocol"], made["attendance"]
    meeting_id = protocol_row["meeting_id"]
    assert folder["sha256"] == plan["file"]["sha256"] and folder["summary"] == plan["counts"]
    assert (report_row["filename"], report_row["meeting_id"], report_row["layout"]) == (REPORT, meeting_id, "current")

    meeting = client.get(
        f"{API}/meetings/{meeting_id}", params={"include": "attendance,documents"}, headers=admin
    ).json()
    assert meeting["diary_number"] == "HSN 50:2-2024"
    [document] = meeting["documents"]
    assert (document["filename"], document["label"], document["media_type"]) == (
        "Bilaga 23 Primärvård.pdf",
        "Bilaga 23",
        "application/pdf",
    )
    assert {"target_type": "meeting", "target_id": meeting_id} in document["links"]
    from_teams = {a["person_name"]: a for a in meeting["attendance"] if a["source"] == "teams"}
    assert sorted(from_teams) == ["Anna-Lena Danielsson", "Carin Nilsson"]
    chair = from_teams["Carin Nilsson"]
    assert (chair["role"], chair["status"], chair["body_id"], chair["duration_seconds"]) == (
        "chair",
        "present",
        orgs[P.COUNCIL],
        7244,
    )
    assert datetime.fromisoformat(chair["joined_at"]) == datetime.fromisoformat("2024-05-03T13:00:21+02:00")
    assert len(meeting["attendance"]) == 51

    after = row_counts()
    again = upload("folder", data, "Samråd hälsa, vård och omsorg.zip", admin)
    assert again.json()["plan"]["already_imported"] is True
    again = upload("folder", data, "kopia.zip", admin, dry_run=False, expected_plan=again.json()["plan"]["plan_hash"])
    assert again.status_code == 409  # another name is another plan
    again = upload("folder", data, "Samråd hälsa, vård och omsorg.zip", admin, dry_run=False)
    assert again.status_code == 200, again.text
    assert again.json()["applied"] is False and again.json()["plan"]["already_imported"] is True
    assert row_counts() == after


@pytest.mark.parametrize("encoding", ["utf-8", "cp850", "cp1252"], ids=["mac-utf8", "windows-oem", "windows-ansi"])
def test_names_written_without_the_utf8_flag_are_repaired(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], encoding: str
) -> None:
    names = [ATTACHMENT, "Närvaro/Närvarorapport möte.csv", "ÅÄÖ åäö é.txt"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in names:
            z.writestr(UnflaggedName(name, encoding), b"x")
    r = upload("folder", out.getvalue(), "kanal.zip", admin)
    assert r.status_code == 200, r.text
    assert sorted(e["path"] for e in r.json()["plan"]["entries"]) == sorted(names)


def test_a_zip_after_its_protocol_attaches_to_the_meeting_already_imported(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    first = upload("protocol", PROTOCOL.read_bytes(), PROTOCOL.name, admin, dry_run=False)
    assert first.status_code == 200, first.text
    before, data = row_counts(), channel_zip()
    plan = upload("folder", data, "kanal.zip", admin).json()["plan"]
    assert plan["protocols"][0]["already_imported"] is True
    r = upload("folder", data, "kanal.zip", admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    after = row_counts()
    grown = {t: after[t] - before[t] for t in after if after[t] != before[t]}
    assert {t: grown.get(t, 0) for t in ("meetings", "people", "agenda_items", "decisions", "imports")} == {
        "meetings": 0,
        "people": 0,
        "agenda_items": 0,
        "decisions": 0,
        "imports": 2,  # the report and the folder
    }
    assert grown["documents"] == 1
    meeting = client.get(f"{API}/meetings/{first.json()['meeting_id']}", params={"include": "documents"}, headers=admin)
    assert [d["label"] for d in meeting.json()["documents"]] == ["Bilaga 23"]


def half_a_zip() -> bytes:
    data = channel_zip()
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "data",
    [lambda: b"not a zip at all", PROTOCOL.read_bytes, half_a_zip, lambda: b""],
    ids=["text", "a-protocol", "truncated", "empty"],
)
def test_a_file_that_is_not_a_zip_is_a_422(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], data: Callable[[], bytes]
) -> None:
    before = row_counts()
    r = upload("folder", data(), "kanal.zip", admin, dry_run=False)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "file"]]
    assert row_counts() == before


def test_readers_may_not_import_folders(upload: Upload, reader: dict[str, str], orgs: dict[str, str]) -> None:
    before = row_counts()
    assert upload("folder", channel_zip(), "kanal.zip", reader).status_code == 403
    assert upload("folder", channel_zip(), "kanal.zip", {}).status_code == 401
    assert row_counts() == before


def moved(sample: str, replacements: dict[str, str]) -> bytes:
    """A Teams sample with its dates (and times) changed, in its own encoding."""
    raw = (TEAMS / sample).read_bytes()
    text = raw.decode("utf-16") if sample.endswith(".csv") else raw.decode("utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text.encode("utf-16") if sample.endswith(".csv") else text.encode("utf-8")


def test_each_report_goes_to_the_meeting_of_its_own_date_and_time_or_nowhere(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    def meeting(body: str, starts: str, ends: str) -> str:
        r = client.post(
            f"{API}/meetings", json={"body_ids": [orgs[body]], "starts_at": starts, "ends_at": ends}, headers=admin
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    afternoon = meeting(P.COUNCIL, "2025-03-12T13:00:00", "2025-03-12T15:00:00")
    morning = meeting(P.COUNCIL, "2025-03-12T09:00:00", "2025-03-12T11:00:00")
    years_earlier = meeting(P.COUNCIL, "2021-03-19T13:00:00", "2021-03-19T16:00:00")
    meeting("Hjälpmedelsrådet", "2025-09-10T13:00:00", "2025-09-10T15:00:00")  # not a body of this folder
    twins = [meeting(P.COUNCIL, "2025-06-05T13:00:00", "2025-06-05T15:00:00") for _ in range(2)]
    anna = {"given_name": "Anna", "family_name": "Exempel", "contact": {"email": "anna.exempel@region.example"}}
    assert client.post(f"{API}/people", json=anna, headers=admin).status_code == 201

    reports = {
        "2025-03-12 em/Närvaro.csv": (TEAMS / "attendance_current_en_utf16le.csv").read_bytes(),
        # The Graph report of the same day, three hours earlier in UTC: the morning meeting.
        "2025-03-12 fm/Närvaro.json": moved(
            "graph_attendance_report.json", {"T12:": "T08:", "T13:": "T09:", "T14:": "T10:"}
        ),
        f"{FOLDER}/{REPORT}": report_of_the_meeting(),  # the meeting the protocol next to it creates
        "2025-09-10/Närvaro.csv": moved("attendance_current_en_utf16le.csv", {"3/12/25": "9/10/25"}),
        "2025-06-05/Närvaro.csv": moved("attendance_current_en_utf16le.csv", {"3/12/25": "6/5/25"}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(f"{FOLDER}/protokoll-2024-05-03.txt", PROTOCOL.read_bytes())
        for path, data in reports.items():
            z.writestr(path, data)
    data, before = out.getvalue(), row_counts()

    dry = upload("folder", data, f"{P.COUNCIL}.zip", admin)
    assert dry.status_code == 200, dry.text
    assert row_counts() == before
    plan = dry.json()["plan"]
    by_path = {e["path"]: e for e in plan["entries"]}
    assert {p: (by_path[p]["action"], by_path[p]["meeting_id"]) for p in reports} == {
        "2025-03-12 em/Närvaro.csv": ("attendance", afternoon),
        "2025-03-12 fm/Närvaro.json": ("attendance", morning),
        f"{FOLDER}/{REPORT}": ("attendance", None),
        "2025-09-10/Närvaro.csv": ("skipped", None),
        "2025-06-05/Närvaro.csv": ("skipped", None),
    }
    assert by_path[f"{FOLDER}/{REPORT}"]["meeting"] == "HSN 50:2-2024"
    assert by_path["2025-09-10/Närvaro.csv"]["reason"] == (
        "no meeting of the folder's bodies on 2025-09-10 or 2025-10-09 (its dates read both ways): nothing imported"
    )
    both = "; ".join(sorted(f"2025-06-05 13:00 (id {m})" for m in twins))
    assert by_path["2025-06-05/Närvaro.csv"]["reason"] == (
        f"2 meetings fit 2025-06-05 13:00: {both}. Nothing imported: import the report with its meeting"
    )
    assert [w.split(":")[0] for w in plan["warnings"]] == ["2025-06-05/Närvaro.csv", "2025-09-10/Närvaro.csv"]
    # Who will not be matched is named, in the folder's plan too.
    assert by_path["2025-03-12 em/Närvaro.csv"]["unmatched"] == [
        "Björn Prövsson", "Lindqvist, Maria", "Johan Påhittad (Kommun Exempel)", "Eva Öberg (Guest)", "Karl-Åke Fiktiv",
    ]  # fmt: skip

    r = upload("folder", data, f"{P.COUNCIL}.zip", admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    made = imported(client, admin)
    protocol_meeting = made["protocol"][0]["meeting_id"]
    assert sorted((i["filename"], i["meeting_id"]) for i in made["attendance"]) == sorted(
        [
            ("2025-03-12 em/Närvaro.csv", afternoon),
            ("2025-03-12 fm/Närvaro.json", morning),
            (f"{FOLDER}/{REPORT}", protocol_meeting),
        ]
    )

    def attended(meeting_id: str) -> list[str]:
        m = client.get(f"{API}/meetings/{meeting_id}", params={"include": "attendance"}, headers=admin).json()
        return sorted(a["person_name"] for a in m["attendance"] if a["source"] == "teams")

    assert attended(afternoon) == attended(morning) == ["Anna Exempel"]
    assert attended(years_earlier) == [] and attended(twins[0]) == attended(twins[1]) == []


def test_a_reader_is_refused_before_the_zip_is_opened(upload: Upload, reader: dict[str, str]) -> None:
    """Unpacking costs the server memory and time: a principal that may not import never gets that far."""
    r = upload("folder", b"not a zip at all", "kanal.zip", reader)
    assert r.status_code == 403, r.text
    assert r.json()["code"] == "missing_role"


def test_a_principal_that_may_not_import_is_refused_before_the_file_is_read(
    upload: Upload, reader: dict[str, str], orgs: dict[str, str]
) -> None:
    """An empty file is a 422 once read: a reader gets the 403 first, for a protocol and a report alike."""
    protocol = upload("protocol", b"", "protokoll.txt", reader)
    report = upload("attendance", b"", "rapport.csv", reader, meeting_id="b1ccf0de-febf-4eb4-bc9c-aa1b0f03b02c")
    for r in (protocol, report):
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "missing_role"
