"""Import provenance, and the plans an import shows before (dry run) and after it is applied."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field as ColumnField

from app.core.db import enum_column
from app.core.models import Resource, ResourceOut
from app.people.models import MembershipRole


class ImportKind(StrEnum):
    """What was imported: a Teams attendance report, a protocol, or a channel folder."""

    attendance = "attendance"
    protocol = "protocol"
    folder = "folder"


class ImportRecord(Resource, table=True):
    """One applied import: which file (by hash), what it was read as, and what it made."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_kind_sha256", "kind", "sha256"),)

    kind: ImportKind = ColumnField(sa_column=enum_column(ImportKind))
    sha256: str = ColumnField(max_length=64)
    filename: str = ColumnField(max_length=255)
    layout: str | None = ColumnField(default=None, max_length=40)
    encoding: str | None = ColumnField(default=None, max_length=40)
    meeting_id: uuid.UUID | None = ColumnField(default=None, foreign_key="meetings.id", index=True)
    summary: dict[str, Any] = ColumnField(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ImportOut(ResourceOut):
    """An applied import: the file's hash, how it was read, and a summary of what it made."""

    kind: ImportKind
    sha256: str
    filename: str
    layout: str | None
    encoding: str | None
    meeting_id: uuid.UUID | None
    summary: dict[str, Any]


class MatchStatus(StrEnum):
    """How an imported name was matched to a person."""

    matched = "matched"
    unmatched = "unmatched"
    ambiguous = "ambiguous"
    created = "created"
    guest = "guest"


class Candidate(BaseModel):
    """A person an imported name might be."""

    id: uuid.UUID
    name: str


class PersonMatch(BaseModel):
    """Whom an imported name was matched to, how, and the candidates when it is ambiguous."""

    status: MatchStatus
    person_id: uuid.UUID | None = None
    person_name: str | None = None
    by: str | None = Field(default=None, description="email, alias, name, resolution")
    candidates: list[Candidate] = Field(default_factory=list)


class FileInfo(BaseModel):
    """The imported file as it was read: name, hash, size, layout, encoding and language."""

    filename: str
    sha256: str
    size: int
    layout: str | None = None
    encoding: str | None = None
    language: str | None = None


class PlannedParticipant(BaseModel):
    """A participant of a Teams report, their times and the person matched."""

    name: str
    email: str | None
    guest: bool
    role: str | None
    status: str
    joined_at: datetime | None
    left_at: datetime | None
    duration_seconds: int | None
    intervals: int
    match: PersonMatch
    action: str = Field(description="create, update, skip (unmatched, ambiguous or guest)")


class AttendancePlan(BaseModel):
    """What an attendance import would do (dry run) or did: each participant and who they were matched to."""

    kind: ImportKind = ImportKind.attendance
    file: FileInfo
    meeting_id: uuid.UUID
    already_imported: bool
    participants: list[PlannedParticipant]
    unmatched: list[str] = Field(
        default_factory=list,
        description="Participants whose attendance is not recorded (unmatched, ambiguous, guests), as named in the"
        " report: what `resolve` (`Name=person id`) takes.",
    )
    warnings: list[str]
    counts: dict[str, int]
    plan_hash: str = ""


class PlannedPerson(BaseModel):
    """A person named in a protocol, and the match found."""

    name: str
    party: str | None
    match: PersonMatch


class Action(StrEnum):
    """What applying does to one object of the meeting's record."""

    create = "create"
    update = "update"
    unchanged = "unchanged"
    conflict = "conflict"
    skip = "skip"  # not written: the person is ambiguous, or already listed


class Resolution(StrEnum):
    """How a conflict is settled: keep the hand-entered value, or take the import's."""

    keep = "keep"
    take = "take"


class FieldChange(BaseModel):
    """One field an import would change on an existing object. People are named, bodies given by id."""

    key: str = Field(description="Where, to resolve it by: `item/21/title`, `attendance/<person id>/status`.")
    field: str
    old: Any
    new: Any
    conflict: bool = Field(default=False, description="The old value was entered by hand.")
    resolution: Resolution | None = Field(default=None, description="keep (the hand-entered value) or take.")

    @property
    def writes(self) -> bool:
        return not self.conflict or self.resolution is Resolution.take


class Planned(BaseModel):
    """An object of the meeting's record and what the import does to it."""

    action: Action = Action.create
    in_protocol: bool = Field(default=True, description="False: already recorded, not in the protocol; kept.")
    source: str | None = Field(default=None, description="Its source after the import (manual, protocol, teams).")
    changes: list[FieldChange] = Field(default_factory=list)


class PlannedAttendee(Planned):
    """An attendee as a protocol import reads them, and the person matched."""

    name: str
    person_id: uuid.UUID | None = Field(default=None, description="None: a person the import creates.")
    status: str
    role: str
    body: str | None
    body_id: uuid.UUID | None
    organisation: str | None
    on_behalf_of_id: uuid.UUID | None
    substitute_for: str | None
    from_item: str | None
    to_item: str | None
    absent_items: list[str] = Field(default_factory=list)
    adjuster: bool = Field(default=False, description="Also the minutes adjuster (beside a role such as substitute).")
    note: str | None


class PlannedMembership(BaseModel):
    """A membership the import infers from the protocol: a seat for the political term the meeting falls in."""

    action: str = Field(description="create, or extend (an inferred membership of the same seat next to it)")
    name: str
    person_id: uuid.UUID | None = Field(description="None when the import creates the person.")
    body_id: uuid.UUID
    role: MembershipRole
    on_behalf_of_id: uuid.UUID
    start_date: date
    end_date: date
    membership_id: uuid.UUID | None = Field(default=None, description="The membership extended.")


class PlannedDecision(Planned):
    """A decision as a protocol import reads it."""

    decision_id: uuid.UUID | None = None
    kind: str
    text: str | None
    clauses: list[str]
    body_id: uuid.UUID | None
    assignee_body_id: uuid.UUID | None
    target_body_id: uuid.UUID | None


class PlannedPresenter(Planned):
    """A presenter of an item, linked to a person when the name is known."""

    name: str
    organisation: str | None
    person: str | None = Field(default=None, description="The person linked, by name; None: free text.")


class PlannedItem(Planned):
    """An agenda item as a protocol import reads it, with its decisions."""

    item_id: uuid.UUID | None = None
    number: str
    title: str
    kind: str
    format: str | None
    section: str | None
    position: int
    presenters: list[PlannedPresenter]
    attachments: list[str]
    minutes_text: str | None
    decisions: list[PlannedDecision]


class PlannedMeeting(Planned):
    """The meeting a protocol import creates or updates."""

    meeting_id: uuid.UUID | None
    fingerprint: str | None = Field(
        default=None, description="The existing record as planned against: applying refuses (409) if it changed."
    )
    body: str
    body_ids: list[uuid.UUID]
    diary_number: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    place: str | None


class PlannedNextMeeting(BaseModel):
    """A coming meeting announced in a protocol."""

    on: date
    title: str | None
    body_id: uuid.UUID | None
    place: str | None
    action: Action


class PlanProblem(BaseModel):
    """What applying this plan would refuse, with the very status and message the apply gives."""

    status: int
    code: str
    detail: str
    at: str | None = Field(default=None, description="The object: `item/24/decision/resolved`, `attendance`.")
    errors: list[dict[str, Any]] = Field(default_factory=list)


class Resolutions(BaseModel):
    """The coordinator's answer to conflicts: one for the whole import, and per object or field by key."""

    model_config = ConfigDict(extra="forbid")

    on_conflict: Resolution | None = None
    fields: dict[str, Resolution] = Field(
        default_factory=dict, description="By a change's key (`item/21/title`) or an object's (`item/21`)."
    )


class ProtocolPlan(BaseModel):
    """What a protocol import would do (dry run) or did: the meeting, items, decisions and attendance."""

    kind: ImportKind = ImportKind.protocol
    file: FileInfo
    already_imported: bool
    meeting: PlannedMeeting
    items: list[PlannedItem]
    attendance: list[PlannedAttendee]
    people: list[PlannedPerson]
    memberships: list[PlannedMembership] = Field(
        default_factory=list,
        description="Inferred from the lists: the political term of the meeting (marked inferred).",
    )
    next_meetings: list[PlannedNextMeeting]
    conflicts: list[str] = Field(default_factory=list, description="Keys of the conflicts still unresolved.")
    problems: list[PlanProblem] = Field(default_factory=list)
    warnings: list[str]
    counts: dict[str, int]
    plan_hash: str = ""
    # Set when the rehearsal of an apply request was kept as the apply itself (not part of the plan or its hash).
    _written: tuple[uuid.UUID | None] | None = PrivateAttr(default=None)

    def mark_written(self, meeting_id: uuid.UUID | None) -> None:
        self._written = (meeting_id,)

    @property
    def written(self) -> tuple[uuid.UUID | None] | None:
        """(the meeting's id,) once the plan is written in this transaction; None before."""
        return self._written


class FolderEntry(BaseModel):
    """One file of an imported folder and what the import does with it."""

    path: str
    action: str = Field(description="protocol, attendance, document, skipped")
    reason: str | None = None
    meeting: str | None = Field(default=None, description="Diary number or date of the meeting it belongs to.")
    meeting_id: uuid.UUID | None = Field(
        default=None, description="The recorded meeting; None if the folder creates it."
    )
    label: str | None = None
    unmatched: list[str] = Field(default_factory=list, description="An attendance report's participants not matched.")


class FolderPlan(BaseModel):
    """What a folder import would do (dry run) or did, file by file."""

    kind: ImportKind = ImportKind.folder
    file: FileInfo | None
    already_imported: bool = False
    entries: list[FolderEntry]
    protocols: list[ProtocolPlan]
    warnings: list[str]
    counts: dict[str, int]
    plan_hash: str = ""


class ImportResult(BaseModel):
    """The answer to an import: whether it was applied, and the plan (what it does, warnings, counts)."""

    applied: bool
    meeting_id: uuid.UUID | None = None
    plan: AttendancePlan | ProtocolPlan | FolderPlan
