"""Seasons (#24 item 2): the constant moved per part of the school year, and how the held-out chances compare with
who left in each.

Absence and grades build up over the school year while the rate of leaving within a year does not, so one model
over all as-of dates gives too low a chance in autumn and too high a one in summer. Trained on as-of dates of
several seasons, the model learns a shift of its constant per season (calibration in the large, per season); the
list's date picks it (scoring.model.season_offsets). The card shows each season the held-out as-of dates fall in,
and which seasons no as-of date reached (a list made there warns: scoring.season).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from riskscreen.scoring.season import SEASONS, season_of


def calibration_by_season(y: np.ndarray, p: np.ndarray, as_of: np.ndarray) -> list[dict[str, Any]]:
    """Per season, in the school year's order: held-out rows, leavers, the mean predicted chance and the rate of
    leaving (None where the season has no row)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    seasons = np.array([season_of(pd.Timestamp(d).date()) for d in np.asarray(as_of)])
    rows = []
    for season in SEASONS:
        here = seasons == season
        rows.append(
            {
                "season": season,
                "rows": int(here.sum()),
                "leavers": int(y[here].sum()),
                "mean_predicted": round(float(p[here].mean()), 4) if here.any() else None,
                "observed": round(float(y[here].mean()), 4) if here.any() else None,
            }
        )
    return rows


MIN_SEASON_LEAVERS = 20  # a season with fewer leavers among its rows keeps the model's constant: too few to move it


def season_shifts(logit: np.ndarray, y: np.ndarray, as_of: np.ndarray) -> dict[str, float]:
    """Per season the shift of the logits that makes the mean chance of its rows their rate of leaving; none when
    the rows are of one season only (the constant is that season's already) or a season has under 20 leavers."""
    y, logit = np.asarray(y, dtype=float), np.asarray(logit, dtype=float)
    seasons = np.array([season_of(pd.Timestamp(d).date()) for d in np.asarray(as_of)])
    if len(set(seasons)) < 2:
        return {}
    shifts = {}
    for season in SEASONS:
        here = seasons == season
        if y[here].sum() < MIN_SEASON_LEAVERS or y[here].sum() == here.sum():
            continue
        shifts[season] = round(_shift_to_rate(logit[here], float(y[here].mean())), 4)
    return shifts


def _shift_to_rate(logit: np.ndarray, rate: float) -> float:
    """The shift of the logits whose mean chance is `rate`."""
    return float(brentq(lambda d: float(np.mean(1 / (1 + np.exp(-(logit + d))))) - rate, -5, 5))
