"""Risk bands as fixed chances, chosen once at training and stored in the card.

A band is a chance, not a share: "high" from the chance at which, on the held-out history, the students at or
above it would fill what the school can talk with on one list date; "elevated" from twice the average student's
chance of leaving. The share of students per band then differs between schools and weeks, so band counts can be
compared (the municipal report adds them up); a quantile band would put 5% of every school in "high".
"""

from __future__ import annotations

import math

import numpy as np

DEFAULT_CAPACITY_SHARE = 0.05  # without a stated capacity: one student in twenty per list date (the old quantile)
ELEVATED_TIMES_BASE = 2.0  # "elevated": at least twice as likely to leave as the average student


def whole_percent(chance: float) -> float:
    """A chance rounded down to a whole percent, never below 1%: the precision the list shows."""
    return max(1, math.floor(round(chance * 100, 6))) / 100


def fixed_bands(
    scores: np.ndarray, as_of: np.ndarray, base_rate: float, capacity: int | None
) -> tuple[dict[str, float], dict[str, object]]:
    """The bands' chances and how they were chosen.

    scores: held-out chances (the validation fit's, on rows it never saw); as_of: each row's list date;
    base_rate: the share who left in the training history; capacity: students the school can talk with on one
    list date, or None for DEFAULT_CAPACITY_SHARE of the students.

    "high" is the median over list dates of the capacity-th largest chance, rounded down to a whole percent (so
    the capacity is filled, not left short); "elevated" is twice the base rate rounded down likewise, kept at least
    a percent below "high".
    """
    scores = np.asarray(scores, dtype=float)
    dates = np.asarray(as_of)
    fills = []
    for day in np.unique(dates):
        day_scores = np.sort(scores[dates == day])[::-1]
        wanted = capacity if capacity is not None else max(1, round(DEFAULT_CAPACITY_SHARE * day_scores.size))
        fills.append(day_scores[min(wanted, day_scores.size) - 1])
    high = whole_percent(float(np.median(fills)))
    elevated = min(whole_percent(ELEVATED_TIMES_BASE * base_rate), high - 0.01)
    if elevated < 0.01:  # high is 1%: elevated is "any chance above nothing", kept distinct
        high, elevated = 0.02, 0.01
    shares = {
        "high": float(np.mean(scores >= high)),
        "elevated": float(np.mean((scores >= elevated) & (scores < high))),
    }
    choice: dict[str, object] = {
        "capacity": capacity,
        "capacity_share": None if capacity is not None else DEFAULT_CAPACITY_SHARE,
        "base_rate": round(base_rate, 6),
        "elevated_times_base": ELEVATED_TIMES_BASE,
        "held_out_share": {k: round(v, 4) for k, v in shares.items()},
    }
    return {"high": round(high, 2), "elevated": round(elevated, 2)}, choice
