"""The workspace on disk: folders made 0700, documents written atomically 0600, one run at a time (a lock)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from riskscreen.errors import WorkspaceError, msg
from riskscreen.files import private_folder, read_regular, write_output
from riskscreen.workspace.location import SETTINGS_NAME, Workspace, config_text, settings_text

LOCK_NAME = ".lock"
MAX_DOCUMENT_BYTES = 512 << 20


def ensure_folder(folder: Path) -> Path:
    """Make a workspace folder (and its parents) readable by the owner only."""
    try:
        private_folder(folder)
        os.chmod(folder, 0o700)  # an existing workspace folder too
    except OSError as exc:
        raise WorkspaceError(
            msg("the workspace folder {folder} cannot be made ({strerror})", folder=folder, strerror=exc.strerror),
            hint=msg("choose another workspace with `home` or `riskscreen init`"),
        ) from None
    return folder


@contextlib.contextmanager
def locked(workspace: Workspace) -> Iterator[None]:
    """Hold the school's workspace for one run; a second run at the same time is refused with who holds it.

    An operating-system lock (not a lock file's existence) so that a killed run never leaves the workspace
    locked."""
    ensure_folder(workspace.folder)
    path = workspace.folder / LOCK_NAME
    if path.is_symlink():  # a link would have the run truncate whatever it points at
        raise WorkspaceError(
            msg("the workspace's lock file is a link, not a file: refused"),
            path=str(path),
            hint=msg("remove the link; riskscreen makes the lock file itself"),
        )
    try:
        # O_NOFOLLOW: a link put there between the check and the open is refused by the system too
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise WorkspaceError(
            msg("the workspace {folder} cannot be used ({strerror})", folder=workspace.folder, strerror=exc.strerror),
            hint=msg("check that you may write there, or choose another with `home`"),
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WorkspaceError(
            msg("the workspace's lock file is not a regular file: refused"),
            path=str(path),
            hint=msg("remove it; riskscreen makes the lock file itself"),
        )
    try:
        if not _try_lock(fd):
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise WorkspaceError(
                msg(
                    "another riskscreen run (process {holder}) is using the workspace {folder}",
                    holder=holder,
                    folder=workspace.folder,
                ),
                hint=msg("wait until it has finished, then run again"),
            )
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl  # POSIX only: Windows locks with msvcrt
    except ImportError:  # Windows
        import msvcrt  # Windows only

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def write_document(path: Path, doc: Any) -> Path:
    """A JSON document of the workspace, replaced atomically (0600)."""
    ensure_folder(path.parent)
    # compact: the C encoder (an indented document is written by pure Python, ten times slower on a year of lists)
    return write_output(path, json.dumps(doc, ensure_ascii=False, separators=(",", ":")), force=True)


def read_records(path: Path, *, kind: str, field: str, what: str, hint: str) -> list[dict[str, Any]]:
    """The records of a workspace document of one kind ({"kind": kind, field: [...]}); none when the file is not
    there; a document of another kind or shape is refused (WorkspaceError), never half read."""
    if not path.exists():
        return []
    doc = read_document(path, what)
    records = doc.get(field) if isinstance(doc, dict) and doc.get("kind") == kind else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise unreadable(path, what, hint)
    return records


def unreadable(path: Path, what: str, hint: str) -> WorkspaceError:
    return WorkspaceError(msg("is not a readable {what}", what=what), path=str(path), hint=hint)


def read_document(path: Path, what: str) -> Any:
    """A JSON document of the workspace; a damaged one is refused, never half read or replaced."""
    raw = read_regular(path, limit=MAX_DOCUMENT_BYTES, error=WorkspaceError, what=what)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WorkspaceError(
            msg("is not a readable {what}", what=what),
            path=str(path),
            hint=msg("restore it from a backup, or move it away to start again"),
        ) from None


def initialise(
    workspace: Workspace, *, retention_weeks: int | None, config: Path | None, force: bool = False
) -> list[Path]:
    """Make the school's workspace folder with a settings file, and (optionally) the riskscreen.toml that
    points commands in a working folder to it; returns the files written."""
    written = []
    ensure_folder(workspace.folder)  # 0700 now, not only from the first list on
    ensure_folder(workspace.snapshots)
    settings = workspace.folder / SETTINGS_NAME
    if not settings.exists() or force:
        written.append(write_output(settings, settings_text(workspace.school, retention_weeks), force=force))
    if config is not None:
        written.append(write_output(config, config_text(workspace.home.resolve(), workspace.school), force=force))
    return written
