"""A meeting moved into another year takes its items' numbering along; the attendance list exports as CSV."""

from fastapi.testclient import TestClient

from tests.meetings.meeting_api import add_item, body, person, plan

API = "/api/v1"


def test_items_follow_their_meeting_into_another_year(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    moved = plan(client, admin, [council], starts_at="2024-12-12T09:00:00")["id"]
    for title in ("Upprop", "Föregående protokoll", "Övriga frågor"):
        add_item(client, admin, moved, title)
    r = client.patch(f"{API}/meetings/{moved}", json={"starts_at": "2025-01-09T09:00:00"}, headers=admin)
    assert r.status_code == 200, r.text
    later = plan(client, admin, [council], starts_at="2025-02-06T09:00:00")["id"]
    nxt = client.get(f"{API}/meetings/{later}/next-item-number", headers=admin).json()
    assert (nxt["year"], nxt["number"]) == (2025, "4")
    earlier = plan(client, admin, [council], starts_at="2024-11-07T09:00:00")["id"]
    assert client.get(f"{API}/meetings/{earlier}/next-item-number", headers=admin).json()["number"] == "1"


def test_next_number_refuses_a_body_not_at_the_meeting(client: TestClient, admin: dict[str, str]) -> None:
    council, other = body(client, admin), body(client, admin, "Länssamverkansgruppen")
    meeting = plan(client, admin, [council])["id"]
    r = client.get(f"{API}/meetings/{meeting}/next-item-number", params={"body_id": other}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "body_id"]


def test_attendance_exports_as_csv(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])["id"]
    åsa = person(client, admin, "Åsa Öberg", "s")
    listed = {"attendance": [{"person_id": åsa, "status": "present", "role": "chair"}]}
    assert client.put(f"{API}/meetings/{meeting}/attendance", json=listed, headers=admin).status_code == 200
    r = client.get(f"{API}/meetings/{meeting}/attendance", headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "Åsa Öberg;s;present;chair" in text


def test_join_and_leave_times_are_shown_in_stockholm_time(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])["id"]
    åsa = person(client, admin, "Åsa Öberg", "s")
    row = {"person_id": åsa, "source": "teams", "joined_at": "2024-05-03T07:30:00Z", "left_at": "2024-05-03T13:00:00Z"}
    assert (
        client.put(f"{API}/meetings/{meeting}/attendance", json={"attendance": [row]}, headers=admin).status_code == 200
    )
    [listed] = client.get(f"{API}/meetings/{meeting}/attendance", headers=admin).json()["data"]
    assert (listed["joined_at"], listed["left_at"]) == ("2024-05-03T09:30:00+02:00", "2024-05-03T15:00:00+02:00")


def test_a_bad_start_time_is_one_error_naming_the_field(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    r = client.post(f"{API}/meetings", json={"body_ids": [council], "starts_at": "den 3 maj"}, headers=admin)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "starts_at"]]
