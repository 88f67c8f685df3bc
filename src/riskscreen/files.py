"""The one atomic write: a temporary file beside the target, fsync, then link (or replace with force); 0600."""

from __future__ import annotations

import contextlib
import csv
import errno
import glob
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from riskscreen.errors import InputError, OutputError, OutputExistsError, RiskscreenError, UsageError, msg
from riskscreen.settings import environment


def write_output(path: Path, content: bytes | str, *, force: bool = False) -> Path:
    """Write a file atomically with mode 0600; refuse to replace an existing file unless force is set.

    On Linux the data go to an unnamed file (O_TMPFILE) that gets its name only when complete, so even a
    killed run leaves nothing behind; elsewhere a hidden temporary file is renamed into place.
    """
    path = writable_target(Path(path), force=force)
    parent = path.parent if str(path.parent) else Path()
    payload = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if _write_unnamed(path, parent, payload, force=force):
            return path
        _remove_stale_partials(parent, path.name)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".partial", dir=parent)
        tmp = Path(tmp_name)
        entry = _register_partial(tmp)
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
            if entry is not None:
                with contextlib.suppress(OSError):
                    entry.unlink()
    except OSError as exc:
        raise OutputError(
            msg("could not write {path} ({value})", path=path, value=exc.strerror or type(exc).__name__),
            hint=msg("free some space or choose another folder; nothing was written"),
        ) from None
    return path


def writable_target(path: Path, *, force: bool = False) -> Path:
    """The regular file an output goes to, checked before any work: never a folder, device, FIFO or socket;
    an existing file only with force; through a symbolic link only to a regular file."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise UsageError(
            msg("{path} cannot be checked ({strerror})", path=path, strerror=exc.strerror),
            hint=msg("choose another `output`"),
        ) from None
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            target = path.resolve(strict=True)
            info = target.stat()
        except (OSError, RuntimeError):
            raise UsageError(
                msg("{path} is a symbolic link to nothing (or a loop of links)", path=path),
                hint=msg("remove the link or choose another `output`"),
            ) from None
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                msg("{path} is a symbolic link to something that is not a file: refused", path=path),
                hint=msg("riskscreen writes only regular files; choose another `output`"),
            )
        path = target
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(
                msg("{path} is a folder", path=path), hint=msg("give the name of a file to write, such as list.csv")
            )
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(
                msg(
                    "{path} is {value}, not a file: refused, also with `force`",
                    path=path,
                    value=file_kind(info.st_mode),
                ),
                hint=msg("riskscreen writes only regular files; to see the output, leave out `output`"),
            )
        if not force:
            raise OutputExistsError(
                msg("{path} already exists", path=path), hint=msg("choose another name, or add `force` to replace it")
            )
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        raise UsageError(
            msg("the folder {parent} does not exist", parent=parent),
            hint=msg("create it first or choose another `output`"),
        )
    return path


def partials_dir() -> Path:
    """Where writes in progress are noted, so that the next run of any command removes what a killed run left:
    $RISKSCREEN_STATE, else the user's state folder."""
    settings = environment(strict=False)
    if settings.state:
        return settings.state / "partials"
    return settings.state_folder() / "riskscreen" / "partials"


def private_folder(folder: Path) -> Path:
    """Make a folder and every missing parent, each readable by its owner only (0700), whatever the umask: a
    folder riskscreen makes may hold student data, and mkdir's parents follow the umask (0777 under umask 000)."""
    missing = []
    for part in (folder, *folder.parents):
        if part.exists():
            break
        missing.append(part)
    for part in reversed(missing):
        part.mkdir(mode=0o700, exist_ok=True)
        os.chmod(part, 0o700)  # mkdir's mode is masked by the umask; chmod is not
    return folder


def output_folder(folder: Path) -> Path:
    """A folder for output files, made as private_folder makes it; one that cannot be made is an OutputError."""
    try:
        return private_folder(folder)
    except OSError as exc:
        raise OutputError(
            msg("the folder {folder} cannot be made ({reason})", folder=folder, reason=os_reason(exc)),
            hint=msg("choose a folder you may write in"),
        ) from None


def _register_partial(tmp: Path) -> Path | None:
    """Note a temporary file being written (best effort: a read-only home only loses the clean-up)."""
    try:
        folder = private_folder(partials_dir())
        entry = folder / f"{os.getpid()}-{tmp.name}"
        entry.write_text(str(tmp.resolve()), encoding="utf-8")
        return entry
    except (OSError, RuntimeError):
        return None


