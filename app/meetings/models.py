"""Meetings of the joint bodies, who attended them, and the items on their agendas."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, StringConstraints
from pydantic import Field as ApiField
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, UTCDateTime, enum_column, keep_sort_key
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples

ITEM_NUMBER_PATTERN = r"^[0-9]{1,4}[a-z]?$"
ItemNumber = Annotated[str, StringConstraints(pattern=ITEM_NUMBER_PATTERN)]


class MeetingKind(StrEnum):
    """The kind of meeting: ordinary, extra, joint (several bodies) or seminar."""

    ordinary = "ordinary"
    extra = "extra"
    joint = "joint"
    seminar = "seminar"


class MeetingStatus(StrEnum):
    """Where a meeting stands: planned, convened, held, minutes_approved or cancelled."""

    planned = "planned"
    convened = "convened"
    held = "held"
    minutes_approved = "minutes_approved"
    cancelled = "cancelled"


class AttendanceStatus(StrEnum):
    """Whether someone attended: present, absent or excused (anmält förhinder)."""

    present = "present"
    absent = "absent"
    excused = "excused"


class AttendanceRole(StrEnum):
    """The part someone played at a meeting: chair, adjuster (justerare), member, substitute, official, co_opted,
    presenter or guest."""

    chair = "chair"
    adjuster = "adjuster"
    member = "member"
    substitute = "substitute"
    official = "official"
    co_opted = "co_opted"
    presenter = "presenter"
    guest = "guest"


class AttendanceSource(StrEnum):
    """How an attendance was recorded: by hand, from a protocol, or from a Teams report."""

    manual = "manual"
    protocol = "protocol"
    teams = "teams"


class RecordSource(StrEnum):
    """Where a meeting's, an item's or a decision's content last came from. An import never overwrites a
    hand-entered (`manual`) value silently: a difference from one is a conflict the coordinator resolves."""

    manual = "manual"
    protocol = "protocol"


class ItemKind(StrEnum):
    """What an item is for: information, a decision, or a standing item."""

    information = "information"
    decision = "decision"
    standing = "standing"


class ItemFormat(StrEnum):
    """How an item is presented: orally or in writing."""

    oral = "oral"
    written = "written"


class Meeting(Resource, table=True):
    __tablename__ = "meetings"

    kind: MeetingKind = Field(sa_column=enum_column(MeetingKind))
    status: MeetingStatus = Field(sa_column=enum_column(MeetingStatus))
    title: str | None = Field(default=None, max_length=200)
    title_sort: str = Field(default="", sa_type=SortKey, index=True)
    # The lead body, copied from the first of meeting_bodies so lists filter and sort with a plain index.
    lead_body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    place: str | None = Field(default=None, max_length=200)
    online: bool = False
    diary_number: str | None = Field(default=None, max_length=60, index=True)
    chair_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    notes: str | None = Field(default=None, sa_column=Column(Text))
    source: RecordSource = Field(
        default=RecordSource.manual, sa_column=enum_column(RecordSource, server_default=RecordSource.manual.value)
    )


class MeetingBody(SQLModel, table=True):
    """The bodies meeting; position 0 leads (a joint meeting of the council and the officials is one meeting)."""

    __tablename__ = "meeting_bodies"

    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", primary_key=True, ondelete="CASCADE")
    body_id: uuid.UUID = Field(foreign_key="organisations.id", primary_key=True, index=True)
    position: int = 0


class MeetingAdjuster(SQLModel, table=True):
    """A minutes adjuster (justerare)."""

    __tablename__ = "meeting_adjusters"

    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", primary_key=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="people.id", primary_key=True)


class Attendance(SQLModel, table=True):
    """One person at one meeting. The whole list is replaced at once, so rows carry no version of their own."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="people.id", index=True)
    position: int = 0
    body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    on_behalf_of_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    status: AttendanceStatus = Field(sa_column=enum_column(AttendanceStatus))
    role: AttendanceRole = Field(sa_column=enum_column(AttendanceRole))
    substitute_for_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    from_item: str | None = Field(default=None, max_length=5)
    to_item: str | None = Field(default=None, max_length=5)
    # Items the person left the room for within their time (jäv, "ej närvarande under § 12"): ["12", "14"].
    absent_items: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'"))
    )
    source: AttendanceSource = Field(sa_column=enum_column(AttendanceSource))
    joined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    duration_seconds: int | None = None
    note: str | None = Field(default=None, max_length=500)


class AgendaItem(Resource, table=True):
    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_body_year", "body_id", "year"),)

    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", index=True)
    # The body whose numbering the item follows: the lead body, or the other body of a joint part.
    body_id: uuid.UUID = Field(foreign_key="organisations.id")
    year: int
    number: str = Field(max_length=5)
    number_value: int = Field(description="The number's integer part, for 'the next free number'.")
    position: int = Field(index=True)
    title: str = Field(max_length=500)
    title_sort: str = Field(default="", sa_type=SortKey, index=True)
    # A heading the item stands under, e.g. "Systemledning tillsammans med Länssamverkansgruppen".
    section: str | None = Field(default=None, max_length=200)
    kind: ItemKind = Field(sa_column=enum_column(ItemKind))
    format: ItemFormat | None = Field(default=None, sa_column=enum_column(ItemFormat, nullable=True))
    minutes_text: str | None = Field(default=None, sa_column=Column(Text))
    public: bool = True
    source: RecordSource = Field(
        default=RecordSource.manual, sa_column=enum_column(RecordSource, server_default=RecordSource.manual.value)
    )


