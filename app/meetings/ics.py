"""Meetings as an iCalendar feed (RFC 5545) that Outlook and other calendars can subscribe to."""

from datetime import UTC, datetime

from app.meetings.models import Meeting, MeetingStatus

PRODID = "-//Regional samverkan Västerbotten//Samverkan API//SV"


def _escape(text: str) -> str:
    # Any line break (CRLF, a lone CR) becomes \n: a raw CR would end the content line in the middle of the text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(meetings: list[tuple[Meeting, str]], name: str) -> str:
    """`meetings` pairs each meeting with the name of its leading body."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Europe/Stockholm",
    ]
    for meeting, body_name in meetings:
        summary = body_name + (f": {meeting.title}" if meeting.title else "")
        description = f"Diarienummer {meeting.diary_number}" if meeting.diary_number else ""
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.id}@samverkan-api",
            f"DTSTAMP:{_utc(meeting.updated_at)}",
            f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
            f"SEQUENCE:{meeting.version}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(meeting.ends_at or meeting.starts_at)}",
            f"SUMMARY:{_escape(summary)}",
            f"STATUS:{'CANCELLED' if meeting.status is MeetingStatus.cancelled else 'CONFIRMED'}",
        ]
        if meeting.place:
            lines.append(f"LOCATION:{_escape(meeting.place)}")
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
