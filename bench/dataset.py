"""The read-path benchmark's data set, made deterministically and inserted in bulk (SQLAlchemy Core).

100 000 meetings (each with its bodies, up to three adjusters and none, one or two agenda items, so the list shows
every shape of `item_range`), 20 000 people, and one held meeting read back as a protocol: 50 attendees, 20 items
(each with a presenter), 10 decisions (two of them recommendations with answers) and 6 documents.

Every id is `uuid.UUID(int=…)` from a counter and every value comes from the row's number, so two runs make the
same rows. The columns the ORM hooks and services would fill (sort keys, folded search text, `number_value`,
`year`, `lead_body_id`) are computed with the app's own functions. Not written: search-index entries, the audit
log and the files behind the documents, which none of the benchmarked requests read.
"""

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from app.core.principal import PrincipalKind, Role
from app.core.text import fold, swedish_sort_key
from app.core.time import local
from app.documents.models import document_title
from app.meetings.items import number_value

EPOCH = datetime(2015, 1, 5, 8, 0, tzinfo=UTC)
STAMP = datetime(2026, 1, 1, tzinfo=UTC)

GIVEN = ["Åsa", "Örjan", "Märta", "Per", "Lena", "Jörgen", "Elin", "Karin", "Olof", "Ängla", "Björn", "Sofie"]
FAMILY = ["Öberg", "Åström", "Lindström", "Näslund", "Berg", "Wikström", "Häggström", "Sundqvist", "Nilsson"]
PARTIES = [None, "s", "m", "c", "v", "kd", "l", "mp", "sd"]
BODIES = [
    "Politisk samverkansberedning",
    "Länssamverkansgruppen",
    "Systemledning för Nära vård",
    "Samråd Umeå med krans",
    "Samråd Skellefteå",
    "Samråd Södra Lappland",
    "Hjälpmedelsrådet",
    "Beredningsgruppen för socialtjänst",
]
PRINCIPALS = ["Region Västerbotten", "Umeå kommun", "Skellefteå kommun", "Lycksele kommun", "Åsele kommun"]
PLACES = ["Regionens hus, Umeå", "Teams", "Skellefteå stadshus", "Lycksele", None]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
ITEM_TITLES = [
    "Avtal om läkarmedverkan i kommunal hälso- och sjukvård",
    "Information om Nära vård",
    "Uppföljning av överenskommelsen om hemsjukvård",
    "Gemensam riktlinje för samordnad individuell plan",
    "Ekonomisk uppföljning",
]

# One range of ids per table: uuid.UUID(int=KIND << 64 | n).
_KINDS = {
    name: n + 1
    for n, name in enumerate(
        [
            "org",
            "person",
            "meeting",
            "item",
            "presenter",
            "decision",
            "response",
            "attendance",
            "document",
            "principal",
            "grant",
        ]
    )
}


def ident(kind: str, n: int) -> uuid.UUID:
    return uuid.UUID(int=_KINDS[kind] << 64 | n)


ADMIN_ID = ident("principal", 1)
PROTOCOL_ID = ident("meeting", 10_000_000)


@cache
def sort_key(value: str) -> str:
    return swedish_sort_key(value)


def _stamped(n: int) -> dict[str, Any]:
    at = STAMP + timedelta(seconds=n)
    return {"created_at": at, "updated_at": at, "deleted_at": None, "version": 1}


def _organisations() -> list[dict[str, Any]]:
    rows = []
    for n, name in enumerate(BODIES + PRINCIPALS):
        body = n < len(BODIES)
        rows.append(
            {
                "id": ident("org", n),
                **_stamped(n),
                "kind": "joint_body" if body else ("region" if n == len(BODIES) else "municipality"),
                "name": name,
                "short_name": None,
                "name_sort": sort_key(name),
                "search_text": fold(name),
                "municipality_code": None if body else f"24{n:02d}",
                "county_code": None,
                "org_number": None,
                "parent_id": None,
                "is_principal": not body,
                "start_date": date(2020, 9, 1),
                "end_date": None,
                "website": None,
                "contact_email": None,
            }
        )
    return rows


