"""A sample region: three invented schools, each with weekly exports, a workspace of weekly lists, and the actions
and reports a youth worker and mentors would record (deterministic, for the municipality's report)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from riskscreen import api
from riskscreen.demo import files as demo_files
from riskscreen.demo import sample
from riskscreen.errors import UsageError, msg
from riskscreen.workspace import actions
from riskscreen.workspace.store import locked

if TYPE_CHECKING:
    from riskscreen.weekly.shortlist import Shortlist
    from riskscreen.workspace.actions import ActionBook
    from riskscreen.workspace.location import Workspace

SCHOOLS = ("04AB", "05CD", "06EF")
TYPES, TYPE_P = ("conversation", "home_visit", "referral"), (0.6, 0.2, 0.2)
WHO, WHO_P = ("youth_worker", "mentor", "coordinator"), (0.5, 0.35, 0.15)
TARGETS = (
    "jeugdhulp",
    "schoolmaatschappelijk_werk",
    "schuldhulpverlening",
    "sociaal_wijkteam",
    "leerplicht_rmc",
    "jeugdarts_ggd",
)
STRENGTHS = ("school_subject", "sport", "work", "music_art", "friends", "family", "other")
GOALS, GOAL_P = ("stay", "change_course", "internship", "start_work", "undecided"), (0.5, 0.15, 0.1, 0.1, 0.15)
WHAT = {
    "conversation": "gesprek over het verzuim",
    "home_visit": "huisbezoek met de mentor",
    "referral": "aanmelding bij hulpverlening",
}


def write_sample_region(
    out: Path,
    *,
    schools: int,
    students: int,
    weeks: int,
    seed: int,
    as_of: dt.date,
    history_years: int = 0,
    force: bool = False,
) -> list[Path]:
    """`riskscreen sample --schools N`: a region, checked (2 or 3 schools, 2 weeks or more, an empty folder)."""
    if schools > len(SCHOOLS) or schools < 2 or history_years or weeks < 2:
        raise UsageError(
            msg("a sample region has 2 or 3 schools and 2 weeks or more of lists"),
            hint=msg("for example `schools` 3 `weeks` 12"),
        )
    if Path(out).exists() and any(Path(out).iterdir()) and not force:
        raise UsageError(msg("{folder} is not empty", folder=out), hint=msg("choose an empty folder"))
    return write_region(out, schools=schools, students=students, weeks=weeks, seed=seed, as_of=as_of)


def write_region(
    out: Path,
    *,
    schools: int = 3,
    students: int = 400,
    weeks: int = 12,
    seed: int = 2026,
    as_of: dt.date = dt.date(2026, 11, 27),
) -> list[Path]:
    """Exports in OUT/exports/SCHOOL/weekNN and workspaces in OUT/workspaces/SCHOOL, with a list stored for
    every week and actions agreed, closed and reported along the way. Returns the workspaces' folders."""
    jobs = [(Path(out), k, name, students, weeks, seed, as_of) for k, name in enumerate(SCHOOLS[:schools])]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2:
        return [_school(*job) for job in jobs]
    # the schools share nothing: one process each, as many at once as there are processors
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_school, *zip(*jobs, strict=True)))


def _school(out: Path, k: int, name: str, students: int, weeks: int, seed: int, as_of: dt.date) -> Path:
    """One school's exports, weekly lists and actions (see write_region)."""
    exports = out / "exports" / name
    demo_files.write_weeks(sample.generate(students, seed=seed + k, as_of=as_of), exports, weeks)
    where = api.workspace(out / "workspaces", name)
    rng = np.random.default_rng(seed + 100 + k)
    for back in range(weeks - 1, -1, -1):  # in the order of the days (week numbers turn at New Year)
        day = as_of - dt.timedelta(weeks=back)
        week = exports / f"week{day.isocalendar().week:02d}"
        # the sample's school year may lie ahead of today: each week is run as on its own day
        weekly = api.weekly_shortlist(api.Sources(week), workspace=where, today=day)
        _week_of_work(where, weekly.shortlist, rng)
    return where.folder