def sweep_partials() -> list[Path]:
    """Remove the temporary files of writes whose process is gone (killed with kill -9, or a power cut); returns
    them. Only hidden '.NAME.PID.*.partial' files noted by riskscreen itself are ever removed. Best effort: a
    state folder that cannot be read (or no home folder) only loses the clean-up, never the command."""
    removed: list[Path] = []
    try:
        entries = list(partials_dir().iterdir())
    except (OSError, RuntimeError):
        return removed
    for entry in entries:
        pid = entry.name.split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            target = Path(entry.read_text(encoding="utf-8").strip())
            if target.name.startswith(".") and target.name.endswith(".partial") and f".{pid}." in target.name:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
                    removed.append(target)
        with contextlib.suppress(OSError):
            entry.unlink()
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_partials(parent: Path, name: str) -> None:
    """Remove hidden partial files of this output left by a run that was killed (its process is gone)."""
    for stale in parent.glob(f".{glob.escape(name)}.*.partial"):
        pid = stale.name[len(name) + 2 :].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()


def _place(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the path appeared meanwhile: never overwrite
    except FileExistsError:
        raise OutputExistsError(
            msg("{path} already exists", path=path), hint=msg("choose another name, or add `force` to replace it")
        ) from None


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
                raise OutputExistsError(
                    msg("{path} already exists", path=path),
                    hint=msg("choose another name, or add `force` to replace it"),
                ) from None
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


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return msg("a folder")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg("a device")
    if stat.S_ISFIFO(mode):
        return msg("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return msg("a socket")
    return msg("not a regular file")


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in words the catalogue can translate (its own text is English only)."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("no permission to read it")
    if exc.errno == errno.ENOENT:
        return msg("it does not exist")
    if exc.errno == errno.ELOOP:
        return msg("a loop of links")
    return exc.strerror or type(exc).__name__


def read_regular(path: Path, *, limit: int, error: type[RiskscreenError], what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked after opening (never blocks on a FIFO and
    never reads a device such as /dev/zero); anything else raises `error` naming the path."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(msg("{what} not found", what=what), hint=msg("check the path"), path=str(path)) from None
    except OSError as exc:
        raise error(
            msg("{what} cannot be read ({strerror})", what=what, strerror=os_reason(exc)), path=str(path)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(
                msg("is {kind}, not a {what}: refused", kind=file_kind(info.st_mode), what=what), path=str(path)
            )
        if info.st_size > limit:
            raise error(
                msg(
                    "is {size:,} bytes, more than a {what} can be ({limit:,})",
                    size=info.st_size,
                    what=what,
                    limit=limit,
                ),
                path=str(path),
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise error(
            msg("{what} cannot be read ({strerror})", what=what, strerror=os_reason(exc)), path=str(path)
        ) from None
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while being read
        raise error(msg("is more than a {what} can be ({limit:,} bytes)", what=what, limit=limit), path=str(path))
    return data


def small_text(data: bytes, path: Path, *, what: str, hint: str) -> str:
    """The text of a small side file (holiday calendar, names file, filled-in list): UTF-8 (with or without a
    byte-order mark), else Windows-1252, whose few undefined bytes are replaced rather than failing, with "\n"
    ending every line; a file holding NUL bytes is binary and refused as InputError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise InputError(msg("is not a {what}: it holds binary data", what=what), path=str(path), hint=hint)
    # one kind of line end: the csv module refuses a lone carriage return inside a line
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_regular(path: Path, *, error: type[RiskscreenError], what: str) -> None:
    """Refuse, after opening it, a path that is not a regular file (a FIFO, a device, a socket)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return  # missing or unreadable: the reader says so in its own words
    try:
        mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise error(msg("is {kind}, not a {what}: refused", kind=file_kind(mode), what=what), path=str(path))


def text_rows(
    text: str, delimiter: str, path: Path, *, error: type[RiskscreenError]
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a small delimited text (a names file, a calendar, a filled-in list) with their line numbers.
    A row the csv module cannot read (a value over its 128 KiB limit, a stray NUL) is `error` with its line."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise error(
                msg(
                    "line {number} cannot be read: a value longer than {limit} characters, or a character "
                    "that does not belong in text",
                    number=reader.line_num,
                    limit=csv.field_size_limit(),
                ),
                path=str(path),
                hint=msg("save the file again as plain text, one short line per row"),
            ) from None
        yield reader.line_num, row
