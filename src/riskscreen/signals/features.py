"""Per-student features as of an explicit date, vectorised over integer student codes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.ingest.profiles import ATTENDANCE_CODES, LEVELS
from riskscreen.signals.calendar import LessonCalendar, build_calendar, day_numbers

SHORT_WEEKS = 4
LONG_WEEKS = 12
FAIL_BELOW = 5.5


@dataclass(frozen=True)
class FeatureSpec:
    """A feature's name, what it measures, and the direction in which it raises risk (+1, -1, 0 free)."""

    name: str
    description: str
    unit: str
    direction: int
    group: str


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("unauthorised_hours_4w", "unauthorised absence in the last 4 lesson weeks", "hours", 1, "attendance"),
    FeatureSpec("unauthorised_hours_12w", "unauthorised absence in the last 12 lesson weeks", "hours", 1, "attendance"),
    FeatureSpec("authorised_hours_12w", "authorised absence in the last 12 lesson weeks", "hours", 1, "attendance"),
    FeatureSpec("sick_hours_12w", "sick leave in the last 12 lesson weeks", "hours", 1, "attendance"),
    FeatureSpec("sick_spells_12w", "separate sick spells in the last 12 lesson weeks", "spells", 1, "attendance"),
    FeatureSpec("late_4w", "late arrivals in the last 4 lesson weeks", "times", 1, "attendance"),
    FeatureSpec("removed_12w", "removals from class in the last 12 lesson weeks", "times", 1, "attendance"),
    FeatureSpec("absence_trend", "absence hours per week in the last 4 lesson weeks minus the 8 before", "hours/week",
                1, "attendance"),
    FeatureSpec("grade_mean_12w", "weighted mean grade of the last 12 lesson weeks", "grade", -1, "grades"),
    FeatureSpec("fails_12w", "grades below 5.5 in the last 12 lesson weeks", "grades", 1, "grades"),
    FeatureSpec("core_fails_12w", "core-subject grades below 5.5 in the last 12 lesson weeks", "grades", 1, "grades"),
    FeatureSpec("core_min_avg_12w", "lowest core-subject average of the last 12 lesson weeks", "grade", -1, "grades"),
    FeatureSpec("grade_trend", "mean grade of the last 4 lesson weeks minus that of the 8 before", "grade", -1,
                "grades"),
    FeatureSpec("repeated_years", "school years repeated so far", "years", 1, "roster"),
    FeatureSpec("moved_down", "moves to a lower level so far", "times", 1, "roster"),
    FeatureSpec("over_age", "years older than usual for the school year", "years", 1, "roster"),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
SPEC = {f.name: f for f in FEATURES}
# Not model features: context for people and for the rule-based baseline.
CONTEXT_COLUMNS = ("absence_rate_12w", "has_registrations", "has_grades")
LEVEL_COLUMNS = tuple(f"level_{lv}" for lv in LEVELS)
LESSON_HOURS_PER_WEEK = 30.0

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


def calendar_for(exports: Exports, as_of: pd.Timestamp) -> LessonCalendar:
    activity = [day_numbers(exports.attendance["date"].to_numpy()), day_numbers(exports.grades["date"].to_numpy())]
    return build_calendar(activity, as_of, exports.profile.holidays)


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
    return AttendanceRows(student=student[keep], day=day, week_pos=calendar.week_position(day),
                          day_pos=calendar.day_position(day), code=code[keep],
                          hours=frame["hours"].to_numpy(dtype=float)[keep])


def _sum(student: np.ndarray, weights: np.ndarray | None, n: int) -> np.ndarray:
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


