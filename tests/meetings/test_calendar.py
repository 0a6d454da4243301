"""Meetings as an iCalendar feed (RFC 5545) that Outlook can subscribe to, with an API token in the URL."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.meetings.meeting_api import API, COUNCIL, LSG, MEETINGS, assert_problem, body, plan, set_status

FEED = f"{API}/meetings.ics"
LONG_TITLE = (
    "Länsgemensam uppföljning av Färdplan Nära vård 2030: hälsofrämjande, förebyggande och "
    "suicidpreventiva insatser för barn, unga, vuxna och äldre i Västerbottens läns kommuner"
)


def escaped(text: str) -> str:
    return text.replace(",", "\\,").replace(";", "\\;")


def events(response: Any) -> list[dict[str, str]]:
    """The VEVENTs of a well-formed calendar, each as {property name: value}, after checking the line rules."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "charset=utf-8" in response.headers["content-type"]
    raw: bytes = response.content
    assert raw.endswith(b"\r\n")
    assert raw.count(b"\n") == raw.count(b"\r\n") and raw.count(b"\r") == raw.count(b"\r\n"), "bare CR or LF"
    physical = raw.split(b"\r\n")[:-1]
    for octets in physical:
        assert len(octets) <= 75, (len(octets), octets)
        octets.decode("utf-8")  # a fold never splits a character
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfold
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            assert name not in current, f"{name} twice"
            current[name] = value
    assert lines.count("BEGIN:VEVENT") == len(found)
    return found


def by_uid(found: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    uids = [e["UID"] for e in found]
    assert len(set(uids)) == len(uids)
    return {uid.removesuffix("@samverkan-api"): e for uid, e in zip(uids, found, strict=True)}


def test_a_bodys_feed(client: TestClient, admin: dict[str, str]) -> None:
    council, lsg = body(client, admin), body(client, admin, LSG)
    summer = plan(
        client,
        admin,
        [council],
        "2024-05-03T09:30:00",
        ends_at="2024-05-03T15:00:00",
        title=LONG_TITLE,
        place="Umeå, Folkets hus",
        diary_number="HSN 50:2-2024",
    )
    winter = plan(client, admin, [council], "2024-12-13T09:00:00", title="Decembermöte")
    set_status(client, admin, winter["id"], "cancelled")
    joint = plan(client, admin, [lsg, council], "2024-06-14T13:00:00", kind="joint")
    elsewhere = plan(client, admin, [lsg], "2024-04-12T09:00:00")
    gone = plan(client, admin, [council], "2024-09-20T09:00:00")
    assert client.delete(f"{MEETINGS}/{gone['id']}", headers=admin).status_code == 204

    feed = client.get(FEED, params={"body_id": council}, headers=admin)
    found = by_uid(events(feed))
    assert any(line.startswith(b" ") for line in feed.content.split(b"\r\n")), "the long title is folded"
    assert set(found) == {summer["id"], winter["id"], joint["id"]}
    assert elsewhere["id"] not in found and gone["id"] not in found

    may = found[summer["id"]]
    assert may["DTSTART"] == "20240503T073000Z"
    assert may["DTEND"] == "20240503T130000Z"
    assert may["SUMMARY"] == f"{escaped(COUNCIL)}: {escaped(LONG_TITLE)}"
    assert may["LOCATION"] == "Umeå\\, Folkets hus"
    assert may["DESCRIPTION"] == "Diarienummer HSN 50:2-2024"
    assert may["STATUS"] == "CONFIRMED"
    assert "DTSTAMP" in may

    december = found[winter["id"]]
    assert december["DTSTART"] == "20241213T080000Z"  # winter: UTC+1
    assert december["STATUS"] == "CANCELLED"
    assert december["SUMMARY"] == "Samråd hälsa\\, vård och omsorg: Decembermöte"
    # a joint meeting is named after its leading body
    assert found[joint["id"]]["SUMMARY"] == LSG

    everything = by_uid(events(client.get(FEED, headers=admin)))
    assert set(everything) == {summer["id"], winter["id"], joint["id"], elsewhere["id"]}
    assert by_uid(events(client.get(FEED, params={"body_id": body(client, admin, "AU")}, headers=admin))) == {}


def test_the_sequence_moves_when_a_meeting_changes(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    first = events(client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=admin))[0]
    moved = client.patch(f"{MEETINGS}/{meeting['id']}", json={"starts_at": "2024-05-03T10:00:00"}, headers=admin)
    assert moved.status_code == 200, moved.text
    second = events(client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=admin))[0]
    assert second["DTSTART"] == "20240503T080000Z"
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])
    assert second["UID"] == first["UID"]


