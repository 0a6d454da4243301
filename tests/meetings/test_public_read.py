"""Reading published meeting data without a token, when the deployment turns it on; personal data never."""

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.core.settings import get_settings
from tests.meetings.meeting_api import (
    API,
    COUNCIL,
    MEETINGS,
    add_item,
    assert_problem,
    body,
    ids,
    person,
    plan,
    set_status,
)

EMAIL, PHONE = "carin.nilsson@example.se", "+46 90 123 45 67"


@pytest.fixture
def public(db: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client of a fresh app of a deployment with SAMVERKAN_PUBLIC_READ=true; the setting is restored after."""
    from app.main import create_app

    with monkeypatch.context() as m:
        m.setenv("SAMVERKAN_PUBLIC_READ", "true")
        get_settings.cache_clear()
        assert get_settings().public_read
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    get_settings.cache_clear()
    assert not get_settings().public_read


@dataclass
class Published:
    by_status: dict[str, str]
    carin: str
    public_item: str
    closed_item: str
    decision: str
    closed_decision: str

    @property
    def held(self) -> str:
        return self.by_status["held"]


@pytest.fixture
def published(public: TestClient, admin: dict[str, str]) -> Published:
    council = body(public, admin)
    paths = {
        "planned": (),
        "convened": ("convened",),
        "held": ("held",),
        "minutes_approved": ("held", "minutes_approved"),
        "cancelled": ("cancelled",),
    }
    by_status = {}
    for n, status in enumerate(paths):
        meeting = plan(public, admin, [council], f"2024-0{n + 1}-10T09:00:00", title=f"Möte {status}")
        by_status[status] = meeting["id"]
    held = by_status["held"]
    carin = person(public, admin, "Carin Nilsson", "s", contact={"email": EMAIL, "phone": PHONE})
    public_item = add_item(public, admin, held, "Nära vård i Västerbotten", kind="decision")["id"]
    closed_item = add_item(public, admin, held, "Personalärende", kind="decision", public=False)["id"]
    decisions = []
    for item in (public_item, closed_item):
        r = public.post(
            f"{API}/decisions",
            json={
                "agenda_item_id": item,
                "kind": "resolved",
                "text": "Samrådet beslutade",
                "clauses": ["att godkänna"],
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        decisions.append(r.json()["id"])
    attendance = [{"person_id": carin, "role": "chair"}]
    r = public.put(f"{MEETINGS}/{held}/attendance", json={"attendance": attendance}, headers=admin)
    assert r.status_code == 200, r.text
    upload = public.post(
        f"{API}/documents",
        files={"file": ("protokoll.txt", "Protokoll fört vid sammanträdet".encode(), "text/plain")},
        data={"role": "minutes", "link": [f"meeting:{held}"]},
        headers=admin,
    )
    assert upload.status_code == 201, upload.text
    for status, meeting_id in by_status.items():
        set_status(public, admin, meeting_id, *paths[status])
    return Published(by_status, carin, public_item, closed_item, decisions[0], decisions[1])


def test_without_public_reading_a_token_is_needed(client: TestClient, admin: dict[str, str]) -> None:
    assert not get_settings().public_read
    meeting = plan(client, admin, [body(client, admin)])
    set_status(client, admin, meeting["id"], "held")
    for path in (
        MEETINGS,
        f"{MEETINGS}/{meeting['id']}",
        f"{MEETINGS}/{meeting['id']}/attendance",
        f"{API}/meetings.ics",
        f"{MEETINGS}/{meeting['id']}.ics",
        f"{API}/agenda-items",
    ):
        r = client.get(path)
        assert_problem(r, 401, "unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer"), path


def test_anonymous_lists_only_published_meetings(
    public: TestClient, admin: dict[str, str], published: Published
) -> None:
    shown = {published.by_status["held"], published.by_status["minutes_approved"]}
    assert set(ids(public.get(MEETINGS))) == shown
    assert set(ids(public.get(MEETINGS, params={"status": ["planned", "cancelled", "held"]}))) == {published.held}
    assert ids(public.get(MEETINGS, params={"status": "planned"})) == []
    assert set(ids(public.get(MEETINGS, params={"year": 2024, "count": "true"}))) == shown
    assert public.get(MEETINGS, params={"count": "true"}).json()["pagination"]["total"] == 2
    # readers see everything, on the same deployment
    assert set(ids(public.get(MEETINGS, headers=admin))) == set(published.by_status.values())

    calendar = public.get(f"{API}/meetings.ics")
    assert calendar.status_code == 200
    uids = {line.split(":", 1)[1] for line in calendar.text.splitlines() if line.startswith("UID:")}
    assert uids == {f"{m}@samverkan-api" for m in shown}


def test_anonymous_sees_nothing_of_unpublished_meetings(public: TestClient, published: Published) -> None:
    for status in ("planned", "convened", "cancelled"):
        meeting_id = published.by_status[status]
        for path in (f"{MEETINGS}/{meeting_id}", f"{MEETINGS}/{meeting_id}/attendance", f"{MEETINGS}/{meeting_id}.ics"):
            assert_problem(public.get(path), 404, "not_found")
    for status in ("held", "minutes_approved"):
        meeting_id = published.by_status[status]
        got = public.get(f"{MEETINGS}/{meeting_id}")
        assert got.status_code == 200, got.text
        assert got.json()["status"] == status
        assert got.headers["etag"]
        assert public.get(f"{MEETINGS}/{meeting_id}.ics").status_code == 200


def test_anonymous_reads_only_public_items_and_no_documents(
    public: TestClient, admin: dict[str, str], published: Published
) -> None:
    full = {"include": "items,decisions,attendance,documents"}
    anonymous = public.get(f"{MEETINGS}/{published.held}", params=full)
    assert anonymous.status_code == 200, anonymous.text
    doc = anonymous.json()
    assert [i["id"] for i in doc["items"]] == [published.public_item]
    assert [d["id"] for d in doc["decisions"]] == [published.decision]
    assert not doc["documents"]
    assert [a["person_name"] for a in doc["attendance"]] == ["Carin Nilsson"]

    as_admin = public.get(f"{MEETINGS}/{published.held}", params=full, headers=admin).json()
    assert [i["id"] for i in as_admin["items"]] == [published.public_item, published.closed_item]
    assert [d["id"] for d in as_admin["decisions"]] == [published.decision, published.closed_decision]
    assert [d["filename"] for d in as_admin["documents"]] == ["protokoll.txt"]

    assert ids(public.get(f"{API}/agenda-items", params={"meeting_id": published.held})) == [published.public_item]
    assert public.get(f"{API}/agenda-items/{published.public_item}").status_code == 200
    assert_problem(public.get(f"{API}/agenda-items/{published.closed_item}"), 404)


def test_writes_still_need_a_token(public: TestClient, admin: dict[str, str], published: Published) -> None:
    held = published.held
    council = public.get(f"{MEETINGS}/{held}", headers=admin).json()["body_ids"][0]
    before = public.get(f"{MEETINGS}/{held}", params={"include": "items,attendance"}, headers=admin).json()
    writes = [
        ("POST", MEETINGS, {"body_ids": [council], "starts_at": "2024-09-20T09:00:00"}),
        ("PATCH", f"{MEETINGS}/{held}", {"status": "minutes_approved"}),
        ("DELETE", f"{MEETINGS}/{published.by_status['planned']}", None),
        ("PUT", f"{MEETINGS}/{held}/attendance", {"attendance": []}),
        ("POST", f"{API}/agenda-items", {"meeting_id": held, "title": "Övriga frågor"}),
        ("PATCH", f"{API}/agenda-items/{published.public_item}", {"public": False}),
    ]
    for method, path, payload in writes:
        r = public.request(method, path, json=payload)
        assert_problem(r, 401, "unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer"), (method, path)
    after = public.get(f"{MEETINGS}/{held}", params={"include": "items,attendance"}, headers=admin).json()
    assert after == before
    assert len(ids(public.get(MEETINGS, headers=admin))) == 5
    # a wrong token is refused, not read as no token at all
    assert_problem(public.get(MEETINGS, headers={"Authorization": "Bearer not-a-token"}), 401)


def test_personal_contact_data_is_never_public(public: TestClient, admin: dict[str, str], published: Published) -> None:
    for path in (f"{API}/people", f"{API}/people/{published.carin}", f"{API}/memberships"):
        assert_problem(public.get(path), 401, "unauthorized")
    readable = [
        public.get(MEETINGS),
        public.get(f"{MEETINGS}/{published.held}", params={"include": "items,decisions,attendance,documents"}),
        public.get(f"{MEETINGS}/{published.held}/attendance"),
        public.get(MEETINGS, params={"person_id": published.carin}),
    ]
    for r in readable:
        assert r.status_code == 200, r.text
        text = json.dumps(r.json(), ensure_ascii=False)
        assert EMAIL not in text and PHONE not in text and "contact" not in text
    assert ids(readable[-1]) == [published.held]
    # the data is there, for those entitled to it
    assert public.get(f"{API}/people/{published.carin}", headers=admin).json()["contact"]["email"] == EMAIL
    assert COUNCIL in {o["name"] for o in public.get(f"{API}/organisations", headers=admin).json()["data"]}
