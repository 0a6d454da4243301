"""What the parsers make of a file, before anything touches the database: plain data, no ids.

The import service matches these against people, bodies and meetings and turns them into a plan.
"""

from datetime import date, datetime

from pydantic import BaseModel, Field


class ParsedInterval(BaseModel):
    joined_at: datetime | None = Field(description="Aware (UTC or Stockholm), or None when unknown.")
    left_at: datetime | None


class ParsedParticipant(BaseModel):
    name: str = Field(description="As written, NFC; '(Guest)'/'(Gäst)' and organisation suffixes kept here.")
    email: str | None = None
    upn: str | None = None
    role: str | None = Field(default=None, description="organizer, presenter, attendee (normalised, English)")
    guest: bool = False
    first_join: datetime | None = None
    last_leave: datetime | None = None
    duration_seconds: int | None = None
    intervals: list[ParsedInterval] = Field(default_factory=list)


class ParsedAttendanceReport(BaseModel):
    layout: str = Field(description="current, summary_2021, legacy_2020, graph_json")
    encoding: str
    delimiter: str | None = None
    language: str | None = Field(default=None, description="en, sv, fr, pl … as detected from the headers")
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    participants: list[ParsedParticipant]
    warnings: list[str] = Field(default_factory=list)
    order_guessed: bool = Field(
        default=False, description="Its dates read both ways (5/6/25) and nothing in the file said which."
    )


class ParsedPresenter(BaseModel):
    name: str
    organisation: str | None = None


class ParsedDecision(BaseModel):
    kind: str = Field(description="noted, resolved, recommendation, assignment, referral")
    text: str
    clauses: list[str] = Field(default_factory=list)
    body: str | None = Field(default=None, description="The deciding body as named in the text, if not the meeting's.")
    assignee: str | None = None
    target: str | None = None


class ParsedItem(BaseModel):
    number: str
    title: str
    kind: str = Field(description="information, decision, standing")
    format: str | None = Field(default=None, description="oral, written")
    section: str | None = None
    presenters: list[ParsedPresenter] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list, description="Labels as written: 'Bilaga 23', 'Bilaga 22.1'")
    minutes_text: str | None = None
    decisions: list[ParsedDecision] = Field(default_factory=list)


class ParsedAttendee(BaseModel):
    name: str
    party: str | None = None
    organisation: str | None = Field(default=None, description="The principal or organisation written after the name.")
    status: str = Field(description="present, absent")
    role: str = Field(description="chair, adjuster, member, substitute, official, co_opted")
    substitute_for: str | None = None
    from_item: str | None = Field(default=None, description="Present from this item on.")
    to_item: str | None = Field(default=None, description="Present up to and including this item.")
    absent_items: list[str] = Field(default_factory=list, description="Absent for these items in between.")
    adjuster: bool = Field(default=False, description="Named minutes adjuster, whatever their role on the list.")
    body: str | None = Field(default=None, description="Which body's list (joint meetings).")
    note: str | None = None


class ParsedNextMeeting(BaseModel):
    on: date
    title: str | None = None
    body: str | None = None
    place: str | None = None
    kind: str | None = Field(default=None, description="seminar, ordinary (from the words of the line)")


class ParsedProtocol(BaseModel):
    body: str
    other_bodies: list[str] = Field(default_factory=list, description="Joint parts: 'Länssamverkansgruppen'.")
    kind: str = Field(default="ordinary", description="ordinary, or joint when another body has a part")
    diary_number: str | None = None
    starts_at: datetime | None = Field(default=None, description="Naive, Europe/Stockholm.")
    ends_at: datetime | None = None
    place: str | None = None
    item_range: tuple[str, str] | None = None
    items: list[ParsedItem]
    attendance: list[ParsedAttendee]
    next_meetings: list[ParsedNextMeeting] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
