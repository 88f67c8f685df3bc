"""Follow-up on the list: each student's open action and review, which signals moved and why, and the state
of the statutory signals (to report by a deadline, overdue, reported)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from riskscreen.dates import iso
from riskscreen.signals.features import FEATURES
from riskscreen.signals.statutory.states import (
    DUE,
    LATE,
    OPEN_STATES,
    REPORTED,
    REPORTED_LATE,
    headline,
    with_states,
)
from riskscreen.workspace.actions import ActionBook
from riskscreen.workspace.location import REFERRAL_WAIT_WEEKS
from riskscreen.workspace.snapshots import Snapshot

# Which signals a change shows: one feature per signal (the shorter window first), never a derived trend.
MOVING = [f for f in FEATURES if not f.trend]
MAX_MOVED = 3
MOVED_AT_LEAST = 0.05  # of a feature's spread in the school: smaller movements are noise, not a why


STATE_WORDS = {DUE: "to_report", LATE: "overdue", REPORTED: "reported", REPORTED_LATE: "reported_late"}
HEADLINE = ("verzuim_hours", "verzuim_from", "verzuim_to", "verzuim_reached", "verzuim_deadline")


def statutory_states(entries: pd.DataFrame, book: ActionBook, as_of: dt.date) -> pd.DataFrame:
    """Per student: every statutory entry with its state (column `statutory_entries`), the headline report the list
    shows (its state: none, to_report, overdue, reported, reported_late; its report date and figures) and the sick-leave
    signal's state (none, open, reported).

    A student is flagged (`verzuim_16u`) by a report not yet made, however old, and by one that became due within
    the flag's look-back (the flags' own verzuim_16u). A sick-leave report covers the signal while it lies inside
    the signal's window (sick_from onwards)."""
    rows = []
    for sid, recent, statutory, sick, sick_from, *figures in zip(
        entries["student_id"].astype(str),
        entries["verzuim_16u"],
        entries["statutory_entries"],
        entries["ziekteverzuim"],
        entries["sick_from"],
        *(entries[c] for c in HEADLINE),
        strict=True,
    ):
        recorded = [r.recorded() for r in book.reports_of(sid, "verzuim_16u")]
        stated = with_states(statutory if isinstance(statutory, list) else [], recorded, as_of.isoformat())
        top = headline(stated)
        verzuim, verzuim_on = "none", None
        if top is not None and (bool(recent) or top["state"] in OPEN_STATES):
            verzuim, verzuim_on = STATE_WORDS[str(top["state"])], top["reported_on"]
            figures = [top["hours"], top["begin"], top["end"] or as_of.isoformat(), top["reached"], top["deadline"]]
        elif bool(recent):  # flagged without entries (a result made by hand): its own deadline decides
            deadline = figures[-1]
            due = day_of(deadline)
            verzuim = "overdue" if due is not None and due < as_of else "to_report"
        sick_state, sick_on = "none", None
        if sick:
            last = book.last_report(sid, "ziekteverzuim")
            since = day_of(sick_from)
            if last is not None and since is not None and last.on >= since:
                sick_state, sick_on = "reported", last.on.isoformat()
            else:
                sick_state = "open"
        rows.append((verzuim != "none", verzuim, verzuim_on, *figures, stated, sick_state, sick_on))
    return pd.DataFrame(
        rows,
        columns=[
            "verzuim_16u",
            "verzuim_state",
            "verzuim_reported_on",
            *HEADLINE,
            "statutory_entries",
            "sick_state",
            "sick_reported_on",
        ],
        index=entries.index,
    )


def moved_signals(
    now: pd.Series, before: pd.Series | None, spread: pd.Series, concern: int = 0, limit: int = MAX_MOVED
) -> list[dict[str, Any]]:
    """The signals that moved most between two dates: feature, value before and now (data; renderers word it).
    concern +1 keeps only movements toward more risk (why a student rose), -1 only away from it (why one fell)."""
    if before is None or before.empty:
        return []
    candidates = []
    for spec in MOVING:
        if spec.name not in now.index or spec.name not in before.index:
            continue
        a, b = before[spec.name], now[spec.name]
        if pd.isna(a) or pd.isna(b):
            continue
        scale = float(spread.get(spec.name, 0.0)) or 1.0
        size = abs(float(b) - float(a)) / scale
        toward = (float(b) - float(a)) * spec.direction
        if concern and toward * concern <= 0:
            continue
        if size >= MOVED_AT_LEAST and round(float(b) - float(a), 1) != 0:
            candidates.append((size, spec.signal, {"feature": spec.name, "before": float(a), "now": float(b)}))
    candidates.sort(key=lambda c: -c[0])
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _size, signal, record in candidates:
        if signal not in seen:
            seen.add(signal)
            out.append(record)
    return out[:limit]


