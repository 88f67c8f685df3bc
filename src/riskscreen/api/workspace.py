"""The school's workspace: finding it, making it, its history of lists and its log of outputs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskscreen.errors import UsageError, WorkspaceError, msg
from riskscreen.ingest.clock import current_date
from riskscreen.workspace import actions, outlog, sharing, snapshots
from riskscreen.workspace.location import CONFIG_NAME, SETTINGS_NAME, Workspace, check_school, default_home, locate
from riskscreen.workspace.store import initialise, locked

MAX_RETENTION_WEEKS = 5200  # 100 years: a longer period is a typing error, and beyond the calendar's reach


def workspace(home: Path | None = None, school: str | None = None) -> Workspace:
    """The school's workspace: --workspace, a riskscreen.toml in or above the working folder, RISKSCREEN_HOME,
    or the per-user data folder; one folder per school inside it.

    Parameters
    ----------
    home
        The folder of the workspaces; None: riskscreen.toml, RISKSCREEN_HOME or the per-user data folder.
    school
        The school's workspace inside it: its BRIN or a short name.
    """
    return locate(home, school)


@dataclass(frozen=True)
class Initialised:
    workspace: Workspace
    written: list[Path]


def init_workspace(
    home: Path | None,
    school: str,
    *,
    retention_weeks: int | None = None,
    write_config: bool = True,
    force: bool = False,
) -> Initialised:
    """Make a school's workspace (default home: the per-user data folder) and a riskscreen.toml in the working
    folder that points commands run there to it.

    Parameters
    ----------
    home
        The folder of the workspaces; None: riskscreen.toml, RISKSCREEN_HOME or the per-user data folder.
    school
        The school's workspace: its BRIN or a short name.
    retention_weeks
        How long snapshots, closed actions and reports are kept; None: 52 weeks.
    write_config
        Also write riskscreen.toml in the working folder, pointing commands run there to this workspace.
    force
        Write riskscreen.toml again when it exists.
    """
    if retention_weeks is not None and retention_weeks < 1:
        raise UsageError(msg("`retention_weeks` must be 1 or more"), hint=msg("52 keeps a year"))
    target = Workspace(Path(home) if home else default_home(), check_school(school), "init")
    config = Path.cwd() / CONFIG_NAME if write_config else None
    if config is not None and config.exists() and not force:
        raise UsageError(msg("{config} already exists", config=config), hint=msg("add `force` to replace it"))
    if (target.folder / SETTINGS_NAME).exists() and retention_weeks is not None and not force:
        raise UsageError(
            msg("{value} already exists", value=target.folder / SETTINGS_NAME),
            hint=msg("edit retention_weeks in it, or add `force` to write it again"),
        )
    return Initialised(target, initialise(target, retention_weeks=retention_weeks, config=config, force=force))


def _default_workspace() -> Workspace:
    return locate()


@dataclass(frozen=True)
class HistoryTable:
    """Stored snapshots, or the comparison of two, as plain rows for any renderer."""

    header: list[str]
    rows: list[list[object]]
    folder: Path
    retention_weeks: int | None = None


def history(where: Workspace | None = None, *, compare: tuple[str, str] | None = None) -> HistoryTable:
    """The snapshots in the school's workspace (date, run, model, listed, students), or two compared.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    compare
        Two dates (YYYY-MM-DD) whose lists are compared; None: the table of snapshots.
    """
    where = where or _default_workspace()
    folder = where.snapshots
    if compare is None:
        snaps = [snapshots.load(p) for p in snapshots.list_snapshots(folder)]
        rows: list[list[object]] = [
            [s.as_of, s.run, s.model, int(s.students["on_list"].sum()), len(s.students)] for s in snaps
        ]
        return HistoryTable(
            ["as_of", "run", "model", "on_list", "students"], rows, where.folder, where.settings.retention_weeks
        )
    old, new = snapshots.find(folder, compare[0]), snapshots.find(folder, compare[1])
    diff = snapshots.compare(old, new)
    return HistoryTable(
        list(diff.columns),
        diff.astype(object).where(diff.notna(), None).to_numpy().tolist(),
        where.folder,
        where.settings.retention_weeks,
    )


@dataclass(frozen=True)
class Pruned:
    """What retention removed (or would remove, in a dry run)."""

    before: dt.date
    snapshots: list[Path]
    actions: int
    reports: int
    dry_run: bool
    log_lines: int = 0


def prune_history(
    where: Workspace | None = None,
    *,
    older_than_weeks: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Pruned:
    """Remove snapshots older than the retention period (and closed actions and reports from before it).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    older_than_weeks
        Remove what is older than this; None: the workspace's retention.
    dry_run
        Say what would happen, change nothing.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    where = where or _default_workspace()
    weeks = older_than_weeks if older_than_weeks is not None else where.settings.retention_weeks
    if weeks is None:
        raise UsageError(
            msg("no retention period is set"),
            hint=msg(
                "add `older_than_weeks` 52w, or set retention_weeks in {value}", value=where.folder / "settings.toml"
            ),
        )
    if not 1 <= weeks <= MAX_RETENTION_WEEKS:
        raise UsageError(
            msg(
                "`older_than_weeks` must be from 1 week to {most} weeks (100 years), not {weeks}",
                most=MAX_RETENTION_WEEKS,
                weeks=weeks,
            ),
            hint=msg("write it as 52w (weeks) or 365d (days)"),
        )
    before = (today or current_date()) - dt.timedelta(weeks=weeks)
    with locked(where):
        stored = snapshots.list_snapshots(where.snapshots)
        # the newest list always stays: next week's list compares with it
        old = [p for p in stored[:-1] if snapshots.snapshot_date(p) < before]
        book = actions.load(where.actions_file)
        kept, n_actions, n_reports = actions.prune(book, before)
        bases = sharing.load(where.sharing_file)
        kept_bases = sharing.prune(bases, before)  # a basis that ended before the retention period
        lines = outlog.prune(where.log_file, before, dry_run=dry_run)
        if not dry_run:
            for path in old:
                path.unlink()
            if n_actions or n_reports:
                actions.save(kept, where.actions_file)
            if len(kept_bases) < len(bases):
                sharing.save(where.sharing_file, kept_bases)
    return Pruned(before, old, n_actions, n_reports, dry_run, lines)


