"""The library API of the reports the law asks for: what is due, and what was reported when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from riskscreen.api.workspace import check_known, workspace
from riskscreen.errors import Day, UsageError, msg
from riskscreen.ingest.clock import current_date
from riskscreen.signals.statutory.states import OPEN_STATES, with_states
from riskscreen.workspace import actions, snapshots
from riskscreen.workspace.actions import Report
from riskscreen.workspace.location import Workspace
from riskscreen.workspace.store import locked


def record_report(
    where: Workspace | None,
    student_id: str,
    *,
    on: dt.date,
    signal: str = "verzuim_16u",
    type: str | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> Report:
    """Record that a statutory signal was reported (a report to DUO/leerplicht, sick leave to the jeugdarts).

    A report to DUO is the student's oldest report still open on `on` in the latest list, or the one named by its
    `type` and `end` date; the record names it, so the list shows that one as reported (or reported late).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    student_id
        The student's pseudonym, as in the exports.
    on
        The day it was reported.
    signal
        The signal reported: 'verzuim_16u' (to DUO) or 'ziekteverzuim' (to the jeugdarts).
    type
        The report's type (such as '16u', 'vervolgmelding', 'lrv'); None: the oldest open one.
    end
        The last day of the reported period, to name one report among several.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or workspace()
    if on > (today or current_date()):
        raise UsageError(
            msg("`on` {on} is in the future", on=Day(on.isoformat())),
            hint=msg("record a report on the day it was made"),
        )
    with locked(where):
        check_known(where, student_id, msg("check the pseudonym"))
        book = actions.load(where.actions_file)
        if signal == "verzuim_16u":
            named = _open_report(where, book, student_id, on, type, end)
            if named is not None:
                type, end = str(named["type"]), dt.date.fromisoformat(str(named["end"] or named["reached"]))
        book, record = actions.report(book, student_id, signal, on, type=type, end=end)
        actions.save(book, where.actions_file)
    return record


def _open_report(
    where: Workspace, book: actions.ActionBook, student_id: str, on: dt.date, type: str | None, end: dt.date | None
) -> dict[str, object] | None:
    """The report a recorded report covers: the oldest one still open on `on` (of the type, with the end date,
    when named) among the student's reports in the latest list; None when the list knows no reports (a list made
    before they were stored)."""
    paths = snapshots.list_snapshots(where.snapshots)
    entries = snapshots.load(paths[-1]).reports(student_id) if paths else []
    if not entries:
        return None
    recorded = [r.recorded() for r in book.reports_of(student_id, "verzuim_16u")]
    open_ = [
        e
        for e in with_states(entries, recorded, on.isoformat())
        if e["state"] in OPEN_STATES
        and str(e["reached"]) <= on.isoformat()
        and (type is None or e["type"] == type)
        and (end is None or (e["end"] or e["reached"]) == end.isoformat())
    ]
    if not open_:
        raise UsageError(
            msg(
                "student '{student_id}' has no report open on {on} that matches",
                student_id=student_id,
                on=Day(on.isoformat()),
            ),
            hint=msg("`riskscreen actions due` lists the open reports with their type and end date"),
        )
    return min(open_, key=lambda e: (str(e["reached"]), str(e["type"])))


@dataclass(frozen=True)
class DueReport:
    """A report to make: whose, in which group, and the report itself (with its state)."""

    student_id: str
    group: str
    report: dict[str, object]


def reports_due(where: Workspace | None = None, *, today: dt.date | None = None) -> tuple[dt.date, list[DueReport]]:
    """The reports to make now, as the latest list knows them and the action book has them: every one due or
    late, the earliest deadline first. Returns the list's date too.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or workspace()
    paths = snapshots.list_snapshots(where.snapshots)
    if not paths:
        raise UsageError(
            msg("the workspace {folder} has no list yet, so its reports are unknown", folder=where.folder),
            hint=msg("make this week's list first: riskscreen shortlist EXPORT-FOLDER"),
        )
    snap = snapshots.load(paths[-1])
    book = actions.load(where.actions_file)
    day = (today or current_date()).isoformat()  # the statutory states (signals) keep ISO days
    out = []
    for sid in snap.students.index.astype(str):
        entries = snap.reports(sid)
        if not entries:
            continue
        recorded = [r.recorded() for r in book.reports_of(sid, "verzuim_16u")]
        out += [
            DueReport(sid, str(snap.students.at[sid, "group"]), e)
            for e in with_states(entries, recorded, day)
            if e["state"] in OPEN_STATES
        ]
    return snap.as_of, sorted(out, key=lambda r: (str(r.report["deadline"]), r.student_id, str(r.report["reached"])))
