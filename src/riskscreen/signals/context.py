"""What every feature computation reads: attendance rows, the grades of the window, the roster as of a date."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.signals.attendance import CODE_INDEX, AttendanceRows, student_codes, sum_by_student
from riskscreen.signals.calendar import LessonCalendar, day_numbers, week_numbers

SHORT_WEEKS = 4
LONG_WEEKS = 12


class FeatureContext:
    """What every feature computation reads: the attendance rows, the grades in the window, the roster."""

    def __init__(
        self, exports: Exports, universe: pd.Index, calendar: LessonCalendar, rows: AttendanceRows, as_of: pd.Timestamp
    ) -> None:
        self.exports, self.universe, self.calendar, self.rows, self.as_of = exports, universe, calendar, rows, as_of
        self.n = len(universe)
        self.short = calendar.window_start_position(SHORT_WEEKS)
        self.long = calendar.window_start_position(LONG_WEEKS)
        self.in_short = rows.week_pos >= self.short
        self.in_long = rows.week_pos >= self.long

    @cached_property
    def first_enrolled_position(self) -> np.ndarray:
        """Per student, the position of the first lesson week they were enrolled in (the roster's enrolled_from,
        a documented extension): 0 where it is not known, so the student counts as enrolled all along."""
        out = np.zeros(self.n, dtype=np.int64)
        roster = self.roster
        if roster is None or roster.empty or "enrolled_from" not in roster or self.calendar.n_weeks == 0:
            return out
        position = student_codes(roster["student_id"], self.universe)
        dates = roster["enrolled_from"].to_numpy(dtype="datetime64[D]")
        # a date after as_of says nothing about the weeks before it: not known
        ok = (position >= 0) & ~np.isnat(dates) & (dates <= np.datetime64(self.as_of.date(), "D"))
        weeks = week_numbers(dates[ok].astype(np.int64).astype(np.int32))
        out[position[ok]] = np.searchsorted(self.calendar.weeks, weeks)
        # registered or graded before the date (a re-enrolment, a typo): the student was there from then on
        rows = self.rows
        seen = rows.week_pos >= 0
        np.minimum.at(out, rows.student[seen], rows.week_pos[seen].astype(np.int64))
        grades = self.exports.grades
        student = student_codes(grades["student_id"], self.universe)
        day = day_numbers(grades["date"].to_numpy())
        week = self.calendar.week_position(day)
        graded = (student >= 0) & (week >= 0) & (day <= self.calendar.as_of_day)
        np.minimum.at(out, student[graded], week[graded].astype(np.int64))
        return out

    def enrolled_weeks(self, start: int) -> np.ndarray:
        """Per student, the lesson weeks from position `start` to the last that they were enrolled for."""
        return np.maximum(self.calendar.n_weeks - np.maximum(self.first_enrolled_position, start), 0)

    def per_enrolment(self, counts: np.ndarray, start: int) -> np.ndarray:
        """Counts of a window from position `start` as if the student had been enrolled for all of it: a student
        enrolled three weeks ago with 9 hours of truancy is not a student with 9 hours in twelve weeks. The
        multiplier stops at 3 (a third of the window counted as the least), so one bad first week is not made
        into a term's worth."""
        full = max(self.calendar.n_weeks - start, 0)
        if full == 0:
            return counts
        enrolled = self.enrolled_weeks(start)
        floor = -(-full // 3)
        return np.where(enrolled < full, counts * full / np.maximum(enrolled, floor), counts)

    def code(self, name: str) -> np.ndarray:
        if name == "unauthorised":  # luxe verzuim is unauthorised absence too; only its report differs
            return np.isin(self.rows.code, [CODE_INDEX["unauthorised"], CODE_INDEX["luxe"]])
        return self.rows.code == CODE_INDEX[name]

    def hours_where(self, mask: np.ndarray) -> np.ndarray:
        return sum_by_student(self.rows.student[mask], self.rows.hours[mask], self.n)

    def count_where(self, mask: np.ndarray) -> np.ndarray:
        return sum_by_student(self.rows.student[mask], None, self.n)

    @cached_property
    def absent(self) -> np.ndarray:
        return np.isin(
            self.rows.code,
            [CODE_INDEX["unauthorised"], CODE_INDEX["authorised"], CODE_INDEX["sick"], CODE_INDEX["luxe"]],
        )

    @cached_property
    def grades(self) -> GradeRows:
        return GradeRows.of(self)

    @cached_property
    def roster(self) -> pd.DataFrame | None:
        return roster_at(self.exports.students, self.as_of)

    def roster_text(self, name: str) -> np.ndarray:
        """A text roster column per student of the universe; None where unknown."""
        out = np.full(self.n, None, dtype=object)
        roster = self.roster
        if roster is None or roster.empty or name not in roster:
            return out
        position = student_codes(roster["student_id"], self.universe)
        ok = position >= 0
        out[position[ok]] = roster[name].astype(object).to_numpy()[ok]
        return out

    def roster_column(self, name: str) -> np.ndarray:
        """A numeric roster column per student of the universe; NaN where unknown."""
        out = np.full(self.n, np.nan)
        roster = self.roster
        if roster is None or roster.empty or name not in roster:
            return out
        position = student_codes(roster["student_id"], self.universe)
        ok = position >= 0
        out[position[ok]] = roster[name].to_numpy(dtype=float)[ok]
        return out


@dataclass(frozen=True)
class GradeRows:
    """The grades of the last 12 lesson weeks up to as_of, as flat arrays."""

    student: np.ndarray
    subject: np.ndarray
    n_subjects: int
    grade: np.ndarray
    weight: np.ndarray
    is_core: np.ndarray
    recent: np.ndarray  # inside the last 4 lesson weeks

    @classmethod
    def of(cls, ctx: FeatureContext) -> GradeRows:
        calendar, grades = ctx.calendar, ctx.exports.grades
        day = day_numbers(grades["date"].to_numpy())
        student = student_codes(grades["student_id"], ctx.universe)
        week_start_long = int(calendar.weeks[ctx.long]) * 7 - 3 if calendar.n_weeks else calendar.as_of_day
        week_start_short = int(calendar.weeks[ctx.short]) * 7 - 3 if calendar.n_weeks else calendar.as_of_day
        keep = (day <= calendar.as_of_day) & (day >= week_start_long) & (student >= 0)
        subjects = grades["subject"].cat.categories.astype(str)
        core_subject = np.array([ctx.exports.profile.is_core(s) for s in subjects], dtype=bool)
        subject = grades["subject"].cat.codes.to_numpy()[keep]
        return cls(
            student[keep],
            subject,
            len(subjects),
            grades["grade"].to_numpy(dtype=float)[keep],
            grades["weight"].to_numpy(dtype=float)[keep],
            core_subject[subject] if subject.size else np.zeros(0, bool),
            day[keep] >= week_start_short,
        )

    def weighted_mean(self, n: int, mask: np.ndarray | None = None) -> np.ndarray:
        take = slice(None) if mask is None else mask
        weight = sum_by_student(self.student[take], self.weight[take], n)
        with np.errstate(invalid="ignore", divide="ignore"):
            weighted = sum_by_student(self.student[take], (self.weight * self.grade)[take], n)
            return np.where(weight > 0, weighted / weight, np.nan)


def roster_at(students: pd.DataFrame | None, as_of: pd.Timestamp) -> pd.DataFrame | None:
    """One roster row per student as it stood at as_of.

    A roster with an as_of column (a documented extension) holds a row per student per moment: the latest
    row on or before as_of is used, or the student's earliest row if all are later.
    """
    if students is None or "as_of" not in students:
        return students
    frame = students.assign(
        _late=(students["as_of"] > as_of).to_numpy(), _key=students["student_id"].astype(str).to_numpy()
    )
    # on-or-before rows first, the latest of those first; otherwise the earliest later row
    frame = frame.assign(
        _order=np.where(frame["_late"], frame["as_of"].astype("int64"), -frame["as_of"].astype("int64"))
    )
    frame = frame.sort_values(["_key", "_late", "_order"], kind="stable").drop_duplicates("_key", keep="first")
    return frame.drop(columns=["_late", "_key", "_order"])