def test_line_breaks_in_text_stay_inside_their_property(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council], title="Första raden\r\nandra raden; tredje\nfjärde", place="Teams")
    (event,) = events(client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=admin))
    assert event["SUMMARY"] == f"{escaped(COUNCIL)}: Första raden\\nandra raden\\; tredje\\nfjärde"
    assert event["LOCATION"] == "Teams"


def test_folding_never_splits_a_character(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    # "SUMMARY:Samråd hälsa\, vård och omsorg: A" is 44 octets: every later fold at an odd octet count
    # would fall inside a two-octet "ö".
    title = "A" + "ö" * 150
    meeting = plan(client, admin, [council], title=title)
    r = client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=admin)
    (event,) = events(r)  # checks that every physical line is at most 75 octets and decodes on its own
    assert event["SUMMARY"] == f"{escaped(COUNCIL)}: {title}"
    assert sum(line.startswith(b" ") for line in r.content.split(b"\r\n")) >= 4


def test_one_meeting(client: TestClient, admin: dict[str, str], reader: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council], "2024-01-19T09:00:00", title="Årets första möte")
    plan(client, admin, [council], "2024-02-16T09:00:00")
    r = client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=reader)
    (event,) = events(r)
    assert event["UID"] == f"{meeting['id']}@samverkan-api"
    assert event["DTSTART"] == "20240119T080000Z"
    assert event["SUMMARY"] == "Samråd hälsa\\, vård och omsorg: Årets första möte"
    assert "Årets första möte" in r.content.decode("utf-8").replace("\r\n ", "")

    assert_problem(client.get(f"{MEETINGS}/00000000-0000-4000-8000-000000000000.ics", headers=reader), 404)
    assert client.delete(f"{MEETINGS}/{meeting['id']}", headers=admin).status_code == 204
    assert_problem(client.get(f"{MEETINGS}/{meeting['id']}.ics", headers=reader), 404, "not_found")


@pytest.fixture
def calendar_token(client: TestClient, admin: dict[str, str]) -> Callable[..., str]:
    """An API token of a service client holding `reader`, made as an admin would make one for a calendar."""

    def make(login: str = "kalender", roles: tuple[str, ...] = ("reader",)) -> str:
        principal = client.post(
            f"{API}/principals",
            json={
                "kind": "service",
                "login": login,
                "display_name": "Outlook-kalender",
                "grants": [{"role": r} for r in roles],
            },
            headers=admin,
        )
        assert principal.status_code == 201, principal.text
        token = client.post(
            f"{API}/api-tokens", json={"principal_id": principal.json()["id"], "name": "Kalender"}, headers=admin
        )
        assert token.status_code == 201, token.text
        return str(token.json()["token"])

    return make


def test_an_api_token_in_the_url(client: TestClient, admin: dict[str, str], calendar_token: Callable[..., str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    token = calendar_token()

    found = by_uid(events(client.get(FEED, params={"body_id": council, "token": token})))
    assert set(found) == {meeting["id"]}
    (event,) = events(client.get(f"{MEETINGS}/{meeting['id']}.ics", params={"token": token}))
    assert event["UID"] == f"{meeting['id']}@samverkan-api"

    for params in ({}, {"token": token[:-2] + "xx"}, {"token": "svk_not-a-token"}, {"token": ""}):
        r = client.get(FEED, params={"body_id": council, **params})
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert_problem(client.get(f"{MEETINGS}/{meeting['id']}.ics", params=params), 401)

    # the token does not open the rest of the API through the URL: elsewhere `token` is an unknown parameter
    refused = assert_problem(client.get(MEETINGS, params={"token": token}), 422)
    assert [e["loc"] for e in refused["errors"]] == [["query", "token"]]
    # a token whose principal may not read is refused
    assert_problem(client.get(FEED, params={"token": calendar_token("tom", ())}), 403)


def test_a_login_token_is_not_taken_from_the_url(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    """A login JWT is short-lived and personal: it belongs in the Authorization header, never in a URL."""
    plan(client, admin, [body(client, admin)])
    login_jwt = make_principal("reader")["Authorization"].removeprefix("Bearer ")
    for url in (FEED, f"{MEETINGS}/{client.get(MEETINGS, headers=admin).json()['data'][0]['id']}.ics"):
        assert_problem(client.get(url, params={"token": login_jwt}), 401)
        assert client.get(url, headers={"Authorization": f"Bearer {login_jwt}"}).status_code == 200


def test_a_revoked_token_is_refused_at_once(
    client: TestClient, admin: dict[str, str], calendar_token: Callable[..., str]
) -> None:
    token = calendar_token()
    assert client.get(FEED, params={"token": token}).status_code == 200
    (row,) = client.get(f"{API}/api-tokens", headers=admin).json()["data"]
    assert client.delete(f"{API}/api-tokens/{row['id']}", headers=admin).status_code == 204
    assert_problem(client.get(FEED, params={"token": token}), 401)
