"""Whether a list's day lies in the part of the school year the model was trained on (#24 item 2).

A model trained at late-November as-of dates has never been measured in spring or summer: absence, grades and
who leaves run to the school year's rhythm, so its chances in April are not known to be right. The list says so.
"""

from __future__ import annotations

import datetime as dt

SEASON_DAYS = 42  # six weeks either side of a trained as-of date count as its season


def day_of_school_year(day: dt.date) -> int:
    """Days since the 1st of August that began the day's school year."""
    start = dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    return (day - start).days


def outside_seasons(day: dt.date, trained: list[str] | tuple[str, ...]) -> bool:
    """Whether `day` lies more than six weeks (in the school year) from every as-of date the model was trained on;
    False when the card names none (a model from before the cards kept them)."""
    if not trained:
        return False
    offset = day_of_school_year(day)
    return all(abs(offset - day_of_school_year(dt.date.fromisoformat(t))) > SEASON_DAYS for t in trained)


def trained_span(trained: list[str] | tuple[str, ...]) -> tuple[dt.date, dt.date]:
    """The earliest and the latest trained as-of date, by their place in the school year (shown as day-month)."""
    days = sorted((dt.date.fromisoformat(t) for t in trained), key=day_of_school_year)
    return days[0], days[-1]


SEASONS = ("autumn", "winter", "spring", "summer")
SEASON_OF_MONTH = {9: "autumn", 10: "autumn", 11: "autumn", 12: "winter", 1: "winter", 2: "winter"}
SEASON_OF_MONTH |= {3: "spring", 4: "spring", 5: "spring", 6: "summer", 7: "summer", 8: "summer"}


def season_of(day: dt.date) -> str:
    """The season of a day by its month: autumn September to November, winter to February, spring to May, summer
    June to August."""
    return SEASON_OF_MONTH[day.month]
