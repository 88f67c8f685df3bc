"""Who is on the weekly shortlist, grouped per mentor, with changes since the last run and conversation prompts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError, msg
from riskscreen.i18n import LANGUAGES, NO_GROUP, OVERFLOW, texts
from riskscreen.scoring.score import ScoreResult
from riskscreen.signals.features import FEATURES
from riskscreen.signals.statutory.states import OPEN_STATES, REPORTED, REPORTED_LATE
from riskscreen.signals.statutory.workdays import CALENDAR_SOURCE
from riskscreen.weekly.followup import (
    action_columns,
    moved_signals,
    own_view_columns,
    signal_spread,
    statutory_states,
)
from riskscreen.workspace.actions import ActionBook
from riskscreen.workspace.location import REFERRAL_WAIT_WEEKS
from riskscreen.workspace.snapshots import Snapshot, make_snapshot

BAND_ORDER = {"low": 0, "elevated": 1, "high": 2}
PROMPT_KIND = {f.name: f.prompt for f in FEATURES}
MAX_PROMPTS = 3
# how many prompts of each kind every language has: a key is chosen only when every reader can be given its words
PROMPTS_PER_KIND = {
    kind: min(len(texts(lang)["prompts"].get(kind, [])) for lang in LANGUAGES) for kind in texts("nl")["prompts"]
}
SAME_WITHIN_POINTS = 1.0  # the least change reported, however quiet the week
NOISE_SDS = 2.0  # a change is reported beyond twice the week's noise (#24 item 3)
WHY_SIGNALS = 2  # signals shown for why a student is new, rose, fell or left


@dataclass(frozen=True)
class Shortlist:
    """The list itself: entries grouped and ordered, who left it and why, whom a cap left out, the school-wide
    statutory signals still open, and how it was made."""

    entries: pd.DataFrame  # one row per listed student; 'group' then 'priority' order
    left: pd.DataFrame  # students on the previous list who are not on this one, in their own group
    result: ScoreResult
    capacity: int
    per_mentor: bool
    previous_as_of: dt.date | None
    change_threshold: float | None = None  # percentage points: smaller moves are week-to-week noise
    groups: list[str] = field(default_factory=list)
    statutory: pd.DataFrame = field(default_factory=pd.DataFrame)  # open statutory signals, by deadline
    cap_left: dict[str, list[str]] = field(default_factory=dict)  # group -> above the band but left out
    by: str = "mentor"
    names: dict[str, str] | None = None  # pseudonym -> name, for a printed list only (never stored)
    overflow: dict[str, int] = field(default_factory=dict)  # mentor's group -> students of band high beyond
    #                                                          the capacity, on the overflow page (strict capacity)
    school: str = ""  # the workspace's school, for the printed list's running header
    role: str = "coordinator"  # whose view this is (weekly.roles): what it leaves out
    withheld: dict[str, int] = field(default_factory=dict)  # group -> students not shared with this role
    mentor: str = ""  # the mentor whose view this is


def group_keys(table: pd.DataFrame) -> pd.Series:
    """Per student the key of their group: mentor where known, else the class, else none."""
    mentor = table["mentor"].astype(object)
    klass = table["class"].astype(object)
    has_mentor = (pd.notna(mentor) & (mentor.astype(str) != "")).to_numpy()
    has_class = pd.notna(klass).to_numpy()
    return pd.Series(
        np.where(
            has_mentor, "mentor:" + mentor.astype(str), np.where(has_class, "class:" + klass.astype(str), NO_GROUP)
        ),
        index=table.index,
    )


def prompts_for(reason_features: str, statutory: bool, sick_flag: bool, *, minor: bool = True) -> list[str]:
    """Keys of the conversation prompts ('kind.index'): the first prompt of each kind the student's signals
    bring, then the second ones, up to MAX_PROMPTS. An adult's prompts do not bring in the parents. The keys are
    the same in every language; renderers word them."""
    kinds: list[str] = []
    if statutory:
        kinds.append("verzuim_16u" if minor else "verzuim_16u_adult")
    for feature in (f for f in reason_features.split(";") if f):
        kind = PROMPT_KIND.get(feature)
        if kind and kind not in kinds:
            kinds.append(kind)
    if sick_flag and "sick" not in kinds:
        kinds.append("sick" if minor else "sick_adult")
    out = [f"{kind}.0" for kind in kinds if PROMPTS_PER_KIND.get(kind)]
    out += [f"{kind}.1" for kind in kinds if PROMPTS_PER_KIND.get(kind, 0) > 1]
    out = out[:MAX_PROMPTS]
    # every conversation also asks what goes well or what the student wants: not only about problems
    if not OWN_VIEW & set(out):
        out = [*out[: MAX_PROMPTS - 1], "strengths.0"]
    return out


OWN_VIEW = {"strengths.0", "grades.1", "school_career.0"}  # prompts about strengths or the student's own plan


FLAG_DETAIL = (
    "verzuim_hours",
    "verzuim_from",
    "verzuim_to",
    "verzuim_reached",
    "verzuim_deadline",
    "sick_spells",
    "longest_sick_spell_days",
    "sick_from",
    "sick_to",
    "statutory_entries",
    "minor",
)
BY = ("mentor", "youthworker")


def build(
    result: ScoreResult,
    *,
    capacity: int = 5,
    per_mentor: bool = True,
    min_band: str = "elevated",
    previous: Snapshot | None = None,
    book: ActionBook | None = None,
    action_snapshots: dict[dt.date, Snapshot | None] | None = None,
    by: str = "mentor",
    referral_wait_weeks: int = REFERRAL_WAIT_WEEKS,
    strict_capacity: bool = False,
) -> Shortlist:
    """Highest risk first up to capacity (per mentor or in total), plus every student with the 16-hour flag and
    every student of band high (beyond the capacity on their mentor's page, marked; with `strict_capacity`, on
    the coordinator's overflow page); with `by="youthworker"`, the students with an open action a youth worker
    follows up, per youth worker."""
    if capacity < 0:
        raise UsageError(msg("`capacity` must be 0 or more"))
    if min_band not in BAND_ORDER:
        raise UsageError(msg("`min_band` must be one of {join}", join=", ".join(BAND_ORDER)))
    if by not in BY:
        raise UsageError(msg("`by` must be one of {join}", join=", ".join(BY)))
    book = book or ActionBook()
    as_of = result.day
    table = result.table.join(result.flags.reindex(columns=list(FLAG_DETAIL)))
    states = statutory_states(table, book, as_of)
    table = table.drop(columns=[c for c in states.columns if c in table.columns]).join(states)
    table["group"] = group_keys(table)
    eligible = table["band"].map(BAND_ORDER).to_numpy() >= BAND_ORDER[min_band]
    statutory = table["verzuim_16u"].to_numpy(dtype=bool)
    if per_mentor:
        order_in_group = table.assign(_e=eligible).groupby("group", sort=False)["_e"].cumsum().to_numpy()
        chosen = eligible & (order_in_group <= capacity)
    else:
        chosen = eligible & (np.cumsum(eligible) <= capacity)
    # the cap never hides a student of band high: a busy mentor's list grows instead (or the coordinator's)
    over = eligible & (table["band"].to_numpy() == "high") & ~chosen
    overflow = dict(sorted(Counter(table["group"].to_numpy()[over].astype(str)).items())) if strict_capacity else {}
    if strict_capacity:
        table.loc[over, "group"] = OVERFLOW
    capped = eligible & ~chosen & ~over & ~statutory
    cap_left: dict[str, list[str]] = {}
    for sid, group in zip(table["student_id"].to_numpy()[capped], table["group"].to_numpy()[capped], strict=True):
        cap_left.setdefault(str(group) if per_mentor else "all", []).append(str(sid))
    if by == "youthworker":
        workers = _youthworker_groups(table, book)
        listed = workers.notna().to_numpy()
        table["group"] = workers.fillna(table["group"])
        cap_left = {}
    else:
        listed = chosen | over | statutory
    entries = table.loc[listed].copy()
    entries["statutory"] = entries["verzuim_16u"].astype(bool)
    entries["by_risk"] = (chosen | over)[listed]
    entries["over_capacity"] = over[listed]
    entries["prompts"] = [
        prompts_for(str(f), state in {"to_report", "overdue"}, sick == "open", minor=minor is not False)
        for f, state, sick, minor in zip(
            entries["reason_features"], entries["verzuim_state"], entries["sick_state"], entries["minor"], strict=True
        )
    ]
    spread = signal_spread(result.features)
    threshold = change_threshold(table, previous)
    entries["change"], entries["change_points"], entries["moved"] = _changes(
        entries, previous, result.features, spread, threshold or SAME_WITHIN_POINTS
    )
    entries = entries.join(
        action_columns(entries, book, as_of, result.features, action_snapshots or {}, spread, referral_wait_weeks)
    ).join(own_view_columns(entries, book, as_of))
    # Priority inside a group: statutory first (a legal duty with a deadline), then by risk.
    entries = (
        entries.assign(_kind=_kind_order(entries["group"]))
        .sort_values(
            ["_kind", "group", "statutory", "probability", "student_id"],
            ascending=[True, True, False, False, True],
            kind="stable",
        )
        .drop(columns="_kind")
    )
    entries["priority"] = entries.groupby("group", sort=False).cumcount() + 1
    left = (
        _left(table, entries, previous, result.features, spread)
        if by == "mentor"
        else _left(table, entries, None, result.features, spread)
    )
    keys = pd.Series([*entries["group"], *left["group"], *cap_left], dtype=object).drop_duplicates()
    groups = list(keys.iloc[np.lexsort((keys.to_numpy().astype(str), _kind_order(keys)))])
    return Shortlist(
        entries=entries,
        left=left,
        result=result,
        capacity=capacity,
        per_mentor=per_mentor,
        previous_as_of=previous.as_of if previous else None,
        change_threshold=threshold,
        groups=groups,
        statutory=_open_statutory(table, as_of),
        cap_left=cap_left,
        by=by,
        overflow=overflow,
    )


def _kind_order(groups: pd.Series) -> np.ndarray:
    """Groups in a fixed order whatever the language: mentors (or youth workers), classes, then none."""
    text = groups.astype(str)
    return np.select(
        [
            text.str.startswith("mentor:") | text.str.startswith("worker:"),
            text.str.startswith("class:"),
            text == OVERFLOW,
        ],
        [0, 1, 3],
        2,
    )


def _youthworker_groups(table: pd.DataFrame, book: ActionBook) -> pd.Series:
    """Per student the youth worker who follows up their open action ('worker:NAME', or 'worker:' when the
    action names no one); None for students without such an action."""
    out = pd.Series(None, index=table.index, dtype=object)
    for action in sorted(
        (a for a in book.actions if a.open and a.who == "youth_worker"), key=lambda a: (a.agreed, a.id)
    ):
        if action.student_id in out.index:
            out[action.student_id] = f"worker:{action.worker or ''}"
    return out


RECENTLY_REPORTED_DAYS = 28


def _open_statutory(table: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Every report of the school still to be made (due or late, however old) and every open sick-leave signal,
    the earliest deadline first (signals without a deadline after them); then the reports recorded in the last
    four weeks, reported or reported late, the latest first."""
    since = as_of - dt.timedelta(days=RECENTLY_REPORTED_DAYS)
    open_rows, done_rows = [], []
    for sid, group, entries, sick_state in zip(
        table["student_id"].astype(str), table["group"], table["statutory_entries"], table["sick_state"], strict=True
    ):
        for entry in entries if isinstance(entries, list) else []:
            if entry.get("state") in OPEN_STATES or (entry["type"] == "mazl" and sick_state == "open"):
                open_rows.append({"student_id": sid, "group": group, "entry": entry})
            elif (
                entry.get("state") in (REPORTED, REPORTED_LATE)
                and dt.date.fromisoformat(str(entry["reported_on"])) >= since
            ):
                done_rows.append({"student_id": sid, "group": group, "entry": entry})
    open_rows.sort(key=lambda r: (str(r["entry"]["deadline"] or "9999"), r["student_id"]))
    done_rows.sort(key=lambda r: (str(r["entry"]["reported_on"]), r["student_id"]), reverse=True)
    return pd.DataFrame(open_rows + done_rows, columns=["student_id", "group", "entry"])


def change_threshold(table: pd.DataFrame, previous: Snapshot | None) -> float | None:
    """The least change in percentage points a list reports: twice the week-to-week noise of the chances of every
    student on both lists (a robust sd: 1.4826 x the median absolute deviation of the changes), at least
    SAME_WITHIN_POINTS. Most students' chances move a little every week without anything happening; a move within
    that noise is "about the same". None without an earlier list."""
    if previous is None:
        return None
    before = previous.students["probability"]
    now = pd.Series(table["probability"].to_numpy(dtype=float), index=table["student_id"].astype(str).to_numpy())
    common = now.index.intersection(before.index.astype(str))
    if len(common) < 2:
        return SAME_WITHIN_POINTS
    delta = 100 * (now.loc[common].to_numpy() - before.reindex(common).to_numpy(dtype=float))
    noise = 1.4826 * float(np.median(np.abs(delta - np.median(delta))))
    return round(max(SAME_WITHIN_POINTS, NOISE_SDS * noise), 1)


def _changes(
    entries: pd.DataFrame,
    previous: Snapshot | None,
    features: pd.DataFrame,
    spread: pd.Series,
    threshold: float = SAME_WITHIN_POINTS,
) -> tuple[list[str], list[float | None], list[list[dict[str, Any]]]]:
    if previous is None:
        return ["none"] * len(entries), [None] * len(entries), [[] for _ in range(len(entries))]
    prev = previous.students
    before_signals = previous.signals()
    kinds: list[str] = []
    points: list[float | None] = []
    moved: list[list[dict[str, Any]]] = []
    for sid, p, band in zip(entries["student_id"].astype(str), entries["probability"], entries["band"], strict=True):
        before = before_signals.loc[sid] if sid in before_signals.index else None
        if sid not in prev.index or not bool(prev.loc[sid, "on_list"]):
            kind, delta_points = "new", None
        else:
            delta = 100 * (float(p) - float(prev.loc[sid, "probability"]))
            delta_points = round(delta, 1)
            moved_band = str(prev.loc[sid, "band"]) != str(band)
            kind = "same" if abs(delta) < threshold and not moved_band else "up" if delta > 0 else "down"
        kinds.append(kind)
        points.append(delta_points)
        concern = {"new": 1, "up": 1, "down": -1}.get(kind, 0)
        moved.append(
            moved_signals(features.loc[sid], before, spread, concern, WHY_SIGNALS)
            if sid in features.index and kind != "same"
            else []
        )
    return kinds, points, moved


LEFT_COLUMNS = ["student_id", "group", "before", "now", "why", "moved"]


def _left(
    table: pd.DataFrame, entries: pd.DataFrame, previous: Snapshot | None, features: pd.DataFrame, spread: pd.Series
) -> pd.DataFrame:
    """Students on the previous list who are not on this one, in their own (current) group, with why: risk below
    the band, left out by the cap, or no longer in the exports; and which signals moved."""
    if previous is None:
        return pd.DataFrame(columns=LEFT_COLUMNS)
    prev = previous.students
    before_signals = previous.signals()
    was_listed = set(prev.index[prev["on_list"].astype(bool)])
    gone = sorted(was_listed - set(entries["student_id"].astype(str)))
    rows = []
    for sid in gone:
        if sid in table.index:
            now: float | None = float(table.loc[sid, "probability"])
            group = str(table.loc[sid, "group"])
            band = str(table.loc[sid, "band"])
            why = "capped" if BAND_ORDER[band] >= BAND_ORDER["elevated"] else "below_band"
            before = before_signals.loc[sid] if sid in before_signals.index else None
            moved = moved_signals(features.loc[sid], before, spread, -1, WHY_SIGNALS)
        else:
            now, group, why, moved = None, str(prev.loc[sid, "group"]), "not_in_exports", []
        rows.append(
            {
                "student_id": sid,
                "group": group,
                "before": float(prev.loc[sid, "probability"]),
                "now": now,
                "why": why,
                "moved": moved,
            }
        )
    return pd.DataFrame(rows, columns=LEFT_COLUMNS)


def snapshot(listing: Shortlist) -> Snapshot:
    """What the next run compares with: every scored student, their group, and whether they are listed."""
    result = listing.result
    table = result.table.join(
        result.flags.reindex(columns=["verzuim_reached", "verzuim_deadline", "statutory_entries"])
    )
    table = table.assign(group=group_keys(result.table))  # the mentor's group, also in a youth worker's view
    declared = [f.name for f in FEATURES if f.name in result.features.columns]
    rules = result.rules
    basis = {
        "model": result.model_name,
        "demonstration": result.demonstration,
        "rules": f"{rules.verzuim_hours:g}/{rules.verzuim_weeks}",
        "rmc_hours": rules.rmc_hours,
        "calendar": result.calendar_basis,
        "public_holidays": CALENDAR_SOURCE,
    }
    return make_snapshot(
        result.day,
        result.model_name,
        table,
        set(listing.entries["student_id"].astype(str)),
        signals=result.features[declared],
        basis=basis,
    )