keep_sort_key(Meeting, "title_sort", lambda m: m.title)
keep_sort_key(AgendaItem, "title_sort", lambda i: i.title)


class ItemPresenter(SQLModel, table=True):
    """A presenter (föredragande): a known person, or a name and organisation as free text."""

    __tablename__ = "item_presenters"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    item_id: uuid.UUID = Field(foreign_key="agenda_items.id", index=True, ondelete="CASCADE")
    position: int = 0
    person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)


class ItemCase(SQLModel, table=True):
    __tablename__ = "item_cases"

    item_id: uuid.UUID = Field(foreign_key="agenda_items.id", primary_key=True, ondelete="CASCADE")
    case_id: uuid.UUID = Field(foreign_key="cases.id", primary_key=True, index=True)


# --- API models: meetings ---

# With or without an offset; without one it is Europe/Stockholm time (see app.core.time.to_utc).
LocalOrAware = datetime


class _MeetingFields(ApiModel):
    title: str | None = ApiField(default=None, min_length=1, max_length=200)
    place: str | None = ApiField(default=None, min_length=1, max_length=200, description="`Teams` or a town.")
    online: bool | None = None
    diary_number: str | None = ApiField(default=None, min_length=1, max_length=60, examples=["HSN 50:2-2024"])
    chair_id: uuid.UUID | None = None
    adjuster_ids: list[uuid.UUID] | None = ApiField(default=None, max_length=10)
    notes: str | None = ApiField(default=None, max_length=10000)


class MeetingCreate(_MeetingFields):
    """A new meeting of one or more bodies (the first in `body_ids` leads). Times carry a UTC offset and are shown
    in Europe/Stockholm."""

    model_config = examples(
        {
            "body_ids": ["bad0f373-0630-4393-b45f-a78a07a1d8c6"],
            "kind": "ordinary",
            "title": "Politisk samverkansberedning",
            "starts_at": "2024-05-03T09:00:00+02:00",
            "ends_at": "2024-05-03T12:00:00+02:00",
            "place": "Regionens hus, Umeå",
            "online": True,
            "diary_number": "HSN 50:2-2024",
        }
    )

    body_ids: list[uuid.UUID] = ApiField(min_length=1, max_length=5, description="The first body leads.")
    kind: MeetingKind = MeetingKind.ordinary
    status: MeetingStatus = MeetingStatus.planned
    starts_at: LocalOrAware = ApiField(description="Without an offset: Europe/Stockholm.")
    ends_at: LocalOrAware | None = None


class MeetingUpdate(_MeetingFields):
    """Changes to a meeting: only the fields sent change; `null` clears an optional field."""

    model_config = examples({"place": "Skellefteå stadshus", "status": "convened"})

    body_ids: list[uuid.UUID] | None = ApiField(default=None, min_length=1, max_length=5)
    kind: Annotated[MeetingKind | None, NotNull] = None
    status: Annotated[MeetingStatus | None, NotNull] = None
    starts_at: Annotated[LocalOrAware | None, NotNull] = None
    ends_at: LocalOrAware | None = None


class MeetingOut(ResourceOut):
    """A meeting (sammanträde) of one or more bodies: time, place, status and chair."""

    body_ids: list[uuid.UUID]
    kind: MeetingKind
    status: MeetingStatus
    title: str | None
    starts_at: datetime = ApiField(description="In Europe/Stockholm, with its offset.")
    ends_at: datetime | None
    place: str | None
    online: bool
    diary_number: str | None
    chair_id: uuid.UUID | None
    adjuster_ids: list[uuid.UUID]
    notes: str | None
    item_range: str | None = ApiField(description="First–last item number, e.g. `15-25`.")
    source: RecordSource = ApiField(description="`manual`, or `protocol` when an import wrote it last.")


# --- API models: attendance ---


class AttendanceIn(ApiModel):
    """One person's attendance at a meeting: present, absent or excused, in a role, for a body."""

    person_id: uuid.UUID
    status: AttendanceStatus = AttendanceStatus.present
    role: AttendanceRole = AttendanceRole.member
    body_id: uuid.UUID | None = ApiField(default=None, description="Which body's list (joint meetings).")
    on_behalf_of_id: uuid.UUID | None = None
    substitute_for_id: uuid.UUID | None = ApiField(default=None, description="Required for a substitute.")
    from_item: str | None = ApiField(
        default=None, pattern=ITEM_NUMBER_PATTERN, description="Present from this item on (joined late)."
    )
    to_item: str | None = ApiField(
        default=None, pattern=ITEM_NUMBER_PATTERN, description="Present up to and including this item (left early)."
    )
    absent_items: list[ItemNumber] = ApiField(
        default_factory=list,
        max_length=100,
        description="Items the person was absent for while otherwise present, e.g. `12` (jäv).",
    )
    source: AttendanceSource = AttendanceSource.manual
    joined_at: AwareDatetime | None = None
    left_at: AwareDatetime | None = None
    duration_seconds: int | None = ApiField(default=None, ge=0, le=7 * 86400)
    note: str | None = ApiField(default=None, max_length=500)


