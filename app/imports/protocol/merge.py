"""A protocol over a meeting that already exists: each object matched, each changed field with its old and new
value, and the changes that would overwrite a hand-entered value marked as conflicts.

Matching: items by number (the title as a check), decisions by item and kind, presenters and attendance by
person. An import fills in what is empty and corrects what an import wrote; it never removes anything, and a
difference from a `manual` value waits for the coordinator: keep it, or take the protocol's.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from app.core.errors import ValidationFailed
from app.core.text import fold
from app.decisions.models import Decision
from app.imports.models import (
    Action,
    FieldChange,
    Planned,
    PlannedAttendee,
    PlannedDecision,
    PlannedItem,
    PlannedPresenter,
    ProtocolPlan,
    Resolution,
    Resolutions,
)
from app.imports.protocol.record import Record
from app.meetings.models import AttendanceRole, AttendanceSource, ItemPresenter, RecordSource

MANUAL = {RecordSource.manual.value, AttendanceSource.manual.value}
PROTOCOL = RecordSource.protocol.value  # the same word for attendance rows (AttendanceSource.protocol)
# The actions an apply writes (a conflict still unresolved is refused before anything is written).
WRITES = (Action.create, Action.update, Action.conflict)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def changes(
    prefix: str,
    pairs: Iterable[tuple[str, Any, Any]],
    manual: bool,
    doubtful: bool = False,
    layout: frozenset[str] = frozenset(),
) -> list[FieldChange]:
    """(field, old, new) → the changes. An import never clears a value. Overwriting a hand-entered value is a
    conflict; so is filling in an empty one when the match itself is in doubt. Layout fields never conflict."""
    out = []
    for name, old, new in pairs:
        if _empty(new) or old == new:
            continue
        conflict = manual and name not in layout and (not _empty(old) or doubtful)
        out.append(FieldChange(key=f"{prefix}/{name}", field=name, old=old, new=new, conflict=conflict))
    return out


def same_person(old: uuid.UUID | None, new: uuid.UUID | None, new_name: str | None, names: dict[uuid.UUID, str]) -> Any:
    """A person-valued field as the plan shows it (by name): the old name when both are the same person."""
    if new_name is None or (new is not None and new == old):
        return names.get(old) if old else None
    return new_name


# --- items, presenters, decisions ---


def merge_items(
    record: Record, planned: list[PlannedItem], names: dict[uuid.UUID, str], ids: dict[str, uuid.UUID]
) -> list[PlannedItem]:
    """The protocol's items against the meeting's: matched by number; the meeting's others listed as kept."""
    existing = {i.number: i for i in record.items}
    for item in planned:
        row = existing.pop(item.number, None)
        if row is None:
            continue
        item.item_id, item.action, item.source = row.id, Action.unchanged, row.source.value
        prefix = f"item/{item.number}"
        manual = row.source.value in MANUAL
        # The title checks the match: when it differs, even filling in an empty field waits for the coordinator.
        doubtful = fold(row.title) != fold(item.title)
        item.changes = changes(
            prefix,
            [
                ("title", row.title, item.title),
                ("kind", row.kind.value, item.kind),
                ("format", row.format.value if row.format else None, item.format),
                ("section", row.section, item.section),
                ("minutes_text", row.minutes_text, item.minutes_text),
                ("position", row.position, item.position),
            ],
            manual,
            doubtful,
            layout=frozenset({"position"}),
        )
        item.presenters = _merge_presenters(
            prefix, record.presenters[row.id], item.presenters, manual, doubtful, names, ids
        )
        item.decisions = _merge_decisions(prefix, record.decisions.get(row.id, []), item.decisions, names)
    kept = [
        PlannedItem(
            action=Action.unchanged,
            in_protocol=False,
            source=row.source.value,
            item_id=row.id,
            number=row.number,
            title=row.title,
            kind=row.kind.value,
            format=row.format.value if row.format else None,
            section=row.section,
            position=row.position,
            presenters=_merge_presenters(f"item/{row.number}", record.presenters[row.id], [], True, False, names, ids),
            attachments=[],
            minutes_text=row.minutes_text,
            decisions=_merge_decisions(f"item/{row.number}", record.decisions.get(row.id, []), [], names),
        )
        for row in existing.values()
    ]
    return planned + kept


def _presenter_key(name: str | None) -> str:
    return fold(name or "")


