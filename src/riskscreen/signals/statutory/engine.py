"""The statutory engine over a school: attendance rows and roster facts in, each student's entries out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.signals.attendance import CODE_INDEX, AttendanceRows, student_codes
from riskscreen.signals.calendar import LessonCalendar
from riskscreen.signals.context import roster_at
from riskscreen.signals.statutory.duty import duties, hours_bases, statutory_hours
from riskscreen.signals.statutory.reports import (
    DayTable,
    StatutoryEntry,
    StatutoryRules,
    StudentWalk,
    mazl_entry,
    school_year_start,
)


@dataclass(frozen=True)
class StudentFacts:
    """What the statutory rules need to know of each student of the universe."""

    duty: np.ndarray  # duty.LEERPLICHT, RMC or NONE
    basis: np.ndarray  # lesuren, klokuren or export
    bbl: np.ndarray  # bool: a BBL student (time at the employer is not in the export)
    minor: np.ndarray  # bool: under 18, or age not known (prompts then address the parents too)
    lesson_hours: float = 1.0

    @classmethod
    def default(cls, n: int) -> StudentFacts:
        """Nothing known: every student under the full rule, lessons counted as lesuren."""
        return cls(
            duties(np.full(n, np.nan), np.full(n, np.nan)),
            np.full(n, "lesuren", dtype=object),
            np.zeros(n, dtype=bool),
            np.ones(n, dtype=bool),
        )


def student_facts(exports: Exports, universe: pd.Index, as_of: pd.Timestamp) -> StudentFacts:
    """Age, startkwalificatie, level and leerweg from the roster as it stood at as_of."""
    n = len(universe)
    age, qualified = np.full(n, np.nan), np.full(n, np.nan)
    level, leerweg = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    roster = roster_at(exports.students, as_of)
    if roster is not None and not roster.empty:
        position = student_codes(roster["student_id"], universe)
        ok = position >= 0
        for name, target in (("age", age), ("startkwalificatie", qualified)):
            if name in roster:
                target[position[ok]] = roster[name].to_numpy(dtype=float)[ok]
        for name, target in (("level", level), ("leerweg", leerweg)):
            if name in roster:
                target[position[ok]] = roster[name].astype(object).to_numpy()[ok]
    return StudentFacts(
        duty=duties(age, qualified),
        basis=hours_bases(exports.profile.hours_basis, exports.hours_from_export, level),
        bbl=np.array([v == "bbl" for v in leerweg], dtype=bool),
        minor=~(age >= 18),
        lesson_hours=exports.profile.lesson_hours,
    )


def day_table(rows: AttendanceRows, calendar: LessonCalendar, facts: StudentFacts) -> DayTable:
    """Registrations of the school year summed per student and lesson day (one on a day off counts on the lesson
    day before it)."""
    days = calendar.days
    at = np.searchsorted(days, rows.day, side="right") - 1
    keep = (at >= 0) & (rows.day >= school_year_start(calendar.as_of_day))
    student, at, code = rows.student[keep].astype(np.int64), at[keep].astype(np.int64), rows.code[keep]
    hours = statutory_hours(rows.hours[keep], facts.basis[student], facts.lesson_hours)
    key, inverse = np.unique(student * max(days.size, 1) + at, return_inverse=True)

    def total(mask: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
        return np.bincount(inverse[mask], weights=None if weights is None else weights[mask], minlength=key.size)

    late = code == CODE_INDEX["late"]
    return DayTable(
        student=key // max(days.size, 1),
        position=key % max(days.size, 1),
        unauthorised=total(code == CODE_INDEX["unauthorised"], hours),
        luxe=total(code == CODE_INDEX["luxe"], hours),
        late=total(late, None),
        in_school=total(late | (code == CODE_INDEX["removed"]), None),
        sick=total(code == CODE_INDEX["sick"], hours),
    )


def window_ends(calendar: LessonCalendar, weeks: int) -> np.ndarray:
    """For each lesson day, the position of the first lesson day `weeks` lesson weeks later (same weekday), or
    past the last lesson day: a window from any weekday that steps over holidays."""
    days = calendar.days
    key = calendar.week_position(days).astype(np.int64) * 7 + (days.astype(np.int64) + 3) % 7
    return np.searchsorted(key, key + 7 * weeks)


def most_in_a_window(table: DayTable, n: int, n_days: int, window_end: np.ndarray) -> np.ndarray:
    """Per student the most unauthorised hours (luxe included) in any window that starts on a lesson day."""
    hours = table.unauthorised + table.luxe
    busy = np.unique(table.student[hours > 0])
    if busy.size == 0:
        return np.zeros(n)
    row = np.searchsorted(busy, table.student)
    keep = (row < busy.size) & (busy[np.minimum(row, busy.size - 1)] == table.student)
    cumulative = np.zeros((busy.size, n_days + 1))
    np.add.at(cumulative, (row[keep], table.position[keep] + 1), hours[keep])
    cumulative = np.cumsum(cumulative, axis=1)
    sums = cumulative[:, window_end] - cumulative[:, :n_days]
    out = np.zeros(n)
    out[busy] = np.round(sums.max(axis=1), 6)
    return out


def statutory_entries(
    rows: AttendanceRows, calendar: LessonCalendar, n: int, rules: StatutoryRules, facts: StudentFacts
) -> list[list[StatutoryEntry]]:
    """Every student's reports of the school year (16u, vervolgmeldingen, rmc18, lrv, luxe, overig), in the order
    they became due."""
    out: list[list[StatutoryEntry]] = [[] for _ in range(n)]
    if calendar.days.size == 0:
        return out
    table = day_table(rows, calendar, facts)
    window_end, lrv_end = window_ends(calendar, rules.weeks), window_ends(calendar, rules.lrv_weeks)
    # Only a student with enough hours in some window can have a report: a 16-hour (or RMC) report needs its
    # threshold within `weeks` lesson weeks, and LRV a lesson day away (lrv_day_hours) in each of 4 lesson weeks.
    threshold = min(rules.hours, rules.rmc_hours, rules.lrv_day_hours * rules.lrv_weeks)
    interesting = most_in_a_window(table, n, calendar.days.size, window_end) >= threshold
    interesting |= np.bincount(table.student, weights=table.luxe, minlength=n) > 0
    if rules.overig_late:
        interesting |= np.bincount(table.student, weights=table.late, minlength=n) >= rules.overig_late
    if not interesting.any():
        return out
    bounds = np.searchsorted(table.student, np.arange(n + 1))
    for i in np.flatnonzero(interesting):
        rows_of = slice(bounds[i], bounds[i + 1])
        walk = StudentWalk(
            calendar,
            window_end,
            lrv_end,
            rules,
            str(facts.duty[i]),
            str(facts.basis[i]),
            bool(facts.bbl[i]),
            bool(facts.minor[i]),
        )
        out[i] = walk.entries(
            table.position[rows_of],
            table.unauthorised[rows_of],
            table.luxe[rows_of],
            table.late[rows_of],
            table.in_school[rows_of],
        )
    return out


def mazl_entries(
    rows: AttendanceRows,
    flagged: np.ndarray,
    first_day_pos: int,
    calendar: LessonCalendar,
    rules: StatutoryRules,
    facts: StudentFacts,
) -> dict[int, StatutoryEntry]:
    """The M@ZL entry of each student with the sick-leave flag: the spell's (or spells') own dates."""
    out: dict[int, StatutoryEntry] = {}
    sick = (rows.code == CODE_INDEX["sick"]) & (rows.day_pos >= first_day_pos) & flagged[rows.student]
    student, day_pos, day_hours = rows.student[sick], rows.day_pos[sick], rows.hours[sick]
    order = np.argsort(student, kind="stable")
    student, day_pos, day_hours = student[order], day_pos[order], day_hours[order]
    bounds = np.searchsorted(student, np.arange(flagged.size + 1))
    for i in np.flatnonzero(flagged):
        mine = slice(bounds[i], bounds[i + 1])
        positions, inverse = np.unique(day_pos[mine], return_inverse=True)
        hours = np.bincount(inverse, weights=day_hours[mine], minlength=positions.size)
        entry = mazl_entry(positions, hours, calendar, rules, str(facts.basis[i]), bool(facts.minor[i]))
        if entry is not None:
            out[int(i)] = entry
    return out
