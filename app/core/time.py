"""Time zones: meeting times are entered and shown in Europe/Stockholm and stored in UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def to_utc(value: datetime) -> datetime:
    """An aware time as UTC; a naive one is taken as Stockholm local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=STOCKHOLM)
    return value.astimezone(UTC)


def local(value: datetime) -> datetime:
    return value.astimezone(STOCKHOLM)


def local_date(value: datetime) -> date:
    return local(value).date()


def today() -> date:
    return datetime.now(STOCKHOLM).date()
