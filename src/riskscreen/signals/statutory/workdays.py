"""Working days for a report's deadline: "onverwijld, binnen 5 werkdagen" counts weekdays that are not national
holidays (Algemene termijnenwet art. 3), whatever the school's own holidays are.

The national holidays come from the `holidays` package's Netherlands calendar (its public holidays). It counts
Bevrijdingsdag only in lustrum years, where the Algemene termijnenwet counts every 5 May: a deadline across a 5 May
of another year is then one working day earlier, the stricter reading (docs/features.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

REPORT_WITHIN_WORKDAYS = 5  # Onderwijsinspectie, "Registreren en melden van ongeoorloofd verzuim"
CALENDAR_SOURCE = f"python-holidays {holidays.__version__} (NL)"  # the package, by its documentation's name


@lru_cache(maxsize=64)
def national_holidays(year: int) -> frozenset[dt.date]:
    """The Netherlands' public holidays of one year."""
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in national_holidays(day.year)


@lru_cache(maxsize=4096)
def add_workdays(day: dt.date, count: int = REPORT_WITHIN_WORKDAYS) -> dt.date:
    """The `count`-th working day after `day` (the day itself not counted)."""
    left = count
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