class AttendanceList(ApiModel):
    """The whole attendance list of a meeting, replacing the one stored."""

    model_config = examples(
        {
            "attendance": [
                {"person_id": "72621704-068b-458d-baf3-1b047a685afd", "status": "present", "role": "chair"},
                {"person_id": "689e87c3-d5cc-4195-ac82-32515dc8f6c3", "status": "excused", "role": "member"},
            ]
        }
    )

    attendance: list[AttendanceIn] = ApiField(max_length=500)


class AttendanceOut(SQLModel):
    """One person's attendance at a meeting, with their name and party and how it was recorded."""

    id: uuid.UUID
    person_id: uuid.UUID
    person_name: str
    party: str | None
    status: AttendanceStatus
    role: AttendanceRole
    body_id: uuid.UUID | None
    on_behalf_of_id: uuid.UUID | None
    substitute_for_id: uuid.UUID | None
    from_item: str | None
    to_item: str | None
    absent_items: list[str]
    source: AttendanceSource
    joined_at: datetime | None
    left_at: datetime | None
    duration_seconds: int | None
    note: str | None


# --- API models: agenda items ---


class PresenterIn(ApiModel):
    """Who presents an item: a person by id, or a name and organisation for a guest."""

    person_id: uuid.UUID | None = None
    name: str | None = ApiField(default=None, min_length=1, max_length=200)
    organisation: str | None = ApiField(default=None, min_length=1, max_length=200)


class PresenterOut(SQLModel):
    """Who presents an item."""

    person_id: uuid.UUID | None
    name: str
    organisation: str | None


class _ItemFields(ApiModel):
    title: str | None = ApiField(default=None, min_length=1, max_length=500)
    section: str | None = ApiField(default=None, min_length=1, max_length=200, description="A joint part's heading.")
    kind: ItemKind | None = None
    format: ItemFormat | None = None
    presenters: list[PresenterIn] | None = ApiField(default=None, max_length=20)
    case_ids: list[uuid.UUID] | None = ApiField(default=None, max_length=20)
    minutes_text: str | None = ApiField(default=None, max_length=100_000)
    public: bool | None = None
    position: int | None = ApiField(default=None, ge=0, le=10_000)


class AgendaItemCreate(_ItemFields):
    """A new agenda item (§) on a meeting; `number` is free per body and meeting (see next-item-number)."""

    model_config = examples(
        {
            "meeting_id": "b1ccf0de-febf-4eb4-bc9c-aa1b0f03b02c",
            "number": "5",
            "title": "Avtal om läkarmedverkan i kommunal hälso- och sjukvård",
            "kind": "decision",
            "format": "written",
            "case_ids": ["7d93f379-54ad-4ca5-956f-648afc89cfd9"],
            "presenters": [
                {"person_id": "689e87c3-d5cc-4195-ac82-32515dc8f6c3"},
                {"name": "Karin Berg", "organisation": "Region Västerbotten"},
            ],
        }
    )

    meeting_id: uuid.UUID
    title: str = ApiField(min_length=1, max_length=500)
    kind: ItemKind = ItemKind.information
    number: str | None = ApiField(
        default=None, pattern=ITEM_NUMBER_PATTERN, description="Default: the body's next free number this year."
    )
    body_id: uuid.UUID | None = ApiField(default=None, description="Default: the meeting's lead body.")


class AgendaItemUpdate(_ItemFields):
    """Changes to an agenda item: only the fields sent change; `null` clears an optional field."""

    model_config = examples({"title": "Avtal om läkarmedverkan", "position": 6})

    number: Annotated[str | None, NotNull] = ApiField(default=None, pattern=ITEM_NUMBER_PATTERN)


class AgendaItemOut(ResourceOut):
    """An agenda item (§) of a meeting: its number, title, kind, presenters and the cases it handles."""

    meeting_id: uuid.UUID
    body_id: uuid.UUID
    number: str
    position: int
    title: str
    section: str | None
    kind: ItemKind
    format: ItemFormat | None
    presenters: list[PresenterOut]
    case_ids: list[uuid.UUID]
    minutes_text: str | None
    public: bool
    source: RecordSource = ApiField(description="`manual`, or `protocol` when an import wrote it last.")


class NextNumber(SQLModel):
    """The next free item number on a meeting's agenda for a body and year."""

    body_id: uuid.UUID
    year: int
    number: str
