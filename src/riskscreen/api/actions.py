"""The library API of the school's actions: agreed actions, referrals' states, the filled-in list read back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from riskscreen.api.workspace import check_known, known_students, workspace
from riskscreen.errors import msg
from riskscreen.ingest.clock import current_date
from riskscreen.weekly.actions_import import parse_list
from riskscreen.weekly.choices import own_view_keys, referral_state_key, role_key
from riskscreen.workspace import actions
from riskscreen.workspace.actions import Action
from riskscreen.workspace.location import Workspace
from riskscreen.workspace.store import locked


def add_action(
    where: Workspace | None,
    student_id: str,
    *,
    what: str,
    type: str = "conversation",
    who: str = "youth_worker",
    worker: str | None = None,
    referral: str | None = None,
    review: dt.date | None = None,
    agreed: dt.date | None = None,
    strengths: list[str] | None = None,
    goal: str | None = None,
) -> Action:
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
    where = where or workspace()
    day = agreed or current_date()
    who = role_key(who)
    with locked(where):
        check_known(where, student_id, msg("check the pseudonym; `riskscreen score` lists every student"))
        book = actions.load(where.actions_file)
        strength_keys, goal_key = own_view_keys(strengths or [], goal)
        action = actions.make_action(
            book,
            student_id=student_id,
            agreed=day,
            what=what,
            type=type,
            who=who,
            worker=worker,
            referral=referral,
            review=review,
            referral_targets=where.settings.referral_targets,
            strengths=strength_keys,
            goal=goal_key,
        )
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
    where = where or workspace()
    with locked(where):
        book, closed = actions.close(
            actions.load(where.actions_file), action_id, on=on or current_date(), outcome=outcome
        )
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
    where = where or workspace()
    key = referral_state_key(state)
    with locked(where):
        book, moved = actions.set_state(actions.load(where.actions_file), action_id, state=key, on=on or current_date())
        actions.save(book, where.actions_file)
    return moved


def actions_table(
    where: Workspace | None = None, *, include_closed: bool = False, student_id: str | None = None
) -> list[Action]:
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
    where = where or workspace()
    book = actions.load(where.actions_file)
    chosen = [
        a for a in book.actions if (include_closed or a.open) and (student_id is None or a.student_id == student_id)
    ]
    return sorted(chosen, key=lambda a: (a.agreed, a.id))


@dataclass(frozen=True)
class ImportResult:
    added: list[Action]
    duplicates: int
    rows: int
    list_date: str | None
    dry_run: bool
    moved: int = 0  # referrals whose state the list changed


def import_actions(
    where: Workspace | None, path: Path, *, agreed: dt.date | None = None, dry_run: bool = False
) -> ImportResult:
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
    where = where or workspace()
    with locked(where):
        book = actions.load(where.actions_file)
        parsed = parse_list(
            Path(path),
            book,
            known_students=known_students(where),
            referral_targets=where.settings.referral_targets,
            agreed=agreed,
            school=where.school,
            today=current_date(),
        )
        if (parsed.actions or parsed.states) and not dry_run:
            actions.save(actions.add(parsed.states or book, parsed.actions), where.actions_file)
    return ImportResult(
        parsed.actions, parsed.skipped_duplicates, parsed.rows_read, parsed.list_date, dry_run, parsed.moved
    )
