"""A view of the weekly list per role: what a coordinator, a mentor, a youth worker or leerplicht may see.

The coordinator (who runs riskscreen) sees everything. A mentor sees their own students. A youth worker, usually
employed by another organisation, sees only the students a recorded basis covers (workspace.sharing), no health
data (sick leave and the M@ZL signal are AVG art. 9 data: they become one line, "zorgsignaal: bespreek met de
zorgcoördinator"), no chance of a student who is not on the list, and of each mentor's other students only how
many were not shared. Leerplicht sees the statutory reports only, nothing from the model. The view is made from
the list the library built, so every format and `riskscreen.api` show the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pandas as pd

from riskscreen.errors import UsageError, msg
from riskscreen.scoring.reasons import CARE_SIGNAL, TOP_REASONS, Reason
from riskscreen.signals.features import FEATURES
from riskscreen.weekly.shortlist import Shortlist
from riskscreen.workspace.sharing import Basis, SchoolBasis, covered

ROLES = ("coordinator", "mentor", "youthworker", "leerplicht")
ROLE_WORDS = {
    "coordinator": "coordinator",
    "zorgcoordinator": "coordinator",
    "zorgcoördinator": "coordinator",
    "mentor": "mentor",
    "youthworker": "youthworker",
    "youth_worker": "youthworker",
    "jongerenwerker": "youthworker",
    "leerplicht": "leerplicht",
    "attendance_officer": "leerplicht",
    "leerplichtambtenaar": "leerplicht",
}
HEALTH_FEATURES = frozenset(f.name for f in FEATURES if f.signal == "sick")
HEALTH_PROMPTS = ("sick.", "sick_adult.")


def role_key(word: str) -> str:
    """A role as typed, in Dutch or English, as its key."""
    key = ROLE_WORDS.get(str(word).strip().lower())
    if key is None:
        raise UsageError(
            msg("'{word}' is not a role a list is made for", word=word),
            hint=msg("use coordinator, mentor, youthworker or leerplicht (zorgcoördinator, jongerenwerker)"),
        )
    return key


def view(
    sl: Shortlist,
    role: str,
    *,
    mentor: str | None = None,
    bases: list[Basis] | None = None,
    school: SchoolBasis | None = None,
) -> Shortlist:
    """The list as `role` may see it. mentor: whose students (for the mentor's view). bases, school: the
    recorded bases for sharing and the school's default (for the youth worker's view)."""
    role = role_key(role)
    if role == "coordinator":
        return sl
    if role == "mentor":
        if not mentor:
            raise UsageError(
                msg("a mentor's list needs the mentor's code"), hint=msg("add `mentor` CODE, such as `mentor` MNT02")
            )
        if mentor not in set(sl.result.table["mentor"].dropna().astype(str)):  # a typing error, not an empty list
            raise UsageError(
                msg("no student has mentor '{mentor}'", mentor=mentor),
                hint=msg("use a mentor code of the students file, such as `mentor` MNT02"),
            )
        return _only(sl, sl.entries["mentor"].astype(str).eq(mentor).to_numpy(), role)
    if role == "leerplicht":
        statutory = _without_health_reports(sl.statutory)
        return replace(
            sl,
            entries=sl.entries.iloc[0:0],
            left=sl.left.iloc[0:0],
            statutory=statutory,
            cap_left={},
            overflow={},
            role=role,
            withheld={},
            groups=[],
        )
    day = sl.result.day
    shared = sl.entries["student_id"].astype(str).map(lambda s: covered(bases or [], school, s, day) is not None)
    return _for_youth_worker(_only(sl, shared.to_numpy(dtype=bool), role), sl, bases or [], school, day)


def _only(sl: Shortlist, keep: Any, role: str) -> Shortlist:
    """The list with only the kept entries, and of the others per group only how many were left out."""
    entries = sl.entries[keep]
    dropped = sl.entries[~keep]
    withheld = (
        {str(g): int(n) for g, n in dropped.groupby("group", sort=False).size().items()}
        if role == "youthworker"
        else {}
    )
    students = set(entries["student_id"].astype(str))
    # a mentor's page, a youth worker's pages: only the groups with a student to see
    groups = [g for g in sl.groups if g in set(entries["group"])]
    left = sl.left[sl.left["group"].isin(set(entries["group"]) if role == "mentor" else sl.left["group"])]
    statutory = (
        sl.statutory[sl.statutory["student_id"].astype(str).isin(students)]
        if role == "youthworker"
        else sl.statutory[sl.statutory["group"].isin(groups)]
    )
    cap_left = {
        g: [s for s in names if role != "youthworker" or s in students]
        for g, names in sl.cap_left.items()
        if g in groups or g == "all"
    }
    return replace(
        sl,
        entries=entries,
        left=left,
        statutory=statutory,
        groups=groups,
        cap_left={g: n for g, n in cap_left.items() if n},
        role=role,
        withheld=withheld,
        mentor=sl.mentor if role != "mentor" else str(entries["mentor"].iloc[0]) if len(entries) else "",
    )


def _for_youth_worker(
    sl: Shortlist, whole: Shortlist, bases: list[Basis], school: SchoolBasis | None, day: dt.date
) -> Shortlist:
    """No health data: sick-leave reasons, prompts and reports become one care line; no chance of a student who
    left the list; only the students a basis covers among those who left."""
    entries = sl.entries.copy()
    columns: dict[str, list[Any]] = {
        c: [] for c in ("reasons", "reason_features", "prompts", "moved", "since_action", "statutory_entries")
    }
    for _, row in entries.iterrows():
        said = tuple(row["reasons"] or ())
        reports = row["statutory_entries"] if isinstance(row["statutory_entries"], list) else []
        health = (
            any(r.feature in HEALTH_FEATURES for r in said)
            or row["sick_state"] in ("open", "reported")
            or any(e.get("type") == "mazl" for e in reports)
        )
        kept = tuple(r for r in said if r.feature not in HEALTH_FEATURES)
        if health:  # the care line always shows, in place of the last reason if need be
            kept = (*kept[: TOP_REASONS - 1], Reason(CARE_SIGNAL))
        columns["reasons"].append(kept)
        columns["reason_features"].append(";".join(r.feature for r in kept if r.feature != CARE_SIGNAL))
        columns["prompts"].append([p for p in row["prompts"] if not p.startswith(HEALTH_PROMPTS)])
        columns["moved"].append([m for m in row["moved"] if m["feature"] not in HEALTH_FEATURES])
        since = row["since_action"] if isinstance(row["since_action"], list) else []
        columns["since_action"].append([m for m in since if m["feature"] not in HEALTH_FEATURES])
        columns["statutory_entries"].append([e for e in reports if e.get("type") != "mazl"])
    for column, values in columns.items():
        entries[column] = pd.Series(values, index=entries.index, dtype=object)
    for column in (
        "ziekteverzuim",
        "sick_spells",
        "longest_sick_spell_days",
        "sick_from",
        "sick_to",
        "sick_reported_on",
    ):
        entries[column] = pd.Series([None] * len(entries), index=entries.index, dtype=object)
    entries["sick_state"] = "withheld"
    left = whole.left
    if not left.empty:
        left = left[left["student_id"].astype(str).map(lambda s: covered(bases, school, s, day) is not None)].copy()
        left["now"] = None
        left["moved"] = [[m for m in moved if m["feature"] not in HEALTH_FEATURES] for moved in left["moved"]]
    return replace(sl, entries=entries, left=left, statutory=_without_health_reports(sl.statutory))


def _without_health_reports(statutory: pd.DataFrame) -> pd.DataFrame:
    """The school-wide reports without the M@ZL (sick leave) signals: those go to the jeugdarts, not a partner."""
    if statutory.empty:
        return statutory
    return statutory[[e.get("type") != "mazl" for e in statutory["entry"]]]
