"""Reading and scoring a school: which files (`Sources`), the validated tables, scores and explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from riskscreen.errors import UsageError, msg
from riskscreen.ingest.pipeline import Exports, load_exports, read_exports
from riskscreen.ingest.problems import ValidationReport
from riskscreen.ingest.profile_files import list_profiles, user_profile_dir
from riskscreen.ingest.profile_files import profile_template as template
from riskscreen.ingest.profiles import Profile
from riskscreen.scoring.score import Explanation, ScoreResult, select
from riskscreen.scoring.score import explain as explain_one
from riskscreen.scoring.score import score as score_all
from riskscreen.scoring.store import LoadedModel
from riskscreen.scoring.store import load_model as load

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Sources:
    """Which export files to read: a folder (files recognised by name or headers) and/or files named one by one."""

    folder: Path | None = None
    attendance: Path | None = None
    grades: Path | None = None
    students: Path | None = None
    outcomes: Path | None = None
    profile: str | None = None  # a profile name or .toml path; detected from the headers when None
    sheet: str | None = None
    allow_columns: tuple[str, ...] = ()
    pseudonym_columns: tuple[str, ...] = ()  # more columns of pseudonyms (a scheme): checked for BSNs only

    @property
    def given(self) -> bool:
        return any(p is not None for p in (self.folder, self.attendance, self.grades, self.students, self.outcomes))


def read_kwargs(sources: Sources) -> dict[str, Any]:
    return {
        "attendance": sources.attendance,
        "grades": sources.grades,
        "students": sources.students,
        "outcomes": sources.outcomes,
        "profile": sources.profile,
        "sheet": sources.sheet,
        "allow_columns": sources.allow_columns,
        "pseudonym_columns": sources.pseudonym_columns,
    }


def read(
    sources: Sources,
    *,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    require: tuple[str, ...] = ("attendance", "grades"),
    progress: Progress | None = None,
) -> Exports:
    """The validated tables of a school; raises ValidationFailed (with the report) when they break the contract.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    as_of
        The date of the screen; None: the last date of the exports.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    require
        The tables that must be among the sources (others are read when present).
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    """
    return load_exports(
        sources.folder, as_of=as_of, today=today, require=require, progress=progress, **read_kwargs(sources)
    )


def validate(
    sources: Sources, *, as_of: dt.date | None = None, today: dt.date | None = None, progress: Progress | None = None
) -> ValidationReport:
    """Every problem of the exports with file, row, column and fix; the report says whether they are valid.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    as_of
        The date of the screen; None: the last date of the exports.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    """
    if not sources.given:
        raise UsageError(msg("give a folder, or files with `attendance`, `grades`, `students` or `outcomes`"))
    _exports, report = read_exports(
        sources.folder, as_of=as_of, today=today, require=(), progress=progress, **read_kwargs(sources)
    )
    if not report.files:
        raise UsageError(
            msg("no export files recognised in {folder}", folder=sources.folder),
            hint=msg("name them like absenties.csv and cijfers.csv, or use `attendance` / `grades`"),
        )
    return report


def load_model(model: str | None = None) -> LoadedModel:
    """A model by name or folder (default: the bundled demonstration model), checked before use.

    Parameters
    ----------
    model
        A model's name or folder; None: the bundled demonstration model.
    """
    return load(model)


@dataclass(frozen=True)
class Scores:
    """Every student scored, and the rows a listing asked for."""

    result: ScoreResult
    rows: pd.DataFrame

    @property
    def flagged(self) -> int:
        """Students with the 16-hour flag."""
        return int(self.result.table["verzuim_16u"].sum())


def score(
    sources: Sources,
    *,
    model: str | None = None,
    as_of: dt.date | None = None,
    top: int | None = None,
    mentor: str | None = None,
    class_: str | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Scores:
    """Rank every student by risk with reasons and flags; optionally one mentor's or class's, or the top N.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    model
        A model's name or folder; None: the bundled demonstration model.
    as_of
        The date of the screen; None: the last date of the exports.
    top
        Only the N students with the highest chance.
    mentor
        Only this mentor's students.
    class_
        Only this class's students.
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    loaded = load_model(model)
    result = score_all(read(sources, as_of=as_of, today=today, progress=progress), loaded)
    return Scores(result, select(result, top=top, mentor=mentor, class_=class_))


def explain(
    sources: Sources,
    student_id: str,
    *,
    model: str | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Explanation:
    """One student's full breakdown: every feature, its reference and contribution, flags, registrations.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    student_id
        The student's pseudonym, as in the exports, whose score is broken down.
    model
        A model's name or folder; None: the bundled demonstration model.
    as_of
        The date of the screen; None: the last date of the exports.
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    loaded = load_model(model)
    return explain_one(read(sources, as_of=as_of, today=today, progress=progress), loaded, student_id)


def profiles() -> list[tuple[str, Profile]]:
    """Every mapping profile: the built-in ones, then the user's."""
    return list_profiles()


def profile_template(name: str, output: Path | None = None) -> tuple[str, Path]:
    """A commented profile template to fill in, and where it goes (the user profile folder, or `output`).

    Parameters
    ----------
    name
        The new profile's name (the file is NAME.toml).
    output
        Where the template goes; None: the user's profile folder.
    """
    text = template(name)
    return text, output or user_profile_dir() / f"{name}.toml"
