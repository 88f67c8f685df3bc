"""Who is on the weekly shortlist, grouped per mentor, with changes since the last run and conversation prompts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError
from riskscreen.scoring.reasons import texts
from riskscreen.scoring.score import ScoreResult
from riskscreen.weekly.history import Snapshot, make_snapshot

BAND_ORDER = {"low": 0, "elevated": 1, "high": 2}
PROMPT_KEYS = {
    "unauthorised_hours_4w": "absence", "unauthorised_hours_12w": "absence", "absence_trend": "absence",
    "authorised_hours_12w": "absence", "late_4w": "late", "removed_12w": "removed",
    "grade_mean_12w": "grades", "fails_12w": "grades", "core_fails_12w": "grades", "core_min_avg_12w": "grades",
    "grade_trend": "grades", "sick_hours_12w": "sick", "sick_spells_12w": "sick",
    "repeated_years": "school_career", "moved_down": "school_career", "over_age": "school_career",
}
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


def group_key(table: pd.DataFrame, lang: str) -> pd.Series:
    """Mentor where known, else the class, else 'no mentor'."""
    mentor = table["mentor"].astype(object)
    klass = table["class"].astype(object)
    missing = texts(lang)["shortlist"]["no_mentor"]
    label_class = texts(lang)["shortlist"]["class_group"]
    return pd.Series(np.where(pd.notna(mentor) & (mentor.astype(str) != ""), mentor.astype(str),
                              np.where(pd.notna(klass), label_class + " " + klass.astype(str), missing)),
                     index=table.index)


def prompts_for(reason_features: str, statutory: bool, sick_flag: bool, lang: str) -> list[str]:
    catalogue = texts(lang)["prompts"]
    keys: list[str] = []
    if statutory:
        keys.append("verzuim_16u")
    for feature in (f for f in reason_features.split(";") if f):
        key = PROMPT_KEYS.get(feature)
        if key and key not in keys:
            keys.append(key)
    if sick_flag and "sick" not in keys:
        keys.append("sick")
    out: list[str] = []
    for key in keys:  # the first prompt of each kind, then the second ones, up to MAX_PROMPTS
        if catalogue.get(key):
            out.append(catalogue[key][0])
    for key in keys:
        if len(catalogue.get(key, [])) > 1:
            out.append(catalogue[key][1])
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
    table["group"] = group_key(table, lang)
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
    entries = entries.sort_values(["group", "statutory", "probability", "student_id"],
                                  ascending=[True, False, False, True], kind="stable")
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
    group = group_key(result.table, result.lang)
    table = result.table.assign(group=listing.entries["group"].reindex(result.table.index).fillna(group))
    return make_snapshot(result.as_of.date().isoformat(), result.model_name, table,
                         set(listing.entries["student_id"].astype(str)))


def change_text(kind: str, points: float | None, lang: str) -> str:
    words = texts(lang)["shortlist"]
    if kind == "none":
        return ""
    if kind in {"up", "down"} and points is not None:
        shown = f"{abs(points):.1f}".replace(".", ",") if lang == "nl" else f"{abs(points):.1f}"
        return str(words[kind]).format(points=shown)
    return str(words[kind])
