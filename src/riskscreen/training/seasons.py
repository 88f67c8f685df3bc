"""Calibration by season (#24 item 2): how the held-out chances compare with who left, per part of the school year.

Absence, grades and leaving follow the school year's rhythm, so a model measured in November is not thereby
measured in April. The card shows each season the held-out as-of dates fall in, and which seasons no as-of date
reached (a list made there warns: scoring.season).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

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
