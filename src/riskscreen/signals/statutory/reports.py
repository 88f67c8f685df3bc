"""Each student's statutory reports of the school year, as DUO keeps them (docs/features.md names the sources).

16 uur in 4 weken (DUO, "Verzuim: hoe het werkt"; Onderwijsinspectie, "Registreren en melden van ongeoorloofd
verzuim"): counting starts at the first unauthorised absence; once 16 hours are reached within 4 consecutive lesson
weeks (holidays do not count as lesson weeks) the report's begin date is that first absence day and its end date the
day the 16 hours were reached. Counting starts again the day after the end date, and every later crossing is a
vervolgmelding of its own; while the absence is continuous, at most one report per 7 calendar days. Continuous
absence of more than 4 lesson weeks is langdurig relatief verzuim (LRV): one report, whose begin is the first day
away, and no more 16-hour reports while it lasts. Luxe verzuim is reported on its own, always, for a student of
compulsory school age. Overig verzuim (lateness by the region's verzuimkaart) is optional. M@ZL (sick leave that
worries) is never a report to DUO: a signal to talk with the student and, for a minor, the parents, then the
jeugdarts.

The walk starts on 1 August of the as-of date's school year, so a report once found keeps its dates, hours and
deadline however many weeks of data come in after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from riskscreen.signals.calendar import LessonCalendar
from riskscreen.signals.statutory.duty import LEERPLICHT, RMC
from riskscreen.signals.statutory.workdays import add_workdays

TYPES = ("16u", "lrv", "luxe", "rmc18", "overig", "mazl")
REPORTABLE = ("16u", "lrv", "luxe", "rmc18")  # types that can be compulsory, and so have a deadline and a state
CONTINUOUS_SPACING_DAYS = 7


@dataclass(frozen=True)
class StatutoryEntry:
    """One report (or, for overig and mazl, one signal) of one student, as data: renderers word it."""

    type: str  # TYPES
    compulsory: bool
    begin: str  # ISO date: the first absence day (mazl: the spell's first day)
    end: str | None  # ISO date: the day the threshold was reached (lrv: the last day away, None while it
    #                           lasts; luxe and mazl: the last day of the run or spell)
    hours: float | None  # the hours the report counts, on its basis (None for lateness)
    basis: str  # lesuren, klokuren or export
    deadline: str | None  # ISO date: 5 working days after `reached`; None where nothing is to be reported
    reached: str  # ISO date the report became due
    follow_up: bool = False  # a vervolgmelding: not the student's first 16-hour report of the school year
    regional: bool = False  # rmc18: at the threshold of the region's agreement
    count: int | None = None  # overig: late arrivals; mazl: sick spells
    note: str | None = None  # a key: "bbl" (time at the employer is not in the export)
    minor: bool = True  # under 18 (or age not known): the parents are part of the first step

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in ENTRY_FIELDS}


ENTRY_FIELDS = tuple(f.name for f in fields(StatutoryEntry))


@dataclass(frozen=True)
class StatutoryRules:
    """The thresholds of the statutory engine (FlagRules carries them from the profile)."""

    hours: float = 16.0
    weeks: int = 4
    rmc_hours: float = 16.0
    lrv_weeks: int = 4
    lrv_day_hours: float = 4.0  # a lesson day counts as a day away for LRV from this many unauthorised hours
    overig_late: int = 0  # late arrivals in `weeks` lesson weeks that make overig verzuim; 0: off
    sick_spells: int = 4
    sick_window_weeks: int = 12
    sick_spell_days: int = 6


@dataclass(frozen=True)
class DayTable:
    """Per student, their lesson days with something registered: position among the calendar's lesson days and
    the hours of each kind that day (statutory hours)."""

    student: np.ndarray
    position: np.ndarray
    unauthorised: np.ndarray
    luxe: np.ndarray
    late: np.ndarray  # number of late arrivals
    in_school: np.ndarray  # registrations that show the student was at school (late, removed from class)
    sick: np.ndarray


def school_year_start(as_of_day: int) -> int:
    """Day number of 1 August of the as-of date's school year."""
    as_of = dt.date(1970, 1, 1) + dt.timedelta(days=int(as_of_day))
    year = as_of.year if as_of.month >= 8 else as_of.year - 1
    return (dt.date(year, 8, 1) - dt.date(1970, 1, 1)).days


