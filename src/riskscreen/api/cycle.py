"""The library API of the weekly cycle: the school's workspace, the weekly list and its history."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from riskscreen.api.screening import Progress, Sources, load_model, read
from riskscreen.errors import Day, UsageError, WorkspaceError, msg
from riskscreen.ingest.clock import current_date
from riskscreen.ingest.names import read_names
from riskscreen.scoring.score import score as score_all
from riskscreen.signals.flags import FlagRules
from riskscreen.weekly.roles import role_key, view
from riskscreen.weekly.shortlist import BY, Shortlist, build, snapshot
from riskscreen.workspace import actions, outlog, sharing, snapshots
from riskscreen.workspace.location import CONFIG_NAME, SETTINGS_NAME, Workspace, check_school, default_home, locate
from riskscreen.workspace.snapshots import Snapshot, list_snapshots
from riskscreen.workspace.store import initialise, locked

AS_OF_GRACE_DAYS = 7
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


def init_workspace(home: Path | None, school: str, *, retention_weeks: int | None = None,
                   write_config: bool = True, force: bool = False) -> Initialised:
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
        raise UsageError(msg("--retention-weeks must be 1 or more"), hint=msg("52 keeps a year"))
    target = Workspace(Path(home) if home else default_home(), check_school(school), "init")
    config = Path.cwd() / CONFIG_NAME if write_config else None
    if config is not None and config.exists() and not force:
        raise UsageError(msg("{config} already exists", config=config), hint=msg("add --force to replace it"))
    if (target.folder / SETTINGS_NAME).exists() and retention_weeks is not None and not force:
        raise UsageError(msg("{value} already exists", value=target.folder / SETTINGS_NAME),
                         hint=msg("edit retention_weeks in it, or add --force to write it again"))
    return Initialised(target, initialise(target, retention_weeks=retention_weeks, config=config, force=force))


@dataclass(frozen=True)
class Weekly:
    """This week's list, the workspace its history was read from, and this run's snapshot (if stored)."""

    shortlist: Shortlist
    workspace: Workspace
    snapshot: Snapshot | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def snapshot_path(self) -> Path | None:
        return self.snapshot.path if self.snapshot else None

    @property
    def statutory(self) -> int:
        return int(self.shortlist.entries["statutory"].sum())

    @property
    def listed(self) -> int:
        return len(self.shortlist.entries)


def weekly_shortlist(sources: Sources, *, model: str | None = None, lang: str = "nl",
                     as_of: dt.date | None = None, capacity: int = 5, per_mentor: bool = True,
                     min_band: str = "elevated", workspace: Workspace | None = None, store: bool = True,
                     by: str = "mentor", names: Path | None = None, progress: Progress | None = None,
                     today: dt.date | None = None, strict_capacity: bool = False,
                     correction: bool = False, role: str = "coordinator", mentor: str | None = None) -> Weekly:
    """The weekly list with changes since the last stored list, open actions and statutory follow-up; stores
    this run's snapshot in the school's workspace (a second run of a date is kept as run 2).

    role: whose view (coordinator, mentor with `mentor`, youthworker, leerplicht; Dutch words too): what the list
    shows is cut to what that role may see (weekly.roles); the stored history is always the whole list.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    model
        A model's name or folder; None: the bundled demonstration model.
    lang
        The language of the words made here: 'nl' (Dutch) or 'en' (English).
    as_of
        The date of the screen; None: the last date of the exports.
    capacity
        Students per mentor (or youth worker) on the list, beyond those a statutory signal puts on it.
    per_mentor
        The capacity holds per mentor; False: for the school as a whole.
    min_band
        The lowest band listed for its chance: 'low', 'elevated' or 'high' (or its Dutch word).
    workspace
        The school's workspace (`workspace()`); None: the one `workspace()` finds.
    store
        Keep this run's snapshot in the workspace (so next week's list shows changes); False: only look, nothing is
        written and no workspace is made.
    by
        Group the list by 'mentor' or 'youthworker'.
    names
        The coordinator's file of pseudonym and name, read only to print names on the list (never stored); it must
        lie outside the export folder.
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    strict_capacity
        Keep each mentor's page to the capacity: students of band high beyond it go on the coordinator's
        overflow page.
    correction
        This list corrects an earlier week: store it although a later list is stored.
    role
        Whose view: coordinator, mentor, youthworker or leerplicht (Dutch words too).
    mentor
        With role 'mentor': the mentor's code (such as MNT02).
    """
    if by not in BY:
        raise UsageError(msg("--by must be one of {join}", join=', '.join(BY)))
    role = role_key(role)
    if role == "mentor" and not mentor:
        raise UsageError(msg("a mentor's list needs the mentor's code"),
                         hint=msg("add --mentor CODE, such as --mentor MNT02"))
    where = workspace or _default_workspace()
    name_map = _names(names, sources)
    loaded = load_model(model)
    exports = read(sources, as_of=as_of, today=today, progress=progress)
    last = exports.report.last_date
    # A week's grace: an export made on Friday may hold nothing after Wednesday; weeks later it is a mistake
    # that would store a list counting unexported weeks as weeks without absence.
    latest = dt.date.fromisoformat(last) + dt.timedelta(days=AS_OF_GRACE_DAYS) if last else None
    if as_of is not None and latest is not None and as_of > latest:
        raise UsageError(msg("--as-of {as_of} is more than a week after the last registration in the exports "
                             "({last})", as_of=Day(as_of.isoformat()), last=Day(last)),
                         hint=msg("use --as-of {last}, or export the weeks up to {as_of}",
                                  last=Day(last), as_of=Day(as_of.isoformat())))
    rules = FlagRules.from_profile(exports.profile.flags)
    if where.settings.rmc_hours is not None:  # the region's agreement, kept with the school's workspace
        rules = replace(rules, rmc_hours=where.settings.rmc_hours)
    result = score_all(exports, loaded, lang=lang, rules=rules)
    day = result.as_of.date().isoformat()
    notes = _legacy_note(sources.folder, where)
    # a list that is not stored only reads the workspace (atomic writes make that safe): it needs no lock, so a
    # read-only workspace (a backup, a colleague's copy) can still be looked at
    with locked(where) if store else contextlib.nullcontext():
        stored_days = [snapshots.snapshot_date(p) for p in snapshots.list_snapshots(where.snapshots)]
        if store and not correction and stored_days and max(stored_days) > day:
            raise UsageError(msg("the exports are of {day}, before the last stored list ({last}): storing them would "
                                 "put an old week after a newer one", day=Day(day), last=Day(max(stored_days))),
                             hint=msg("add --correction if this list corrects that earlier week, or --no-history "
                                      "to only look at it"))
        book = actions.load(where.actions_file)
        previous = snapshots.previous(where.snapshots, day)
        wanted = {a.agreed for a in book.actions if a.open}
        at_action = {d: snapshots.at_or_before(where.snapshots, d) for d in sorted(wanted)}
        listing = build(result, capacity=capacity, per_mentor=per_mentor, min_band=min_band, previous=previous,
                        book=book, action_snapshots=at_action, by=by,
                        referral_wait_weeks=where.settings.referral_wait_weeks, strict_capacity=strict_capacity)
        stored = None
        if store:
            # the history is the mentors' list; a youth worker's view is a view of it
            history_list = listing if by == "mentor" else build(
                result, capacity=capacity, per_mentor=per_mentor, min_band=min_band, previous=previous, book=book)
            stored = snapshots.save(snapshot(history_list), where.snapshots)
    listing = replace(listing, names=name_map, school=where.school)
    if role != "coordinator":
        bases, school = sharing.of_workspace(where)
        listing = view(listing, role, mentor=mentor, bases=bases, school=school)
    return Weekly(listing, where, stored, notes)


def _default_workspace() -> Workspace:
    return locate()


def _names(path: Path | None, sources: Sources) -> dict[str, str] | None:
    if path is None:
        return None
    if sources.folder is not None and Path(path).resolve().parent == Path(sources.folder).resolve():
        raise UsageError(msg("the names file {path} lies in the export folder", path=path),
                         hint=msg("keep it in a folder of its own, outside the exports"))
    return read_names(Path(path))


def _legacy_note(folder: Path | None, where: Workspace) -> list[str]:
    """Where the history of an earlier version lies, when the workspace has none yet."""
    old = Path(folder) / "riskscreen-history" if folder is not None else None
    if old is None or not old.is_dir() or list_snapshots(where.snapshots) or not list_snapshots(old):
        return []
    return [f"found snapshots of an earlier version in {old}; move them with: mv {old}/shortlist-*.json "
            f"{where.snapshots}/"]


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
        rows: list[list[object]] = [[s.as_of, s.run, s.model, int(s.students["on_list"].sum()), len(s.students)]
                                    for s in snaps]
        return HistoryTable(["as_of", "run", "model", "on_list", "students"], rows, where.folder,
                            where.settings.retention_weeks)
    old, new = snapshots.find(folder, compare[0]), snapshots.find(folder, compare[1])
    diff = snapshots.compare(old, new)
    return HistoryTable(list(diff.columns), diff.astype(object).where(diff.notna(), None).to_numpy().tolist(),
                        where.folder, where.settings.retention_weeks)


@dataclass(frozen=True)
class Pruned:
    """What retention removed (or would remove, in a dry run)."""

    before: str
    snapshots: list[Path]
    actions: int
    reports: int
    dry_run: bool
    log_lines: int = 0


def prune_history(where: Workspace | None = None, *, older_than_weeks: int | None = None, dry_run: bool = False,
                  today: dt.date | None = None) -> Pruned:
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
        raise UsageError(msg("no retention period is set"), hint=msg("add --older-than 52w, or set retention_weeks in "
                                                                "{value}", value=where.folder / 'settings.toml'))
    if not 1 <= weeks <= MAX_RETENTION_WEEKS:
        raise UsageError(msg("--older-than must be from 1 week to {most} weeks (100 years), not {weeks}",
                             most=MAX_RETENTION_WEEKS, weeks=weeks),
                         hint=msg("write it as 52w (weeks) or 365d (days)"))
    before = ((today or current_date()) - dt.timedelta(weeks=weeks)).isoformat()
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
        outlog.append(where.log_file, outlog.Logged(outlog.now(), command, role, fmt, students,
                                                    "-" if output is None else Path(output).name))
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


def mentor_views(weekly: Weekly) -> list[tuple[str, Shortlist]]:
    """The list as each of its mentors may see it (`shortlist --for mentor --split`): one view per mentor code.

    Parameters
    ----------
    weekly
        A list made by `weekly_shortlist`.
    """
    mentors = sorted({str(m) for m in weekly.shortlist.entries["mentor"].dropna().astype(str) if m})
    return [(m, view(weekly.shortlist, "mentor", mentor=m)) for m in mentors]
