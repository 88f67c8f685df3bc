"""Snapshots of past shortlists (pseudonyms, scores, reasons, flags; nothing else) and comparing two of them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from riskscreen.errors import InputError, OutputError, UsageError
from riskscreen.files import read_regular, write_output

SNAPSHOT_PATTERN = re.compile(r"^shortlist-(\d{4}-\d{2}-\d{2})\.json$")
SNAPSHOT_VERSION = 2  # 2: groups are keys (mentor:X, class:X, none); 1 stored them as shown in one language
LEGACY_NO_GROUP = {"(geen mentor bekend)", "(no mentor known)"}
LEGACY_CLASS_PREFIXES = ("Klas ", "Class ")
DEFAULT_FOLDER = "riskscreen-history"
MAX_SNAPSHOT_BYTES = 512 << 20
SNAPSHOT_COLUMNS = {"probability", "band", "on_list", "group"}


@dataclass(frozen=True)
class Snapshot:
    """One run's list: every scored student with probability, band, reasons, flags and whether listed."""

    as_of: str
    model: str
    students: pd.DataFrame  # index student_id; probability, band, on_list, group, reason_features, flags
    path: Path | None = None


def default_folder(data: Path | None) -> Path:
    base = Path(data) if data is not None and Path(data).is_dir() else Path.cwd()
    return base / DEFAULT_FOLDER


def check_folder(folder: Path) -> None:
    """Refuse a history folder that is something else (a file, a device) before any work is done."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"the history folder {folder} is a file, not a folder",
                         hint="give --history a folder (it is made if it does not exist)")


def snapshot_path(folder: Path, as_of: str) -> Path:
    return Path(folder) / f"shortlist-{as_of}.json"


def make_snapshot(as_of: str, model: str, table: pd.DataFrame, listed_ids: set[str]) -> Snapshot:
    frame = pd.DataFrame({
        "probability": table["probability"].astype(float).round(6).to_numpy(),
        "band": table["band"].astype(str).to_numpy(),
        "on_list": table["student_id"].astype(str).isin(listed_ids).to_numpy(),
        "group": table["group"].astype(str).to_numpy(),
        "reason_features": table["reason_features"].astype(str).to_numpy(),
        "verzuim_16u": table["verzuim_16u"].astype(bool).to_numpy(),
        "ziekteverzuim": table["ziekteverzuim"].astype(bool).to_numpy(),
    }, index=pd.Index(table["student_id"].astype(str).to_numpy(), name="student_id"))
    return Snapshot(as_of, model, frame)


def save(snapshot: Snapshot, folder: Path) -> Path:
    """Write the snapshot (mode 0600); a rerun for the same as-of date replaces that date's snapshot."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise OutputError(f"the history folder {folder} cannot be made ({exc.strerror})",
                          hint="choose another --history folder, or free some space") from None
    doc: dict[str, Any] = {
        "version": SNAPSHOT_VERSION, "as_of": snapshot.as_of, "model": snapshot.model,
        "students": [{"student_id": sid, **{k: (bool(v) if isinstance(v, bool) else v) for k, v in row.items()}}
                     for sid, row in snapshot.students.to_dict(orient="index").items()],
    }
    return write_output(snapshot_path(folder, snapshot.as_of), json.dumps(doc, ensure_ascii=False, indent=0),
                        force=True)


def load(path: Path) -> Snapshot:
    try:
        doc = json.loads(read_regular(Path(path), limit=MAX_SNAPSHOT_BYTES, error=InputError,
                                      what="shortlist snapshot").decode("utf-8"))
        frame = pd.DataFrame(doc["students"]).set_index("student_id")
        if not set(frame.columns) >= SNAPSHOT_COLUMNS or not isinstance(doc["as_of"], str):
            raise ValueError("not a snapshot")
        frame["probability"] = pd.to_numeric(frame["probability"], errors="raise").astype(float)
        if doc.get("version", 1) == 1 and "group" in frame:
            frame["group"] = [_legacy_group_key(str(g)) for g in frame["group"]]
        return Snapshot(str(doc["as_of"]), str(doc.get("model", "")), frame, Path(path))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InputError("is not a readable shortlist snapshot", hint="remove it from the history folder",
                         path=str(path)) from None


def list_snapshots(folder: Path) -> list[Path]:
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if SNAPSHOT_PATTERN.match(p.name))


def previous(folder: Path, as_of: str) -> Snapshot | None:
    """The latest snapshot strictly before as_of (a rerun the same week compares with the week before)."""
    earlier = [p for p in list_snapshots(folder) if SNAPSHOT_PATTERN.match(p.name).group(1) < as_of]  # type: ignore[union-attr]
    return load(earlier[-1]) if earlier else None


def find(folder: Path, ref: str) -> Snapshot:
    """A snapshot by date (YYYY-MM-DD) or by path."""
    candidate = Path(ref)
    if candidate.is_file():
        return load(candidate)
    path = snapshot_path(folder, ref)
    if not path.exists():
        dates = ", ".join(SNAPSHOT_PATTERN.match(p.name).group(1) for p in list_snapshots(folder)) or "none"  # type: ignore[union-attr]
        raise UsageError(f"no snapshot for {ref} in {folder}", hint=f"snapshots there: {dates}")
    return load(path)


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


def _legacy_group_key(shown: str) -> str:
    """The group key of a version-1 snapshot's group, which was stored as the list showed it."""
    if shown in LEGACY_NO_GROUP:
        return "none"
    for prefix in LEGACY_CLASS_PREFIXES:
        if shown.startswith(prefix):
            return "class:" + shown[len(prefix):]
    return "mentor:" + shown
