"""A log of what left the tool: one line per output riskscreen rendered from a school's workspace.

Each line says when, which command, for which role, in which format, about how many students, and the output's
file name (never its content, never a student): what a school needs to answer "who got which list" (AVG art. 5(2),
accountability). Lines are JSON, appended with O_APPEND (one short write each) to log.jsonl (0600, never through
a symbolic link); `history prune` drops the lines older than the retention.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from riskscreen.errors import WorkspaceError, msg
from riskscreen.files import read_regular, write_output
from riskscreen.workspace.store import ensure_folder

MAX_LOG_BYTES = 64 << 20


@dataclass(frozen=True)
class Logged:
    """One output: when (local time, to the second), command, role, format, students, file name or '-'."""

    at: str
    command: str
    role: str
    format: str
    students: int
    output: str


def append(path: Path, entry: Logged) -> None:
    ensure_folder(path.parent)
    line = (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise WorkspaceError(
            msg("the log of outputs cannot be written ({reason})", reason=exc.strerror or ""), path=str(path)
        ) from None
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read(path: Path) -> list[Logged]:
    """The log's lines, oldest first; a damaged line is refused, never skipped."""
    if not path.exists():
        return []
    text = read_regular(path, limit=MAX_LOG_BYTES, error=WorkspaceError, what=msg("log of outputs")).decode(
        "utf-8", errors="replace"
    )
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            doc = json.loads(line)
            dt.datetime.fromisoformat(str(doc["at"]))  # a damaged time would fail `history prune` later
            entries.append(
                Logged(
                    str(doc["at"]),
                    str(doc["command"]),
                    str(doc["role"]),
                    str(doc["format"]),
                    int(doc["students"]),
                    str(doc["output"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            raise WorkspaceError(
                msg("line {number} of the log of outputs cannot be read", number=number),
                path=str(path),
                hint=msg("restore it from a backup, or move it away to start again"),
            ) from None
    return entries


def prune(path: Path, before: dt.date, *, dry_run: bool = False) -> int:
    """Drop the lines from before `before`; returns how many."""
    entries = read(path)
    kept = [e for e in entries if dt.date.fromisoformat(e.at[:10]) >= before]
    if not dry_run and len(kept) < len(entries):
        write_output(path, "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in kept), force=True)
    return len(entries) - len(kept)


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
