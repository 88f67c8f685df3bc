"""Models: trained on a school's history and measured on data they never saw; the models riskscreen finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from riskscreen.api.screening import Progress, Sources, load_model, read
from riskscreen.errors import UsageError, msg
from riskscreen.ingest.outcomes import FOLLOW_UP_MONTHS
from riskscreen.render.card import card_markdown
from riskscreen.scoring.card import ModelCard
from riskscreen.scoring.store import bundled_dir, list_models, read_card, resolve, save_model
from riskscreen.training.evaluate import EvaluationResult
from riskscreen.training.evaluate import evaluate as evaluate_model
from riskscreen.training.plots import require_matplotlib, write_plots
from riskscreen.training.train import TrainingResult
from riskscreen.training.train import train as train_model


def train(
    sources: Sources,
    *,
    out: Path,
    c: float | None = None,
    balanced: bool = False,
    feature_set: str = "standard",
    capacity: int | None = None,
    seed: int = 0,
    bootstrap: int = 500,
    demonstration: bool = False,
    recalibrate: bool = False,
    shape: str = "auto",
    follow_up: int = FOLLOW_UP_MONTHS,
    evaluate_on: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> TrainingResult:
    """Fit a transparent model on labelled history, measure it on data it never saw, and save it with its card.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    out
        The folder the model and its card are written to (refused when it exists, unless force).
    c
        The regularisation strength of the logistic regression; None: chosen by cross-validation.
    balanced
        Weigh leavers and stayers equally while fitting.
    feature_set
        Which declared features to use: 'standard', or a named set of `signals.features`.
    capacity
        How many students a youth worker or mentor can see in a week; precision and recall at that number are on the
        card.
    seed
        The seed of every random draw (test split, bootstrap), so a run can be repeated exactly.
    bootstrap
        Bootstrap samples for the intervals (0 to 100,000; 0: no intervals).
    demonstration
        The model is trained on invented data and says so wherever it is used.
    recalibrate
        Fit the calibration again on the latest cohort when the chances drift from the rate of leaving.
    shape
        'linear', 'additive' (monotone shapes per feature) or 'auto' (chosen by grouped cross-validation).
    follow_up
        The months after each as-of date over which the outcomes table counted who left (DUO counts 12); an as-of
        date whose months are not over in the data is refused, since its leavers are not known yet.
    evaluate_on
        A folder of labelled exports to evaluate the saved model on in the same run (as `evaluate` would, with the
        same profile, column options, capacity, seed and bootstrap), in `TrainingResult.evaluation`; read and
        checked before training, so a bad folder costs no training. The training folder itself reuses what was
        read and computed. None: no evaluation.
    force
        Replace what is already there (a folder or file of the same name).
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    if out.exists() and not force:
        raise UsageError(
            msg("{out} already exists", out=out), hint=msg("choose another `out`, or add `force` to replace it")
        )
    if out.exists() and not out.is_dir():
        raise UsageError(
            msg("{out} is a file, not a model folder", out=out),
            hint=msg("give `out` a folder, such as models/ourschool"),
        )
    if c is not None and c <= 0:
        raise UsageError(msg("`c` must be above 0"))
    check_measuring(capacity, bootstrap)
    exports = read(sources, today=today, require=("attendance", "grades", "outcomes"), progress=progress)
    later = None if evaluate_on is None else evaluation_sources(sources, evaluate_on)
    same = later == sources
    test = exports if same or later is None else read(later, today=today, require=LABELLED, progress=progress)
    result = train_model(
        exports,
        c=c,
        class_weight="balanced" if balanced else None,
        feature_set=feature_set,
        seed=seed,
        capacity=capacity,
        n_boot=bootstrap,
        name=out.name,
        demonstration=demonstration,
        recalibrate=recalibrate,
        shape=shape,
        follow_up=follow_up,
        progress=progress,
    )
    save_model(result.fitted, result.card, out, force=force, markdown=card_markdown(result.card))
    if evaluate_on is None:
        return result
    # the saved model, read back with every check `evaluate` makes, measured on the same start: the analyst's
    # train-then-evaluate without a second interpreter, import and read of the same files (#24 item 10)
    measured = evaluate_model(
        test,
        load_model(str(out)),
        capacity=capacity,
        n_boot=bootstrap,
        seed=seed,
        progress=progress,
        trained=result if same else None,
    )
    return replace(result, evaluation=measured)