def _merge_presenters(
    prefix: str,
    rows: list[ItemPresenter],
    planned: list[PlannedPresenter],
    manual: bool,
    doubtful: bool,
    names: dict[uuid.UUID, str],
    ids: dict[str, uuid.UUID],
) -> list[PlannedPresenter]:
    """Presenters by person (or by name when free text): the item's in their order, then the protocol's new ones."""
    incoming = list(planned)
    out = []
    for row in rows:
        shown = row.name or names.get(row.person_id, "") if row.person_id else row.name or ""
        match = next(
            (
                p
                for p in incoming
                if (row.person_id is not None and ids.get(p.person or "") == row.person_id)
                or _presenter_key(p.name) == _presenter_key(shown)
            ),
            None,
        )
        current = PlannedPresenter(
            action=Action.unchanged,
            in_protocol=match is not None,
            name=shown,
            organisation=row.organisation,
            person=names.get(row.person_id) if row.person_id else None,
        )
        if match is not None:
            incoming.remove(match)
            new_person = same_person(row.person_id, ids.get(match.person or ""), match.person, names)
            current.changes = changes(
                f"{prefix}/presenter/{shown}",
                [("organisation", row.organisation, match.organisation), ("person", current.person, new_person)],
                manual,
                doubtful,
            )
        out.append(current)
    for p in incoming:
        # A new presenter on an item whose match is in doubt waits for the coordinator as well.
        if doubtful and manual:
            p.changes = [
                FieldChange(key=f"{prefix}/presenter/{p.name}", field="presenter", old=None, new=p.name, conflict=True)
            ]
    return out + incoming


def _merge_decisions(
    prefix: str, rows: list[Decision], planned: list[PlannedDecision], names: dict[uuid.UUID, str]
) -> list[PlannedDecision]:
    """Decisions by kind on their item: the same text first, then in order. The item's others are kept."""
    pairs: dict[int, Decision] = {}
    free = list(rows)
    for i, d in enumerate(planned):
        same = next((r for r in free if r.kind.value == d.kind and fold(r.text or "") == fold(d.text or "")), None)
        if same is not None:
            pairs[i] = same
            free.remove(same)
    for i, d in enumerate(planned):
        if i not in pairs and (row := next((r for r in free if r.kind.value == d.kind), None)) is not None:
            pairs[i] = row
            free.remove(row)
    seen: dict[str, int] = {}
    for i, d in enumerate(planned):
        seen[d.kind] = seen.get(d.kind, 0) + 1
        if (row := pairs.get(i)) is None:
            continue
        key = f"{prefix}/decision/{d.kind}" + (f"-{seen[d.kind]}" if seen[d.kind] > 1 else "")
        d.decision_id, d.action, d.source = row.id, Action.unchanged, row.source.value
        d.changes = changes(
            key,
            [
                ("text", row.text, d.text),
                ("clauses", row.clauses, d.clauses),
                ("assignee_body_id", _id(row.assignee_body_id), _id(d.assignee_body_id)),
                ("target_body_id", _id(row.target_body_id), _id(d.target_body_id)),
            ],
            row.source.value in MANUAL,
        )
    kept = [
        PlannedDecision(
            action=Action.unchanged,
            in_protocol=False,
            source=r.source.value,
            decision_id=r.id,
            kind=r.kind.value,
            text=r.text,
            clauses=r.clauses,
            body_id=r.body_id,
            assignee_body_id=r.assignee_body_id,
            target_body_id=r.target_body_id,
        )
        for r in free
    ]
    return planned + kept


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


# --- attendance ---


def merge_attendance(
    record: Record,
    planned: list[PlannedAttendee],
    body_ids: list[uuid.UUID],
    names: dict[uuid.UUID, str],
    ids: dict[str, uuid.UUID],
    known: set[str],
) -> list[PlannedAttendee]:
    """Rows by person; the meeting's rows the protocol does not name are kept as they are."""
    rows = {r.person_id: r for r in record.attendance}
    for a in planned:
        row = rows.pop(a.person_id, None) if a.person_id else None
        if row is None or a.action is Action.skip:
            continue
        new = written_row(a, body_ids, known)
        a.action, a.source = Action.unchanged, row.source.value
        a.changes = changes(
            f"attendance/{row.person_id}",
            [
                ("status", row.status.value, new["status"]),
                ("role", row.role.value, new["role"]),
                ("body_id", _id(row.body_id), _id(new["body_id"])),
                ("on_behalf_of_id", _id(row.on_behalf_of_id), _id(new["on_behalf_of_id"])),
                (
                    "substitute_for",
                    names.get(row.substitute_for_id) if row.substitute_for_id else None,
                    same_person(
                        row.substitute_for_id, ids.get(new["substitute_for"] or ""), new["substitute_for"], names
                    ),
                ),
                ("from_item", row.from_item, new["from_item"]),
                ("to_item", row.to_item, new["to_item"]),
                ("absent_items", row.absent_items or [], new["absent_items"]),
                ("note", row.note, new["note"]),
            ],
            row.source.value in MANUAL,
        )
    kept = [
        PlannedAttendee(
            action=Action.unchanged,
            in_protocol=False,
            source=r.source.value,
            name=names.get(r.person_id, ""),
            person_id=r.person_id,
            status=r.status.value,
            role=r.role.value,
            body=None,
            body_id=r.body_id,
            organisation=None,
            on_behalf_of_id=r.on_behalf_of_id,
            substitute_for=names.get(r.substitute_for_id) if r.substitute_for_id else None,
            from_item=r.from_item,
            to_item=r.to_item,
            absent_items=r.absent_items or [],
            note=r.note,
        )
        for r in rows.values()
    ]
    return planned + kept


