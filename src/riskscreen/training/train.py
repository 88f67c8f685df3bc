"""Training and evaluating models on labelled history: features at each as-of, honest splits, the card."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas
import pandas as pd
import sklearn

from riskscreen import __version__
from riskscreen.errors import Message, UsageError, msg
from riskscreen.ingest.outcomes import FOLLOW_UP_MONTHS, OUTCOME_KEY
from riskscreen.ingest.pipeline import Exports
from riskscreen.phrases import with_phrases
from riskscreen.scoring.card import ModelCard
from riskscreen.scoring.model import (
    FEATURE_SETS,
    FittedModel,
    direction,
    logits,
    predict,
    recalibrated,
)
from riskscreen.training.bands import fixed_bands
from riskscreen.training.card_rows import feature_rows
from riskscreen.training.dataset import Progress, TrainingSet, choose_c, roster_leakage, split, training_set
from riskscreen.training.fairness import fairness
from riskscreen.training.metrics import (
    black_box,
    compare,
    metrics,
    one_blas_thread,
    paired_difference,
    rule_score,
    unauthorised_score,
)
from riskscreen.training.resampling import Chunk, resamples, side_by_side
from riskscreen.training.seasons import calibration_by_season, season_shifts
from riskscreen.training.shapes import choose_shape, fit_shape
from riskscreen.training.uncertainty import bootstrap_fits

NO_AUDIT = msg("no audit_* columns in the roster")

INTENDED_USE = msg(
    "Ranking students of one school by their risk of leaving without a startkwalificatie within 12 months, "
    "so that a youth worker and a mentor can decide together whom to talk with first. A conversation starter, "
    "never a decision about a student on its own."
)
LIMITS = msg(
    "Trained on one school's history, it reflects that school's registration habits and population. "
    "Scores are only as good as the exports: unregistered absence is invisible. Never use it to sanction, "
    "select or exclude students. Check the fairness table before use and retrain every year."
)
DEMO_NOTICE = msg(
    "DEMONSTRATION MODEL trained on synthetic data made by `riskscreen sample`. Its numbers say how well it "
    "finds the invented pattern, not how well it works in a real school. Retrain on the school's own history."
)


@dataclass
class TrainingResult:
    fitted: FittedModel
    card: ModelCard
    test_y: np.ndarray
    test_scores: dict[str, np.ndarray]
    rows: TrainingSet | None = None  # the rows the model learnt from: an evaluation of the same data reuses them
    evaluation: Any = None  # training.evaluate.EvaluationResult, when `train --evaluate` measured it in the same run


def _data_description(exports: Exports, ts: TrainingSet, follow_up: int) -> dict[str, Any]:
    files = []
    for table, path in sorted(exports.paths.items()):
        digest = file_sha256(path)
        files.append({"table": table, "file": path.name, "sha256": digest})
    combined = hashlib.sha256("".join(f["sha256"] for f in files).encode()).hexdigest()
    return {
        "files": files,
        "sha256": combined,
        "first_date": exports.report.first_date,
        "last_date": exports.report.last_date,
        "as_of_dates": ts.as_of_dates(),
        "rows": len(ts.labels),
        "students": len(set(ts.student_ids)),
        "positives": int(ts.labels.sum()),
        "leavers": len(set(ts.student_ids[ts.labels == 1])),
        "outcome": OUTCOME_KEY,
        "follow_up_months": follow_up,
        "profile": exports.profile.name,
    }


def _versions() -> dict[str, str]:
    return {
        "riskscreen": __version__,
        "scikit-learn": sklearn.__version__,
        "pandas": pandas.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }


Assessment = tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, np.ndarray], list[Chunk]]


def assess(
    ts: TrainingSet,
    train: np.ndarray,
    test: np.ndarray,
    scores: np.ndarray,
    *,
    seed: int,
    capacity: int | None,
    n_boot: int,
    bands: dict[str, float],
) -> Assessment:
    """Metrics of a model's test scores, the two baselines on the same rows, and the fairness audit."""
    y_test = ts.labels[test]
    students = ts.student_ids[test]  # a student with rows at several as-of dates is resampled whole
    x_train, x_test = ts.features.iloc[train], ts.features.iloc[test]
    draws = resamples(y_test.size, n_boot, seed, students)  # the same resamples for the model and the baselines
    rules = rule_score(x_test, seed)
    hours = unauthorised_score(x_test, seed)
    # the black box is fitted beside the model's and the rules' bootstrap passes, then measured itself
    bb_result: dict[str, np.ndarray] = {}

    def black_box_measured() -> dict[str, Any]:
        bb_result["scores"] = black_box(x_train, ts.labels[train], x_test, seed)
        return metrics(y_test, bb_result["scores"], capacity=capacity, draws=draws)

    bb_metrics, model_metrics, rule_metrics, hour_metrics, audit = side_by_side(
        black_box_measured,
        lambda: metrics(y_test, scores, capacity=capacity, draws=draws),
        lambda: metrics(y_test, rules, capacity=capacity, probabilities=False, draws=draws),
        lambda: metrics(y_test, hours, capacity=capacity, probabilities=False, draws=draws),
        lambda: (
            fairness(ts.audit.iloc[test], y_test, scores, bands=bands, n_boot=n_boot, seed=seed, students=students)
            if len(ts.audit.columns)
            else {"columns": {}, "note": NO_AUDIT}
        ),
    )
    baselines = {
        "rule_count": {
            **rule_metrics,
            "description": "the ABC indicators, counted: attendance below 90% (absence over 10% of 30 lesson "
            "hours a week, last 12 lesson weeks), a removal from class (last 12 lesson weeks), a core-subject fail",
        },
        "unauthorised_hours": {
            **hour_metrics,
            "description": "rank by unauthorised hours in the last 12 lesson weeks",
        },
        "gradient_boosting": {
            **bb_metrics,
            "description": "HistGradientBoostingClassifier on the same features (a black box)",
        },
    }
    return (
        model_metrics,
        baselines,
        audit,
        {"model": scores, "rule_count": rules, "unauthorised_hours": hours, "gradient_boosting": bb_result["scores"]},
        draws,
    )


