"""Use cases for the municipality: a school's anonymous aggregate over a period, and a region's from schools'."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from riskscreen.aggregate.tables import DEFAULT_THRESHOLD, LOWEST_THRESHOLD, Aggregate
from riskscreen.errors import Day, Message, UsageError, msg
from riskscreen.workspace.location import Workspace

if TYPE_CHECKING:
    import pandas as pd


def aggregate(where: Workspace, *, first: dt.date | None = None, last: dt.date | None = None,
              threshold: int = DEFAULT_THRESHOLD, outcomes: Path | None = None,
              today: dt.date | None = None) -> Aggregate:
    """The school's counts over a period (default: the current school year), suppressed for publication; with an
    outcomes table, also who of them left without a startkwalificatie."""
    from riskscreen.aggregate.counts import count, load_workspace, school_year
    from riskscreen.aggregate.suppress import suppress
    from riskscreen.ingest.clock import current_date
    from riskscreen.workspace import actions
    from riskscreen.workspace.location import read_settings
    from riskscreen.workspace.store import locked

    if threshold < LOWEST_THRESHOLD:
        raise UsageError(msg("--threshold {threshold} is below {lowest}, the least that keeps a student unrecognised",
                             threshold=threshold, lowest=LOWEST_THRESHOLD), hint=msg("use 10, or at least 5"))
    start, end = school_year(today or current_date())
    first, last = first or start, last or end
    if last < first:
        raise UsageError(msg("--to {last} is before --from {first}", last=Day(last.isoformat()),
                             first=Day(first.isoformat())))
    with locked(where):
        snapshots = load_workspace(where.snapshots)
        book = actions.load(where.actions_file)
    targets = read_settings(where).referral_targets
    left = _outcomes(outcomes) if outcomes is not None else None
    counted = count(where.school, snapshots, book, first.isoformat(), last.isoformat(), threshold, targets, left)
    return suppress(counted)


def _outcomes(path: Path) -> pd.DataFrame:
    from riskscreen.ingest.pipeline import read_exports

    exports, report = read_exports(None, outcomes=Path(path), require=("outcomes",))
    if exports is None or exports.outcomes is None:
        from riskscreen.errors import ValidationFailed

        raise ValidationFailed(msg("the data did not pass validation ({count} problem(s))",
                                   count=len(report.problems)), report)
    return exports.outcomes


def merge_aggregates(paths: list[Path]) -> tuple[Aggregate, list[Message]]:
    """A region's aggregate from schools' aggregate files (each checked), suppressed again."""
    from riskscreen.aggregate.merge import merge
    from riskscreen.aggregate.tables import read_aggregate

    return merge([read_aggregate(Path(p)) for p in paths])
