"""Statutory and care flags per student: the statutory entries (signals.statutory) and, for the lists, the headline
16-hour report and the sick-leave (M@ZL) flag."""

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
from riskscreen.signals.statutory.engine import StudentFacts, mazl_entries, statutory_entries, student_facts
from riskscreen.signals.statutory.reports import StatutoryRules, iso


@dataclass(frozen=True)
class FlagRules:
    """Thresholds. The defaults follow the Leerplichtwet 1969 (art. 21a), DUO's reports and common care practice."""

    verzuim_hours: float = 16.0  # unauthorised lesson hours ...
    verzuim_weeks: int = 4  # ... within this many consecutive lesson weeks: report to DUO within 5 working days
    lookback_weeks: int = 12  # a report that became due in the last this many lesson weeks flags the student
    sick_spells: int = 4  # this many sick spells ...
    sick_window_weeks: int = 12  # ... within this many lesson weeks
    sick_spell_days: int = 6  # or one spell longer than this many consecutive school days
    rmc_hours: float = 16.0  # the region's threshold for 18+ (RMC) reports
    lrv_day_hours: float = 4.0  # a lesson day with this many unauthorised hours is a day away (LRV)
    overig_late: int = 0  # late arrivals in verzuim_weeks lesson weeks that make overig verzuim (0: off)

    @property
    def follows_the_law(self) -> bool:
        return (self.verzuim_hours, self.verzuim_weeks) == (16.0, 4)

    @property
    def statutory(self) -> StatutoryRules:
        return StatutoryRules(
            hours=self.verzuim_hours,
            weeks=self.verzuim_weeks,
            rmc_hours=self.rmc_hours,
            lrv_day_hours=self.lrv_day_hours,
            overig_late=self.overig_late,
            sick_spells=self.sick_spells,
            sick_window_weeks=self.sick_window_weeks,
            sick_spell_days=self.sick_spell_days,
        )

    @classmethod
    def from_profile(cls, settings: Mapping[str, float]) -> FlagRules:
        """The defaults, overridden by a profile's [flags] table (whole numbers for weeks, spells and days)."""
        whole = {
            "verzuim_weeks",
            "lookback_weeks",
            "sick_spells",
            "sick_window_weeks",
            "sick_spell_days",
            "overig_late",
        }
        return cls(**{k: (int(v) if k in whole else float(v)) for k, v in settings.items()})  # type: ignore[arg-type]


@dataclass(frozen=True)
class VerzuimWindows:
    """Per student: the most unauthorised hours in any window of consecutive lesson weeks, and that window."""

    hours: np.ndarray
    first_day: np.ndarray  # day numbers of the window's first and last lesson day (-1 without a window)
    last_day: np.ndarray
    reached_day: np.ndarray  # the lesson day the window's hours reached the threshold (-1 if they did not)


def verzuim_windows(
    rows: AttendanceRows, calendar: LessonCalendar, n: int, weeks: int, lookback: int, threshold: float = 16.0
) -> VerzuimWindows:
    """The statutory windows: from any lesson day, the lesson days up to (not including) the same weekday
    `weeks` lesson weeks later, so a window can start on a Wednesday and holidays are stepped over. Windows
    whose last day lies in the last `lookback` lesson weeks are checked; the one with the most hours is kept
    (the latest start on ties: the window that begins with its first absence)."""
    days = calendar.days
    empty = VerzuimWindows(np.zeros(n), np.full(n, -1), np.full(n, -1), np.full(n, -1))
    if days.size == 0 or calendar.n_weeks == 0:
        return empty
    week_pos = calendar.week_position(days).astype(np.int64)
    key = week_pos * 7 + (days.astype(np.int64) + 3) % 7  # lesson week, then weekday (Monday 0)
    first_week = max(calendar.n_weeks - lookback, 0)
    start = int(np.searchsorted(week_pos, max(first_week - weeks, 0)))  # earlier windows end too early
    span = days.size - start
    # each unauthorised registration counts on its lesson day (a registration on a day off, on the last
    # lesson day before it)
    mask = rows.code == CODE_INDEX["unauthorised"]
    at = np.searchsorted(days, rows.day[mask], side="right") - 1
    keep = at >= start
    cells = rows.student[mask][keep].astype(np.int64) * span + (at[keep] - start)
    per_day = np.bincount(cells, weights=rows.hours[mask][keep], minlength=n * span).reshape(n, span)
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(per_day, axis=1)], axis=1)
    starts = np.arange(start, days.size)
    ends = np.searchsorted(key, key[starts] + 7 * weeks)  # exclusive
    valid = week_pos[ends - 1] >= first_week
    starts, ends = starts[valid], ends[valid]
    if starts.size == 0:
        return empty
    # Round away float noise so that 16 hours made of quarter hours compares exactly.
    sums = np.round(cumulative[:, ends - start] - cumulative[:, starts - start], 6)
    best = sums.shape[1] - 1 - np.argmax(sums[:, ::-1], axis=1)
    hours = sums[np.arange(n), best]
    reached = np.full(n, -1)
    for i in np.flatnonzero(hours >= threshold):  # only the flagged students: a handful
        running = np.round(np.cumsum(per_day[i, starts[best[i]] - start : ends[best[i]] - start]), 6)
        reached[i] = days[starts[best[i]] + int(np.argmax(running >= threshold))]
    return VerzuimWindows(hours, days[starts[best]], days[ends[best] - 1], reached)