@one_blas_thread
def train(
    exports: Exports,
    *,
    c: float | None = None,
    class_weight: str | None = None,
    feature_set: str = "standard",
    seed: int = 0,
    capacity: int | None = None,
    n_boot: int = 500,
    name: str = "model",
    demonstration: bool = False,
    recalibrate: bool = False,
    shape: str = "auto",
    follow_up: int = FOLLOW_UP_MONTHS,
    progress: Progress | None = None,
) -> TrainingResult:
    """Fit on the earlier data, measure on held-out data with baselines and fairness, and write the card. The
    shape (linear, or additive with a monotone shape per feature) is chosen by cross-validation on the training
    rows under "auto". With `recalibrate`, the final model's intercept moves to the latest cohort's rate of
    leaving (else only a wide gap between the two is reported)."""
    say = progress or (lambda _m: None)
    if feature_set not in FEATURE_SETS:
        raise UsageError(
            msg("unknown feature set '{feature_set}'", feature_set=feature_set),
            hint=msg("choose from {join}", join=", ".join(FEATURE_SETS)),
        )
    names = FEATURE_SETS[feature_set]
    ts = training_set(exports, say, follow_up)
    warnings = [w for w in (roster_leakage(exports, names),) if w]
    train_idx, test_idx, how = split(ts, seed)
    linear_auc: float | None = None
    if c is None:
        say(msg("choosing the regularisation strength by cross-validation"))
        c, linear_auc = choose_c(ts, train_idx, names, class_weight, seed)
    choice = choose_shape(
        shape,
        ts.features.iloc[train_idx].loc[:, list(names)].to_numpy(dtype=float),
        ts.labels[train_idx],
        ts.student_ids[train_idx],
        directions=tuple(map(direction, names)),
        names=tuple(names),
        c=c,
        class_weight=class_weight,
        seed=seed,
        linear_auc=linear_auc,
    )
    chosen, penalty = choice["chosen"], choice.get("penalty") if choice["chosen"] == "additive" else None
    say(msg("fitting on {count} rows", count=len(train_idx)))
    fitted = fit_shape(
        chosen,
        ts.features.iloc[train_idx],
        ts.labels[train_idx],
        feature_names=names,
        c=c,
        penalty=penalty,
        class_weight=class_weight,
        seed=seed,
        groups=ts.student_ids[train_idx],
    )
    say(msg("measuring on {count} held-out rows, with baselines", count=len(test_idx)))
    # the constant per season, learnt on the training rows and measured with the rest on the held-out ones
    fitted.season_shifts = season_shifts(
        logits(fitted, ts.features.iloc[train_idx]), ts.labels[train_idx], ts.as_of[train_idx]
    )
    scores = predict(fitted, ts.features.iloc[test_idx], ts.as_of[test_idx])
    bands, band_choice = fixed_bands(scores, ts.as_of[test_idx], float(ts.labels.mean()), capacity)
    model_metrics, baselines, audit, all_scores, draws = assess(
        ts, train_idx, test_idx, scores, seed=seed, capacity=capacity, n_boot=n_boot, bands=bands
    )
    # Measured, the model is fitted again on all labelled history with the same settings: the saved model
    # learns from every row, and the card says what the figures above were measured on.
    say(msg("fitting the final model on all {count} labelled rows", count=len(ts.labels)))
    fitted = fit_shape(
        chosen,
        ts.features,
        ts.labels,
        feature_names=names,
        c=c,
        penalty=penalty,
        class_weight=class_weight,
        seed=seed,
        groups=ts.student_ids,
    )
    fitted.season_shifts = season_shifts(logits(fitted, ts.features), ts.labels, ts.as_of)
    final_fit = {
        "rows": len(ts.labels),
        "students": len(set(ts.student_ids)),
        "positives": int(ts.labels.sum()),
        "features_dropped": list(fitted.dropped),
        **({"out_of_fold_roc_auc": round(fitted.out_of_fold_auc, 4)} if fitted.out_of_fold_auc is not None else {}),
    }
    fitted, recalibration, gap = _latest_cohort(ts, fitted, recalibrate)
    fitted.bands = dict(bands)  # fixed chances: a recalibrated intercept moves students, not the bands
    say(msg("refitting the final model on bootstrap samples of the students, for explain's intervals"))
    price_interval, uncertainty = side_by_side(
        lambda: paired_difference(
            ts.labels[test_idx],
            all_scores["model"],
            all_scores["gradient_boosting"],
            n_boot=n_boot,
            seed=seed,
            draws=draws,
        ),
        lambda: bootstrap_fits(
            fitted, ts.features, ts.labels, ts.student_ids, c=c, class_weight=class_weight, seed=seed
        ),
    )
    warnings += [gap] if gap else []
    card = ModelCard.model_validate(
        with_phrases(
            {
                "name": name,
                "demonstration": demonstration,
                "notice": DEMO_NOTICE if demonstration else None,
                "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                "intended_use": INTENDED_USE,
                "limits": LIMITS,
                "training_data": _data_description(exports, ts, follow_up),
                "validation": {
                    "method": how,
                    "train_rows": len(train_idx),
                    "test_rows": len(test_idx),
                    "test_positives": int(ts.labels[test_idx].sum()),
                    "bootstrap_samples": n_boot,
                },
                "final_fit": final_fit,
                **({"recalibration": recalibration} if recalibration else {}),
                "parameters": {
                    "C": c,
                    "class_weight": class_weight,
                    "feature_set": feature_set,
                    "seed": seed,
                    "capacity": capacity,
                    "shape": chosen,
                    **({"penalty": penalty} if penalty else {}),
                },
                "shape_choice": choice,
                "features_used": list(fitted.features),
                "features_dropped": list(fitted.dropped),
                "features": feature_rows(fitted, ts.features),
                "intercept": round(fitted.intercept, 6),
                "calibration": [round(fitted.calibration[0], 6), round(fitted.calibration[1], 6)],
                "bands": bands,
                "band_choice": band_choice,
                "calibration_by_season": calibration_by_season(ts.labels[test_idx], scores, ts.as_of[test_idx]),
                "season_shifts": fitted.season_shifts or None,
                "metrics": model_metrics,
                "baselines": baselines,
                "price_of_transparency": compare(model_metrics, baselines),
                "price_of_transparency_interval": price_interval,
                "fairness": audit,
                **({"uncertainty": uncertainty} if uncertainty else {}),
                "versions": _versions(),
                **({"training_warnings": warnings} if warnings else {}),
            }
        )
    )
    for warning in warnings:
        say(msg("warning: {warning}", warning=warning))
    return TrainingResult(fitted, card, ts.labels[test_idx], all_scores, ts)


