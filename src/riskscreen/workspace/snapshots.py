"""Snapshots of past lists in the workspace (pseudonyms, scores, signals, flags; nothing else): numbered runs
per date, read back, compared and pruned."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from riskscreen.dates import read_day
from riskscreen.errors import UsageError, WorkspaceError, msg
from riskscreen.signals.statutory.reports import REPORTABLE
from riskscreen.workspace.store import read_document, write_document

SNAPSHOT_PATTERN = re.compile(r"^shortlist-(\d{4}-\d{2}-\d{2})(?:-([1-9]\d*))?\.json$")  # any run number
# 3: signal values and statutory dates, runs numbered per date; 2: groups are keys; 1: groups as shown
SNAPSHOT_VERSION = 3
LEGACY_NO_GROUP = {"(geen mentor bekend)", "(no mentor known)"}
LEGACY_CLASS_PREFIXES = ("Klas ", "Class ")
SNAPSHOT_COLUMNS = {"probability", "band", "on_list", "group"}
STORED = (
    "probability",
    "band",
    "on_list",
    "group",
    "level",
    "year",
    "reason_features",
    "verzuim_16u",
    "verzuim_reached",
    "verzuim_deadline",
    "ziekteverzuim",
)
SIGNAL_PREFIX = "signal."
REPORT_KEYS = (
    "type",
    "compulsory",
    "begin",
    "end",
    "hours",
    "basis",
    "deadline",
    "reached",
    "follow_up",
    "regional",
    "note",
    "minor",
)


@dataclass(frozen=True)
class Snapshot:
    """One run's list: every scored student with probability, band, signals, flags and whether listed."""

    as_of: dt.date
    model: str
    students: pd.DataFrame  # index student_id; the STORED columns, and signal.<feature> values
    run: int = 1
    path: Path | None = None
    basis: dict[str, object] = field(default_factory=dict)  # what the list rests on (empty before it was kept)

    @property
    def label(self) -> str:
        return str(self.as_of) if self.run == 1 else f"{self.as_of} #{self.run}"

    def reports(self, student_id: str) -> list[dict[str, object]]:
        """The student's reports to DUO as the list knew them (none in snapshots made before they were stored)."""
        if "statutory" not in self.students or student_id not in self.students.index:
            return []
        value = self.students.at[student_id, "statutory"]
        return list(value) if isinstance(value, list) else []

    def signals(self) -> pd.DataFrame:
        """The signal values, one column per feature (empty for snapshots of versions before 3)."""
        columns = [c for c in self.students.columns if c.startswith(SIGNAL_PREFIX)]
        return self.students[columns].rename(columns=lambda c: c[len(SIGNAL_PREFIX) :])


def make_snapshot(
    as_of: dt.date,
    model: str,
    table: pd.DataFrame,
    listed_ids: set[str],
    signals: pd.DataFrame | None = None,
    basis: dict[str, object] | None = None,
) -> Snapshot:
    index = pd.Index(table["student_id"].astype(str).to_numpy(), name="student_id")
    frame = pd.DataFrame(
        {
            "probability": table["probability"].astype(float).round(6).to_numpy(),
            "band": table["band"].astype(str).to_numpy(),
            "on_list": table["student_id"].astype(str).isin(listed_ids).to_numpy(),
            "group": table["group"].astype(str).to_numpy(),
            "level": _text_or_none(table["level"]) if "level" in table else None,
            "year": _text_or_none(table["year"]) if "year" in table else None,
            "reason_features": table["reason_features"].astype(str).to_numpy(),
            "verzuim_16u": table["verzuim_16u"].astype(bool).to_numpy(),
            "verzuim_reached": table["verzuim_reached"].to_numpy(dtype=object),
            "verzuim_deadline": table["verzuim_deadline"].to_numpy(dtype=object),
            "ziekteverzuim": table["ziekteverzuim"].astype(bool).to_numpy(),
        },
        index=index,
    )
    if "statutory_entries" in table:
        # the reports to DUO the list knew of (without their state, which the action book decides): what
        # `actions due` and `actions reported` work from
        frame["statutory"] = [
            [
                {k: v for k, v in e.items() if k in REPORT_KEYS}
                for e in entries
                if e["compulsory"] and e["type"] in REPORTABLE
            ]
            if isinstance(entries, list)
            else []
            for entries in table["statutory_entries"]
        ]
    if signals is not None:
        values = signals.reindex(index).astype(float).round(3)
        for name in values.columns:
            frame[SIGNAL_PREFIX + name] = values[name].to_numpy()
    return Snapshot(as_of, model, frame, basis=dict(basis or {}))