def compute_flags(
    exports: Exports,
    as_of: pd.Timestamp | None = None,
    *,
    rules: FlagRules | None = None,
    universe: pd.Index | None = None,
) -> pd.DataFrame:
    """One row per student: each flag, with its window and the figures behind it, and the statutory entries."""
    rules = rules or FlagRules.from_profile(exports.profile.flags)
    as_of = pd.Timestamp(as_of if as_of is not None else exports.as_of)
    universe = universe if universe is not None else student_universe(exports, as_of)
    calendar = calendar_for(exports, as_of)
    rows = attendance_rows(exports, universe, calendar)
    return flags_from_rows(rows, calendar, universe, rules, student_facts(exports, universe, as_of))


def flags_from_rows(
    rows: AttendanceRows,
    calendar: LessonCalendar,
    universe: pd.Index,
    rules: FlagRules,
    facts: StudentFacts | None = None,
) -> pd.DataFrame:
    """Per student the statutory entries of the school year (column `statutory_entries`, a list of dicts) and, for the
    lists, the headline 16-hour report and the sick-leave flag. A student is flagged by a compulsory report that
    became due in the last `lookback_weeks` lesson weeks; the weekly list adds older ones not yet reported."""
    n = len(universe)
    facts = facts or StudentFacts.default(n)
    windows = verzuim_windows(rows, calendar, n, rules.verzuim_weeks, rules.lookback_weeks, rules.verzuim_hours)
    entries = statutory_entries(rows, calendar, n, rules.statutory, facts)
    lookback_from = (
        iso(
            int(
                calendar.days[
                    np.searchsorted(
                        calendar.week_position(calendar.days), calendar.window_start_position(rules.lookback_weeks)
                    )
                ]
            )
        )
        if calendar.days.size
        else "9999-12-31"
    )
    hours = windows.hours.copy()
    flagged = np.zeros(n, dtype=bool)
    v_from, v_to, v_reached, v_deadline = (np.full(n, None, dtype=object) for _ in range(4))
    for i, mine in enumerate(entries):
        recent = [e for e in mine if e.compulsory and e.reached >= lookback_from]
        if recent:
            headline = recent[-1]
            flagged[i] = True
            hours[i] = headline.hours or 0.0
            v_from[i], v_to[i] = headline.begin, headline.end or iso(calendar.as_of_day)
            v_reached[i], v_deadline[i] = headline.reached, headline.deadline
    first_week = calendar.window_start_position(rules.sick_window_weeks)
    first_day = 0
    if calendar.n_weeks and calendar.days.size:
        first_day = int(np.searchsorted(calendar.days, int(calendar.weeks[first_week]) * 7 - 3))
    spells, longest = sick_spells(rows, n, first_day)
    sick_flag = (spells >= rules.sick_spells) | (longest > rules.sick_spell_days)
    mazl = mazl_entries(rows, sick_flag, first_day, calendar, rules.statutory, facts)
    s_from = np.full(n, None, dtype=object)
    s_to = np.full(n, None, dtype=object)
    for i, entry in mazl.items():
        s_from[i], s_to[i] = entry.begin, entry.end
    # `recent`: due within the look-back, so shown on the lists whatever its state (docs/outputs.md)
    statutory = [
        [{**e.as_dict(), "recent": e.reached >= lookback_from} for e in mine]
        + ([{**mazl[i].as_dict(), "recent": True}] if i in mazl else [])
        for i, mine in enumerate(entries)
    ]
    return pd.DataFrame(
        {
            "verzuim_16u": flagged,
            "verzuim_hours": hours,
            "verzuim_from": v_from,
            "verzuim_to": v_to,
            "verzuim_reached": v_reached,
            "verzuim_deadline": v_deadline,
            "ziekteverzuim": sick_flag,
            "sick_spells": spells,
            "longest_sick_spell_days": longest,
            "sick_from": s_from,
            "sick_to": s_to,
            "statutory_entries": statutory,
            "minor": facts.minor,
        },
        index=universe,
    )
