"""Lesson weeks and lesson days: holidays removed, windows such as 'the last 4 lesson weeks' as of a date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


def day_numbers(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 as int32 (NaT is not expected here: validation removed it)."""
    return np.asarray(dates, dtype="datetime64[D]").astype(np.int64).astype(np.int32)


def week_numbers(days: np.ndarray) -> np.ndarray:
    """Monday-based week number of a day number (1970-01-05, a Monday, starts week 1)."""
    return (days.astype(np.int32) + 3) // 7


def week_monday(week: int) -> np.datetime64:
    return np.datetime64(int(week) * 7 - 3, "D")


@dataclass(frozen=True)
class LessonCalendar:
    """The lesson weeks up to the as-of date, oldest first, and the lesson days in them."""

    as_of_day: int
    weeks: np.ndarray  # week numbers of lesson weeks, ascending, the last one holds as_of or is before it
    days: np.ndarray  # day numbers of lesson days (weekdays of lesson weeks, outside holidays, up to as_of)

    @property
    def n_weeks(self) -> int:
        return int(self.weeks.size)

    def week_position(self, day_numbers_: np.ndarray) -> np.ndarray:
        """Position of each day's week among the lesson weeks (0 = oldest); -1 outside lesson weeks."""
        weeks = week_numbers(day_numbers_)
        pos = np.searchsorted(self.weeks, weeks)
        pos_clipped = np.clip(pos, 0, max(self.weeks.size - 1, 0))
        ok = (self.weeks.size > 0) & (pos < self.weeks.size)
        ok = ok & (self.weeks[pos_clipped] == weeks) if self.weeks.size else np.zeros(weeks.shape, bool)
        return np.where(ok, pos_clipped, -1).astype(np.int32)

    def day_position(self, day_numbers_: np.ndarray) -> np.ndarray:
        """Position of each day among the lesson days; -1 for days that are not lesson days."""
        pos = np.searchsorted(self.days, day_numbers_)
        pos_clipped = np.clip(pos, 0, max(self.days.size - 1, 0))
        ok = (
            (pos < self.days.size) & (self.days[pos_clipped] == day_numbers_)
            if self.days.size
            else np.zeros(np.shape(day_numbers_), bool)
        )
        return np.where(ok, pos_clipped, -1).astype(np.int32)

    def window_start_position(self, n_weeks: int) -> int:
        """First week position of the last n lesson weeks."""
        return max(self.n_weeks - n_weeks, 0)

    def window_dates(self, first_pos: int, last_pos: int) -> tuple[str, str]:
        """Monday of the first and Friday of the last lesson week of a window, as ISO dates."""
        start = week_monday(int(self.weeks[first_pos]))
        end = min(
            week_monday(int(self.weeks[last_pos])) + np.timedelta64(4, "D"), np.datetime64(int(self.as_of_day), "D")
        )
        return str(start), str(end)


def build_calendar(
    activity_days: Sequence[np.ndarray],
    as_of: pd.Timestamp,
    holidays: Iterable[tuple[str, str]] = (),
    *,
    infer_holidays: bool = False,
) -> LessonCalendar:
    """Lesson weeks from the first registration to as_of.

    With holidays given (the school's calendar), weeks whose weekdays all fall in a holiday are not lesson
    weeks. Without them, and with `infer_holidays` (registrations of presence of the whole school), a week
    with no registration at all counts as a holiday; otherwise every week is a lesson week: an export of
    absences alone says nothing about the weeks in which nobody was absent.
    """
    as_of_day = int(np.datetime64(pd.Timestamp(as_of).date(), "D").astype(np.int64))
    arrays = [np.asarray(a, dtype=np.int32) for a in activity_days if len(a)]
    all_days = np.concatenate(arrays) if arrays else np.array([as_of_day], dtype=np.int32)
    all_days = all_days[all_days <= as_of_day]
    if all_days.size == 0:
        all_days = np.array([as_of_day], dtype=np.int32)
    first_week = int(week_numbers(np.array([all_days.min()]))[0])
    last_week = int(week_numbers(np.array([as_of_day]))[0])
    candidate_weeks = np.arange(first_week, last_week + 1, dtype=np.int32)
    weekdays = (candidate_weeks[:, None] * 7 - 3 + np.arange(5)[None, :]).astype(np.int32)
    holiday_list = list(holidays)
    if holiday_list:
        in_holiday = np.zeros(weekdays.shape, dtype=bool)
        for first, last in holiday_list:
            lo = int(np.datetime64(first, "D").astype(np.int64))
            hi = int(np.datetime64(last, "D").astype(np.int64))
            in_holiday |= (weekdays >= lo) & (weekdays <= hi)
        lesson_week = ~in_holiday.all(axis=1)
        lesson_day = ~in_holiday
    elif infer_holidays:
        active_weeks = np.unique(week_numbers(all_days))
        lesson_week = np.isin(candidate_weeks, active_weeks)
        lesson_day = np.ones(weekdays.shape, dtype=bool)
    else:
        lesson_week = np.ones(candidate_weeks.shape, dtype=bool)
        lesson_day = np.ones(weekdays.shape, dtype=bool)
    weeks = candidate_weeks[lesson_week]
    days = weekdays[lesson_week][lesson_day[lesson_week]]
    days = np.sort(days[days <= as_of_day])
    return LessonCalendar(as_of_day=as_of_day, weeks=weeks, days=days)


def first_day_position(calendar: LessonCalendar, week_pos: int) -> int:
    """Position among the lesson days of the Monday of a lesson week."""
    if calendar.n_weeks == 0 or calendar.days.size == 0:
        return 0
    monday = int(calendar.weeks[week_pos]) * 7 - 3
    return int(np.searchsorted(calendar.days, monday))