def build_features(exports: Exports, as_of: pd.Timestamp | None = None, *, universe: pd.Index | None = None,
                   precomputed: tuple[LessonCalendar, AttendanceRows] | None = None) -> pd.DataFrame:
    """One row per student: the documented features, using nothing dated after as_of."""
    as_of = pd.Timestamp(as_of if as_of is not None else exports.as_of)
    universe = universe if universe is not None else student_universe(exports, as_of)
    n = len(universe)
    if precomputed is None:
        calendar = calendar_for(exports, as_of)
        rows = attendance_rows(exports, universe, calendar)
    else:
        calendar, rows = precomputed
    out: dict[str, np.ndarray] = {}
    short = calendar.window_start_position(SHORT_WEEKS)
    long = calendar.window_start_position(LONG_WEEKS)
    in_short = rows.week_pos >= short
    in_long = rows.week_pos >= long
    hours = rows.hours
    code = rows.code

    def hours_where(mask: np.ndarray) -> np.ndarray:
        return _sum(rows.student[mask], hours[mask], n)

    unauth = code == CODE_INDEX["unauthorised"]
    out["unauthorised_hours_4w"] = hours_where(unauth & in_short)
    out["unauthorised_hours_12w"] = hours_where(unauth & in_long)
    out["authorised_hours_12w"] = hours_where((code == CODE_INDEX["authorised"]) & in_long)
    out["sick_hours_12w"] = hours_where((code == CODE_INDEX["sick"]) & in_long)
    first_long_day = _first_day_pos(calendar, long)
    out["sick_spells_12w"], _longest = sick_spells(rows, n, first_long_day)
    out["late_4w"] = _sum(rows.student[(code == CODE_INDEX["late"]) & in_short], None, n)
    out["removed_12w"] = _sum(rows.student[(code == CODE_INDEX["removed"]) & in_long], None, n)
    absent = np.isin(code, [CODE_INDEX["unauthorised"], CODE_INDEX["authorised"], CODE_INDEX["sick"]])
    weeks_short = max(calendar.n_weeks - short, 1)
    weeks_before = max(short - long, 1)
    recent = hours_where(absent & in_short) / weeks_short
    before = hours_where(absent & in_long & ~in_short) / weeks_before
    out["absence_trend"] = recent - before if short > long else np.zeros(n)
    weeks_long = max(calendar.n_weeks - long, 1)
    out["absence_rate_12w"] = hours_where(absent & in_long) / (weeks_long * LESSON_HOURS_PER_WEEK)
    out["has_registrations"] = (np.bincount(rows.student, minlength=n) > 0).astype(float)
    out.update(_grade_features(exports, universe, calendar, as_of, long, short))
    out.update(_roster_features(roster_at(exports.students, as_of), universe))
    frame = pd.DataFrame(out, index=universe)
    return frame[[*FEATURE_NAMES, *CONTEXT_COLUMNS, *LEVEL_COLUMNS]]


def _first_day_pos(calendar: LessonCalendar, week_pos: int) -> int:
    if calendar.n_weeks == 0 or calendar.days.size == 0:
        return 0
    monday = int(calendar.weeks[week_pos]) * 7 - 3
    return int(np.searchsorted(calendar.days, monday))