def _people(count: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        given, family = GIVEN[n % len(GIVEN)], f"{FAMILY[n % len(FAMILY)]}{n:05d}"
        yield {
            "id": ident("person", n),
            **_stamped(n),
            "given_name": given,
            "family_name": family,
            # As app.people.service._index_person makes them.
            "name_sort": sort_key(f"{family} {given}"),
            "search_text": "\n".join(fold(v) for v in (f"{given} {family}", f"{family} {given}")),
            "party": PARTIES[n % len(PARTIES)],
            "title": None,
            "employer_id": None,
            "email": f"person{n}@example.se",
            "phone": None,
        }


def _meeting(n: int, starts_at: datetime, lead: int, status: str, title: str | None, people: int) -> dict[str, Any]:
    return {
        "id": ident("meeting", n),
        **_stamped(n),
        "kind": "joint" if n % 7 == 0 else "ordinary",
        "status": status,
        "title": title,
        "title_sort": sort_key(title or ""),
        "lead_body_id": ident("org", lead),
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3) if n % 5 else None,
        "place": PLACES[n % len(PLACES)],
        "online": PLACES[n % len(PLACES)] == "Teams",
        "diary_number": f"HSN {n % 97}:{n % 5 + 1}-{starts_at.year}" if n % 3 else None,
        "chair_id": ident("person", n * 7 % people) if n % 4 else None,
        "notes": "Kallelse skickad; handlingar på Teams." if n % 11 == 0 else None,
        "source": "manual",
    }