def log_output(where: Workspace, *, command: str, role: str, fmt: str, students: int, output: Path | None) -> bool:
    """Note in the workspace's log that an output left the tool: when, what, for whom, how many students, and
    the file's name (never its content). Returns False when it could not be noted: no workspace is made for a
    log alone, and a read-only workspace (a backup, a colleague's copy) can still be looked at.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    command
        The command that made the output (such as 'shortlist').
    role
        Whose view: coordinator, mentor, youthworker or leerplicht (Dutch words too).
    fmt
        The output's format (such as 'xlsx').
    students
        How many students the output holds.
    output
        The file written; None: the terminal.
    """
    if not where.folder.is_dir():
        return False
    try:
        outlog.append(
            where.log_file,
            outlog.Logged(outlog.now(), command, role, fmt, students, "-" if output is None else Path(output).name),
        )
    except WorkspaceError:
        return False
    return True


def output_log(where: Workspace | None = None) -> list[Any]:
    """The workspace's log of outputs, oldest first.

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    """
    return outlog.read((where or _default_workspace()).log_file)


def known_students(where: Workspace, day: dt.date | None = None) -> set[str]:
    """The pseudonyms of the school's exports as the list of `day` (or the latest list) saw them."""
    path = snapshots.path_at_or_before(where.snapshots, day) if day else None
    if path is None:
        paths = snapshots.list_snapshots(where.snapshots)
        path = paths[-1] if paths else None
    if path is None:
        raise UsageError(
            msg("the workspace {folder} has no list yet, so its students are unknown", folder=where.folder),
            hint=msg("make this week's list first: riskscreen shortlist EXPORT-FOLDER"),
        )
    return set(snapshots.student_ids(path))


def check_known(where: Workspace, student_id: str, hint: str) -> None:
    if student_id not in known_students(where):
        raise UsageError(
            msg("student '{student_id}' is not on any list of this school's workspace", student_id=student_id),
            hint=hint,
        )
