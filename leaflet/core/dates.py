"""Dates: written so they cannot be misread ("11 December 2019", never "11-12-2019"), and today's date for checks."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z, the last second a date can hold


def today(explicit: date | None = None, environ: Mapping[str, str] | None = None) -> date:
    """The date checks measure against: --today, else SOURCE_DATE_EPOCH (UTC), else the clock.

    SOURCE_DATE_EPOCH is the reproducible-builds convention that also fixes the PDFs' timestamps,
    so a rebuild of the same content on another day writes the same file.
    Raises ValueError when SOURCE_DATE_EPOCH is not a whole number of seconds.
    """
    if explicit is not None:
        return explicit
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        # ASCII digits only, as the reproducible-builds specification says ('²' and '١' are digits to Python).
        if not re.fullmatch(r"[0-9]{1,20}", epoch) or int(epoch) > LATEST_EPOCH:
            raise ValueError(
                f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, from 0 to {LATEST_EPOCH} "
                f"(31 December 9999), not '{epoch}'"
            )
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def parse_iso(text: str) -> date:
    """A date written year-month-day; ValueError with a plain message otherwise."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):  # not 2024-W01-1, nor other digits than 0-9
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date written year-month-day, such as 2024-03-01") from None


ISO_HINT = "write dates as year-month-day, for example 2019-12-11 for 11 December 2019"
_NUMERIC = re.compile(r"^\s*(\d{1,4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,4})\s*$")
_WORDS = re.compile(r"[A-Za-z]+|\d{1,4}")


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _spelled(day: date) -> str:
    return f"{day.isoformat()} for {long_date(day)}"


def suggest(text: str) -> str:
    """How to write a date given in another format; names both readings when it is ambiguous."""
    match = _NUMERIC.match(text)
    if match:
        first, _, second, third = match.groups()
        if len(first) == 4:  # year first, but not zero-padded or with other separators
            found = _real(int(first), int(second), int(third))
            return f"write {_spelled(found)}" if found else ISO_HINT
        if len(third) != 4:
            return "write the year in full, as year-month-day: for example 2019-12-11"
        year, a, b = int(third), int(first), int(second)
        day_first, month_first = _real(year, b, a), _real(year, a, b)
        if day_first and month_first and day_first != month_first:
            return (
                f"this could mean {long_date(day_first)} or {long_date(month_first)}; "
                f"write {day_first.isoformat()} or {month_first.isoformat()}"
            )
        found = day_first or month_first
        return f"write {_spelled(found)}" if found else ISO_HINT
    words = _WORDS.findall(text)
    months = [
        i for i, name in enumerate(MONTH_NAMES, 1) for w in words if w.lower() in (name.lower(), name[:3].lower())
    ]
    numbers = [int(w) for w in words if w.isdigit()]
    years = [n for n in numbers if n > 31]
    days = [n for n in numbers if n <= 31]
    if len(months) == 1 and len(years) == 1 and len(days) == 1:
        found = _real(years[0], months[0], days[0])
        if found:
            return f"write {_spelled(found)}"
    return ISO_HINT


def why_not_real(text: str) -> str:
    """Why a date written YYYY-MM-DD does not exist ('February 2021 has 28 days')."""
    import calendar  # only needed to explain a mistake

    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}; the month comes second, as in 2019-12-11"
    if year < 1:
        return "the year must be 1 or later"
    days = calendar.monthrange(year, month)[1]
    if day < 1:
        return "days start at 01"
    return f"{MONTH_NAMES[month - 1]} {year} has {days} days"
