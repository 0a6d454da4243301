"""Time zones: meeting times are entered and shown in Europe/Stockholm and stored in UTC."""

import re
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator

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


_ISO_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}", re.ASCII)


def _iso_8601(value: object) -> object:
    """pydantic also reads a number as seconds since 1970 ("0" is 1970-01-01); the contract says ISO 8601."""
    if isinstance(value, str) and not _ISO_DATE_START.match(value):
        raise ValueError("must be an ISO 8601 date (2024-05-03) or date-time (2024-05-03T09:30:00+02:00)")
    return value


# Dates and times given in a query string, or absent.
QueryDate = Annotated[date | None, BeforeValidator(_iso_8601)]
QueryDateTime = Annotated[datetime | None, BeforeValidator(_iso_8601)]
