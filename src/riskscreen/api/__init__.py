"""The library API: one function per use case, over typed sources and results; the CLI is a skin over these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from riskscreen.errors import UsageError, msg

if TYPE_CHECKING:
    import pandas as pd

    from riskscreen.ingest.pipeline import Exports
    from riskscreen.ingest.problems import ValidationReport
    from riskscreen.ingest.profiles import Profile
    from riskscreen.scoring.card import ModelCard
    from riskscreen.scoring.score import Explanation, ScoreResult
    from riskscreen.scoring.store import LoadedModel
    from riskscreen.training.evaluate import EvaluationResult
    from riskscreen.training.train import TrainingResult

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


def _read_kwargs(sources: Sources) -> dict[str, object]:
    return {"attendance": sources.attendance, "grades": sources.grades, "students": sources.students,
            "outcomes": sources.outcomes, "profile": sources.profile, "sheet": sources.sheet,
            "allow_columns": sources.allow_columns, "pseudonym_columns": sources.pseudonym_columns}


def read(sources: Sources, *, as_of: dt.date | None = None, today: dt.date | None = None,
         require: tuple[str, ...] = ("attendance", "grades"), progress: Progress | None = None) -> Exports:
    """The validated tables of a school; raises ValidationFailed (with the report) when they break the contract."""
    from riskscreen.ingest.pipeline import load_exports

    return load_exports(sources.folder, as_of=as_of, today=today, require=require, progress=progress,
                        **_read_kwargs(sources))


def validate(sources: Sources, *, as_of: dt.date | None = None, today: dt.date | None = None,
             progress: Progress | None = None) -> ValidationReport:
    """Every problem of the exports with file, row, column and fix; the report says whether they are valid."""
    from riskscreen.ingest.pipeline import read_exports

    if not sources.given:
        raise UsageError(msg("give a folder, or files with --attendance, --grades, --students or --outcomes"))
    _exports, report = read_exports(sources.folder, as_of=as_of, today=today, require=(), progress=progress,
                                    **_read_kwargs(sources))  # type: ignore[arg-type]
    if not report.files:
        raise UsageError(msg("no export files recognised in {folder}", folder=sources.folder),
                         hint=msg("name them like absenties.csv and cijfers.csv, or use --attendance / --grades"))
    return report


def load_model(model: str | None = None) -> LoadedModel:
    """A model by name or folder (default: the bundled demonstration model), checked before use."""
    from riskscreen.scoring.store import load_model as load

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


def score(sources: Sources, *, model: str | None = None, lang: str = "nl", as_of: dt.date | None = None,
          top: int | None = None, mentor: str | None = None, class_: str | None = None,
          progress: Progress | None = None, today: dt.date | None = None) -> Scores:
    """Rank every student by risk with reasons and flags; optionally one mentor's or class's, or the top N."""
    from riskscreen.scoring.score import score as score_all
    from riskscreen.scoring.score import select

    loaded = load_model(model)
    result = score_all(read(sources, as_of=as_of, today=today, progress=progress), loaded, lang=lang)
    return Scores(result, select(result, top=top, mentor=mentor, class_=class_))


def explain(sources: Sources, student_id: str, *, model: str | None = None, lang: str = "nl",
            as_of: dt.date | None = None, progress: Progress | None = None,
            today: dt.date | None = None) -> Explanation:
    """One student's full breakdown: every feature, its reference and contribution, flags, registrations."""
    from riskscreen.scoring.score import explain as explain_one

    loaded = load_model(model)
    return explain_one(read(sources, as_of=as_of, today=today, progress=progress), loaded, student_id, lang=lang)