def _text_or_none(column: pd.Series) -> np.ndarray:
    values = column.astype(object).to_numpy()
    return np.array([None if v is None or pd.isna(v) else str(v) for v in values], dtype=object)


def snapshot_path(folder: Path, as_of: dt.date, run: int = 1) -> Path:
    return Path(folder) / (f"shortlist-{as_of}.json" if run == 1 else f"shortlist-{as_of}-{run}.json")


def _key(path: Path) -> tuple[dt.date, int]:
    match = SNAPSHOT_PATTERN.match(path.name)
    assert match is not None
    return dt.date.fromisoformat(match.group(1)), int(match.group(2) or 1)


def list_snapshots(folder: Path) -> list[Path]:
    """Snapshot files in date order, runs of one date in the order they were made."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if SNAPSHOT_PATTERN.match(p.name) and _real_day(p.name)), key=_key)


def _real_day(name: str) -> bool:
    """A snapshot's name holds a day of the calendar (shortlist-2026-02-30.json is someone else's file)."""
    try:
        dt.date.fromisoformat(name[len("shortlist-") : len("shortlist-") + 10])
    except ValueError:
        return False
    return True


def save(snapshot: Snapshot, folder: Path) -> Snapshot:
    """Store the snapshot as the next run of its date: an earlier run of the same date is kept, never replaced."""
    runs = [run for date, run in map(_key, list_snapshots(folder)) if date == snapshot.as_of]
    run = max(runs, default=0) + 1
    students = []
    signal_columns = [c for c in snapshot.students.columns if c.startswith(SIGNAL_PREFIX)]
    for sid, row in zip(snapshot.students.index, snapshot.students.to_dict(orient="records"), strict=True):
        record: dict[str, Any] = {"student_id": str(sid)}
        for key in STORED:
            record[key] = _plain(row.get(key))
        if isinstance(row.get("statutory"), list) and row["statutory"]:
            record["statutory"] = row["statutory"]
        record["signals"] = {c[len(SIGNAL_PREFIX) :]: _plain(row[c]) for c in signal_columns}
        students.append(record)
    doc = {
        "version": SNAPSHOT_VERSION,
        "as_of": snapshot.as_of.isoformat(),
        "run": run,
        "model": snapshot.model,
        "basis": snapshot.basis,
        "students": students,
    }
    target = snapshot_path(folder, snapshot.as_of, run)
    if target.exists():  # a file this listing could not read: never replace what a school kept
        raise WorkspaceError(
            msg(
                "a snapshot {name} is there already but is not a list of this workspace: nothing was replaced",
                name=target.name,
            ),
            path=str(target),
            hint=msg("move it out of the workspace's snapshots folder"),
        )
    path = write_document(target, doc)
    return replace(snapshot, run=run, path=path)


def _plain(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    return value


def load(path: Path) -> Snapshot:
    doc = read_document(Path(path), msg("shortlist snapshot"))
    try:
        records = [
            {
                **{k: v for k, v in r.items() if k != "signals"},
                **{SIGNAL_PREFIX + k: v for k, v in (r.get("signals") or {}).items()},
            }
            for r in doc["students"]
        ]
        frame = pd.DataFrame(records, columns=None if records else ["student_id", *SNAPSHOT_COLUMNS])
        frame["student_id"] = frame["student_id"].astype(str)
        frame = frame.set_index("student_id")
        if not set(frame.columns) >= SNAPSHOT_COLUMNS or not isinstance(doc["as_of"], str):
            raise ValueError("not a snapshot")
        frame["probability"] = pd.to_numeric(frame["probability"], errors="raise").astype(float)
        for column in (c for c in frame.columns if c.startswith(SIGNAL_PREFIX)):
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
        for column in ("verzuim_16u", "ziekteverzuim"):
            if column not in frame:
                frame[column] = False
        if doc.get("version", 1) == 1:
            frame["group"] = [_legacy_group_key(str(g)) for g in frame["group"]]
        run = int(doc.get("run", _key(Path(path))[1] if SNAPSHOT_PATTERN.match(Path(path).name) else 1))
        basis = doc.get("basis") or {}
        if not isinstance(basis, dict):
            raise ValueError("not a basis")
        return Snapshot(dt.date.fromisoformat(doc["as_of"]), str(doc.get("model", "")), frame, run, Path(path), basis)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise WorkspaceError(
            msg("is not a readable shortlist snapshot"),
            path=str(path),
            hint=msg("move it out of the workspace's snapshots folder"),
        ) from None


def previous(folder: Path, as_of: dt.date) -> Snapshot | None:
    """The last run of the latest date strictly before as_of (a rerun the same week compares with the week
    before, not with itself)."""
    earlier = [p for p in list_snapshots(folder) if _key(p)[0] < as_of]
    return load(earlier[-1]) if earlier else None


def student_ids(path: Path) -> frozenset[str]:
    """The pseudonyms of one run's list (kept in memory: a run's file is never changed once written, and a day's
    actions ask for it once each)."""
    stat = Path(path).stat()
    return _student_ids(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _student_ids(path: str, modified: int, size: int) -> frozenset[str]:
    return frozenset(load(Path(path)).students.index.astype(str))


def path_at_or_before(folder: Path, day: dt.date) -> Path | None:
    """The file of the last run on or before a date."""
    earlier = [p for p in list_snapshots(folder) if _key(p)[0] <= day]
    return earlier[-1] if earlier else None


def at_or_before(folder: Path, day: dt.date) -> Snapshot | None:
    """The last run on or before a date: what the list showed when an action was agreed."""
    earlier = [p for p in list_snapshots(folder) if _key(p)[0] <= day]
    return load(earlier[-1]) if earlier else None


def find(folder: Path, ref: str) -> Snapshot:
    """A snapshot by date (YYYY-MM-DD, its last run), date#run, or path."""
    candidate = Path(ref)
    if candidate.is_file():
        return load(candidate)
    text, _, run = ref.partition("#")
    day = read_day(text, ("%Y-%m-%d",))
    matches = [p for p in list_snapshots(folder) if _key(p)[0] == day and (not run or str(_key(p)[1]) == run)]
    if not matches:
        dates = ", ".join(sorted({str(_key(p)[0]) for p in list_snapshots(folder)})) or "none"
        raise UsageError(
            msg("no snapshot for {ref} in {folder}", ref=ref, folder=folder),
            hint=msg("snapshots there: {dates}", dates=dates),
        )
    return load(matches[-1])


