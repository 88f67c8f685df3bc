"""The library API of the school's actions: agreed actions, referrals' states, reports to DUO, the filled-in list
read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from riskscreen.api.cycle import workspace as _locate
from riskscreen.errors import Day, UsageError, msg
from riskscreen.ingest.clock import current_date
from riskscreen.signals.statutory.states import OPEN_STATES, Recorded, with_states
from riskscreen.weekly.actions_import import own_view_keys, parse_list, referral_state_key, role_key
from riskscreen.workspace import actions, sharing, snapshots
from riskscreen.workspace.actions import Action, Report
from riskscreen.workspace.location import Workspace
from riskscreen.workspace.sharing import Basis, SchoolBasis
from riskscreen.workspace.store import locked


def _default_workspace() -> Workspace:
    return _locate()


def _known_students(where: Workspace, day: str | None = None) -> set[str]:
    """The pseudonyms of the school's exports as the list of `day` (or the latest list) saw them."""
    path = snapshots.path_at_or_before(where.snapshots, day) if day else None
    if path is None:
        paths = snapshots.list_snapshots(where.snapshots)
        path = paths[-1] if paths else None
    if path is None:
        raise UsageError(msg("the workspace {folder} has no list yet, so its students are unknown",
                             folder=where.folder),
                         hint=msg("make this week's list first: riskscreen shortlist EXPORT-FOLDER"))
    return set(snapshots.student_ids(path))


def _check_known(where: Workspace, student_id: str, hint: str) -> None:
    if student_id not in _known_students(where):
        raise UsageError(msg("student '{student_id}' is not on any list of this school's workspace",
                             student_id=student_id), hint=hint)


def add_action(where: Workspace | None, student_id: str, *, what: str, type: str = "conversation",
               who: str = "youth_worker", worker: str | None = None, referral: str | None = None,
               review: dt.date | None = None, agreed: dt.date | None = None, strengths: list[str] | None = None,
               goal: str | None = None) -> Action:
    """Record an agreed action for a student of the school, with what goes well and what the student wants (chosen
    categories, in either language or as keys).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    student_id
        The student's pseudonym, as in the exports.
    what
        What was agreed, in a few words (no names or other identifying details: refused).
    type
        The kind of action: conversation, home visit, referral, ... (a key or its word).
    who
        Who follows it up: youth_worker, mentor, coordinator, ... (a key or its word).
    worker
        The member of staff who follows it up (a name or code of staff, never of family).
    referral
        Where the student is referred to, when the action is a referral.
    review
        The day the action is looked at again (within a year of the day agreed); None: no review date.
    agreed
        The day the action was agreed; None: today (for a list read back: the list's date).
    strengths
        What goes well, in the student's view (chosen categories, keys or words).
    goal
        What the student wants (a chosen category, key or word).
    """
    where = where or _default_workspace()
    day = agreed or current_date()
    who = role_key(who)
    with locked(where):
        _check_known(where, student_id, msg("check the pseudonym; `riskscreen score` lists every student"))
        book = actions.load(where.actions_file)
        strength_keys, goal_key = own_view_keys(strengths or [], goal)
        action = actions.make_action(book, student_id=student_id, agreed=day, what=what, type=type, who=who,
                                     worker=worker, referral=referral, review=review,
                                     referral_targets=where.settings.referral_targets, strengths=strength_keys,
                                     goal=goal_key)
        actions.save(actions.add(book, [action]), where.actions_file)
    return action


def close_action(where: Workspace | None, action_id: int, *, outcome: str, on: dt.date | None = None) -> Action:
    """Close an action with its outcome on a day.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    action_id
        The action's number, as `actions_table` and the list show it.
    outcome
        How it ended, in a few words (no names or other identifying details: refused).
    on
        The day it happened; None: today.
    """
    where = where or _default_workspace()
    with locked(where):
        book, closed = actions.close(actions.load(where.actions_file), action_id, on=on or current_date(),
                                     outcome=outcome)
        actions.save(book, where.actions_file)
    return closed


def update_referral(where: Workspace | None, action_id: int, *, state: str, on: dt.date | None = None) -> Action:
    """Move a referral to a new state on a day: registered, waiting_list, started, finished, failed, or their words
    in either language (aangemeld, wachtlijst, gestart, afgerond, niet gelukt).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    action_id
        The action's number, as `actions_table` and the list show it.
    state
        The referral's new state: registered, waiting_list, started, finished, failed, or their words in either
        language.
    on
        The day it happened; None: today.
    """
    where = where or _default_workspace()
    key = referral_state_key(state)
    with locked(where):
        book, moved = actions.set_state(actions.load(where.actions_file), action_id, state=key,
                                        on=on or current_date())
        actions.save(book, where.actions_file)
    return moved


def record_report(where: Workspace | None, student_id: str, *, on: dt.date, signal: str = "verzuim_16u",
                  type: str | None = None, end: dt.date | None = None, today: dt.date | None = None) -> Report:
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
    where = where or _default_workspace()
    if on > (today or current_date()):
        raise UsageError(msg("--on {on} is in the future", on=Day(on.isoformat())),
                         hint=msg("record a report on the day it was made"))
    with locked(where):
        _check_known(where, student_id, msg("check the pseudonym"))
        book = actions.load(where.actions_file)
        if signal == "verzuim_16u":
            named = _open_report(where, book, student_id, on, type, end)
            if named is not None:
                type, end = str(named["type"]), dt.date.fromisoformat(str(named["end"] or named["reached"]))
        book, record = actions.report(book, student_id, signal, on, type=type, end=end)
        actions.save(book, where.actions_file)
    return record


