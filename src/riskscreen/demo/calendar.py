"""The sample school's year: when it starts, its holidays, its school days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def school_year_start(as_of: dt.date) -> dt.date:
    """The Monday of the school year's first week (the last full week of August)."""
    year = as_of.year if as_of.month >= 8 else as_of.year - 1
    aug31 = dt.date(year, 8, 31)
    return aug31 - dt.timedelta(days=aug31.weekday() + 7)


def holidays(start: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Typical Dutch school holidays of the school year that starts on `start`: herfst (week 43), kerst (52 to
    1), voorjaar (8) and mei (18), each from its first Monday to its last Friday."""
    y, monday = start.year, dt.date.fromisocalendar
    weeks = (((y, 43), (y, 43)), ((y, 52), (y + 1, 1)), ((y + 1, 8), (y + 1, 8)), ((y + 1, 18), (y + 1, 18)))
    return [(monday(*a, 1), monday(*b, 1) + dt.timedelta(days=4)) for a, b in weeks]


def school_days(as_of: dt.date) -> np.ndarray:
    """Lesson days (weekdays outside holidays) from the school year's start up to and including as_of."""
    start = school_year_start(as_of)
    days = pd.bdate_range(start, as_of).to_numpy(dtype="datetime64[D]")
    keep = np.ones(len(days), dtype=bool)
    for first, last in holidays(start):
        keep &= ~((days >= np.datetime64(first)) & (days <= np.datetime64(last)))
    return days[keep]


def year_end(day: dt.date) -> dt.date:
    """The last Friday of the sample school's year that `day` lies in (mid-July)."""
    end = dt.date(day.year + (1 if day.month >= 8 else 0), 7, 17)
    return end - dt.timedelta(days=(end.weekday() - 4) % 7)


def year_progress(days: np.ndarray) -> np.ndarray:
    """How far into the school year each lesson day lies: 0 on its first day, 1 on its last. The same day has the
    same place however much of the year is generated, so a year written up to November and one written to July
    agree on November."""
    if len(days) == 0:
        return np.zeros(0)
    first = pd.Timestamp(days[0]).date()
    start, end = np.datetime64(school_year_start(first)), np.datetime64(year_end(first))
    span = (end - start).astype("int64")
    return np.clip((days.astype("datetime64[D]") - start).astype("int64") / span, 0.0, 1.0)
