"""Dates: written so they cannot be misread ("11 December 2019", never "11-12-2019"), and today's date for checks."""

from __future__ import annotations

import os
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
        if not epoch.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{epoch}'")
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def parse_iso(text: str) -> date:
    """A date written year-month-day; ValueError with a plain message otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date written year-month-day, such as 2024-03-01") from None