@dataclass(frozen=True)
class Evaluation:
    """What `evaluate` measured, and the figures it wrote (if asked)."""

    result: EvaluationResult
    plots: list[Path] = field(default_factory=list)


def evaluate(
    sources: Sources,
    *,
    model: str | None = None,
    capacity: int | None = None,
    seed: int = 0,
    bootstrap: int = 500,
    plots: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Evaluation:
    """A model on labelled data: metrics with intervals, baselines on the same rows, the fairness audit; with
    `plots`, ROC, precision-at-k and calibration PNGs written to that folder.

    Parameters
    ----------
    sources
        Which export files to read (`Sources`: a folder, or files one by one, and a mapping profile).
    model
        A model's name or folder; None: the bundled demonstration model.
    capacity
        How many students a youth worker or mentor can see in a week; the precision and recall at that number are
        reported.
    seed
        The seed of every random draw (test split, bootstrap), so a run can be repeated exactly.
    bootstrap
        Bootstrap samples for the intervals (0 to 100,000; 0: no intervals).
    plots
        A folder for ROC, precision-at-k and calibration PNGs (needs matplotlib); None: none.
    force
        Replace what is already there (a folder or file of the same name).
    progress
        Called with a short text at each step of a long run (the CLI's progress bar); None: silent.
    today
        Today, for the checks against dates in the future and the default periods; None: the clock, or
        RISKSCREEN_TODAY (`riskscreen.settings`).
    """
    check_measuring(capacity, bootstrap)
    if plots is not None and plots.exists() and not plots.is_dir():
        raise UsageError(
            msg("`plots` {plots} is not a folder", plots=plots),
            hint=msg("give a folder for the PNG files; it is made if it does not exist"),
        )
    if plots is not None:
        require_matplotlib()  # before the work, not after it
    loaded = load_model(model)
    exports = read(sources, today=today, require=("attendance", "grades", "outcomes"), progress=progress)
    result = evaluate_model(exports, loaded, capacity=capacity, n_boot=bootstrap, seed=seed, progress=progress)
    if plots is None:
        return Evaluation(result)
    return Evaluation(result, write_plots(result.y, result.scores, plots, force=force))


MAX_BOOTSTRAP = 100_000


LABELLED = ("attendance", "grades", "outcomes")


def evaluation_sources(training: Sources, folder: Path) -> Sources:
    """The sources of an evaluation in the same run: the training sources themselves when `folder` is their folder
    (so what was read is reused), else that folder with the same profile and column options."""
    if training.folder is not None and folder.resolve() == training.folder.resolve():
        return training
    return replace(training, folder=folder, attendance=None, grades=None, students=None, outcomes=None)


def check_measuring(capacity: int | None, bootstrap: int) -> None:
    """The options of train and evaluate that measure: refused before any work when they cannot mean anything."""
    if capacity is not None and capacity < 1:
        raise UsageError(msg("`capacity` must be 1 or more"), hint=msg("the number of students a youth worker can see"))
    if not 0 <= bootstrap <= MAX_BOOTSTRAP:
        raise UsageError(
            msg("`bootstrap` must be from 0 to {max_bootstrap:,}", max_bootstrap=MAX_BOOTSTRAP),
            hint=msg("500 is usual; 0 gives no intervals"),
        )


def models() -> list[tuple[Path, ModelCard | None, bool]]:
    """The models riskscreen can find ($RISKSCREEN_MODELS, ./models, the bundled ones) with their cards (None
    when a card cannot be read), and whether a bundled model of the same name takes its name."""
    bundled = bundled_dir().resolve()
    found = list_models()
    bundled_names = {path.name for path, _ in found if path.parent.resolve() == bundled}
    return [(path, card, path.parent.resolve() != bundled and path.name in bundled_names) for path, card in found]


def model_card(model: str | None = None) -> ModelCard:
    """A model's card by name or folder.

    Parameters
    ----------
    model
        A model's name or folder; None: the bundled demonstration model.
    """
    return read_card(resolve(model))
