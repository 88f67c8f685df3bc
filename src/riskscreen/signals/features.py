"""Per-student features as of an explicit date: each declared once, beside its computation.

A feature is one `@feature(...)` declaration (name, window, unit, direction of concern, prompt kind) on the
function that computes it, and its words in each language's catalogue (text/LANG.toml [features.NAME]: a label
and a reason with {value}). Reasons, conversation prompts, the model's sign rules, the feature sets and the
table in docs/features.md all derive from these; adding a feature means writing one declared function here and
its words in each catalogue (a test checks that every feature has them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from riskscreen.i18n import LANGUAGES, texts
from riskscreen.signals.attendance import (
    sick_spells,
    sum_by_student,
)
from riskscreen.signals.calendar import first_day_position
from riskscreen.signals.context import FeatureContext

FAIL_BELOW = 5.5
LESSON_HOURS_PER_WEEK = 30.0


@dataclass(frozen=True)
class Words:
    """How a feature reads in one language: its name in a table, a reason sentence with {value}, and its norm with
    {norm} (empty where every occurrence is a warning sign, as a repeated year)."""

    label: str
    reason: str
    norm: str = ""


@dataclass(frozen=True)
class FeatureSpec:
    """A feature's declaration.

    direction: +1 when a higher value raises risk, -1 when it lowers it (the model is constrained to it).
    trend: the value is a change; it is a warning sign only in the direction of concern, and shown unsigned.
    prompt: the kind of conversation prompt a reason of this feature brings (text/*.toml [prompts]).
    """

    name: str
    description: str
    unit: str
    direction: int
    group: str  # attendance, grades or roster: where the data come from
    window_weeks: int | None
    prompt: str
    trend: bool = False
    compute: Callable[[FeatureContext], np.ndarray] | None = None
    signal: str = ""  # features of one signal (4 and 12 weeks of the same absence) give one reason at most
    per_enrolment: bool = False  # a count of the window, taken over the weeks the student was enrolled for
    norm: float = 1.0  # where a value becomes a warning sign (docs/features.md names each norm's source)

    def crosses_norm(self, values: np.ndarray) -> np.ndarray:
        """Where values are warning signs by the stated norm: at or above it (a higher value raises risk), below
        it (a lower value does, as an average grade under 5.5), or a change of at least the norm in the direction
        of concern (trends); missing values never are."""
        values = np.asarray(values, dtype=float)
        if self.trend:
            crossed = self.direction * values >= self.norm
        elif self.direction > 0:
            crossed = values >= self.norm
        else:
            crossed = values < self.norm
        return ~np.isnan(values) & crossed

    @property
    def words(self) -> dict[str, Words]:
        """The feature's words in each language, from the catalogues (text/LANG.toml [features.NAME])."""
        return {lang: Words(**texts(lang)["features"][self.name]) for lang in LANGUAGES}


_DECLARED: list[FeatureSpec] = []
Compute = Callable[[FeatureContext], np.ndarray]


def feature(
    name: str,
    *,
    description: str,
    unit: str,
    direction: int,
    group: str,
    window_weeks: int | None,
    prompt: str,
    trend: bool = False,
    norm: float,
    signal: str = "",
    per_enrolment: bool = False,
) -> Callable[[Compute], Compute]:
    """Declare the feature computed by the decorated function; its words are in text/LANG.toml [features.NAME]."""

    def register(compute: Compute) -> Compute:
        _DECLARED.append(
            FeatureSpec(
                name,
                description,
                unit,
                direction,
                group,
                window_weeks,
                prompt,
                trend,
                compute,
                signal or name,
                per_enrolment,
                norm,
            )
        )
        return compute

    return register


# --------------------------------------------------------------------------------------------- attendance
@feature(
    "unauthorised_hours_4w",
    description="unauthorised absence in the last 4 lesson weeks",
    unit="hours",
    direction=1,
    norm=8,
    group="attendance",
    window_weeks=4,
    signal="unauthorised",
    per_enrolment=True,
    prompt="absence",
)
def unauthorised_hours_4w(ctx: FeatureContext) -> np.ndarray:
    return ctx.hours_where(ctx.code("unauthorised") & ctx.in_short)


@feature(
    "unauthorised_hours_12w",
    description="unauthorised absence in the last 12 lesson weeks",
    unit="hours",
    direction=1,
    norm=8,
    group="attendance",
    window_weeks=12,
    signal="unauthorised",
    per_enrolment=True,
    prompt="absence",
)
def unauthorised_hours_12w(ctx: FeatureContext) -> np.ndarray:
    return ctx.hours_where(ctx.code("unauthorised") & ctx.in_long)


@feature(
    "authorised_hours_12w",
    description="authorised absence in the last 12 lesson weeks",
    unit="hours",
    direction=1,
    norm=30,
    group="attendance",
    window_weeks=12,
    per_enrolment=True,
    prompt="absence",
)
def authorised_hours_12w(ctx: FeatureContext) -> np.ndarray:
    return ctx.hours_where(ctx.code("authorised") & ctx.in_long)


@feature(
    "sick_hours_12w",
    description="sick leave in the last 12 lesson weeks",
    unit="hours",
    direction=1,
    norm=42,
    group="attendance",
    window_weeks=12,
    signal="sick",
    per_enrolment=True,
    prompt="sick",
)
def sick_hours_12w(ctx: FeatureContext) -> np.ndarray:
    return ctx.hours_where(ctx.code("sick") & ctx.in_long)


@feature(
    "sick_spells_12w",
    description="separate sick spells in the last 12 lesson weeks",
    unit="spells",
    direction=1,
    norm=4,
    group="attendance",
    window_weeks=12,
    signal="sick",
    per_enrolment=True,
    prompt="sick",
)
def sick_spells_12w(ctx: FeatureContext) -> np.ndarray:
    return sick_spells(ctx.rows, ctx.n, first_day_position(ctx.calendar, ctx.long))[0]


@feature(
    "late_4w",
    description="late arrivals in the last 4 lesson weeks",
    unit="times",
    direction=1,
    norm=3,
    group="attendance",
    window_weeks=4,
    per_enrolment=True,
    prompt="late",
)
def late_4w(ctx: FeatureContext) -> np.ndarray:
    return ctx.count_where(ctx.code("late") & ctx.in_short)


@feature(
    "removed_12w",
    description="removals from class in the last 12 lesson weeks",
    unit="times",
    direction=1,
    norm=1,
    group="attendance",
    window_weeks=12,
    per_enrolment=True,
    prompt="removed",
)
def removed_12w(ctx: FeatureContext) -> np.ndarray:
    return ctx.count_where(ctx.code("removed") & ctx.in_long)


@feature(
    "absence_trend",
    description="absence hours per week in the last 4 lesson weeks minus the 8 before",
    unit="hours/week",
    direction=1,
    norm=2,
    group="attendance",
    window_weeks=12,
    prompt="absence",
    trend=True,
)
def absence_trend(ctx: FeatureContext) -> np.ndarray:
    if ctx.short <= ctx.long:
        return np.zeros(ctx.n)
    # per week the student was enrolled: a student who came in the last 4 weeks has no "before" to rise from
    weeks_short = np.maximum(ctx.enrolled_weeks(ctx.short), 1)
    weeks_before = ctx.enrolled_weeks(ctx.long) - ctx.enrolled_weeks(ctx.short)
    recent = ctx.hours_where(ctx.absent & ctx.in_short) / weeks_short
    before = ctx.hours_where(ctx.absent & ctx.in_long & ~ctx.in_short) / np.maximum(weeks_before, 1)
    return np.where(weeks_before > 0, recent - before, np.nan)


# ------------------------------------------------------------------------------------------------- grades
@feature(
    "grade_mean_12w",
    description="weighted mean grade of the last 12 lesson weeks",
    unit="grade",
    direction=-1,
    norm=FAIL_BELOW,
    group="grades",
    window_weeks=12,
    signal="grade_level",
    prompt="grades",
)
def grade_mean_12w(ctx: FeatureContext) -> np.ndarray:
    return ctx.grades.weighted_mean(ctx.n)


@feature(
    "fails_12w",
    description="grades below 5.5 in the last 12 lesson weeks",
    unit="grades",
    direction=1,
    norm=3,
    group="grades",
    window_weeks=12,
    signal="fails",
    per_enrolment=True,
    prompt="grades",
)
def fails_12w(ctx: FeatureContext) -> np.ndarray:
    g = ctx.grades
    return sum_by_student(g.student[g.grade < FAIL_BELOW], None, ctx.n)


@feature(
    "core_fails_12w",
    description="core-subject grades below 5.5 in the last 12 lesson weeks",
    unit="grades",
    direction=1,
    norm=1,
    group="grades",
    window_weeks=12,
    signal="fails",
    per_enrolment=True,
    prompt="grades",
)
def core_fails_12w(ctx: FeatureContext) -> np.ndarray:
    g = ctx.grades
    return sum_by_student(g.student[(g.grade < FAIL_BELOW) & g.is_core], None, ctx.n)


@feature(
    "core_min_avg_12w",
    description="lowest core-subject average of the last 12 lesson weeks",
    unit="grade",
    direction=-1,
    norm=FAIL_BELOW,
    group="grades",
    window_weeks=12,
    signal="grade_level",
    prompt="grades",
)
def core_min_avg_12w(ctx: FeatureContext) -> np.ndarray:
    g, n = ctx.grades, ctx.n
    if not (g.n_subjects and g.is_core.any()):
        return np.full(n, np.nan)
    core = g.is_core
    key = g.student[core].astype(np.int64) * g.n_subjects + g.subject[core]
    w = np.bincount(key, weights=g.weight[core], minlength=n * g.n_subjects).reshape(n, g.n_subjects)
    wg = np.bincount(key, weights=(g.weight * g.grade)[core], minlength=n * g.n_subjects).reshape(n, g.n_subjects)
    averages = np.where(w > 0, wg / np.where(w > 0, w, 1), np.inf)
    lowest = averages.min(axis=1)
    return np.where(np.isfinite(lowest), lowest, np.nan)


@feature(
    "grade_trend",
    description="mean grade of the last 4 lesson weeks minus that of the 8 before",
    unit="grade",
    direction=-1,
    norm=0.5,
    group="grades",
    window_weeks=12,
    prompt="grades",
    trend=True,
)
def grade_trend(ctx: FeatureContext) -> np.ndarray:
    g = ctx.grades
    recent, before = g.weighted_mean(ctx.n, g.recent), g.weighted_mean(ctx.n, ~g.recent)
    return np.where(~np.isnan(recent) & ~np.isnan(before), recent - before, np.nan)


@feature(
    "no_grades_12w",
    description="no grade at all in the last 12 lesson weeks (1) or some (0)",
    unit="yes/no",
    direction=1,
    norm=1,
    group="grades",
    window_weeks=12,
    prompt="grades",
    signal="grade_level",
)
def no_grades_12w(ctx: FeatureContext) -> np.ndarray:
    # Students without any grade leave more often than others (seen in real data), yet the grade features
    # of such a student are missing and would be imputed as average: this says so instead.
    return (np.bincount(ctx.grades.student, minlength=ctx.n) == 0).astype(float)


# ------------------------------------------------------------------------------------------------- roster
@feature(
    "repeated_years",
    description="school years repeated so far",
    unit="years",
    direction=1,
    norm=1,
    group="roster",
    window_weeks=None,
    prompt="school_career",
)
def repeated_years(ctx: FeatureContext) -> np.ndarray:
    return ctx.roster_column("repeated_years")


@feature(
    "moved_down",
    description="moves to a lower level so far",
    unit="times",
    direction=1,
    norm=1,
    group="roster",
    window_weeks=None,
    prompt="school_career",
)
def moved_down(ctx: FeatureContext) -> np.ndarray:
    return ctx.roster_column("moved_down")


@feature(
    "over_age",
    description="years older than normal for the level and year, beyond repeated years, birth month and one route",
    unit="years",
    direction=1,
    norm=1,
    group="roster",
    window_weeks=None,
    prompt="school_career",
)
def over_age(ctx: FeatureContext) -> np.ndarray:
    # The normal age at the start of the school year (1 October, the cut-off of a Dutch year group) is 12 in
    # leerjaar 1 of secondary school (VO) and 16 in MBO, which most enter after four years of vmbo. Ages are whole
    # years at the as-of date, so from October a student born in the autumn is a year older without being behind:
    # that year is allowed, as are repeated years (a feature of their own) and ROUTE_YEARS for a student who came
    # from another level or from abroad, which the roster does not say. Without a level the normal age is unknown.
    age, year, level = ctx.roster_column("age"), ctx.roster_column("year"), ctx.roster_text("level")
    usual_first = np.select([np.isin(level, VO_LEVELS), np.isin(level, MBO_LEVELS)], [12.0, 16.0], np.nan)
    birthday = 0.0 if ctx.as_of.month in (8, 9) else 1.0
    allowed = usual_first + year - 1 + birthday + np.nan_to_num(ctx.roster_column("repeated_years")) + ROUTE_YEARS
    return np.where(np.isnan(age) | np.isnan(allowed), np.nan, np.maximum(age - allowed, 0))


ROUTE_YEARS = 1.0  # a year of another route (stapelen from vmbo to havo, a newcomer placed a year lower) is no signal
VO_LEVELS = ("pro", "vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo")
MBO_LEVELS = ("mbo-1", "mbo-2", "mbo-3", "mbo-4")
FEATURES: tuple[FeatureSpec, ...] = tuple(_DECLARED)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
SPEC = {f.name: f for f in FEATURES}
