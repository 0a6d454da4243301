"""Folders: a person (or next meeting) two protocols name is created once; the conflicts of protocols over
meetings entered by hand are answered for the whole folder (a key applies to every protocol that has it); a report
whose dates read both ways goes to the meeting one reading fits, or nowhere."""

import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, Upload, row_counts
from tests.imports.test_folder_import import moved
from tests.imports.test_protocol_merge import ByHand

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

JUNE = "Samråd 2024-06-07/protokoll-2024-06-07.txt"
MAY = "Samråd 2024-05-03/protokoll-2024-05-03.txt"


def a_month_later() -> bytes:
    """The sample protocol as the next meeting's: another date and diary number, the same people."""
    text = PROTOCOL.read_bytes().decode("utf-8")
    return text.replace("20240503", "20240607").replace("HSN: 50:2-2024", "HSN: 50:3-2024").encode("utf-8")


def two_protocols() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(MAY, PROTOCOL.read_bytes())
        z.writestr(JUNE, a_month_later())
    return out.getvalue()


def test_a_new_person_two_protocols_name_is_created_once(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:

    before, data = row_counts(), two_protocols()
    dry = upload("folder", data, "kanal.zip", admin)
    assert dry.status_code == 200, dry.text
    plan = dry.json()["plan"]
    # Each protocol's plan was made before anything was written: both plan to create the same people.
    created = [p["counts"]["people_created"] for p in plan["protocols"]]
    assert created[0] == created[1] == 51
    r = upload("folder", data, "kanal.zip", admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    assert row_counts()["people"] - before["people"] == 51
    found = client.get(f"{API}/people", params={"q": "Carin Nilsson"}, headers=admin).json()["data"]
    assert [f"{p['given_name']} {p['family_name']}" for p in found] == ["Carin Nilsson"]
    meetings = [e["meeting"] for e in plan["entries"] if e["action"] == "protocol"]
    assert meetings == ["HSN 50:2-2024", "HSN 50:3-2024"]


def test_the_conflicts_of_a_folders_protocols_are_answered_for_the_folder(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    hand = ByHand(client, admin, orgs)
    data = two_protocols()
    dry = upload("folder", data, "kanal.zip", admin)
    assert dry.status_code == 200, dry.text
    may = dry.json()["plan"]["protocols"][0]
    assert "item/21/title" in may["conflicts"]
    refused = upload("folder", data, "kanal.zip", admin, dry_run=False)
    assert refused.status_code == 409 and refused.json()["code"] == "import_conflicts"

    typo = json.dumps({"fields": {"item/99/title": "take"}})
    r = upload("folder", data, "kanal.zip", admin, resolutions=typo)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "resolutions", "fields", "item/99/title"]]

    answers = json.dumps({"on_conflict": "keep", "fields": {"item/21/title": "take", "meeting/body_ids": "take"}})
    plan = upload("folder", data, "kanal.zip", admin, resolutions=answers).json()["plan"]
    assert [p["conflicts"] for p in plan["protocols"]] == [[], []]
    r = upload("folder", data, "kanal.zip", admin, dry_run=False, expected_plan=plan["plan_hash"], resolutions=answers)
    assert r.status_code == 200, r.text
    doc = hand.record()
    titles = {i["number"]: i["title"] for i in doc["items"]}
    assert titles["21"] == next(i["title"] for i in plan["protocols"][0]["items"] if i["number"] == "21")
    rows = {a["person_name"]: a for a in doc["attendance"]}
    assert (rows["Fredrik Stenberg"]["status"], rows["Fredrik Stenberg"]["source"]) == ("absent", "manual")  # kept


def test_a_next_meeting_two_protocols_name_is_created_once(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    before, data = row_counts(), two_protocols()
    plan = upload("folder", data, "kanal.zip", admin).json()["plan"]
    planned = [
        (n["on"], n["body_id"]) for p in plan["protocols"] for n in p["next_meetings"] if n["action"] == "create"
    ]
    assert len(planned) > len(set(planned))  # both protocols name the council's 11 October meeting
    r = upload("folder", data, "kanal.zip", admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    assert row_counts()["meetings"] - before["meetings"] == 2 + len(set(planned))


def test_a_report_whose_dates_read_both_ways_goes_to_the_meeting_one_reading_fits(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    def meeting(day: str) -> str:
        body = {"body_ids": [orgs[P.COUNCIL]], "starts_at": f"{day}T13:00:00", "ends_at": f"{day}T15:00:00"}
        r = client.post(f"{API}/meetings", json=body, headers=admin)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    june = meeting("2025-06-05")
    april, july = meeting("2025-04-07"), meeting("2025-07-04")
    anna = {"given_name": "Anna", "family_name": "Exempel", "contact": {"email": "anna.exempel@region.example"}}
    assert client.post(f"{API}/people", json=anna, headers=admin).status_code == 201
    sample = "attendance_current_en_utf16le.csv"  # a 12-hour clock: read month first unless a meeting says not
    reports = {
        "juni/Närvaro.csv": moved(sample, {"3/12/25": "5/6/25"}),  # 6 May: no meeting; 5 June: one
        "april eller juli/Närvaro.csv": moved(sample, {"3/12/25": "4/7/25"}),  # a meeting on both days
        "februari eller augusti/Närvaro.csv": moved(sample, {"3/12/25": "2/8/25"}),  # on neither
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for path, report in reports.items():
            z.writestr(path, report)
    data = out.getvalue()

    plan = upload("folder", data, f"{P.COUNCIL}.zip", admin).json()["plan"]
    by_path = {e["path"]: e for e in plan["entries"]}
    assert (by_path["juni/Närvaro.csv"]["action"], by_path["juni/Närvaro.csv"]["meeting_id"]) == ("attendance", june)
    assert by_path["april eller juli/Närvaro.csv"]["reason"] == (
        "its dates read both ways (2025-04-07 or 2025-07-04) and the bodies met on both days: 2025-04-07 13:00; "
        "2025-07-04 13:00. Nothing imported: import the report with its meeting"
    )
    assert by_path["februari eller augusti/Närvaro.csv"]["reason"] == (
        "no meeting of the folder's bodies on 2025-02-08 or 2025-08-02 (its dates read both ways): nothing imported"
    )
    r = upload("folder", data, f"{P.COUNCIL}.zip", admin, dry_run=False, expected_plan=plan["plan_hash"])
    assert r.status_code == 200, r.text
    for meeting_id, attended in ((june, ["Anna Exempel"]), (april, []), (july, [])):
        m = client.get(f"{API}/meetings/{meeting_id}", params={"include": "attendance"}, headers=admin).json()
        assert [a["person_name"] for a in m["attendance"]] == attended
