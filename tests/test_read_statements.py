"""Structural guarantees of the read path, for every list at once: the number of SQL statements a page takes
does not depend on the page size, and the whole protocol read does not grow with its items, attendees,
decisions and documents. (Each resource's own tests check its list too; this one leaves none out, so a
rewritten read path cannot slip an N+1 into one of them.)"""

from typing import Any

from fastapi.testclient import TestClient

from app.core.principal import PrincipalKind
from tests.golden_world import API, ASA_ROW, ATTENDANCE_CSV, GoldenWorld, add_principal, build, import_attendance
from tests.test_golden import LISTS, PROTOCOL

ROWS = 52  # more than a page of 50 of every list, so both the page of 2 and the page of 50 are full


def _fill(w: GoldenWorld) -> None:
    """At least ROWS live rows of every list, each with the related rows its list shows (bodies, adjusters,
    recipients, links, grants), on top of the golden world."""
    ids = w.ids
    meeting = w.post(
        "/meetings",
        {
            "body_ids": [ids["council"], ids["officials"]],
            "starts_at": "2023-03-02T09:00:00+01:00",
            "adjuster_ids": [ids["lars"], ids["orjan"]],
        },
    )["id"]
    for i in range(ROWS):
        org = w.post("/organisations", {"kind": "municipality", "name": f"Kommun {i:02}", "is_principal": True})
        person = w.post("/people", {"given_name": "Åsa", "family_name": f"Öberg {i:02}", "employer_id": org["id"]})
        w.post(
            "/memberships",
            {"person_id": person["id"], "body_id": ids["council"], "role": "member", "start_date": "2024-01-01"},
        )
        w.post("/strategies", {"number": 10 + i, "name": f"Strategi {i}"})
        case = w.post("/cases", {"title": f"Ärende {i}", "strategy_ids": [ids["strategy"], ids["strategy2"]]})
        w.post(
            "/meetings",
            {
                "body_ids": [ids["council"], ids["officials"]],
                "starts_at": f"2022-01-{1 + i % 28:02}T{8 + i // 28:02}:00:00+01:00",
                "adjuster_ids": [ids["asa"], ids["lars"]],
            },
        )
        item = w.post("/agenda-items", {"meeting_id": meeting, "title": f"Punkt {i}", "case_ids": [case["id"]]})
        w.post(
            "/decisions",
            {
                "agenda_item_id": item["id"],
                "kind": "recommendation",
                "decided_on": "2023-03-02",
                "response_deadline": "2023-06-30",
                "recipient_ids": [ids["umea"], ids["region"], org["id"]],
            },
        )
        r = w.client.post(
            f"{API}/documents",
            files={"file": (f"bilaga-{i}.txt", f"Bilaga {i}, Umeå.\n".encode(), "text/plain")},
            data={"role": "other", "link": [f"meeting:{meeting}", f"agenda_item:{item['id']}"]},
            headers=w.admin,
        )
        assert r.status_code == 201, r.text
        principal = add_principal(f"klient-{i:02}", f"Klient {i}", "reader", PrincipalKind.service)
        w.post("/api-tokens", {"principal_id": principal, "name": f"Token {i}"})
        import_attendance(w, "meeting3", ATTENDANCE_CSV + ASA_ROW.replace("9:31:00", f"9:{i:02}:30"))
    ids["filled_meeting"] = meeting


def _page_statements(w: GoldenWorld, path: str, limit: int, count_queries: Any) -> int:
    with count_queries() as statements:
        r = w.client.get(f"{path}{'&' if '?' in path else '?'}limit={limit}", headers=w.admin)
    assert r.status_code == 200, r.text
    assert len(r.json()["data"]) == limit and r.json()["links"]["next"], (path, limit)
    return statements()


def _protocol_statements(w: GoldenWorld, meeting: str, count_queries: Any) -> tuple[int, dict[str, Any]]:
    with count_queries() as statements:
        r = w.client.get(API + PROTOCOL.format(meeting=meeting), headers=w.admin)
    assert r.status_code == 200, r.text
    return statements(), r.json()


def test_statements_depend_neither_on_the_page_size_nor_on_the_protocol_size(
    client: TestClient, count_queries: Any
) -> None:
    # One test, since filling every list takes a while: the small protocol is read before the filling.
    w = build(client)
    small, protocol = _protocol_statements(w, w.ids["meeting"], count_queries)
    assert [len(protocol[k]) for k in ("items", "decisions", "attendance", "documents")] == [3, 3, 3, 2]
    _fill(w)

    lists = dict(LISTS, agenda_items="/agenda-items?meeting_id={filled_meeting}")
    counts = {}
    for name, template in lists.items():
        path = API + template.format(**w.ids)
        counts[name] = {limit: _page_statements(w, path, limit, count_queries) for limit in (2, 50)}
    assert all(c[2] == c[50] for c in counts.values()), counts

    attendance = [{"person_id": p["id"], "status": "present"} for p in w.get("/people?limit=60")["data"]]
    r = client.put(
        f"{API}/meetings/{w.ids['filled_meeting']}/attendance", json={"attendance": attendance}, headers=w.admin
    )
    assert r.status_code == 200, r.text
    large, protocol = _protocol_statements(w, w.ids["filled_meeting"], count_queries)
    sizes = [len(protocol[k]) for k in ("items", "decisions", "attendance", "documents")]
    assert sizes == [ROWS, ROWS, len(attendance), ROWS]
    assert large == small, (small, large)
