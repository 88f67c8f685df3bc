"""Counting a school's period from its workspace: snapshots of the weekly lists, and the actions and reports."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from riskscreen.aggregate.statutory import period_reports, report_tables
from riskscreen.aggregate.tables import Aggregate, Basis, Table
from riskscreen.ingest.outcomes import left_early
from riskscreen.ingest.profiles import LEVELS
from riskscreen.workspace.actions import GOALS, REFERRAL_STATES, STRENGTHS, Action, ActionBook, Report
from riskscreen.workspace.snapshots import Snapshot, list_snapshots, load

BANDS = ("high", "elevated", "low")
MONTH_COLUMNS = ("screened", "listed", "verzuim_16u", "ziekteverzuim")
SICK = ("referred", "not_referred")
TYPES = ("conversation", "home_visit", "referral")
WHO = ("youth_worker", "mentor", "coordinator")
ACTION_MONTHS = ("agreed", "closed", "review_on_time", "review_overdue")
AFTER = ("fell", "did_not_fall", "no_later_list")
AFTER_DAYS = 56  # "within 8 weeks after the first action"
LEFT = ("with_action", "without_action")
UNKNOWN = "unknown"


def school_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """1 August to 31 July of the school year that holds `day`."""
    start = dt.date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    return start, dt.date(start.year + 1, 7, 31)


def latest_runs(snapshots: Iterable[Snapshot], first: dt.date, last: dt.date) -> list[Snapshot]:
    """The snapshots of the period, one per date (its last run), oldest first."""
    by_day: dict[dt.date, Snapshot] = {}
    for s in snapshots:
        if first <= s.as_of <= last and (s.as_of not in by_day or s.run > by_day[s.as_of].run):
            by_day[s.as_of] = s
    return [by_day[d] for d in sorted(by_day)]


def count(
    school: str,
    snapshots: list[Snapshot],
    book: ActionBook,
    first: dt.date,
    last: dt.date,
    threshold: int,
    targets: tuple[str, ...],
    outcomes: pd.DataFrame | None = None,
) -> Aggregate:
    """The unsuppressed counts of one school's period (they never leave the school: see suppress)."""
    snapshots = latest_runs(snapshots, first, last)
    rows = _rows(snapshots)
    months = tuple(sorted({f"{s.as_of:%Y-%m}" for s in snapshots}))
    if rows.empty or rows.index.get_level_values("student_id").nunique() < threshold:
        return Aggregate((school,), first.isoformat(), last.isoformat(), threshold, (), too_small=True, months=months)
    last_row = rows.groupby(level="student_id").tail(1).droplevel("as_of")
    level = last_row["level"].map(_level)
    year = last_row["year"].map(_year)
    actions = [a for a in book.actions if first <= a.agreed <= last]
    reports, same_reports = report_tables(period_reports(snapshots, book, first, last), months)
    tables = [
        _crossed("screened_by_level", level, last_row["band"].astype(str), _order(level, LEVELS), BANDS),
        _crossed("screened_by_year", year, last_row["band"].astype(str), _order(year, ()), BANDS),
        _months(rows, months),
        *reports,
        _crossed("sick", *_sick(rows, book.reports, first, last, level)),
        _action_table(actions),
        _referrals(actions, targets, min(last, snapshots[-1].as_of)),
        _referral_wait(book.actions, first, min(last, snapshots[-1].as_of)),
        *_own_view(actions),
        _action_months(book.actions, first, min(last, snapshots[-1].as_of), months),
        _crossed("after_action", *_after(rows, book.actions, first, last)),
    ]
    if outcomes is not None:
        tables.append(_crossed("left", *_left(outcomes, actions, level)))
    same = [
        ("screened_by_level:*:*", "screened_by_year:*:*"),
        *((f"screened_by_level:*:{b}", f"screened_by_year:*:{b}") for b in BANDS),
        ("actions_by_month:*:agreed", "actions:*:*"),
        ("referrals:*:*", "actions:referral:*"),
        *same_reports,
    ]
    return Aggregate(
        (school,),
        first.isoformat(),
        last.isoformat(),
        threshold,
        tuple(tables),
        same=tuple(same),
        months=months,
        basis=Basis.of([s.basis for s in snapshots], _hours_bases(snapshots)),
    )


