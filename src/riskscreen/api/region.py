"""Use cases for the municipality: a school's anonymous aggregate over a period, and a region's from schools'."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from riskscreen.aggregate.counts import count, load_workspace, school_year
from riskscreen.aggregate.merge import merge
from riskscreen.aggregate.suppress import suppress
from riskscreen.aggregate.tables import DEFAULT_THRESHOLD, LOWEST_THRESHOLD, Aggregate, read_aggregate, to_json
from riskscreen.errors import Day, Message, UsageError, ValidationFailed, msg
from riskscreen.ingest.clock import current_date
from riskscreen.ingest.pipeline import read_exports
from riskscreen.workspace import actions, releases
from riskscreen.workspace.location import Workspace, read_settings
from riskscreen.workspace.store import locked


def aggregate(
    where: Workspace,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    outcomes: Path | None = None,
    today: dt.date | None = None,
    publish: bool = False,
) -> Aggregate:
    """The school's counts over a period (default: the current school year up to today), suppressed for
    publication; with an outcomes table, also who of them left without a startkwalificatie.

    publish: the aggregate leaves the school (a file, or any format but the terminal's table). Its period must
    then not overlap an earlier release with other numbers (workspace/releases.py), it is recorded, and by
    default it begins the day after the last release of the school year.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    first
        The first day of the period; None: the day after the last release, or the school year's start.
    last
        The last day of the period; None: today.
    threshold
        Cells below this count are suppressed (and further cells until none can be worked out).
    outcomes
        An outcomes table: then also who of the listed students left without a startkwalificatie.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    publish
        The aggregate leaves the school: its period may not overlap an earlier release with other numbers, and it is
        recorded.
    """
    if threshold < LOWEST_THRESHOLD:
        raise UsageError(
            msg(
                "--threshold {threshold} is below {lowest}, the least that keeps a student unrecognised",
                threshold=threshold,
                lowest=LOWEST_THRESHOLD,
            ),
            hint=msg("use 10, or at least 5"),
        )
    today = today or current_date()
    start, end = school_year(today)
    record = where.folder / "releases.json"
    with locked(where):
        published = releases.load(record) if publish else []
        last = last or min(end, today)
        if first is None:
            first = releases.next_first(published, start, last)
            this_year = [r for r in published if start <= r.last <= last]
            if first > last and this_year:  # nothing new since the last release: that release again
                latest = max(this_year, key=lambda r: r.last)
                first, last = latest.first, latest.last
        if last < first:
            raise UsageError(
                msg("`last` {last} is before `first` {first}", last=Day(last.isoformat()), first=Day(first.isoformat()))
            )
        snapshots = load_workspace(where.snapshots)
        book = actions.load(where.actions_file)
        targets = read_settings(where).referral_targets
        left = _outcomes(outcomes) if outcomes is not None else None
        counted = suppress(count(where.school, snapshots, book, first, last, threshold, targets, left))
        if publish and releases.check(published, first, last, to_json(counted)):
            releases.save(
                record, [*published, releases.Release(first, last, today, releases.checksum(to_json(counted)))]
            )
    return counted


def _outcomes(path: Path) -> pd.DataFrame:
    exports, report = read_exports(None, outcomes=Path(path), require=("outcomes",))
    if exports is None or exports.outcomes is None:
        raise ValidationFailed(
            msg("the data did not pass validation ({count} problem(s))", count=len(report.problems)), report
        )
    return exports.outcomes


def merge_aggregates(paths: list[Path]) -> tuple[Aggregate, list[Message]]:
    """A region's aggregate from schools' aggregate files (each checked), suppressed again.

    Parameters
    ----------
    paths
        The schools' aggregate files (JSON, as `aggregate` writes them).
    """
    return merge([read_aggregate(Path(p)) for p in paths])
