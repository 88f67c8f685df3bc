"""Agreed actions and statutory reports of one school: typed records, checked, stored in the workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from riskscreen.errors import Day, UsageError, WorkspaceError, msg
from riskscreen.signals.statutory.reports import REPORTABLE
from riskscreen.signals.statutory.states import Recorded
from riskscreen.workspace.action_text import check_text, check_worker
from riskscreen.workspace.store import read_document, write_document

ACTION_TYPES = ("conversation", "home_visit", "referral")
ROLES = ("youth_worker", "mentor", "coordinator")
SIGNALS = ("verzuim_16u", "ziekteverzuim")  # the statutory 16-hour rule; sick leave reported to the jeugdarts
# a referral's way through the network: registered (aangemeld), on a waiting list, started, finished, or it did not
# come about (niet gelukt); the first is set when the referral is agreed
REFERRAL_STATES = ("registered", "waiting_list", "started", "finished", "failed")
# the student's own view, as chosen categories (never free text): what goes well, and what they want
STRENGTHS = ("school_subject", "sport", "work", "music_art", "friends", "family", "other")
GOALS = ("stay", "change_course", "internship", "start_work", "undecided")
MAX_REVIEW_DAYS = 366  # a review is within a year of the action
BOOK_VERSION = 2  # 2: a referral's states; a book of version 1 is read (its referrals registered when agreed)


@dataclass(frozen=True)
class Action:
    """What a youth worker and a mentor agreed about one student, and how it ended."""

    id: int
    student_id: str
    agreed: dt.date
    what: str
    type: str = "conversation"  # ACTION_TYPES
    who: str = "youth_worker"  # ROLES: who follows it up
    worker: str | None = None  # the youth worker (or other person) named, as the school writes them
    referral: str | None = None  # a referral target of the workspace's settings
    review: dt.date | None = None
    closed: dt.date | None = None
    outcome: str | None = None
    source: str = "terminal"  # "terminal", or "list YYYY-MM-DD" for one read back from a filled-in list
    states: tuple[tuple[str, dt.date], ...] = ()  # a referral's REFERRAL_STATES with their days, in order
    strengths: tuple[str, ...] = ()  # STRENGTHS the student named in the conversation
    goal: str | None = None  # one of GOALS

    @property
    def open(self) -> bool:
        return self.closed is None

    @property
    def referral_state(self) -> tuple[str, dt.date] | None:
        """A referral's state now and the day it was set (registered on the day agreed, if nothing else was
        recorded); None for another action."""
        if self.type != "referral":
            return None
        return self.states[-1] if self.states else ("registered", self.agreed)

    def state_on(self, day: dt.date) -> tuple[str, dt.date] | None:
        """A referral's state as it stood on a day (None for another action, or one agreed after the day)."""
        if self.type != "referral" or self.agreed > day:
            return None
        history = [s for s in self.states if s[1] <= day]
        return history[-1] if history else ("registered", self.agreed)

    @property
    def own_view(self) -> bool:
        """Whether the action records what goes well or what the student wants."""
        return bool(self.strengths) or self.goal is not None

    def first_on(self, state: str) -> dt.date | None:
        """The day a referral first reached a state, or None."""
        if self.type == "referral" and state == "registered" and not self.states:
            return self.agreed
        return next((on for name, on in self.states if name == state), None)

    def overdue(self, as_of: dt.date) -> bool:
        return self.open and self.review is not None and self.review < as_of


@dataclass(frozen=True)
class Report:
    """A statutory signal reported: a report to DUO/leerplicht (16u, lrv, luxe, rmc18), sick leave to the
    jeugdarts. `type` and `end` name the report when the school named it; without them it is the student's oldest
    report still open on the day it was made (signals.statutory.states)."""

    student_id: str
    signal: str  # SIGNALS
    on: dt.date
    type: str | None = None  # a reportable type of signals.statutory (16u, lrv, luxe, rmc18)
    end: dt.date | None = None  # the report's end date (16u: the day the threshold was reached)

    def recorded(self) -> Recorded:
        """The report as the statutory states read it (signals keep days as ISO dates)."""
        return Recorded(self.on.isoformat(), self.type, self.end.isoformat() if self.end else None)


@dataclass(frozen=True)
class ActionBook:
    """Every action and report of the school."""

    actions: tuple[Action, ...] = ()
    reports: tuple[Report, ...] = ()

    @property
    def next_id(self) -> int:
        return max((a.id for a in self.actions), default=0) + 1

    def get(self, action_id: int) -> Action:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise UsageError(
            msg("there is no action {action_id}", action_id=action_id),
            hint=msg("`riskscreen actions list --all` shows them"),
        )

    def open_for(self, student_id: str) -> list[Action]:
        return [a for a in self.actions if a.student_id == student_id and a.open]

    def reports_of(self, student_id: str, signal: str) -> list[Report]:
        return [r for r in self.reports if r.student_id == student_id and r.signal == signal]

    def last_report(self, student_id: str, signal: str) -> Report | None:
        mine = [r for r in self.reports if r.student_id == student_id and r.signal == signal]
        return max(mine, key=lambda r: r.on) if mine else None