def signal_spread(features: pd.DataFrame) -> pd.Series:
    """How much each signal varies in the school: the scale a movement is judged by."""
    numeric = features.select_dtypes("number")
    return numeric.std(ddof=0).replace(0.0, np.nan).fillna(1.0)


def action_columns(
    entries: pd.DataFrame,
    book: ActionBook,
    as_of: dt.date,
    features: pd.DataFrame,
    snapshots: dict[dt.date, Snapshot | None],
    spread: pd.Series,
    wait_weeks: int = REFERRAL_WAIT_WEEKS,
) -> pd.DataFrame:
    """Per student: the open action (the most recent if several), who follows it up, its review date, whether
    the review is overdue, and which signals moved since the action was agreed; for a referral, its target, its
    state and since when, and `wait_weeks` when it has waited (registered or on a waiting list) longer than that
    (else 0)."""
    rows: list[tuple[Any, ...]] = []
    signals_then: dict[dt.date, pd.DataFrame] = {}
    for sid in entries["student_id"].astype(str):
        open_actions = sorted(book.open_for(sid), key=lambda a: (a.agreed, a.id))
        if not open_actions:
            rows.append((None, None, None, None, None, None, False, 0, [], None, None, None, 0))
            continue
        action = open_actions[-1]
        then = snapshots.get(action.agreed)
        before = None
        if then is not None and sid in then.students.index:
            if action.agreed not in signals_then:  # one frame per list, not per student
                signals_then[action.agreed] = then.signals()
            signals = signals_then[action.agreed]
            before = signals.loc[sid] if not signals.empty else None
        now = features.loc[sid] if sid in features.index else pd.Series(dtype=float)
        state = action.state_on(as_of)
        waiting = state is not None and state[0] in WAITING and as_of - state[1] > dt.timedelta(weeks=wait_weeks)
        rows.append(
            (
                action.id,
                action.what,
                action.who,
                action.worker,
                action.agreed.isoformat(),  # the list's columns keep days as ISO text, as its records do
                iso(action.review),
                action.overdue(as_of),
                len(open_actions) - 1,
                moved_signals(now, before, spread),
                action.referral,
                *((state[0], state[1].isoformat()) if state else (None, None)),
                wait_weeks if waiting else 0,
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "action_id",
            "action_what",
            "action_who",
            "action_worker",
            "action_agreed",
            "action_review",
            "review_overdue",
            "more_actions",
            "since_action",
            "action_referral",
            "referral_state",
            "referral_since",
            "referral_waiting",
        ],
        index=entries.index,
    )


def day_of(value: object) -> dt.date | None:
    """A day of the list's table (ISO text, or missing) as a date."""
    return dt.date.fromisoformat(str(value)[:10]) if isinstance(value, str) and value else None


WAITING = ("registered", "waiting_list")  # a referral not yet started: how long it waits is what a coordinator asks


def own_view_columns(entries: pd.DataFrame, book: ActionBook, as_of: dt.date) -> pd.DataFrame:
    """Per student: what goes well and what they want, as their latest action on or before `as_of` that recorded
    it said (open or closed): the next lists carry the student's own view into the next conversation."""
    latest: dict[str, Any] = {}
    for action in sorted(book.actions, key=lambda a: (a.agreed, a.id)):
        if action.own_view and action.agreed <= as_of:
            latest[action.student_id] = action
    rows = [
        (tuple(latest[sid].strengths), latest[sid].goal) if sid in latest else ((), None)
        for sid in entries["student_id"].astype(str)
    ]
    return pd.DataFrame(rows, columns=["own_strengths", "own_goal"], index=entries.index)