def _hours_bases(snapshots: list[Snapshot]) -> set[str]:
    """How the hours of the period's reports were counted (lesuren, klokuren, export), as their entries say."""
    return {
        str(e["basis"])
        for s in snapshots
        if "statutory" in s.students
        for entries in s.students["statutory"]
        if isinstance(entries, list)
        for e in entries
        if "basis" in e
    }


def _rows(snapshots: list[Snapshot]) -> pd.DataFrame:
    frames = [s.students.assign(as_of=s.as_of) for s in snapshots]
    if not frames:
        return pd.DataFrame()
    rows = pd.concat(frames).reset_index().set_index(["student_id", "as_of"]).sort_index(level=["student_id", "as_of"])
    return rows


def _level(value: object) -> str:
    return str(value) if isinstance(value, str) and value in LEVELS else UNKNOWN


def _year(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]  # snapshots store the roster's year as text ("4.0")
    except (TypeError, ValueError):
        return UNKNOWN
    return str(int(number)) if not math.isnan(number) and number.is_integer() else UNKNOWN


def _order(values: pd.Series, known: tuple[str, ...]) -> tuple[str, ...]:
    present = set(values)
    ordered = [k for k in known if k in present] or sorted(v for v in present if v != UNKNOWN)
    return (*ordered, *([UNKNOWN] if UNKNOWN in present else ()))


def _crossed(key: str, row: pd.Series, column: pd.Series, rows: tuple[str, ...], columns: tuple[str, ...]) -> Table:
    """A table of distinct units by two partitions, with all margins (none when no unit fell in it: a sum of
    nothing would publish its zeros)."""
    if not rows:
        return Table(key, (), columns, ())
    if row.empty:
        counts = pd.DataFrame(0, index=list(rows), columns=list(columns))
    else:
        counts = pd.crosstab(row, column).reindex(index=list(rows), columns=list(columns), fill_value=0)
    cells = tuple(tuple(int(v) for v in r) for r in counts.to_numpy())
    return Table(
        key,
        rows,
        columns,
        cells,
        tuple(int(v) for v in counts.sum(axis=1)),
        tuple(int(v) for v in counts.sum(axis=0)),
        int(counts.to_numpy().sum()),
    )


def _months(rows: pd.DataFrame, months: tuple[str, ...]) -> Table:
    month = [f"{day:%Y-%m}" for day in rows.index.get_level_values("as_of")]
    ids = rows.index.get_level_values("student_id")
    frame = pd.DataFrame(
        {
            "month": month,
            "id": ids,
            "listed": rows["on_list"].astype(bool).to_numpy(),
            "verzuim": rows["verzuim_16u"].astype(bool).to_numpy(),
            "sick": rows["ziekteverzuim"].astype(bool).to_numpy(),
        }
    )
    cells = []
    for m in months:
        part = frame[frame["month"] == m]
        cells.append(
            (
                int(part["id"].nunique()),
                int(part.loc[part["listed"], "id"].nunique()),
                int(part.loc[part["verzuim"], "id"].nunique()),
                int(part.loc[part["sick"], "id"].nunique()),
            )
        )
    return Table("by_month", months, MONTH_COLUMNS, tuple(cells))


def _sick(
    rows: pd.DataFrame, reports: tuple[Report, ...], first: dt.date, last: dt.date, level: pd.Series
) -> tuple[pd.Series, pd.Series, tuple[str, ...], tuple[str, ...]]:
    sick_ids = rows[rows["ziekteverzuim"].astype(bool)].index.get_level_values("student_id").unique()
    referred = {p.student_id for p in reports if p.signal == "ziekteverzuim" and first <= p.on <= last}
    states = pd.Series({sid: "referred" if sid in referred else "not_referred" for sid in sick_ids}, dtype=object)
    levels = level.reindex(states.index)
    return levels, states, _order(levels, LEVELS), SICK


