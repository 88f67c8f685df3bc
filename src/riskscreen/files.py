"""The one atomic write: a temporary file beside the target, fsync, then link (or replace with force); 0600."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from pathlib import Path

from riskscreen.errors import OutputExistsError, UsageError


def write_output(path: Path, content: bytes | str, *, force: bool = False) -> Path:
    """Write a file atomically with mode 0600; refuse to replace an existing file unless force is set.

    On Linux the data go to an unnamed file (O_TMPFILE) that gets its name only when complete, so even a
    killed run leaves nothing behind; elsewhere a hidden temporary file is renamed into place.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder", hint="give the name of a file to write, such as list.csv")
    if path.exists() and not force:
        raise OutputExistsError(f"{path} already exists", hint="choose another name, or add --force to replace it")
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        raise UsageError(f"the folder {parent} does not exist", hint="create it first or choose another --output")
    payload = content.encode("utf-8") if isinstance(content, str) else content
    if _write_unnamed(path, parent, payload, force=force):
        return path
    _remove_stale_partials(parent, path.name)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".partial", dir=parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        _place(tmp, path, force=force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def _remove_stale_partials(parent: Path, name: str) -> None:
    """Remove hidden partial files of this output left by a run that was killed (its process is gone)."""
    for stale in parent.glob(f".{glob.escape(name)}.*.partial"):
        parts = stale.name[len(name) + 2:].split(".")
        if not parts or not parts[0].isdigit():
            continue
        try:
            os.kill(int(parts[0]), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                stale.unlink()
        except PermissionError:
            continue


def _place(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the path appeared meanwhile: never overwrite
    except FileExistsError:
        raise OutputExistsError(f"{path} already exists",
                                hint="choose another name, or add --force to replace it") from None


def _write_unnamed(path: Path, parent: Path, payload: bytes, *, force: bool) -> bool:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        fd = os.open(parent, flag | os.O_WRONLY, 0o600)
    except OSError:
        return False  # the file system does not support unnamed files
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.fchmod(fd, 0o600)
        source = f"/proc/self/fd/{fd}"
        if not force:
            try:
                os.link(source, path, follow_symlinks=True)
            except FileExistsError:
                raise OutputExistsError(f"{path} already exists",
                                        hint="choose another name, or add --force to replace it") from None
            except OSError:
                return False  # this kernel cannot give an unnamed file a name: use the named temporary
            return True
        tmp = parent / f".{path.name}.{os.getpid()}.0.partial"
        try:
            os.link(source, tmp, follow_symlinks=True)
        except OSError:
            return False
        try:
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return True
    finally:
        os.close(fd)
