"""Meetings of the joint bodies, who attended them, and the items on their agendas."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime
from pydantic import Field as ApiField
from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut

ITEM_NUMBER_PATTERN = r"^[0-9]{1,4}[a-z]?$"


class MeetingKind(StrEnum):
    ordinary = "ordinary"
    extra = "extra"
    joint = "joint"
    seminar = "seminar"


class MeetingStatus(StrEnum):
    planned = "planned"
    convened = "convened"
    held = "held"
    minutes_approved = "minutes_approved"
    cancelled = "cancelled"


class AttendanceStatus(StrEnum):
    present = "present"
    absent = "absent"
    excused = "excused"


class AttendanceRole(StrEnum):
    chair = "chair"
    adjuster = "adjuster"
    member = "member"
    substitute = "substitute"
    official = "official"
    co_opted = "co_opted"
    presenter = "presenter"
    guest = "guest"


class AttendanceSource(StrEnum):
    manual = "manual"
    protocol = "protocol"
    teams = "teams"


class ItemKind(StrEnum):
    information = "information"
    decision = "decision"
    standing = "standing"


class ItemFormat(StrEnum):
    oral = "oral"
    written = "written"


class Meeting(Resource, table=True):
    __tablename__ = "meetings"

    kind: MeetingKind = Field(sa_column=enum_column(MeetingKind))
    status: MeetingStatus = Field(sa_column=enum_column(MeetingStatus))
    title: str | None = Field(default=None, max_length=200)
    # The lead body, copied from the first of meeting_bodies so lists filter and sort with a plain index.
    lead_body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    place: str | None = Field(default=None, max_length=200)
    online: bool = False
    diary_number: str | None = Field(default=None, max_length=60, index=True)
    chair_id: uuid.UUID | None = Field(default=None, foreign_key="people.id")
    notes: str | None = Field(default=None, sa_column=Column(Text))


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
    # A heading the item stands under, e.g. "Systemledning tillsammans med Länssamverkansgruppen".
    section: str | None = Field(default=None, max_length=200)
    kind: ItemKind = Field(sa_column=enum_column(ItemKind))
    format: ItemFormat | None = Field(default=None, sa_column=enum_column(ItemFormat, nullable=True))
    minutes_text: str | None = Field(default=None, sa_column=Column(Text))
    public: bool = True


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
    body_ids: list[uuid.UUID] = ApiField(min_length=1, max_length=5, description="The first body leads.")
    kind: MeetingKind = MeetingKind.ordinary
    status: MeetingStatus = MeetingStatus.planned
    starts_at: LocalOrAware = ApiField(description="Without an offset: Europe/Stockholm.")
    ends_at: LocalOrAware | None = None


class MeetingUpdate(_MeetingFields):
    body_ids: list[uuid.UUID] | None = ApiField(default=None, min_length=1, max_length=5)
    kind: Annotated[MeetingKind | None, NotNull] = None
    status: Annotated[MeetingStatus | None, NotNull] = None
    starts_at: Annotated[LocalOrAware | None, NotNull] = None
    ends_at: LocalOrAware | None = None


class MeetingOut(ResourceOut):
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


# --- API models: attendance ---


class AttendanceIn(ApiModel):
    person_id: uuid.UUID
    status: AttendanceStatus = AttendanceStatus.present
    role: AttendanceRole = AttendanceRole.member
    body_id: uuid.UUID | None = ApiField(default=None, description="Which body's list (joint meetings).")
    on_behalf_of_id: uuid.UUID | None = None
    substitute_for_id: uuid.UUID | None = ApiField(default=None, description="Required for a substitute.")
    from_item: str | None = ApiField(default=None, pattern=ITEM_NUMBER_PATTERN, description="Joined from item.")
    to_item: str | None = ApiField(default=None, pattern=ITEM_NUMBER_PATTERN, description="Present up to item.")
    source: AttendanceSource = AttendanceSource.manual
    joined_at: AwareDatetime | None = None
    left_at: AwareDatetime | None = None
    duration_seconds: int | None = ApiField(default=None, ge=0, le=7 * 86400)
    note: str | None = ApiField(default=None, max_length=500)


class AttendanceList(ApiModel):
    attendance: list[AttendanceIn] = ApiField(max_length=500)


class AttendanceOut(SQLModel):
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
    source: AttendanceSource
    joined_at: datetime | None
    left_at: datetime | None
    duration_seconds: int | None
    note: str | None


# --- API models: agenda items ---


class PresenterIn(ApiModel):
    person_id: uuid.UUID | None = None
    name: str | None = ApiField(default=None, min_length=1, max_length=200)
    organisation: str | None = ApiField(default=None, min_length=1, max_length=200)


class PresenterOut(SQLModel):
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
    meeting_id: uuid.UUID
    title: str = ApiField(min_length=1, max_length=500)
    kind: ItemKind = ItemKind.information
    number: str | None = ApiField(
        default=None, pattern=ITEM_NUMBER_PATTERN, description="Default: the body's next free number this year."
    )
    body_id: uuid.UUID | None = ApiField(default=None, description="Default: the meeting's lead body.")


class AgendaItemUpdate(_ItemFields):
    number: Annotated[str | None, NotNull] = ApiField(default=None, pattern=ITEM_NUMBER_PATTERN)


class AgendaItemOut(ResourceOut):
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


class NextNumber(SQLModel):
    body_id: uuid.UUID
    year: int
    number: str