# --- resolutions and the outcome of each object ---


def all_changes(objects: Iterable[Planned]) -> list[FieldChange]:
    return [c for o in objects for c in o.changes]


def conflict_keys(planned: ProtocolPlan) -> set[str]:
    """Every conflict of a plan, answered or not."""
    objects = [planned.meeting, *planned.items, *planned.attendance]
    objects += [o for i in planned.items for o in [*i.decisions, *i.presenters]]
    return {c.key for c in all_changes(objects) if c.conflict}


def answers_any(key: str, conflict_keys: Iterable[str]) -> bool:
    """An answer's key names this conflict, or the object it is in (`item/21` for `item/21/title`)."""
    return any(k == key or k.startswith(key + "/") for k in conflict_keys)


def resolve(conflicts: list[FieldChange], resolutions: Resolutions, strict: bool = True) -> None:
    """A change's own key first, then its object's (`item/21`), then the answer for the whole import.
    Not `strict` (one protocol of a folder): a key that is not among these conflicts may be another protocol's."""
    keys = {c.key for c in conflicts}
    for key in resolutions.fields:
        if strict and not answers_any(key, keys):
            raise ValidationFailed(("body", "resolutions", "fields", key), "is not a conflict of this plan")
    for c in conflicts:
        parts = c.key.split("/")
        answers = (resolutions.fields.get("/".join(parts[:n])) for n in range(len(parts), 0, -1))
        c.resolution = next((a for a in answers if a is not None), resolutions.on_conflict)


def settle(obj: Planned, children: Iterable[Planned] = ()) -> None:
    """The object's action from its changes (and its presenters'), and its source once applied."""
    kids = list(children)
    if obj.action in (Action.create, Action.skip):
        return
    every = obj.changes + all_changes(kids)
    if any(c.conflict and c.resolution is None for c in every):
        obj.action = Action.conflict
    elif any(c.writes for c in every) or any(k.action is Action.create for k in kids):
        obj.action = Action.update
    else:
        obj.action = Action.unchanged
    kept = any(c.conflict and c.resolution is not Resolution.take for c in every)
    content = any(c.writes and c.field != "position" for c in every) or any(k.action is Action.create for k in kids)
    if content and not kept:
        obj.source = PROTOCOL


def writes(changes: list[FieldChange]) -> dict[str, Any]:
    """{field: new value} of the changes applying makes."""
    return {c.field: c.new for c in changes if c.writes}


def written_row(a: PlannedAttendee, body_ids: list[uuid.UUID], known: set[str]) -> dict[str, Any]:
    """What an attendee's row holds once written. A substitute for someone not named (or not known) is kept as a
    member with the note; an organisation that is no principal ("FoU Socialtjänst") goes into the note too."""
    role = a.role if a.role in AttendanceRole.__members__ else AttendanceRole.member.value
    substitute_for = a.substitute_for if a.substitute_for in known else None
    if role == AttendanceRole.substitute.value and substitute_for is None:
        role = AttendanceRole.member.value
    return {
        "status": a.status,
        "role": role,
        "body_id": a.body_id if a.body_id in body_ids else None,
        "on_behalf_of_id": a.on_behalf_of_id,
        "substitute_for": substitute_for if role == AttendanceRole.substitute.value else None,
        "from_item": a.from_item,
        "to_item": a.to_item,
        "absent_items": a.absent_items,
        "note": ", ".join(filter(None, [None if a.on_behalf_of_id else a.organisation, a.note])) or None,
    }