def _meetings(count: int, people: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) for each meeting and its bodies, adjusters and items."""
    item_no = 0
    for n in range(count):
        starts_at = EPOCH + timedelta(hours=26 * n, minutes=n % 4 * 15)
        lead = n % len(BODIES)
        status = "held" if n < count - 500 else "planned"
        day = local(starts_at)
        title = f"{BODIES[lead]} {MONTHS[day.month - 1]} {day.year}" if n % 6 else None
        yield "meetings", _meeting(n, starts_at, lead, status, title, people)
        bodies = [lead, (lead + 1) % len(BODIES)] if n % 7 == 0 else [lead]
        for position, body in enumerate(bodies):
            yield (
                "meeting_bodies",
                {"meeting_id": ident("meeting", n), "body_id": ident("org", body), "position": position},
            )
        for k in range(n % 4):
            yield (
                "meeting_adjusters",
                {"meeting_id": ident("meeting", n), "person_id": ident("person", (n * 13 + k * 4999) % people)},
            )
        for k in range(n % 3):
            number = str(n % 40 + 1 + k)
            yield "agenda_items", _item(item_no, n, lead, starts_at, number, k, ITEM_TITLES[(n + k) % len(ITEM_TITLES)])
            item_no += 1


def _item(n: int, meeting: int, body: int, starts_at: datetime, number: str, position: int, title: str) -> dict:
    return {
        "id": ident("item", n),
        **_stamped(n),
        "meeting_id": ident("meeting", meeting),
        "body_id": ident("org", body),
        "year": local(starts_at).year,
        "number": number,
        "number_value": number_value(number),
        "position": position,
        "title": title,
        "title_sort": sort_key(title),
        "section": None,
        "kind": "decision" if n % 2 else "information",
        "format": "written" if n % 2 else "oral",
        "minutes_text": f"Beredningen informerades. {title}.",
        "public": True,
        "source": "protocol",
    }


def _protocol(people: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """The held meeting read as a whole protocol (before every listed meeting, so page 1 stays the same)."""
    starts_at = EPOCH - timedelta(days=30)
    yield "meetings", _meeting(10_000_000, starts_at, 0, "held", "Politisk samverkansberedning, protokoll", people)
    yield "meeting_bodies", {"meeting_id": PROTOCOL_ID, "body_id": ident("org", 0), "position": 0}
    base = 10_000_000
    for k in range(20):
        title = f"{ITEM_TITLES[k % len(ITEM_TITLES)]} ({k + 1})"
        item = _item(base + k, 10_000_000, 0, starts_at, str(k + 1), k, title)
        item["section"] = "Systemledning tillsammans med Länssamverkansgruppen" if k >= 15 else None
        yield "agenda_items", item
        yield (
            "item_presenters",
            {
                "id": ident("presenter", k),
                "item_id": item["id"],
                "position": 0,
                "person_id": ident("person", k * 31 % people) if k % 3 else None,
                "name": None if k % 3 else "Karin Berg",
                "organisation": None if k % 3 else "Region Västerbotten",
            },
        )
    for k in range(10):
        recommendation = k in (2, 5)
        yield (
            "decisions",
            {
                "id": ident("decision", k),
                **_stamped(k),
                "agenda_item_id": ident("item", base + k),
                "meeting_id": PROTOCOL_ID,
                "body_id": ident("org", 0),
                "case_id": None,
                "kind": "recommendation" if recommendation else ("noted" if k % 2 else "resolved"),
                "position": 0,
                "text": f"Beredningen beslutar enligt förslaget ({k + 1}).",
                "clauses": ["att godkänna förslaget"],
                "decided_on": local(starts_at).date(),
                "response_deadline": date(2015, 6, 30) if recommendation else None,
                "assignee_body_id": None,
                "due_date": None,
                "assignment_status": None,
                "report_item_id": None,
                "target_body_id": None,
                "source": "protocol",
            },
        )
        for r, principal in enumerate(range(len(BODIES), len(BODIES) + len(PRINCIPALS)) if recommendation else []):
            yield (
                "recommendation_responses",
                {
                    "id": ident("response", k * 10 + r),
                    **_stamped(r),
                    "decision_id": ident("decision", k),
                    "organisation_id": ident("org", principal),
                    "status": "adopted" if r % 2 else "pending",
                    "decided_on": None,
                    "assembly": None,
                    "reference": None,
                    "note": None,
                    "document_id": None,
                },
            )
    for k in range(50):
        yield (
            "attendance",
            {
                "id": ident("attendance", k),
                "meeting_id": PROTOCOL_ID,
                "person_id": ident("person", k * 397 % people),
                "position": k,
                "body_id": ident("org", 0),
                "on_behalf_of_id": ident("org", len(BODIES) + k % 5),
                "status": "present" if k % 10 else "excused",
                "role": "chair" if k == 0 else "member",
                "substitute_for_id": None,
                "from_item": "3" if k == 7 else None,
                "to_item": None,
                "absent_items": ["12"] if k == 9 else [],
                "source": "protocol",
                "joined_at": None,
                "left_at": None,
                "duration_seconds": None,
                "note": None,
            },
        )
    for k in range(6):
        label, filename = f"Bilaga {k + 1}", f"Bilaga {k + 1} Underlag för beslut.pdf"
        yield (
            "documents",
            {
                "id": ident("document", k),
                **_stamped(k),
                "sha256": hashlib.sha256(filename.encode()).hexdigest(),
                "filename": filename,
                "media_type": "application/pdf",
                "size": 100_000 + k,
                "label": label,
                "role": "decision_basis",
                "text": "Underlag." if k % 2 else None,
                "text_truncated": False,
                "title_sort": sort_key(document_title(label, filename)),
                "name_sort": sort_key(filename),
            },
        )
        target = ("meeting", PROTOCOL_ID) if k == 0 else ("agenda_item", ident("item", base + k))
        yield "document_links", {"document_id": ident("document", k), "target_type": target[0], "target_id": target[1]}


def _admin() -> Iterator[tuple[str, dict[str, Any]]]:
    yield (
        "principals",
        {
            "id": ADMIN_ID,
            **_stamped(0),
            "kind": PrincipalKind.person.value,
            "login": "bench",
            "display_name": "Bench",
            "name_sort": sort_key("Bench"),
            "email": None,
            "secret_hash": None,
            "person_id": None,
            "is_active": True,
        },
    )
    yield (
        "role_grants",
        {"id": ident("grant", 1), "principal_id": ADMIN_ID, "role": Role.admin.value, "organisation_id": None},
    )


def rows(meetings: int, people: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row) for every row, parents before the rows that refer to them."""
    yield from (("organisations", row) for row in _organisations())
    yield from (("people", row) for row in _people(people))
    yield from _admin()
    yield from _protocol(people)
    yield from _meetings(meetings, people)
