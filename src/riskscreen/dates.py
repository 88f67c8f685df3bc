"""Days as riskscreen reads and keeps them: one parser of a date a person wrote, and ISO text for files.

Above the signals stage a day is a `datetime.date`; records on disk (snapshots, the actions book, the bases for
sharing, the aggregate) keep ISO text, converted where they are read and written. Columns of an export are parsed
in bulk by `ingest.parsing`, with the same formats.
"""

from __future__ import annotations

import datetime as dt

# The ways schools' systems and people write a day, most usual first, and how a message names each.
FORMAT_LABEL = {
    "%Y-%m-%d": "YYYY-MM-DD",
    "%d-%m-%Y": "DD-MM-YYYY",
    "%d/%m/%Y": "DD/MM/YYYY",
    "%d.%m.%Y": "DD.MM.YYYY",
    "%Y/%m/%d": "YYYY/MM/DD",
    "%d-%m-%y": "DD-MM-YY",
    "%d/%m/%y": "DD/MM/YY",
    "%d.%m.%y": "DD.MM.YY",
    "%Y%m%d": "YYYYMMDD",
}
DATE_FORMATS = tuple(FORMAT_LABEL)
# the years of a school's registrations, grades, rosters and of the options a person gives
FIRST_YEAR, LAST_YEAR = 2000, 2099


def read_day(text: str, formats: tuple[str, ...] = DATE_FORMATS) -> dt.date | None:
    """The day a person wrote in one of `formats` (the first that reads it), whatever its year; None otherwise."""
    for fmt in formats:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def plausible(day: dt.date) -> bool:
    """Whether a day lies in the years riskscreen reads (FIRST_YEAR to LAST_YEAR)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def written_day(text: str, formats: tuple[str, ...] = DATE_FORMATS) -> dt.date | None:
    """A single date a person wrote (a holiday, a review date, an option) in one of `formats`, within the years
    riskscreen reads; None when it is none of them."""
    day = read_day(text, formats)
    return day if day is not None and plausible(day) else None


def iso(day: dt.date | None) -> str | None:
    """A day as records and JSON keep it (YYYY-MM-DD), or None."""
    return None if day is None else day.isoformat()
