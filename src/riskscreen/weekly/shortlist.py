"""Who is on the weekly shortlist, grouped per mentor, with changes since the last run and conversation prompts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError
from riskscreen.i18n import NO_GROUP, texts
from riskscreen.scoring.score import ScoreResult
from riskscreen.signals.features import FEATURES
from riskscreen.weekly.history import Snapshot, make_snapshot

BAND_ORDER = {"low": 0, "elevated": 1, "high": 2}
PROMPT_KIND = {f.name: f.prompt for f in FEATURES}
MAX_PROMPTS = 3
SAME_WITHIN_POINTS = 1.0


@dataclass(frozen=True)
class Shortlist:
    """The list itself: entries grouped and ordered, the students who left it, and how it was made."""

    entries: pd.DataFrame         # one row per listed student; 'group' then 'priority' order
    left: pd.DataFrame            # students on the previous list who are not on this one
    result: ScoreResult
    capacity: int
    per_mentor: bool
    previous_as_of: str | None
    groups: list[str] = field(default_factory=list)


def group_keys(table: pd.DataFrame) -> pd.Series:
    """Per student the key of their group: mentor where known, else the class, else none (i18n.group_key)."""
    mentor = table["mentor"].astype(object)
    klass = table["class"].astype(object)
    has_mentor = (pd.notna(mentor) & (mentor.astype(str) != "")).to_numpy()
    has_class = pd.notna(klass).to_numpy()
    return pd.Series(np.where(has_mentor, "mentor:" + mentor.astype(str),
                              np.where(has_class, "class:" + klass.astype(str), NO_GROUP)), index=table.index)


def prompts_for(reason_features: str, statutory: bool, sick_flag: bool, lang: str) -> list[str]:
    """Keys of the conversation prompts ('kind.index'): the first prompt of each kind the student's signals
    bring, then the second ones, up to MAX_PROMPTS."""
    catalogue = texts(lang)["prompts"]
    kinds: list[str] = []
    if statutory:
        kinds.append("verzuim_16u")
    for feature in (f for f in reason_features.split(";") if f):
        kind = PROMPT_KIND.get(feature)
        if kind and kind not in kinds:
            kinds.append(kind)
    if sick_flag and "sick" not in kinds:
        kinds.append("sick")
    out = [f"{kind}.0" for kind in kinds if catalogue.get(kind)]
    out += [f"{kind}.1" for kind in kinds if len(catalogue.get(kind, [])) > 1]
    return out[:MAX_PROMPTS]


def build(result: ScoreResult, *, capacity: int = 5, per_mentor: bool = True, min_band: str = "elevated",
          previous: Snapshot | None = None) -> Shortlist:
    """Highest risk first up to capacity (per mentor or in total), plus every student with the 16-hour flag."""
    if capacity < 0:
        raise UsageError("--capacity must be 0 or more")
    if min_band not in BAND_ORDER:
        raise UsageError(f"--min-band must be one of {', '.join(BAND_ORDER)}")
    lang = result.lang
    table = result.table.copy()
    table["group"] = group_keys(table)
    eligible = table["band"].map(BAND_ORDER).to_numpy() >= BAND_ORDER[min_band]
    statutory = table["verzuim_16u"].to_numpy(dtype=bool)
    chosen = np.zeros(len(table), dtype=bool)
    if per_mentor:
        order_in_group = table.assign(_e=eligible).groupby("group", sort=False)["_e"].cumsum().to_numpy()
        chosen = eligible & (order_in_group <= capacity)
    else:
        chosen = eligible & (np.cumsum(eligible) <= capacity)
    listed = chosen | statutory
    entries = table.loc[listed].copy()
    entries["statutory"] = entries["verzuim_16u"].astype(bool)
    entries["by_risk"] = chosen[listed]
    entries["prompts"] = [prompts_for(str(f), bool(s), bool(z), lang) for f, s, z in
                          zip(entries["reason_features"], entries["statutory"], entries["ziekteverzuim"], strict=True)]
    entries["change"], entries["change_points"] = _changes(entries, previous)
    # Priority inside a group: statutory first (a legal duty with a deadline), then by risk.
    # Groups in a fixed order whatever the language: mentors, then classes, then students without either.
    kind_order = np.select([entries["group"].str.startswith("mentor:"), entries["group"].str.startswith("class:")],
                           [0, 1], 2)
    entries = entries.assign(_kind=kind_order).sort_values(
        ["_kind", "group", "statutory", "probability", "student_id"], ascending=[True, True, False, False, True],
        kind="stable").drop(columns="_kind")
    entries["priority"] = entries.groupby("group", sort=False).cumcount() + 1
    left = _left(table, entries, previous)
    return Shortlist(entries=entries, left=left, result=result, capacity=capacity, per_mentor=per_mentor,
                     previous_as_of=previous.as_of if previous else None,
                     groups=list(dict.fromkeys(entries["group"])))


def _changes(entries: pd.DataFrame, previous: Snapshot | None) -> tuple[list[str], list[float | None]]:
    if previous is None:
        return ["none"] * len(entries), [None] * len(entries)
    prev = previous.students
    kinds: list[str] = []
    points: list[float | None] = []
    for sid, p in zip(entries["student_id"].astype(str), entries["probability"], strict=True):
        if sid not in prev.index or not bool(prev.loc[sid, "on_list"]):
            kinds.append("new")
            points.append(None)
            continue
        delta = 100 * (float(p) - float(prev.loc[sid, "probability"]))
        points.append(round(delta, 1))
        kinds.append("same" if abs(delta) < SAME_WITHIN_POINTS else "up" if delta > 0 else "down")
    return kinds, points


def _left(table: pd.DataFrame, entries: pd.DataFrame, previous: Snapshot | None) -> pd.DataFrame:
    columns = ["student_id", "group", "before", "now"]
    if previous is None:
        return pd.DataFrame(columns=columns)
    prev = previous.students
    was_listed = set(prev.index[prev["on_list"].astype(bool)])
    gone = sorted(was_listed - set(entries["student_id"].astype(str)))
    rows = []
    for sid in gone:
        now = float(table.loc[sid, "probability"]) if sid in table.index else None
        group = str(table.loc[sid, "group"]) if sid in table.index else str(prev.loc[sid, "group"])
        rows.append({"student_id": sid, "group": group, "before": float(prev.loc[sid, "probability"]), "now": now})
    return pd.DataFrame(rows, columns=columns)


def snapshot(listing: Shortlist) -> Snapshot:
    """What the next run compares with: every scored student, their group, and whether they are listed."""
    result = listing.result
    group = group_keys(result.table)
    table = result.table.assign(group=listing.entries["group"].reindex(result.table.index).fillna(group))
    return make_snapshot(result.as_of.date().isoformat(), result.model_name, table,
                         set(listing.entries["student_id"].astype(str)))