def _action_table(actions: list[Action]) -> Table:
    frame = pd.DataFrame({"type": [a.type for a in actions], "who": [a.who for a in actions]})
    return _crossed("actions", frame["type"], frame["who"], TYPES, WHO)


def _referrals(actions: list[Action], targets: tuple[str, ...], last: dt.date) -> Table:
    """Referrals agreed in the period by target and by their state on the period's last list."""
    known = (*[t for t in targets if t != "other"], "other")
    counts = {(t, s): 0 for t in known for s in REFERRAL_STATES}
    for a in actions:
        # one agreed after the period's last list is counted too (the actions table counts it): as registered
        state = a.state_on(max(last, a.agreed))
        if state is not None:
            counts[(a.referral if a.referral in known else "other", state[0])] += 1
    cells = tuple(tuple(counts[(t, s)] for s in REFERRAL_STATES) for t in known)
    return Table(
        "referrals",
        known,
        REFERRAL_STATES,
        cells,
        tuple(map(sum, cells)),
        tuple(sum(c[i] for c in cells) for i in range(len(REFERRAL_STATES))),
        sum(map(sum, cells)),
    )


# whole weeks from registered to started: one row per week up to 8 (so that the median is a number of weeks), then
# wider rows where few referrals wait that long
def _own_view(actions: list[Action]) -> tuple[Table, Table]:
    """Students by what goes well (several per student: no total) and by what they want (one each), as their
    latest action in the period that recorded it says: counted, never named."""
    latest: dict[str, Action] = {}
    for a in sorted(actions, key=lambda a: (a.agreed, a.id)):
        if a.own_view:
            latest[a.student_id] = a
    strengths = tuple((sum(k in a.strengths for a in latest.values()),) for k in STRENGTHS)
    goals = tuple((sum(a.goal == k for a in latest.values()),) for k in GOALS)
    return (
        Table("strengths", STRENGTHS, ("count",), strengths),
        Table("goals", GOALS, ("count",), goals, column_totals=(sum(c[0] for c in goals),)),
    )


WAIT_BUCKETS = (
    "weeks_0",
    "weeks_1",
    "weeks_2",
    "weeks_3",
    "weeks_4",
    "weeks_5",
    "weeks_6",
    "weeks_7",
    "weeks_8",
    "weeks_9_12",
    "weeks_13_plus",
)


def _referral_wait(actions: tuple[Action, ...], first: dt.date, last: dt.date) -> Table:
    """Referrals that started in the period, by the whole weeks they waited from registration to the start: a
    waiting-list figure a municipality can act on (the median's bucket is read off the published counts)."""
    counts = dict.fromkeys(WAIT_BUCKETS, 0)
    for a in actions:
        started, registered = a.first_on("started"), a.first_on("registered")
        if started is None or registered is None or not first <= started <= last:
            continue
        weeks = (started - registered).days // 7
        counts[f"weeks_{weeks}" if weeks <= 8 else "weeks_9_12" if weeks <= 12 else "weeks_13_plus"] += 1
    cells = tuple((counts[b],) for b in WAIT_BUCKETS)
    return Table("referral_wait", WAIT_BUCKETS, ("count",), cells, column_totals=(sum(counts.values()),))