def _grade_features(exports: Exports, universe: pd.Index, calendar: LessonCalendar, as_of: pd.Timestamp,
                    long: int, short: int) -> dict[str, np.ndarray]:
    n = len(universe)
    grades = exports.grades
    day = day_numbers(grades["date"].to_numpy())
    student = student_codes(grades["student_id"], universe)
    week_start_long = int(calendar.weeks[long]) * 7 - 3 if calendar.n_weeks else calendar.as_of_day
    week_start_short = int(calendar.weeks[short]) * 7 - 3 if calendar.n_weeks else calendar.as_of_day
    keep = (day <= calendar.as_of_day) & (day >= week_start_long) & (student >= 0)
    student, day = student[keep], day[keep]
    grade = grades["grade"].to_numpy(dtype=float)[keep]
    weight = grades["weight"].to_numpy(dtype=float)[keep]
    subjects = grades["subject"].cat.categories.astype(str)
    core_subject = np.array([exports.profile.is_core(s) for s in subjects], dtype=bool)
    subject = grades["subject"].cat.codes.to_numpy()[keep]
    is_core = core_subject[subject] if subject.size else np.zeros(0, bool)
    fail = grade < FAIL_BELOW
    out: dict[str, np.ndarray] = {}
    weight_sum = _sum(student, weight, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["grade_mean_12w"] = np.where(weight_sum > 0, _sum(student, weight * grade, n) / weight_sum, np.nan)
        out["fails_12w"] = _sum(student[fail], None, n)
        out["core_fails_12w"] = _sum(student[fail & is_core], None, n)
        n_subjects = len(subjects)
        if n_subjects and is_core.any():
            key = student[is_core].astype(np.int64) * n_subjects + subject[is_core]
            w = np.bincount(key, weights=weight[is_core], minlength=n * n_subjects).reshape(n, n_subjects)
            wg = np.bincount(key, weights=(weight * grade)[is_core], minlength=n * n_subjects).reshape(n, n_subjects)
            averages = np.where(w > 0, wg / np.where(w > 0, w, 1), np.inf)
            lowest = averages.min(axis=1)
            out["core_min_avg_12w"] = np.where(np.isfinite(lowest), lowest, np.nan)
        else:
            out["core_min_avg_12w"] = np.full(n, np.nan)
        recent = day >= week_start_short
        w_recent = _sum(student[recent], weight[recent], n)
        w_before = _sum(student[~recent], weight[~recent], n)
        mean_recent = _sum(student[recent], (weight * grade)[recent], n) / w_recent
        mean_before = _sum(student[~recent], (weight * grade)[~recent], n) / w_before
        out["grade_trend"] = np.where((w_recent > 0) & (w_before > 0), mean_recent - mean_before, np.nan)
    out["has_grades"] = (np.bincount(student, minlength=n) > 0).astype(float)
    return out


def roster_at(students: pd.DataFrame | None, as_of: pd.Timestamp) -> pd.DataFrame | None:
    """One roster row per student as it stood at as_of.

    A roster with an as_of column (a documented extension) holds a row per student per moment: the latest
    row on or before as_of is used, or the student's earliest row if all are later.
    """
    if students is None or "as_of" not in students:
        return students
    frame = students.assign(_late=(students["as_of"] > as_of).to_numpy(),
                            _key=students["student_id"].astype(str).to_numpy())
    # on-or-before rows first, the latest of those first; otherwise the earliest later row
    frame = frame.assign(_order=np.where(frame["_late"], frame["as_of"].astype("int64"),
                                         -frame["as_of"].astype("int64")))
    frame = frame.sort_values(["_key", "_late", "_order"], kind="stable").drop_duplicates("_key", keep="first")
    return frame.drop(columns=["_late", "_key", "_order"])


def _roster_features(students: pd.DataFrame | None, universe: pd.Index) -> dict[str, np.ndarray]:
    n = len(universe)
    out = {name: np.full(n, np.nan) for name in ("repeated_years", "moved_down", "over_age")}
    for column in LEVEL_COLUMNS:
        out[column] = np.full(n, np.nan)
    if students is None or students.empty:
        return out
    position = student_codes(students["student_id"], universe)
    ok = position >= 0
    position = position[ok]
    for name in ("repeated_years", "moved_down"):
        if name in students:
            out[name][position] = students[name].to_numpy(dtype=float)[ok]
    if "age" in students and "year" in students:
        age = students["age"].to_numpy(dtype=float)[ok]
        year = students["year"].to_numpy(dtype=float)[ok]
        out["over_age"][position] = np.maximum(age - (11 + year), 0)
    if "level" in students:
        level = students["level"].astype(object).to_numpy()[ok]
        known = pd.notna(level)
        for lv, column in zip(LEVELS, LEVEL_COLUMNS, strict=True):
            values = np.where(known, (level == lv).astype(float), np.nan)
            out[column][position] = values
    return out