def make_action(
    book: ActionBook,
    *,
    student_id: str,
    agreed: dt.date,
    what: str,
    type: str = "conversation",
    who: str = "youth_worker",
    worker: str | None = None,
    referral: str | None = None,
    review: dt.date | None = None,
    referral_targets: tuple[str, ...] = (),
    source: str = "terminal",
    strengths: tuple[str, ...] = (),
    goal: str | None = None,
) -> Action:
    """A checked new action (not yet stored)."""
    for strength in strengths:
        if strength not in STRENGTHS:
            raise UsageError(
                msg("unknown strength '{strength}'", strength=strength),
                hint=msg("use one of {join}", join=", ".join(STRENGTHS)),
            )
    if goal is not None and goal not in GOALS:
        raise UsageError(msg("unknown goal '{goal}'", goal=goal), hint=msg("use one of {join}", join=", ".join(GOALS)))
    if referral is not None and type == "conversation":
        type = "referral"
    if type not in ACTION_TYPES:
        raise UsageError(
            msg("unknown type of action '{type}'", type=type),
            hint=msg("use one of {join}", join=", ".join(ACTION_TYPES)),
        )
    if who not in ROLES:
        raise UsageError(msg("unknown role '{who}'", who=who), hint=msg("use one of {join}", join=", ".join(ROLES)))
    if type == "referral" and referral is None:
        raise UsageError(
            msg("a referral needs a target"),
            hint=msg("add `referral`, one of {join}", join=", ".join(referral_targets)),
        )
    if referral is not None and referral not in referral_targets:
        raise UsageError(
            msg("'{referral}' is not in the workspace's list of referral targets", referral=referral),
            hint=msg("use one of {join}, or add it to the workspace's settings.toml", join=", ".join(referral_targets)),
        )
    if review is not None and review > agreed + dt.timedelta(days=MAX_REVIEW_DAYS):
        raise UsageError(
            msg(
                "the review date {review} is more than a year after the date agreed {agreed}",
                review=Day(review.isoformat()),
                agreed=Day(agreed.isoformat()),
            ),
            hint=msg("look at an action again within a year; a date such as 2099 is a typing error"),
        )
    if review is not None and review < agreed:
        raise UsageError(
            msg(
                "the review date {review} is before the date agreed {agreed}",
                review=Day(review.isoformat()),
                agreed=Day(agreed.isoformat()),
            ),
            hint=msg("give a review date on or after the day the action was agreed"),
        )
    states = (("registered", agreed),) if type == "referral" else ()
    return Action(
        book.next_id,
        str(student_id),
        agreed,
        check_text(what, msg("action")),
        type,
        who,
        check_worker(worker),
        referral,
        review,
        source=source,
        states=states,
        strengths=tuple(dict.fromkeys(strengths)),
        goal=goal,
    )


def set_state(book: ActionBook, action_id: int, *, state: str, on: dt.date) -> tuple[ActionBook, Action]:
    """A referral moved to a new state on a day (never before the referral or its last state)."""
    action = book.get(action_id)
    if action.type != "referral":
        raise UsageError(
            msg("action {action_id} is not a referral: only a referral has a state", action_id=action_id),
            hint=msg("`riskscreen actions list` shows each action's type"),
        )
    if state not in REFERRAL_STATES:
        raise UsageError(
            msg("unknown state of a referral '{state}'", state=state),
            hint=msg("use one of {join}", join=", ".join(REFERRAL_STATES)),
        )
    current = action.referral_state or ("registered", action.agreed)
    if state == current[0]:  # already there (a list read back with the state it showed): nothing moves
        return book, action
    if on < current[1]:
        raise UsageError(
            msg(
                "action {action_id} has a state of {since}, after {on}",
                action_id=action_id,
                since=Day(current[1]),
                on=Day(on.isoformat()),
            ),
            hint=msg("give a date on or after the referral's last state"),
        )
    history = action.states or (("registered", action.agreed),)
    moved = replace(action, states=(*history, (state, on)))
    return replace(book, actions=tuple(moved if a.id == action_id else a for a in book.actions)), moved


def add(book: ActionBook, actions: list[Action]) -> ActionBook:
    """The book with these actions added, numbered after the existing ones."""
    start = book.next_id
    numbered = [replace(a, id=start + i) for i, a in enumerate(actions)]
    return replace(book, actions=book.actions + tuple(numbered))


