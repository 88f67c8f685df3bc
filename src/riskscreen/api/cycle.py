"""The library API of the weekly list: who is on it and why, what changed since last week, each role's view."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from riskscreen.api.screening import Progress, Sources, load_model, read
from riskscreen.errors import Day, Message, UsageError, msg
from riskscreen.ingest.names import read_names
from riskscreen.scoring.score import score as score_all
from riskscreen.signals.flags import FlagRules
from riskscreen.weekly.roles import role_key, view
from riskscreen.weekly.shortlist import BY, Shortlist, build, snapshot
from riskscreen.workspace import actions, sharing, snapshots
from riskscreen.workspace.location import Workspace, locate
from riskscreen.workspace.snapshots import Snapshot, list_snapshots
from riskscreen.workspace.store import locked

AS_OF_GRACE_DAYS = 7


@dataclass(frozen=True)
class Weekly:
    """This week's list, the workspace its history was read from, and this run's snapshot (if stored)."""

    shortlist: Shortlist
    workspace: Workspace
    snapshot: Snapshot | None = None
    notes: list[Message] = field(default_factory=list)  # said in the reader's language by the CLI

    @property
    def snapshot_path(self) -> Path | None:
        return self.snapshot.path if self.snapshot else None

    @property
    def statutory(self) -> int:
        return int(self.shortlist.entries["statutory"].sum())

    @property
    def listed(self) -> int:
        return len(self.shortlist.entries)


def weekly_shortlist(
    sources: Sources,
    *,
    model: str | None = None,
    as_of: dt.date | None = None,
    capacity: int = 5,
    per_mentor: bool = True,
    min_band: str = "elevated",
    workspace: Workspace | None = None,
    store: bool = True,
    by: str = "mentor",
    names: Path | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    strict_capacity: bool = False,
    correction: bool = False,
    role: str = "coordinator",
    mentor: str | None = None,
) -> Weekly:
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
        raise UsageError(msg("`by` must be one of {join}", join=", ".join(BY)))
    role = role_key(role)
    if role == "mentor" and not mentor:
        raise UsageError(
            msg("a mentor's list needs the mentor's code"), hint=msg("add `mentor` CODE, such as `mentor` MNT02")
        )
    where = workspace or locate()
    name_map = _names(names, sources)
    loaded = load_model(model)
    exports = read(sources, as_of=as_of, today=today, progress=progress)
    last = exports.report.last_date
    # A week's grace: an export made on Friday may hold nothing after Wednesday; weeks later it is a mistake
    # that would store a list counting unexported weeks as weeks without absence.
    latest = dt.date.fromisoformat(last) + dt.timedelta(days=AS_OF_GRACE_DAYS) if last else None
    if as_of is not None and latest is not None and as_of > latest:
        raise UsageError(
            msg(
                "--as-of {as_of} is more than a week after the last registration in the exports ({last})",
                as_of=Day(as_of.isoformat()),
                last=Day(last),
            ),
            hint=msg(
                "use --as-of {last}, or export the weeks up to {as_of}", last=Day(last), as_of=Day(as_of.isoformat())
            ),
        )
    rules = FlagRules.from_profile(exports.profile.flags)
    if where.settings.rmc_hours is not None:  # the region's agreement, kept with the school's workspace
        rules = replace(rules, rmc_hours=where.settings.rmc_hours)
    result = score_all(exports, loaded, rules=rules)
    day = result.day
    notes = _legacy_note(sources.folder, where)
    # a list that is not stored only reads the workspace (atomic writes make that safe): it needs no lock, so a
    # read-only workspace (a backup, a colleague's copy) can still be looked at
    with locked(where) if store else contextlib.nullcontext():
        stored_days = [snapshots.snapshot_date(p) for p in snapshots.list_snapshots(where.snapshots)]
        if store and not correction and stored_days and max(stored_days) > day:
            raise UsageError(
                msg(
                    "the exports are of {day}, before the last stored list ({last}): storing them would "
                    "put an old week after a newer one",
                    day=Day(day),
                    last=Day(max(stored_days)),
                ),
                hint=msg(
                    "add --correction if this list corrects that earlier week, or --no-history to only look at it"
                ),
            )
        book = actions.load(where.actions_file)
        previous = snapshots.previous(where.snapshots, day)
        wanted = {a.agreed for a in book.actions if a.open}
        at_action = {d: snapshots.at_or_before(where.snapshots, d) for d in sorted(wanted)}
        listing = build(
            result,
            capacity=capacity,
            per_mentor=per_mentor,
            min_band=min_band,
            previous=previous,
            book=book,
            action_snapshots=at_action,
            by=by,
            referral_wait_weeks=where.settings.referral_wait_weeks,
            strict_capacity=strict_capacity,
        )
        stored = None
        if store:
            # the history is the mentors' list; a youth worker's view is a view of it
            history_list = (
                listing
                if by == "mentor"
                else build(
                    result, capacity=capacity, per_mentor=per_mentor, min_band=min_band, previous=previous, book=book
                )
            )
            stored = snapshots.save(snapshot(history_list), where.snapshots)
    listing = replace(listing, names=name_map, school=where.school)
    if role != "coordinator":
        bases, school = sharing.of_workspace(where)
        listing = view(listing, role, mentor=mentor, bases=bases, school=school)
    return Weekly(listing, where, stored, notes)


def _names(path: Path | None, sources: Sources) -> dict[str, str] | None:
    if path is None:
        return None
    if sources.folder is not None and Path(path).resolve().parent == Path(sources.folder).resolve():
        raise UsageError(
            msg("the names file {path} lies in the export folder", path=path),
            hint=msg("keep it in a folder of its own, outside the exports"),
        )
    return read_names(Path(path))


def _legacy_note(folder: Path | None, where: Workspace) -> list[Message]:
    """Where the history of an earlier version lies, when the workspace has none yet."""
    old = Path(folder) / "riskscreen-history" if folder is not None else None
    if old is None or not old.is_dir() or list_snapshots(where.snapshots) or not list_snapshots(old):
        return []
    return [
        msg(
            "found snapshots of an earlier version in {old}; move them with: mv {old}/shortlist-*.json {snapshots}/",
            old=str(old),
            snapshots=str(where.snapshots),
        )
    ]


def mentor_views(weekly: Weekly) -> list[tuple[str, Shortlist]]:
    """The list as each of its mentors may see it (`shortlist --for mentor --split`): one view per mentor code.

    Parameters
    ----------
    weekly
        A list made by `weekly_shortlist`.
    """
    mentors = sorted({str(m) for m in weekly.shortlist.entries["mentor"].dropna().astype(str) if m})
    return [(m, view(weekly.shortlist, "mentor", mentor=m)) for m in mentors]
