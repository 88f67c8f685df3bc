"""Who of a sample cohort leaves school early, and on which day (the model behind the sample history is in
riskscreen.demo.sample's docstring)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

BASE_RATE = 0.04


def leavers(
    rng: np.random.Generator,
    cohort: Any,  # a sample.Cohort (its z, level and repeated years); sample imports this module
    registrations: pd.DataFrame,
    grades: pd.DataFrame,
    days: np.ndarray,
    at: int | None = None,
) -> np.ndarray:
    """Who leaves without a startkwalificatie within 12 months, from the signals of the 60 lesson days before `at`
    (the as-of date's place in `days`; the end by default) (see module docstring)."""
    n = len(cohort.ids)
    at = len(days) if at is None else at
    window_start = max(at - 60, 0)
    recent = registrations[
        (registrations["day"] >= window_start) & (registrations["day"] < at) & (registrations["code"] == "unauthorised")
    ]
    unauth = np.bincount(recent["student"].to_numpy(), minlength=n)
    g = grades[(grades["day"] >= window_start) & (grades["day"] < at) & (grades["grade"] < 5.5)]
    fails = np.bincount(g["student"].to_numpy(), minlength=n)
    lower_vmbo = np.isin(cohort.level, ("vmbo-b", "vmbo-k"))
    signal = (
        0.9 * cohort.z
        + 0.45 * cohort.repeated
        + 0.03 * unauth
        + 0.12 * np.minimum(fails, 8)
        + 1.0 * (unauth >= 16)
        + 0.12 * fails * (unauth >= 6)
        + 0.4 * cohort.repeated * lower_vmbo
        + rng.normal(0, 0.5, n)
    )
    lo, hi = -15.0, 5.0
    for _ in range(60):  # the intercept that gives the base rate, found by bisection
        mid = (lo + hi) / 2
        rate = float(np.mean(1 / (1 + np.exp(-(mid + signal)))))
        lo, hi = (mid, hi) if rate < BASE_RATE else (lo, mid)
    p = 1 / (1 + np.exp(-(lo + signal)))
    return (rng.random(n) < p).astype(int)


def leaving_days(
    rng: np.random.Generator,
    left: np.ndarray,
    ids: np.ndarray,
    days: np.ndarray,
    year_as_of: dt.date,
    pending: dict[int, np.datetime64],
    final_year: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The day each student leaves (NaT: stays), who leaves, and who is still there when the year ends.

    A leaver drawn at this year's as-of date leaves on a day within the 12 months after it, so into the next school
    year too (in a final year by the year's end); one drawn a year earlier keeps their day (`pending`). Drawn over the
    whole 12 months, the share who leave within a year of any as-of date is the same in every season.
    """
    dates = np.array([pending.get(int(i), np.datetime64("NaT")) for i in ids], dtype="datetime64[D]")
    new = (left == 1) & np.isnat(dates)
    drawn = np.datetime64(year_as_of) + rng.integers(1, 366, size=len(ids)).astype("timedelta64[D]")
    dates = np.where(new, drawn, dates)
    dates = np.where(new & final_year, np.minimum(dates, days[-1]), dates)
    leaves = ~np.isnat(dates)
    return dates, leaves.astype(left.dtype), leaves & (dates > days[-1])


def cut_after(frame: pd.DataFrame, dates: np.ndarray, days: np.ndarray) -> pd.DataFrame:
    """A year's registrations or grades without what falls after each student's day of leaving."""
    last = np.where(np.isnat(dates), len(days), np.searchsorted(days, dates, side="right") - 1)
    return frame[frame["day"].to_numpy() <= last[frame["student"].to_numpy()]]


def date_texts(dates: np.ndarray, date_fmt: str) -> np.ndarray:
    """Days as the export writes them; blank for a student who stays."""
    shown = pd.Series(pd.DatetimeIndex(dates)).dt.strftime(date_fmt)
    return shown.fillna("").to_numpy()
