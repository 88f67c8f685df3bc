"""Attendance rows up to the as-of date as flat integer arrays, shared by features and flags; the student universe."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.ingest.profiles import ATTENDANCE_CODES
from riskscreen.signals.calendar import LessonCalendar, build_calendar, day_numbers

CODE_INDEX = {c: i for i, c in enumerate(ATTENDANCE_CODES)}


def student_universe(exports: Exports, as_of: pd.Timestamp | None = None) -> pd.Index:
    """Every student of the run: the roster's, plus anyone with registrations or grades on or before as_of."""
    ids: set[str] = set()
    if exports.students is not None:
        ids.update(exports.students["student_id"].astype(str).to_numpy(dtype=object).tolist())
    limit = pd.Timestamp(as_of if as_of is not None else exports.as_of).to_datetime64()
    for frame in (exports.attendance, exports.grades):
        series = frame["student_id"]
        codes = series.cat.codes.to_numpy()[(frame["date"].to_numpy() <= limit)]
        used = np.unique(codes[codes >= 0])
        ids.update(series.cat.categories[used].astype(str).to_numpy(dtype=object).tolist())
    return pd.Index(sorted(ids), name="student_id", dtype=object)


def student_codes(series: pd.Series, universe: pd.Index) -> np.ndarray:
    """Integer code of each row's student in the universe; -1 for students outside it."""
    categories = pd.Index(series.cat.categories.astype(str))
    lookup = universe.get_indexer(categories)
    codes = series.cat.codes.to_numpy()
    return np.where(codes >= 0, lookup[np.clip(codes, 0, None)] if lookup.size else -1, -1).astype(np.int64)


def calendar_basis(exports: Exports) -> str:
    """Where the lesson weeks come from: 'holidays' (the school's calendar), 'presence' (an export that
    registers presence: a week without any registration was a holiday) or 'every_week' (an export of absences
    only and no calendar: every week counts, so a holiday can hide a statutory signal but never make one)."""
    if exports.holidays:
        return "holidays"
    if exports.presence_rows and exports.presence_rows >= len(exports.attendance):
        return "presence"
    return "every_week"


def calendar_for(exports: Exports, as_of: pd.Timestamp) -> LessonCalendar:
    basis = calendar_basis(exports)
    if basis == "presence" and exports.registration_days is not None:
        activity = [day_numbers(exports.registration_days)]
    else:
        activity = [day_numbers(exports.attendance["date"].to_numpy()), day_numbers(exports.grades["date"].to_numpy())]
    return build_calendar(activity, as_of, exports.holidays, infer_holidays=basis == "presence")


@dataclass(frozen=True)
class AttendanceRows:
    """Attendance rows up to as_of as flat integer arrays, shared by features and flags."""

    student: np.ndarray
    day: np.ndarray
    week_pos: np.ndarray
    day_pos: np.ndarray
    code: np.ndarray
    hours: np.ndarray


def attendance_rows(exports: Exports, universe: pd.Index, calendar: LessonCalendar) -> AttendanceRows:
    frame = exports.attendance
    day = day_numbers(frame["date"].to_numpy())
    keep = day <= calendar.as_of_day
    student = student_codes(frame["student_id"], universe)
    keep &= student >= 0
    code_lookup = np.array([CODE_INDEX[str(c)] for c in frame["code"].cat.categories], dtype=np.int8)
    code = code_lookup[frame["code"].cat.codes.to_numpy()]
    day = day[keep]
    return AttendanceRows(
        student=student[keep],
        day=day,
        week_pos=calendar.week_position(day),
        day_pos=calendar.day_position(day),
        code=code[keep],
        hours=frame["hours"].to_numpy(dtype=float)[keep],
    )


def sum_by_student(student: np.ndarray, weights: np.ndarray | None, n: int) -> np.ndarray:
    return np.bincount(student, weights=weights, minlength=n).astype(float)


def sick_spells(rows: AttendanceRows, n: int, first_day_pos: int) -> tuple[np.ndarray, np.ndarray]:
    """Per student: separate sick spells and the longest spell (consecutive lesson days) from a day on."""
    mask = (rows.code == CODE_INDEX["sick"]) & (rows.day_pos >= first_day_pos)
    if not mask.any():
        return np.zeros(n), np.zeros(n)
    key = np.unique(rows.student[mask].astype(np.int64) * 1_000_000 + rows.day_pos[mask])
    student, day = key // 1_000_000, key % 1_000_000
    starts = np.ones(key.size, dtype=bool)
    starts[1:] = (student[1:] != student[:-1]) | (day[1:] != day[:-1] + 1)
    spells = np.bincount(student[starts], minlength=n).astype(float)
    run = np.cumsum(starts) - 1
    run_length = np.bincount(run)
    longest = np.zeros(n)
    np.maximum.at(longest, student[starts], run_length)
    return spells, longest