def _action_months(actions: tuple[Action, ...], first: dt.date, last: dt.date, months: tuple[str, ...]) -> Table:
    """Actions by the month they were agreed and closed, and reviews by the month they fell due: on time when the
    action was closed by its review date. `last` is the period's last list: a review due later is not due yet."""
    events: dict[str, list[str]] = {c: [] for c in ACTION_MONTHS}
    for a in actions:
        if first <= a.agreed <= last:
            events["agreed"].append(f"{a.agreed:%Y-%m}")
        if a.closed and first <= a.closed <= last:
            events["closed"].append(f"{a.closed:%Y-%m}")
        if a.review and first <= a.review <= last:
            done = a.closed is not None and a.closed <= a.review
            events["review_on_time" if done else "review_overdue"].append(f"{a.review:%Y-%m}")
    all_months = tuple(sorted({*months, *(m for v in events.values() for m in v)}))
    cells = tuple(tuple(events[c].count(m) for c in ACTION_MONTHS) for m in all_months)
    return Table(
        "actions_by_month", all_months, ACTION_MONTHS, cells, column_totals=tuple(len(events[c]) for c in ACTION_MONTHS)
    )


COMPARED = ("with_action", "similar_without_action")


def _after(
    rows: pd.DataFrame, actions: tuple[Action, ...], first: dt.date, last: dt.date
) -> tuple[pd.Series, pd.Series, tuple[str, ...], tuple[str, ...]]:
    """Students whose first action fell in the period, and beside them similar students without any action (the
    same band on the same list before it): did their chance fall on a list within 8 weeks? Students are picked
    for an action at a peak, and a chance at a peak tends to fall whatever is done, so only the comparison says
    anything; even then it is a comparison, never a measure of what the action did (#24 item 8)."""
    first_action: dict[str, dt.date] = {}
    for a in sorted(actions, key=lambda a: a.agreed):
        first_action.setdefault(a.student_id, a.agreed)
    history = rows["probability"] if not rows.empty else pd.Series(dtype=float)
    band = rows["band"].astype(str) if not rows.empty else pd.Series(dtype=object)
    acted = set(first_action)
    group: dict[str, str] = {}
    state: dict[str, str] = {}
    for sid, agreed in sorted(first_action.items(), key=lambda item: (item[1], item[0])):
        if not first <= agreed <= last:
            continue
        group[sid], state[sid] = "with_action", _fell(history, sid, agreed)
        if sid not in history.index.get_level_values("student_id"):
            continue
        mine = history.loc[sid]
        listed_on = mine.index[mine.index <= agreed]
        if listed_on.empty:
            continue
        day = listed_on[-1]  # the list the action was agreed on: whom it showed in the same band
        on_that_list = band.xs(day, level="as_of")
        for other in on_that_list.index[on_that_list == band.loc[(sid, day)]]:
            if other not in acted and other not in group:
                group[other], state[other] = "similar_without_action", _fell(history, other, agreed)
    return pd.Series(group, dtype=object), pd.Series(state, dtype=object).reindex(list(group)), COMPARED, AFTER


def _fell(history: pd.Series, sid: str, agreed: dt.date) -> str:
    """Whether a student's chance on the last list within 8 weeks after a day lay below the one on the list
    before it (or there was no such pair of lists)."""
    try:
        mine = history.loc[sid]
    except KeyError:
        return "no_later_list"
    before = mine[mine.index <= agreed]
    after = mine[(mine.index > agreed) & (mine.index <= agreed + dt.timedelta(days=AFTER_DAYS))]
    if before.empty or after.empty:
        return "no_later_list"
    return "fell" if float(after.iloc[-1]) < float(before.iloc[-1]) else "did_not_fall"


def _left(
    outcomes: pd.DataFrame, actions: list[Action], level: pd.Series
) -> tuple[pd.Series, pd.Series, tuple[str, ...], tuple[str, ...]]:
    """Students screened in the period who left without a startkwalificatie (the outcomes table), by whether an
    action was agreed for them in the period."""
    left = set(outcomes.loc[left_early(outcomes) == 1.0, "student_id"].astype(str))
    acted = {a.student_id for a in actions}
    states = pd.Series(
        {sid: "with_action" if sid in acted else "without_action" for sid in level.index if sid in left}, dtype=object
    )
    levels = level.reindex(states.index)
    return levels, states, _order(levels, LEVELS), LEFT


def load_workspace(folder: Path) -> list[Snapshot]:
    return [load(p) for p in list_snapshots(folder)]