RECALIBRATION_GAP = 0.2  # a mean predicted chance this far (relatively) from the rate of leaving is reported


def _latest_cohort(
    ts: TrainingSet, fitted: FittedModel, recalibrate: bool
) -> tuple[FittedModel, dict[str, Any] | None, Message | None]:
    """The final model against its latest cohort: moved to its rate of leaving (recalibrate), or the gap reported
    when it is wide and beyond chance (a school whose rate changed is under- or over-predicted, a quarter on one
    real data set)."""
    latest = ts.as_of == np.max(ts.as_of)
    features, labels, dates = ts.features.iloc[np.flatnonzero(latest)], ts.labels[latest], ts.as_of[latest]
    if labels.size == 0 or labels.sum() == 0:
        return fitted, None, None
    before, observed = float(predict(fitted, features, dates).mean()), float(labels.mean())
    as_of = str(pd.Timestamp(np.max(ts.as_of)).date())
    if not recalibrate:
        # wide, and wider than the cohort's own chance variation (two binomial standard errors): a school of 600
        # students with 24 leavers moves by a fifth from one year to the next by chance alone
        noise = 2 * np.sqrt(before * (1 - before) / labels.size)
        if abs(before - observed) > max(RECALIBRATION_GAP * observed, noise):
            return (
                fitted,
                None,
                msg(
                    "on the latest cohort (as-of {as_of}) the model predicts {before} on average "
                    "where {observed} left; `riskscreen train --recalibrate` moves its intercept "
                    "to match",
                    as_of=as_of,
                    before=f"{before:.1%}",
                    observed=f"{observed:.1%}",
                ),
            )
        return fitted, None, None
    moved, shift = recalibrated(fitted, features, labels, dates)
    after = float(predict(moved, features, dates).mean())
    return (
        moved,
        {
            "as_of": as_of,
            "rows": int(labels.size),
            "observed_rate": round(observed, 6),
            "predicted_before": round(before, 6),
            "predicted_after": round(after, 6),
            "shift": round(shift, 6),
        },
        None,
    )


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read once per run: the card records it and `train --evaluate` on the same folder checks
    it again (a changed file has another size or modification time, and is read anew)."""
    stat = path.stat()
    return _sha256_of(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _sha256_of(path: Path, size: int, modified_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