def _week_of_work(where: Workspace, shortlist: Shortlist, rng: np.random.Generator) -> None:
    """What a school does with a week's list: reviews closed, referrals moved on, actions for some listed students
    (one read and one write of the book for the week: an api call per action reads and writes it each time, which
    made `make region` a sixth slower), then reports made."""
    day = shortlist.result.day
    entries = shortlist.entries
    with locked(where):
        book = actions.load(where.actions_file)
        for action in book.actions:  # most reviews end with the action closed, some a week late
            if action.open and action.review is not None and action.review <= day and rng.random() < 0.7:
                on = min(action.review + dt.timedelta(days=int(rng.integers(-3, 8))), day)
                book, _ = actions.close(book, action.id, outcome="afgerond", on=max(on, action.agreed))
        book = _referrals_move(book, day, rng)
        busy = {a.student_id for a in book.actions if a.open}
        new = []
        for _, row in entries.iterrows():
            sid = str(row["student_id"])
            if sid in busy or rng.random() >= 0.35:
                continue
            kind = str(rng.choice(TYPES, p=TYPE_P))
            own = rng.random() < 0.6  # most conversations also record what goes well and what the student wants
            new.append(
                actions.make_action(
                    book,
                    student_id=sid,
                    what=WHAT[kind],
                    type=kind,
                    who=str(rng.choice(WHO, p=WHO_P)),
                    referral=str(rng.choice(TARGETS)) if kind == "referral" else None,
                    review=day + dt.timedelta(days=14),
                    agreed=day,
                    referral_targets=where.settings.referral_targets,
                    strengths=tuple(str(x) for x in rng.choice(STRENGTHS, size=int(rng.integers(1, 3)), replace=False))
                    if own
                    else (),
                    goal=str(rng.choice(GOALS, p=GOAL_P)) if own else None,
                )
            )
        actions.save(actions.add(book, new), where.actions_file)
    for _, row in entries.iterrows():
        sid = str(row["student_id"])
        for entry in row["statutory_entries"] if isinstance(row["statutory_entries"], list) else []:
            _report(where, sid, entry, day, rng)
        if row["sick_state"] == "open" and rng.random() < 0.5:
            api.record_report(where, sid, on=day, signal="ziekteverzuim", today=day)


def _referrals_move(book: ActionBook, day: dt.date, rng: np.random.Generator) -> ActionBook:
    """Referrals move through the network, some stall; a state is set on a school day between the lists."""
    for action in book.actions:
        state = action.referral_state
        if state is None or state[1] >= day or rng.random() >= 0.35:
            continue
        if state[0] == "registered":
            moved = str(rng.choice(("started", "waiting_list", "failed"), p=(0.55, 0.35, 0.1)))
        elif state[0] == "waiting_list":
            moved = "started"
        elif state[0] == "started" and rng.random() < 0.3:
            moved = "finished"
        else:
            continue
        on = max(state[1], day - dt.timedelta(days=int(rng.integers(0, 5))))
        book, _ = actions.set_state(book, action.id, state=moved, on=on)
    return book


def _report(where: Workspace, sid: str, entry: dict[str, object], day: dt.date, rng: np.random.Generator) -> None:
    """Most reports are made in the week they are due, some a week or more late, and one in eight never (the same
    ones every week: decided by the report itself, so the municipal table has every state to show)."""
    if entry.get("state") not in {"due", "late"}:
        return
    end = str(entry["end"] or entry["reached"])
    if zlib.crc32(f"{sid}:{entry['type']}:{end}".encode()) % 8 == 0 or rng.random() >= 0.7:
        return
    reached = dt.date.fromisoformat(str(entry["reached"]))
    on = max(reached, day - dt.timedelta(days=int(rng.integers(0, 4))))
    api.record_report(where, sid, on=on, type=str(entry["type"]), end=dt.date.fromisoformat(end), today=day)