def compare(old: Snapshot, new: Snapshot) -> pd.DataFrame:
    """Students on either list: added, removed, or changed in probability (percentage points)."""
    a, b = old.students, new.students
    on_a = set(a.index[a["on_list"].astype(bool)])
    on_b = set(b.index[b["on_list"].astype(bool)])
    rows = []
    for sid in sorted(on_a | on_b):
        before = float(a.loc[sid, "probability"]) if sid in a.index else None
        after = float(b.loc[sid, "probability"]) if sid in b.index else None
        status = "added" if sid not in on_a else "removed" if sid not in on_b else "stayed"
        delta = None if before is None or after is None else round(100 * (after - before), 1)
        rows.append({"student_id": sid, "status": status, "before": before, "after": after, "change_points": delta})
    return pd.DataFrame(rows, columns=["student_id", "status", "before", "after", "change_points"])


def snapshot_date(path: Path) -> dt.date:
    return _key(path)[0]


def _legacy_group_key(shown: str) -> str:
    """The group key of a version-1 snapshot's group, which was stored as the list showed it."""
    if shown in LEGACY_NO_GROUP:
        return "none"
    for prefix in LEGACY_CLASS_PREFIXES:
        if shown.startswith(prefix):
            return "class:" + shown[len(prefix) :]
    return "mentor:" + shown
