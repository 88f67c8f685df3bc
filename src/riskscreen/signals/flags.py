"""Statutory and care flags by rule: 16 unauthorised hours in 4 lesson weeks, and worrying sick leave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.ingest.pipeline import Exports
from riskscreen.signals.attendance import (
    CODE_INDEX,
    AttendanceRows,
    attendance_rows,
    calendar_for,
    sick_spells,
    student_universe,
)
from riskscreen.signals.calendar import LessonCalendar


@dataclass(frozen=True)
class FlagRules:
    """Thresholds. The defaults follow the Leerplichtwet 1969 (art. 21a) and common care practice."""

    verzuim_hours: float = 16.0  # unauthorised lesson hours ...
    verzuim_weeks: int = 4       # ... within this many consecutive lesson weeks: report to DUO within 5 school days
    lookback_weeks: int = 12     # windows that end in the last this many lesson weeks are checked
    sick_spells: int = 4         # this many sick spells ...
    sick_window_weeks: int = 12  # ... within this many lesson weeks
    sick_spell_days: int = 6     # or one spell longer than this many consecutive school days

    @property
    def follows_the_law(self) -> bool:
        return (self.verzuim_hours, self.verzuim_weeks) == (16.0, 4)

    @classmethod
    def from_profile(cls, settings: Mapping[str, float]) -> FlagRules:
        """The defaults, overridden by a profile's [flags] table (whole numbers for weeks, spells and days)."""
        whole = {"verzuim_weeks", "lookback_weeks", "sick_spells", "sick_window_weeks", "sick_spell_days"}
        return cls(**{k: (int(v) if k in whole else float(v)) for k, v in settings.items()})  # type: ignore[arg-type]



FLAG_COLUMNS = ("verzuim_16u", "verzuim_hours", "verzuim_from", "verzuim_to", "ziekteverzuim", "sick_spells",
                "longest_sick_spell_days", "sick_from", "sick_to")


def week_matrix(rows: AttendanceRows, mask: np.ndarray, n: int, n_weeks: int) -> np.ndarray:
    """Hours per student (rows) and lesson week (columns) for the registrations in mask."""
    ok = mask & (rows.week_pos >= 0)
    key = rows.student[ok].astype(np.int64) * n_weeks + rows.week_pos[ok]
    return np.bincount(key, weights=rows.hours[ok], minlength=n * n_weeks).reshape(n, n_weeks)


def verzuim_windows(matrix: np.ndarray, weeks: int, lookback: int) -> tuple[np.ndarray, np.ndarray]:
    """Per student: the most unauthorised hours in any `weeks` consecutive lesson weeks ending in the lookback,
    and the position of that window's last week (the latest such window on ties)."""
    n, n_weeks = matrix.shape
    if n_weeks == 0:
        return np.zeros(n), np.full(n, -1)
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(matrix, axis=1)], axis=1)
    ends = np.arange(n_weeks)  # window ends at week position e, covering max(e - weeks + 1, 0) .. e
    starts = np.maximum(ends - weeks + 1, 0)
    sums = cumulative[:, ends + 1] - cumulative[:, starts]
    first_end = max(n_weeks - lookback, 0)
    sums = sums[:, first_end:]
    # Round away float noise so that 16 hours made of quarter hours compares exactly.
    sums = np.round(sums, 6)
    best_from_end = np.argmax(sums[:, ::-1], axis=1)
    best = sums.shape[1] - 1 - best_from_end
    return sums[np.arange(n), best], best + first_end


def compute_flags(exports: Exports, as_of: pd.Timestamp | None = None, *, rules: FlagRules | None = None,
                  universe: pd.Index | None = None) -> pd.DataFrame:
    """One row per student: each flag, with its window and the figures behind it."""
    rules = rules or FlagRules.from_profile(exports.profile.flags)
    as_of = pd.Timestamp(as_of if as_of is not None else exports.as_of)
    universe = universe if universe is not None else student_universe(exports, as_of)
    calendar = calendar_for(exports, as_of)
    rows = attendance_rows(exports, universe, calendar)
    return flags_from_rows(rows, calendar, universe, rules)


def flags_from_rows(rows: AttendanceRows, calendar: LessonCalendar, universe: pd.Index,
                    rules: FlagRules) -> pd.DataFrame:
    n, n_weeks = len(universe), calendar.n_weeks
    matrix = week_matrix(rows, rows.code == CODE_INDEX["unauthorised"], n, n_weeks)
    hours, end = verzuim_windows(matrix, rules.verzuim_weeks, rules.lookback_weeks)
    flagged = hours >= rules.verzuim_hours
    v_from = np.full(n, None, dtype=object)
    v_to = np.full(n, None, dtype=object)
    for i in np.flatnonzero(flagged):  # only the flagged students: a handful
        last = int(end[i])
        v_from[i], v_to[i] = calendar.window_dates(max(last - rules.verzuim_weeks + 1, 0), last)
    first_week = calendar.window_start_position(rules.sick_window_weeks)
    first_day = 0
    if calendar.n_weeks and calendar.days.size:
        first_day = int(np.searchsorted(calendar.days, int(calendar.weeks[first_week]) * 7 - 3))
    spells, longest = sick_spells(rows, n, first_day)
    sick_flag = (spells >= rules.sick_spells) | (longest > rules.sick_spell_days)
    s_from = np.full(n, None, dtype=object)
    s_to = np.full(n, None, dtype=object)
    if calendar.n_weeks:
        start, stop = calendar.window_dates(first_week, calendar.n_weeks - 1)
        s_from[sick_flag] = start
        s_to[sick_flag] = stop
    return pd.DataFrame({
        "verzuim_16u": flagged, "verzuim_hours": hours, "verzuim_from": v_from, "verzuim_to": v_to,
        "ziekteverzuim": sick_flag, "sick_spells": spells, "longest_sick_spell_days": longest,
        "sick_from": s_from, "sick_to": s_to}, index=universe)
