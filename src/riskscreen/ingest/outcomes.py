"""The outcome as DUO counts it: who left school early, and from when an as-of date's outcome is known.

DUO (and OCW's VSV-monitor) counts a voortijdig schoolverlater as a young person under 23 who was enrolled in one
year, is not enrolled anywhere the next, and left without a startkwalificatie. A student who left this school for
another is therefore not one: the outcomes table says so in `enrolled_elsewhere`, and such a student is never a
positive. An outcome is known only once its follow-up period (12 months by default) has passed; before that, a
student who will leave looks like one who stays. docs/features.md gives the sources.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from riskscreen.errors import Day, Message, UsageError, msg

FOLLOW_UP_MONTHS = 12
# an export made on a Friday may hold nothing after Wednesday: the data reach their last day up to a week early
GRACE_DAYS = 7
OUTCOME_KEY = "vsv"  # the model card's key of this definition; older cards have none (the school's own column)


def definition(months: int) -> Message:
    """The outcome in words, as the model card states it."""
    return msg(
        "left without a startkwalificatie and not enrolled elsewhere (DUO's voortijdig schoolverlater), within "
        "{months} months after the as-of date",
        months=months,
    )


def left_early(outcomes: pd.DataFrame) -> pd.Series:
    """1.0 where a row's student left without a startkwalificatie and is not enrolled elsewhere, else 0.0."""
    left = outcomes["left_without_qualification"].astype(float) == 1.0
    if "enrolled_elsewhere" in outcomes:
        left &= outcomes["enrolled_elsewhere"].astype(float).fillna(0.0) != 1.0
    return left.astype(float)


def follow_up_end(as_of: dt.date, months: int) -> dt.date:
    """The last day of an as-of date's follow-up: the same day `months` months later (the month's last day when
    that month is shorter)."""
    month_index = as_of.month - 1 + months
    year, month = as_of.year + month_index // 12, month_index % 12 + 1
    for day in range(as_of.day, 0, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("every month has a first day")


def check_follow_up(as_of_dates: list[dt.date], last_day: dt.date | None, months: int = FOLLOW_UP_MONTHS) -> None:
    """Refuse outcomes whose follow-up is not over in the data: their leavers are not known yet and would be
    counted as students who stayed. The data reach `last_day` (the exports' last registration or grade)."""
    if not 1 <= months <= 60:
        raise UsageError(msg("`follow_up` must be from 1 to 60 months, not {months}", months=months))
    if last_day is None or not as_of_dates:
        return
    reached = last_day + dt.timedelta(days=GRACE_DAYS)
    early = [d for d in sorted(as_of_dates) if follow_up_end(d, months) > reached]
    if early:
        first = early[0]
        raise UsageError(
            msg(
                "the outcomes of as-of {as_of} are not known yet: its follow-up of {months} months runs to {end}, "
                "and the data end on {last}",
                as_of=Day(first),
                months=months,
                end=Day(follow_up_end(first, months)),
                last=Day(last_day),
            ),
            hint=msg(
                "leave out the as-of dates from {as_of} on (this one can be trained on from {end}), or give "
                "`follow_up` the months the outcomes were counted over",
                as_of=Day(first),
                end=Day(follow_up_end(first, months) - dt.timedelta(days=GRACE_DAYS)),
            ),
        )


SEASON_EVERY_DAYS = 28  # an as-of date every four weeks
SEASON_FIRST_MONTH, SEASON_LAST_MONTH = 10, 6  # from October to June: the school year's lessons, not its start


def seasonal_dates(school_year: int, last_day: dt.date, months: int) -> list[dt.date]:
    """Fridays every four weeks from the first Friday of October of the school year that began in `school_year` to
    the end of June, those whose follow-up of `months` is over in the data (with a week's grace)."""
    day = dt.date(school_year, SEASON_FIRST_MONTH, 1)
    day += dt.timedelta(days=(4 - day.weekday()) % 7)
    end = dt.date(school_year + 1, SEASON_LAST_MONTH, 30)
    reached = last_day + dt.timedelta(days=GRACE_DAYS)
    out = []
    while day <= end and follow_up_end(day, months) <= reached:
        out.append(day)
        day += dt.timedelta(days=SEASON_EVERY_DAYS)
    return out


def seasonal_moments(
    outcomes: pd.DataFrame, last_day: dt.date, months: int, given: set[pd.Timestamp]
) -> dict[pd.Timestamp, pd.Series]:
    """With the day each student left (`left_on`, an extension), outcomes at as-of dates across each school year
    of the table (seasonal_dates), beside the dates the school gave: per date the students of that school year still
    there, labelled 1 when they left early within `months` after it (by any row of theirs: one who leaves early in
    the next school year counts at a June date of this one). A student who left early without a day written is used
    at the school's own dates only (when they left is not known)."""
    if "left_on" not in outcomes or not outcomes["left_on"].notna().any():
        return {}
    frame = outcomes.assign(
        year=[d.year if d.month >= 8 else d.year - 1 for d in pd.to_datetime(outcomes["as_of"])],
        student=outcomes["student_id"].astype(str),
    )
    dated = frame[frame["left_on"].notna()]
    gone = dated.groupby("student", observed=True)["left_on"].min()  # left, early or not
    early = dated[dated["left_early"] == 1].groupby("student", observed=True)["left_on"].min()
    undated = set(frame.loc[(frame["left_early"] == 1) & frame["left_on"].isna(), "student"])
    out: dict[pd.Timestamp, pd.Series] = {}
    for year, rows in frame.groupby("year"):
        students = pd.Index(sorted(set(rows["student"]) - undated))
        left, left_early = gone.reindex(students), early.reindex(students)
        for day in seasonal_dates(int(year), last_day, months):
            stamp = pd.Timestamp(day)
            if stamp in given:
                continue
            there = left.isna() | (left > stamp)
            within = left_early.notna() & (left_early <= pd.Timestamp(follow_up_end(day, months)))
            out[stamp] = within[there].astype(float)
    return out