def train(sources: Sources, *, out: Path, c: float | None = None, balanced: bool = False,
          feature_set: str = "standard", capacity: int | None = None, seed: int = 0, bootstrap: int = 500,
          demonstration: bool = False, recalibrate: bool = False, shape: str = "auto", force: bool = False,
          progress: Progress | None = None,
          today: dt.date | None = None) -> TrainingResult:
    """Fit a transparent model on labelled history, measure it on data it never saw, and save it with its card."""
    from riskscreen.render.card import card_markdown
    from riskscreen.scoring.store import save_model
    from riskscreen.training.train import train as train_model

    if out.exists() and not force:
        raise UsageError(msg("{out} already exists", out=out),
                         hint=msg("choose another --out, or add --force to replace it"))
    if out.exists() and not out.is_dir():
        raise UsageError(msg("{out} is a file, not a model folder", out=out), hint=msg("give --out a folder, such as "
                                                                          "models/ourschool"))
    if c is not None and c <= 0:
        raise UsageError(msg("--C must be above 0"))
    _check_measuring(capacity, bootstrap)
    exports = read(sources, today=today, require=("attendance", "grades", "outcomes"), progress=progress)
    result = train_model(exports, c=c, class_weight="balanced" if balanced else None, feature_set=feature_set,
                         seed=seed, capacity=capacity, n_boot=bootstrap, name=out.name, demonstration=demonstration,
                         recalibrate=recalibrate, shape=shape,
                         progress=progress)
    save_model(result.fitted, result.card, out, force=force, markdown=card_markdown(result.card))
    return result


@dataclass(frozen=True)
class Evaluation:
    """What `evaluate` measured, and the figures it wrote (if asked)."""

    result: EvaluationResult
    plots: list[Path] = field(default_factory=list)


def evaluate(sources: Sources, *, model: str | None = None, capacity: int | None = None, seed: int = 0,
             bootstrap: int = 500, plots: Path | None = None, force: bool = False,
             progress: Progress | None = None, today: dt.date | None = None) -> Evaluation:
    """A model on labelled data: metrics with intervals, baselines on the same rows, the fairness audit; with
    `plots`, ROC, precision-at-k and calibration PNGs written to that folder."""
    from riskscreen.training.evaluate import evaluate as evaluate_model

    _check_measuring(capacity, bootstrap)
    if plots is not None and plots.exists() and not plots.is_dir():
        raise UsageError(msg("--plots {plots} is not a folder", plots=plots),
                         hint=msg("give a folder for the PNG files; it is made "
                                                                      "if it does not exist"))
    if plots is not None:
        from riskscreen.training.plots import require_matplotlib

        require_matplotlib()  # before the work, not after it
    loaded = load_model(model)
    exports = read(sources, today=today, require=("attendance", "grades", "outcomes"), progress=progress)
    result = evaluate_model(exports, loaded, capacity=capacity, n_boot=bootstrap, seed=seed, progress=progress)
    if plots is None:
        return Evaluation(result)
    from riskscreen.training.plots import write_plots

    return Evaluation(result, write_plots(result.y, result.scores, plots, force=force))


MAX_BOOTSTRAP = 100_000


def _check_measuring(capacity: int | None, bootstrap: int) -> None:
    """The options of train and evaluate that measure: refused before any work when they cannot mean anything."""
    if capacity is not None and capacity < 1:
        raise UsageError(msg("--capacity must be 1 or more"), hint=msg("the number of students a youth worker can see"))
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise UsageError(msg("--bootstrap must be from 0 to {max_bootstrap:,}", max_bootstrap=MAX_BOOTSTRAP),
                         hint=msg("500 is usual; 0 gives no "
                                                                                      "intervals"))


def write_sample(out_dir: Path, *, students: int = 1000, seed: int = 2026, as_of: dt.date = dt.date(2026, 11, 27),
                 history_years: int = 0, profile: str = "magister", weeks: int = 1,
                 force: bool = False) -> list[Path]:
    """A deterministic synthetic school (invented data) written as exports; with weeks > 1, that many weekly
    exports of the same school in weekNN/ folders. Returns what was written. (A region of several schools, each with
    a workspace that ran the weekly cycle, is written by riskscreen.region_sample, a client of this library.)"""
    from riskscreen import sample

    if history_years < 0 or history_years > 20:
        raise UsageError(msg("--history-years must be from 0 to 20"))
    if not 1 <= weeks <= 52:
        raise UsageError(msg("--weeks must be from 1 to 52"))
    if weeks > 1 and history_years:
        raise UsageError(msg("--weeks and --history-years cannot be combined"), hint=msg("choose one"))
    if profile == "eduarte":  # an MBO location: no history (the bundled model learned from VO histories)
        from riskscreen.sample_mbo import generate_mbo

        if history_years:
            raise UsageError(msg("an MBO sample location has no history"), hint=msg("leave out --history-years"))
        school = generate_mbo(students, seed=seed, as_of=as_of)
    else:
        school = sample.generate(students, seed=seed, as_of=as_of, history_years=history_years, profile=profile)
    if weeks > 1:
        return sample.write_weeks(school, out_dir, weeks, force=force)
    return sample.write(school, out_dir, force=force)


