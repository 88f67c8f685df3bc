"""The school's holiday calendar beside its exports: vakanties.csv, one holiday per line (first day; last day)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path

from riskscreen.dates import written_day
from riskscreen.errors import InputError, UsageError, msg
from riskscreen.files import read_regular, small_text, text_rows

# File names (without extension, lower case) that hold the school's holidays rather than an export.
HOLIDAY_FILES = ("vakanties", "vakantie", "vakantierooster", "schoolvakanties", "holidays")
MAX_HOLIDAY_BYTES = 1 << 20
HOLIDAY_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


def is_holiday_file(path: Path) -> bool:
    return path.stem.strip().lower() in HOLIDAY_FILES


def find_holiday_file(folder: Path | None) -> Path | None:
    """The holiday calendar in an export folder, if there is one (two are refused: which one is meant?)."""
    if folder is None or not Path(folder).is_dir():
        return None
    found = sorted(
        p for p in Path(folder).iterdir() if p.is_file() and is_holiday_file(p) and p.suffix.lower() in {".csv", ".txt"}
    )
    if len(found) > 1:
        raise UsageError(
            msg("two holiday calendars in {folder}: {names}", folder=folder, names=", ".join(p.name for p in found)),
            hint=msg("keep one vakanties.csv"),
        )
    return found[0] if found else None


def read_holidays(path: Path) -> tuple[tuple[str, str], ...]:
    """(first day, last day) as ISO dates, in the file's order. A line is 'first;last' (a third column, the
    holiday's name, is allowed); dates are DD-MM-YYYY or YYYY-MM-DD; a first line without dates is a header."""
    what = msg("holiday calendar")
    text = small_text(
        read_regular(path, limit=MAX_HOLIDAY_BYTES, error=InputError, what=what),
        path,
        what=what,
        hint=msg("write one holiday per line: first day;last day"),
    )
    dialect = ";" if text.count(";") >= text.count(",") else ","
    holidays: list[tuple[str, str]] = []
    for number, cells in text_rows(text, dialect, path, error=InputError):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        first, last = (written_day(c, HOLIDAY_DATE_FORMATS) for c in ([*cells, "", ""])[:2])
        if first is None and last is None and number == 1:
            continue  # the header
        if first is None or last is None:
            raise InputError(
                msg(
                    "line {number} is not a holiday: write first day;last day, such as 19-10-2026;23-10-2026",
                    number=number,
                ),
                path=str(path),
            )
        if last < first:
            raise InputError(
                msg(
                    "line {number}: the holiday ends ({last}) before it starts ({first})",
                    number=number,
                    last=last.isoformat(),
                    first=first.isoformat(),
                ),
                path=str(path),
            )
        holidays.append((first.isoformat(), last.isoformat()))
    if not holidays:
        raise InputError(
            msg("holds no holidays"), hint=msg("write one holiday per line: first day;last day"), path=str(path)
        )
    return tuple(holidays)


def calendar_text(lesson_days: Iterable[dt.date], date_format: str = "%d-%m-%Y") -> str:
    """A vakanties.csv for a school whose lesson days are known (the sample generator's): every run of
    weekdays without lessons between the first and the last lesson day is a holiday."""
    days = sorted(set(lesson_days))
    lines = ["eerste dag;laatste dag"]
    for before, after in itertools.pairwise(days):
        first = before + dt.timedelta(days=1)
        while first.weekday() >= 5:
            first += dt.timedelta(days=1)
        last = after - dt.timedelta(days=1)
        while last.weekday() >= 5:
            last -= dt.timedelta(days=1)
        if first <= last:
            lines.append(f"{first.strftime(date_format)};{last.strftime(date_format)}")
    return "\n".join(lines) + "\n"
