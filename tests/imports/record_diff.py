"""A meeting's rows before and after an import, and what a protocol plan says the difference will be.

The snapshot reads the tables themselves (not the API), so a write the plan does not mention cannot hide.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.core import db as core_db
from app.decisions.models import Decision
from app.meetings.models import AgendaItem, Attendance, ItemPresenter, Meeting, MeetingAdjuster, MeetingBody

# Bookkeeping every write touches, and sort keys derived from a field (`title_sort` follows `title`); what an
# import changes is the rest.
BOOKKEEPING = {"id", "version", "created_at", "updated_at"}
# Plan field → column, where the plan names a person or a list instead of the stored id(s).
COLUMN = {"chair": "chair_id", "adjusters": "adjuster_ids", "substitute_for": "substitute_for_id"}


def _rows(conn: sa.Connection, stmt: sa.Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(stmt).mappings()]


def _key(ident: Any) -> str:
    """An id as both databases give it back (SQLite: 32 hex digits; PostgreSQL: a UUID)."""
    return str(ident).replace("-", "")


def _plain(row: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in BOOKKEEPING and not k.endswith("_sort") and k not in drop}


@dataclass
class Snapshot:
    meeting: dict[str, Any]
    items: dict[str, dict[str, Any]]  # by number
    decisions: dict[str, dict[str, Any]]  # by id
    attendance: dict[str, dict[str, Any]]  # by person id

    @classmethod
    def take(cls, meeting_id: str) -> "Snapshot":
        mid = uuid.UUID(meeting_id)
        meetings, bodies_t, adjusters_t = (m.__table__ for m in (Meeting, MeetingBody, MeetingAdjuster))  # type: ignore[attr-defined]
        items_t, presenters_t = AgendaItem.__table__, ItemPresenter.__table__  # type: ignore[attr-defined]
        decisions_t, attendance_t = Decision.__table__, Attendance.__table__  # type: ignore[attr-defined]
        with core_db.get_engine().connect() as conn:
            [meeting] = _rows(conn, sa.select(meetings).where(meetings.c.id == mid))
            bodies = _rows(conn, sa.select(bodies_t).where(bodies_t.c.meeting_id == mid).order_by(bodies_t.c.position))
            adjusters = _rows(conn, sa.select(adjusters_t).where(adjusters_t.c.meeting_id == mid))
            live_items = sa.select(items_t).where(items_t.c.meeting_id == mid, items_t.c.deleted_at.is_(None))
            items = _rows(conn, live_items)
            presenters = _rows(
                conn,
                sa.select(presenters_t)
                .where(presenters_t.c.item_id.in_([i["id"] for i in items]))
                .order_by(presenters_t.c.position),
            )
            decisions = _rows(
                conn, sa.select(decisions_t).where(decisions_t.c.meeting_id == mid, decisions_t.c.deleted_at.is_(None))
            )
            attendance = _rows(conn, sa.select(attendance_t).where(attendance_t.c.meeting_id == mid))
        number = {_key(i["id"]): i["number"] for i in items}
        by_item: dict[str, list[tuple[Any, ...]]] = {i["number"]: [] for i in items}
        for p in presenters:
            by_item[number[_key(p["item_id"])]].append((_key(p["person_id"]), p["name"], p["organisation"]))
        m = _plain(meeting)
        m["body_ids"] = [_key(b["body_id"]) for b in bodies]
        m["adjuster_ids"] = sorted(_key(a["person_id"]) for a in adjusters)
        return cls(
            meeting=m,
            items={i["number"]: _plain(i) | {"presenters": by_item[i["number"]]} for i in items},
            decisions={_key(d["id"]): _plain(d) | {"item": number[_key(d["agenda_item_id"])]} for d in decisions},
            # Attendance rows are replaced as a list: their ids are not part of the record.
            attendance={_key(a["person_id"]): _plain(a) for a in attendance},
        )


@dataclass
class Diff:
    """Objects created, and the fields changed on the others (by plan field name where one maps)."""

    created: dict[str, Counter[Any]] = field(default_factory=dict)
    changed: dict[str, dict[Any, set[str]]] = field(default_factory=dict)


def _changed(before: dict[Any, dict[str, Any]], after: dict[Any, dict[str, Any]]) -> dict[Any, set[str]]:
    assert before.keys() <= after.keys(), f"removed: {before.keys() - after.keys()}"
    out = {}
    for key, old in before.items():
        fields = {f for f in old if old[f] != after[key][f]}
        if fields:
            out[key] = fields
    return out


def actual(before: Snapshot, after: Snapshot) -> Diff:
    changed = {
        "meeting": _changed({"meeting": before.meeting}, {"meeting": after.meeting}),
        "items": _changed(before.items, after.items),
        "decisions": _changed(before.decisions, after.decisions),
        "attendance": _changed(before.attendance, after.attendance),
    }
    created = {
        "items": Counter(n for n in after.items if n not in before.items),
        "decisions": Counter((d["item"], d["kind"]) for k, d in after.decisions.items() if k not in before.decisions),
        "attendance": Counter(len([p for p in after.attendance if p not in before.attendance]) * ["row"]),
    }
    return Diff(created={k: v for k, v in created.items() if v}, changed={k: v for k, v in changed.items() if v})


def _fields(obj: dict[str, Any], before_source: Any) -> set[str]:
    fields = {COLUMN.get(c["field"], c["field"]) for c in obj["changes"] if _writes(c)}
    if obj["source"] != before_source:
        fields.add("source")
    return fields


def _writes(change: dict[str, Any]) -> bool:
    return not change["conflict"] or change["resolution"] == "take"


def planned(plan: dict[str, Any], before: Snapshot | None) -> Diff:
    """The difference the plan announces: its creates, and for each update the fields it writes."""
    writing = ("create", "update")
    created: dict[str, Counter[Any]] = {
        "items": Counter(i["number"] for i in plan["items"] if i["action"] == "create"),
        "decisions": Counter(
            (i["number"], d["kind"]) for i in plan["items"] for d in i["decisions"] if d["action"] == "create"
        ),
        "attendance": Counter(sum(a["action"] == "create" for a in plan["attendance"]) * ["row"]),
    }
    changed: dict[str, dict[Any, set[str]]] = {"meeting": {}, "items": {}, "decisions": {}, "attendance": {}}
    if before is not None:
        m = plan["meeting"]
        if m["action"] in writing and (fields := _fields(m, before.meeting["source"])):
            changed["meeting"]["meeting"] = fields
        for i in plan["items"]:
            if i["action"] != "update":
                continue
            fields = _fields(i, before.items[i["number"]]["source"])
            if any(p["action"] in writing for p in i["presenters"]):
                fields.add("presenters")
            changed["items"][i["number"]] = fields
        for i in plan["items"]:
            for d in i["decisions"]:
                if d["action"] == "update":
                    key = _key(d["decision_id"])
                    changed["decisions"][key] = _fields(d, before.decisions[key]["source"])
        for a in plan["attendance"]:
            if a["action"] == "update":
                pid = _key(a["person_id"])
                changed["attendance"][pid] = _fields(a, before.attendance[pid]["source"])
    return Diff(
        created={k: v for k, v in created.items() if v},
        changed={k: {o: f for o, f in v.items() if f} for k, v in changed.items() if any(v.values())},
    )
