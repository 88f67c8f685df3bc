"""Today, as riskscreen sees it: the machine's date, or the one pinned in RISKSCREEN_TODAY (settings)."""

from __future__ import annotations

import datetime as dt

from riskscreen.settings import environment


def current_date() -> dt.date:
    """Today, or the date in RISKSCREEN_TODAY (YYYY-MM-DD): runs and tests reproducible on any day."""
    return environment(strict=False).current_date()