def close(book: ActionBook, action_id: int, *, on: dt.date, outcome: str) -> tuple[ActionBook, Action]:
    action = book.get(action_id)
    if not action.open:
        raise UsageError(
            msg("action {action_id} was closed on {closed}", action_id=action_id, closed=Day(action.closed)),
            hint=msg("a closed action stays closed"),
        )
    if on < action.agreed:
        raise UsageError(
            msg(
                "action {action_id} was agreed on {agreed}, after {on}",
                action_id=action_id,
                agreed=Day(action.agreed),
                on=Day(on.isoformat()),
            ),
            hint=msg("give a closing date on or after the day it was agreed"),
        )
    closed = replace(action, closed=on, outcome=check_text(outcome, msg("outcome")))
    return replace(book, actions=tuple(closed if a.id == action_id else a for a in book.actions)), closed


def report(
    book: ActionBook, student_id: str, signal: str, on: dt.date, *, type: str | None = None, end: dt.date | None = None
) -> tuple[ActionBook, Report]:
    if signal not in SIGNALS:
        raise UsageError(
            msg("unknown signal '{signal}'", signal=signal), hint=msg("use one of {join}", join=", ".join(SIGNALS))
        )
    if type is not None and (signal != "verzuim_16u" or type not in REPORTABLE):
        raise UsageError(
            msg("unknown type of report '{type}'", type=type), hint=msg("use one of {join}", join=", ".join(REPORTABLE))
        )
    if end is not None and end > on:
        raise UsageError(
            msg(
                "a report ending on {end} cannot have been made on {on}",
                end=Day(end.isoformat()),
                on=Day(on.isoformat()),
            ),
            hint=msg("give the report's end date with `end`, and the day it was made with `on`"),
        )
    record = Report(str(student_id), signal, on, type, end)
    if record in book.reports:
        return book, record
    return replace(book, reports=(*book.reports, record)), record


def load(path: Path) -> ActionBook:
    """The school's actions and reports (none yet when the file does not exist)."""
    if not path.exists():
        return ActionBook()
    doc = read_document(path, msg("actions file"))
    try:
        if doc.get("version") not in (1, BOOK_VERSION):
            raise ValueError("version")
        actions = tuple(
            Action(
                **{
                    **a,
                    "agreed": _day(a["agreed"]),
                    "review": _day(a.get("review")),
                    "closed": _day(a.get("closed")),
                    "states": tuple((str(n), _day(d)) for n, d in a.get("states", ())),
                    "strengths": tuple(map(str, a.get("strengths", ()))),
                }
            )
            for a in doc["actions"]
        )
        reports = tuple(Report(**{**r, "on": _day(r["on"]), "end": _day(r.get("end"))}) for r in doc["reports"])
        for a in actions:
            if a.type not in ACTION_TYPES or a.who not in ROLES or not isinstance(a.id, int):
                raise ValueError("field")
            if any(name not in REFERRAL_STATES for name, _ in a.states) or (a.states and a.type != "referral"):
                raise ValueError("state")
            if any(x not in STRENGTHS for x in a.strengths) or (a.goal is not None and a.goal not in GOALS):
                raise ValueError("own view")
        for r in reports:
            if r.signal not in SIGNALS or (r.type is not None and r.type not in REPORTABLE):
                raise ValueError("signal")
        if len({a.id for a in actions}) != len(actions):
            raise ValueError("ids")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise WorkspaceError(
            msg("is not a readable actions file"),
            path=str(path),
            hint=msg("restore it from a backup; a file that cannot be read is not changed"),
        ) from None
    return ActionBook(actions, reports)


def save(book: ActionBook, path: Path) -> Path:
    # flat records: a field-by-field copy, not asdict's deep copy (a year's book is saved after every action)
    doc: dict[str, Any] = {
        "version": BOOK_VERSION,
        "actions": [_record(a) for a in book.actions],
        "reports": [_record(r) for r in book.reports],
    }
    return write_document(path, doc)


def _record(item: Action | Report) -> dict[str, Any]:
    """The item as the file keeps it: days as ISO dates."""
    record = {f.name: getattr(item, f.name) for f in fields(item)}
    record = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.items()}
    if "states" in record:
        record["states"] = [[name, on.isoformat()] for name, on in record["states"]]
        record["strengths"] = list(record["strengths"])
    return record


def _day(text: object) -> dt.date | None:
    """A day of the file (an ISO date), or None; anything else is a damaged file (ValueError)."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError("day")
    return dt.date.fromisoformat(text)


def prune(book: ActionBook, before: dt.date) -> tuple[ActionBook, int, int]:
    """Closed actions closed before a date, and reports made before it, removed; returns how many of each."""
    actions = tuple(a for a in book.actions if a.closed is None or a.closed >= before)
    reports = tuple(r for r in book.reports if r.on >= before)
    return (ActionBook(actions, reports), len(book.actions) - len(actions), len(book.reports) - len(reports))
