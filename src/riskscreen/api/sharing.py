"""The library API of the recorded bases for sharing a student's signals with the youth worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from riskscreen.api.workspace import check_known, workspace
from riskscreen.errors import msg
from riskscreen.ingest.clock import current_date
from riskscreen.workspace import sharing
from riskscreen.workspace.location import Workspace
from riskscreen.workspace.sharing import Basis, SchoolBasis
from riskscreen.workspace.store import locked


@dataclass(frozen=True)
class SharingTable:
    """The recorded bases for sharing with the youth worker, and the school's default (a covenant) if any."""

    bases: list[Basis]
    school: SchoolBasis | None
    today: dt.date


def set_sharing(
    where: Workspace | None,
    student_id: str,
    *,
    basis: str,
    on: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> Basis:
    """Record why a student's signals may be shared with the youth worker (toestemming, convenant, bekend; or
    consent, covenant, known) from `on` (default today) until `until` (default: until ended).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    student_id
        The student's pseudonym, as in the exports.
    basis
        Why the signals may be shared: toestemming, convenant, bekend (or consent, covenant, known).
    on
        The first day it holds; None: today.
    until
        The last day it holds; None: until it is ended.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or workspace()
    today = today or current_date()
    with locked(where):
        check_known(where, student_id, msg("check the pseudonym; `riskscreen score` lists every student"))
        records = sharing.record(sharing.load(where.sharing_file), student_id, basis, on or today, until, today)
        sharing.save(where.sharing_file, records)
    return records[-1]


def end_sharing(
    where: Workspace | None, student_id: str, *, on: dt.date | None = None, today: dt.date | None = None
) -> tuple[int, dt.date]:
    """End every basis of a student that still holds on `on` (default today); returns how many were ended, and
    the day.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    student_id
        The student's pseudonym, as in the exports.
    on
        The day the bases end; None: today.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or workspace()
    day = on or today or current_date()
    with locked(where):
        records, ended = sharing.end(sharing.load(where.sharing_file), student_id, day)
        sharing.save(where.sharing_file, records)
    return ended, day


def sharing_table(where: Workspace | None = None, *, today: dt.date | None = None) -> SharingTable:
    """The school's recorded bases for sharing, and its default from the workspace settings.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or workspace()
    return SharingTable(*sharing.of_workspace(where), today or current_date())
