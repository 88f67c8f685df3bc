"""Today, as riskscreen sees it: the machine's date, or the one pinned in RISKSCREEN_TODAY."""

from __future__ import annotations

import datetime as dt
import os

from riskscreen.errors import UsageError, msg


def current_date() -> dt.date:
    """Today, or the date in RISKSCREEN_TODAY (YYYY-MM-DD): runs and tests reproducible on any day."""
    pinned = os.environ.get("RISKSCREEN_TODAY")
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(msg("RISKSCREEN_TODAY '{pinned}' is not a date", pinned=pinned),
                         hint=msg("write it as YYYY-MM-DD")) from None