def iso(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def _deadline(day: int) -> str:
    return add_workdays(dt.date.fromisoformat(iso(day))).isoformat()


class StudentWalk:
    """The statutory walk of one student over their day table rows (sorted by position)."""

    def __init__(
        self,
        calendar: LessonCalendar,
        window_end: np.ndarray,
        lrv_end: np.ndarray,
        rules: StatutoryRules,
        duty: str,
        basis: str,
        bbl: bool,
        minor: bool,
    ) -> None:
        self.days, self.window_end, self.lrv_end = calendar.days, window_end, lrv_end
        self.rules, self.duty, self.basis, self.bbl, self.minor = rules, duty, basis, bbl, minor

    def entries(
        self, pos: np.ndarray, unauthorised: np.ndarray, luxe: np.ndarray, late: np.ndarray, in_school: np.ndarray
    ) -> list[StatutoryEntry]:
        luxe_reported = self.duty == LEERPLICHT
        hours = unauthorised if luxe_reported else unauthorised + luxe
        out: list[StatutoryEntry] = []
        lrv = self._lrv(pos, hours, in_school)
        out += lrv
        out += self._crossings(pos, hours, lrv)
        if luxe_reported:
            out += self._luxe(pos, luxe)
        if self.rules.overig_late > 0:
            out += self._overig(pos, late)
        return sorted(out, key=lambda e: (e.reached, TYPES.index(e.type)))

    def _entry(
        self, kind: str, begin: int, end: int | None, reached: int, hours: float | None, **extra: Any
    ) -> StatutoryEntry:
        compulsory = kind in REPORTABLE and self.duty in (LEERPLICHT, RMC)
        if kind in ("16u", "lrv") and self.duty == RMC:
            kind, extra = ("rmc18" if kind == "16u" else kind), {**extra, "regional": True}
        return StatutoryEntry(
            type=kind,
            compulsory=compulsory,
            begin=iso(begin),
            end=iso(end) if end is not None else None,
            hours=None if hours is None else round(float(hours), 2),
            basis=self.basis,
            deadline=_deadline(reached) if compulsory else None,
            reached=iso(reached),
            note="bbl" if self.bbl else None,
            minor=self.minor,
            **extra,
        )

    def _crossings(self, pos: np.ndarray, hours: np.ndarray, lrv: list[StatutoryEntry]) -> list[StatutoryEntry]:
        threshold = self.rules.rmc_hours if self.duty == RMC else self.rules.hours
        covered = [(e.reached, e.end or "9999-12-31") for e in lrv]
        present = np.flatnonzero(hours > 0)
        p, h = pos[present], hours[present]
        out: list[StatutoryEntry] = []
        i, n, previous_end = 0, len(p), -1
        while i < n:
            limit, total, hit = self.window_end[p[i]], 0.0, -1
            j = i
            while j < n and p[j] < limit:
                total = round(total + float(h[j]), 6)  # quarter hours add up to exactly 16
                if total >= threshold:
                    hit = j
                    break
                j += 1
            if hit < 0:
                i += 1
                continue
            if previous_end >= 0 and self._continuous(p, previous_end, p[hit]):
                # continuous absence: at most one report per 7 calendar days; the hours keep adding up
                earliest = self.days[previous_end] + CONTINUOUS_SPACING_DAYS
                while hit + 1 < n and self.days[p[hit]] < earliest:
                    hit += 1
                    total = round(total + float(h[hit]), 6)
                if self.days[p[hit]] < earliest:
                    break
            end_day = int(self.days[p[hit]])
            if not any(first <= iso(end_day) <= last for first, last in covered):
                out.append(self._entry("16u", int(self.days[p[i]]), end_day, end_day, total, follow_up=bool(out)))
            previous_end, i = int(p[hit]), hit + 1
        return out

    @staticmethod
    def _continuous(p: np.ndarray, after: int, upto: int) -> bool:
        """Absent on every lesson day after `after` up to `upto`."""
        inside = np.count_nonzero((p > after) & (p <= upto))
        return bool(inside == upto - after)

    def _lrv(self, pos: np.ndarray, hours: np.ndarray, in_school: np.ndarray) -> list[StatutoryEntry]:
        away = pos[(hours >= self.rules.lrv_day_hours) & (in_school == 0)]
        out: list[StatutoryEntry] = []
        if away.size == 0:
            return out
        breaks = np.flatnonzero(np.diff(away) != 1)
        last_lesson_day = len(self.days) - 1
        for first, last in zip(np.r_[0, breaks + 1], np.r_[breaks, away.size - 1], strict=True):
            begin, stop = int(away[first]), int(away[last])
            reached = int(self.lrv_end[begin])
            if reached > stop:  # not more than 4 lesson weeks
                continue
            run_hours = float(hours[(pos >= begin) & (pos <= stop)].sum())
            ongoing = stop == last_lesson_day
            out.append(
                self._entry(
                    "lrv",
                    int(self.days[begin]),
                    None if ongoing else int(self.days[stop]),
                    int(self.days[reached]),
                    run_hours,
                )
            )
        return out

    def _luxe(self, pos: np.ndarray, luxe: np.ndarray) -> list[StatutoryEntry]:
        days_with = pos[luxe > 0]
        hours_with = luxe[luxe > 0]
        out: list[StatutoryEntry] = []
        if days_with.size == 0:
            return out
        breaks = np.flatnonzero(np.diff(days_with) != 1)
        for first, last in zip(np.r_[0, breaks + 1], np.r_[breaks, days_with.size - 1], strict=True):
            begin, stop = int(self.days[days_with[first]]), int(self.days[days_with[last]])
            # reported at once: the deadline runs from the first day of the leave taken
            out.append(self._entry("luxe", begin, stop, begin, float(hours_with[first : last + 1].sum())))
        return out

    def _overig(self, pos: np.ndarray, late: np.ndarray) -> list[StatutoryEntry]:
        days_with, counts = pos[late > 0], late[late > 0]
        out: list[StatutoryEntry] = []
        i, n = 0, len(days_with)
        while i < n:
            limit, total, j = self.window_end[days_with[i]], 0, i
            while j < n and days_with[j] < limit and total + int(counts[j]) < self.rules.overig_late:
                total += int(counts[j])
                j += 1
            if j >= n or days_with[j] >= limit:
                i += 1
                continue
            total += int(counts[j])
            end = int(self.days[days_with[j]])
            out.append(self._entry("overig", int(self.days[days_with[i]]), end, end, None, count=total))
            i = j + 1
        return out


def mazl_entry(
    sick_positions: np.ndarray,
    sick_hours: np.ndarray,
    calendar: LessonCalendar,
    rules: StatutoryRules,
    basis: str,
    minor: bool = True,
) -> StatutoryEntry | None:
    """The M@ZL signal from a student's sick lesson days (positions in the window, ascending): the longest spell
    when it is longer than the rule allows (the latest of equal ones), else all spells when there are enough."""
    if sick_positions.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(sick_positions) != 1)
    firsts, lasts = np.r_[0, breaks + 1], np.r_[breaks, sick_positions.size - 1]
    lengths = lasts - firsts + 1
    if lengths.max() > rules.sick_spell_days:
        k = len(lengths) - 1 - int(np.argmax(lengths[::-1]))
        first, last, spells = int(firsts[k]), int(lasts[k]), 1
    elif len(lengths) >= rules.sick_spells:
        first, last, spells = 0, sick_positions.size - 1, len(lengths)
    else:
        return None
    begin, end = int(calendar.days[sick_positions[first]]), int(calendar.days[sick_positions[last]])
    return StatutoryEntry(
        type="mazl",
        compulsory=False,
        begin=iso(begin),
        end=iso(end),
        hours=round(float(sick_hours[first : last + 1].sum()), 2),
        basis=basis,
        deadline=None,
        reached=iso(end),
        count=spells,
        minor=minor,
    )