def models() -> list[tuple[Path, ModelCard | None, bool]]:
    """The models riskscreen can find ($RISKSCREEN_MODELS, ./models, the bundled ones) with their cards (None
    when a card cannot be read), and whether a bundled model of the same name takes its name."""
    from riskscreen.scoring.store import bundled_dir, list_models

    bundled = bundled_dir().resolve()
    found = list_models()
    bundled_names = {path.name for path, _ in found if path.parent.resolve() == bundled}
    return [(path, card, path.parent.resolve() != bundled and path.name in bundled_names) for path, card in found]


def model_card(model: str | None = None) -> ModelCard:
    """A model's card by name or folder."""
    from riskscreen.scoring.store import read_card, resolve

    return read_card(resolve(model))


def profiles() -> list[tuple[str, Profile]]:
    """Every mapping profile: the built-in ones, then the user's."""
    from riskscreen.ingest.profiles import list_profiles

    return list_profiles()


def profile_template(name: str, output: Path | None = None) -> tuple[str, Path]:
    """A commented profile template to fill in, and where it goes (the user profile folder, or `output`)."""
    from riskscreen.ingest.profiles import profile_template as template
    from riskscreen.ingest.profiles import user_profile_dir

    text = template(name)
    return text, output or user_profile_dir() / f"{name}.toml"


def rebuild_demo_model(out: Path | None = None) -> Path:
    """Train the bundled demonstration model again from its recipe (`make model`); returns its folder."""
    import tempfile

    from riskscreen.render.card import card_markdown
    from riskscreen.scoring.store import bundled_dir, save_model
    from riskscreen.training.demo_model import build

    with tempfile.TemporaryDirectory() as tmp:
        result = build(Path(tmp))
    target = out or bundled_dir() / "demo"
    save_model(result.fitted, result.card, target, force=True, markdown=card_markdown(result.card))
    return target


# The weekly cycle (workspace, shortlist, history, actions) lives beside this module; one API either way.
from riskscreen.api.actions import (  # noqa: E402
    DueReport,
    ImportResult,
    actions_table,
    add_action,
    close_action,
    end_sharing,
    import_actions,
    record_report,
    reports_due,
    set_sharing,
    sharing_table,
    update_referral,
)
from riskscreen.api.cycle import (  # noqa: E402
    HistoryTable,
    Weekly,
    history,
    init_workspace,
    log_output,
    mentor_views,
    output_log,
    prune_history,
    weekly_shortlist,
    workspace,
)
from riskscreen.api.privacy import privacy_papers  # noqa: E402
from riskscreen.api.region import aggregate, merge_aggregates  # noqa: E402

__all__ = [
    "DueReport",
    "Evaluation",
    "HistoryTable",
    "ImportResult",
    "Scores",
    "Sources",
    "Weekly",
    "actions_table",
    "add_action",
    "aggregate",
    "close_action",
    "end_sharing",
    "evaluate",
    "explain",
    "history",
    "import_actions",
    "init_workspace",
    "load_model",
    "log_output",
    "mentor_views",
    "merge_aggregates",
    "model_card",
    "models",
    "output_log",
    "privacy_papers",
    "profile_template",
    "profiles",
    "prune_history",
    "read",
    "rebuild_demo_model",
    "record_report",
    "reports_due",
    "score",
    "set_sharing",
    "sharing_table",
    "train",
    "update_referral",
    "validate",
    "weekly_shortlist",
    "workspace",
    "write_sample",
]
