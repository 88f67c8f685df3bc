"""The table of features as of a date: every declared feature per student, then the context and level columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.ingest.profiles import LEVELS
from riskscreen.signals.attendance import (
    AttendanceRows,
    attendance_rows,
    calendar_for,
    student_codes,
    student_universe,
)
from riskscreen.signals.calendar import LessonCalendar
from riskscreen.signals.context import LONG_WEEKS, SHORT_WEEKS, FeatureContext
from riskscreen.signals.features import FEATURE_NAMES, FEATURES, LESSON_HOURS_PER_WEEK

# Not model features: context for people and for the rule-based baseline.
CONTEXT_COLUMNS = (
    "absence_rate_12w",
    "has_registrations",
    "has_grades",
    "enrolled_weeks_4w",
    "enrolled_weeks_12w",
    "enrolment_scale_4w",
    "enrolment_scale_12w",
)


LEVEL_COLUMNS = tuple(f"level_{lv}" for lv in LEVELS)


def build_features(
    exports: Exports,
    as_of: pd.Timestamp | None = None,
    *,
    universe: pd.Index | None = None,
    precomputed: tuple[LessonCalendar, AttendanceRows] | None = None,
) -> pd.DataFrame:
    """One row per student: every declared feature, then the context and level columns; nothing after as_of."""
    as_of = pd.Timestamp(as_of if as_of is not None else exports.as_of)
    universe = universe if universe is not None else student_universe(exports, as_of)
    if precomputed is None:
        calendar = calendar_for(exports, as_of)
        rows = attendance_rows(exports, universe, calendar)
    else:
        calendar, rows = precomputed
    ctx = FeatureContext(exports, universe, calendar, rows, as_of)
    out: dict[str, np.ndarray] = {spec.name: spec.compute(ctx) for spec in FEATURES if spec.compute is not None}
    starts = {SHORT_WEEKS: ctx.short, LONG_WEEKS: ctx.long}
    for spec in FEATURES:
        if spec.per_enrolment and spec.window_weeks in starts:
            out[spec.name] = ctx.per_enrolment(out[spec.name], starts[spec.window_weeks])
    for weeks, start in starts.items():
        out[f"enrolled_weeks_{weeks}w"] = ctx.enrolled_weeks(start).astype(float)
        out[f"enrolment_scale_{weeks}w"] = ctx.per_enrolment(np.ones(ctx.n), start)
    weeks_long = max(calendar.n_weeks - ctx.long, 1)
    out["absence_rate_12w"] = ctx.hours_where(ctx.absent & ctx.in_long) / (weeks_long * LESSON_HOURS_PER_WEEK)
    out["has_registrations"] = (np.bincount(rows.student, minlength=ctx.n) > 0).astype(float)
    out["has_grades"] = (np.bincount(ctx.grades.student, minlength=ctx.n) > 0).astype(float)
    out.update(_level_columns(ctx))
    return pd.DataFrame(out, index=universe)[[*FEATURE_NAMES, *CONTEXT_COLUMNS, *LEVEL_COLUMNS]]


def _level_columns(ctx: FeatureContext) -> dict[str, np.ndarray]:
    out = {column: np.full(ctx.n, np.nan) for column in LEVEL_COLUMNS}
    roster = ctx.roster
    if roster is None or roster.empty or "level" not in roster:
        return out
    position = student_codes(roster["student_id"], ctx.universe)
    ok = position >= 0
    level = roster["level"].astype(object).to_numpy()[ok]
    known = pd.notna(level)
    for lv, column in zip(LEVELS, LEVEL_COLUMNS, strict=True):
        out[column][position[ok]] = np.where(known, (level == lv).astype(float), np.nan)
    return out