def _open_report(where: Workspace, book: actions.ActionBook, student_id: str, on: dt.date, type: str | None,
                 end: dt.date | None) -> dict[str, object] | None:
    """The report a recorded report covers: the oldest one still open on `on` (of the type, with the end date,
    when named) among the student's reports in the latest list; None when the list knows no reports (a list made
    before they were stored)."""
    paths = snapshots.list_snapshots(where.snapshots)
    entries = snapshots.load(paths[-1]).reports(student_id) if paths else []
    if not entries:
        return None
    recorded = [Recorded(r.on, r.type, r.end) for r in book.reports_of(student_id, "verzuim_16u")]
    open_ = [e for e in with_states(entries, recorded, on.isoformat()) if e["state"] in OPEN_STATES
             and str(e["reached"]) <= on.isoformat() and (type is None or e["type"] == type)
             and (end is None or (e["end"] or e["reached"]) == end.isoformat())]
    if not open_:
        raise UsageError(msg("student '{student_id}' has no report open on {on} that matches", student_id=student_id,
                             on=Day(on.isoformat())),
                         hint=msg("`riskscreen actions due` lists the open reports with their type and end date"))
    return min(open_, key=lambda e: (str(e["reached"]), str(e["type"])))


@dataclass(frozen=True)
class DueReport:
    """A report to make: whose, in which group, and the report itself (with its state)."""

    student_id: str
    group: str
    report: dict[str, object]


def reports_due(where: Workspace | None = None, *, today: dt.date | None = None) -> tuple[str, list[DueReport]]:
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
    where = where or _default_workspace()
    paths = snapshots.list_snapshots(where.snapshots)
    if not paths:
        raise UsageError(msg("the workspace {folder} has no list yet, so its reports are unknown",
                             folder=where.folder),
                         hint=msg("make this week's list first: riskscreen shortlist EXPORT-FOLDER"))
    snap = snapshots.load(paths[-1])
    book = actions.load(where.actions_file)
    day = (today or current_date()).isoformat()
    out = []
    for sid in snap.students.index.astype(str):
        entries = snap.reports(sid)
        if not entries:
            continue
        recorded = [Recorded(r.on, r.type, r.end) for r in book.reports_of(sid, "verzuim_16u")]
        out += [DueReport(sid, str(snap.students.at[sid, "group"]), e)
                for e in with_states(entries, recorded, day) if e["state"] in OPEN_STATES]
    return snap.as_of, sorted(out, key=lambda r: (str(r.report["deadline"]), r.student_id, str(r.report["reached"])))


def actions_table(where: Workspace | None = None, *, include_closed: bool = False,
                  student_id: str | None = None) -> list[Action]:
    """The school's actions (open ones unless include_closed), in the order they were agreed.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    include_closed
        Also the closed actions.
    student_id
        Only this student's actions.
    """
    where = where or _default_workspace()
    book = actions.load(where.actions_file)
    chosen = [a for a in book.actions
              if (include_closed or a.open) and (student_id is None or a.student_id == student_id)]
    return sorted(chosen, key=lambda a: (a.agreed, a.id))


@dataclass(frozen=True)
class ImportResult:
    added: list[Action]
    duplicates: int
    rows: int
    list_date: str | None
    dry_run: bool
    moved: int = 0  # referrals whose state the list changed


def import_actions(where: Workspace | None, path: Path, *, agreed: dt.date | None = None,
                   dry_run: bool = False) -> ImportResult:
    """Read the actions of a filled-in XLSX or CSV list: every filled row an action, or nothing at all.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    path
        The filled-in list: an XLSX or CSV riskscreen made.
    agreed
        The day the action was agreed; None: today (for a list read back: the list's date).
    dry_run
        Say what would happen, change nothing.
    """
    where = where or _default_workspace()
    with locked(where):
        book = actions.load(where.actions_file)
        parsed = parse_list(Path(path), book, known_students=_known_students(where),
                            referral_targets=where.settings.referral_targets, agreed=agreed, school=where.school,
                            today=current_date())
        if (parsed.actions or parsed.states) and not dry_run:
            actions.save(actions.add(parsed.states or book, parsed.actions), where.actions_file)
    return ImportResult(parsed.actions, parsed.skipped_duplicates, parsed.rows_read, parsed.list_date, dry_run,
                        parsed.moved)


@dataclass(frozen=True)
class SharingTable:
    """The recorded bases for sharing with the youth worker, and the school's default (a covenant) if any."""

    bases: list[Basis]
    school: SchoolBasis | None
    today: dt.date


def set_sharing(where: Workspace | None, student_id: str, *, basis: str, on: dt.date | None = None,
                until: dt.date | None = None, today: dt.date | None = None) -> Basis:
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
    where = where or _default_workspace()
    today = today or current_date()
    with locked(where):
        _check_known(where, student_id, msg("check the pseudonym; `riskscreen score` lists every student"))
        records = sharing.record(sharing.load(where.sharing_file), student_id, basis, on or today, until, today)
        sharing.save(where.sharing_file, records)
    return records[-1]


def end_sharing(where: Workspace | None, student_id: str, *, on: dt.date | None = None,
                today: dt.date | None = None) -> tuple[int, dt.date]:
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
    where = where or _default_workspace()
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
    where = where or _default_workspace()
    return SharingTable(*sharing.of_workspace(where), today or current_date())
