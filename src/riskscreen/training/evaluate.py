"""Evaluating a saved model on labelled data: held-out headline, baselines, like-for-like price, drift, overlap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskscreen.errors import Message, msg
from riskscreen.ingest.outcomes import FOLLOW_UP_MONTHS
from riskscreen.ingest.pipeline import Exports
from riskscreen.phrases import with_phrases
from riskscreen.scoring.card import EvaluationReport
from riskscreen.scoring.model import predict
from riskscreen.scoring.store import LoadedModel
from riskscreen.training.dataset import Progress, TrainingSet, split, training_set
from riskscreen.training.fairness import fairness
from riskscreen.training.metrics import metrics, one_blas_thread, paired_difference
from riskscreen.training.resampling import resamples, side_by_side
from riskscreen.training.shapes import fit_shape
from riskscreen.training.train import NO_AUDIT, TrainingResult, assess, file_sha256


@dataclass
class EvaluationResult:
    report: EvaluationReport
    y: np.ndarray
    scores: dict[str, np.ndarray]


DRIFT_MARK = 0.5  # a feature whose mean moved half a training sd or more is marked


def drift(ts: TrainingSet, loaded: LoadedModel) -> dict[str, Any]:
    """How these data differ from the training data the card describes: each feature's mean against the
    card's reference (in training standard deviations), and the rate of leaving against the training rate."""
    trained = loaded.card.training_data
    features = []
    for row in loaded.card.features:
        if row.name not in ts.features:
            continue
        values = ts.features[row.name].to_numpy(dtype=float)
        mean = float(np.nanmean(values)) if np.isfinite(values).any() else None
        shift = None if mean is None or not row.sd else round((mean - row.reference) / row.sd, 3)
        features.append(
            {
                "feature": row.name,
                "reference": row.reference,
                "mean": None if mean is None else round(mean, 4),
                "shift_in_sd": shift,
                "marked": shift is not None and abs(shift) >= DRIFT_MARK,
            }
        )
    rate = float(ts.labels.mean()) if ts.labels.size else None
    base = trained.positives / trained.rows if trained.rows else None
    return {
        "features": features,
        "leaving_rate": None if rate is None else round(rate, 4),
        "training_leaving_rate": None if base is None else round(base, 4),
        "mark_at_sd": DRIFT_MARK,
    }


def training_overlap(exports: Exports, ts: TrainingSet, loaded: LoadedModel) -> list[Message]:
    """Warnings when the evaluation data are (partly) what the model was trained on, from its card: the same
    files, or the same as-of dates. Figures on training data flatter a model."""
    trained = loaded.card.training_data
    warnings = []
    digests = {f.sha256 for f in trained.files}
    same = sorted(table for table, path in exports.paths.items() if file_sha256(path) in digests)
    if same:
        warnings.append(
            msg(
                "THE EVALUATION DATA OVERLAP THE TRAINING DATA: {files} are the files model {model} was trained on, "
                "so these figures flatter it; evaluate on a later school year",
                files=", ".join(exports.paths[table].name for table in same),
                model=loaded.name,
            )
        )
    shared = sorted(set(ts.as_of_dates()) & set(trained.as_of_dates))
    if shared and not same:
        warnings.append(
            msg(
                "the as-of date(s) {dates} are dates model {model} was trained on: if these are the same students, "
                "the figures flatter it; evaluate on a later school year",
                dates=", ".join(shared),
                model=loaded.name,
            )
        )
    return warnings


@one_blas_thread
def evaluate(
    exports: Exports,
    loaded: LoadedModel,
    *,
    capacity: int | None = None,
    n_boot: int = 500,
    seed: int = 0,
    progress: Progress | None = None,
    trained: TrainingResult | None = None,
) -> EvaluationResult:
    """An existing model on labelled data: metrics, baselines (fitted on a grouped split) and fairness. `trained`:
    the training of this model on these same exports in this run (`train --evaluate` on its own folder, with the same
    seed, bootstrap and capacity), whose rows, baselines and validation scores are then reused, not made again."""
    ts = (trained.rows if trained is not None else None) or training_set(
        exports, progress, loaded.card.training_data.follow_up_months or FOLLOW_UP_MONTHS
    )
    scores = predict(loaded.fitted, ts.features, ts.as_of)  # each row moved by its season, as a list is
    # The black box needs training data of its own: fit it on a grouped split of these data and compare all
    # three on that split's held-out part, so the comparison is on the same rows.
    train_idx, test_idx, how = split(ts, seed)
    if trained is not None:
        # the training measured the baselines on exactly these held-out rows with these draws
        draws = resamples(test_idx.size, n_boot, seed, ts.student_ids[test_idx])
        baselines = {k: v for k, v in trained.card.baselines.as_dict().items() if k != "comparison_rows"}
        base_scores = {"model": scores[test_idx], **{k: trained.test_scores[k] for k in baselines}}
    else:
        _, baselines, _, base_scores, draws = assess(
            ts,
            train_idx,
            test_idx,
            scores[test_idx],
            seed=seed,
            capacity=capacity,
            n_boot=n_boot,
            bands=loaded.fitted.bands,
        )
    model_metrics, audit, held_out = side_by_side(
        lambda: metrics(ts.labels, scores, capacity=capacity, n_boot=n_boot, seed=seed, groups=ts.student_ids),
        lambda: (
            fairness(ts.audit, ts.labels, scores, n_boot=n_boot, seed=seed, students=ts.student_ids)
            if len(ts.audit.columns)
            else {"columns": {}, "note": NO_AUDIT}
        ),
        lambda: metrics(ts.labels[test_idx], scores[test_idx], capacity=capacity, draws=draws),
    )
    # The price of transparency like for like: the transparent method (the card's settings) and the black box
    # both fitted on the same training part of these data, both measured on the same held-out rows.
    settings = loaded.card.parameters
    # Only ranks are compared (ROC AUC, the top 10%), which calibration does not change: no calibration fit. The
    # training's own validation fit is that fit (calibrated, which keeps its ranks).
    same_scores = (
        trained.test_scores["model"]
        if trained is not None
        else predict(
            fit_shape(
                settings.shape,
                ts.features.iloc[train_idx],
                ts.labels[train_idx],
                feature_names=loaded.fitted.features,
                c=settings.c,
                penalty=settings.penalty,
                class_weight=settings.class_weight,
                seed=seed,
                groups=ts.student_ids[train_idx],
                calibrate=False,
            ),
            ts.features.iloc[test_idx],
        )
    )
    penalty = msg(", penalty {penalty}", penalty=settings.penalty) if settings.penalty else ""
    price_interval = paired_difference(
        ts.labels[test_idx], same_scores, base_scores["gradient_boosting"], n_boot=n_boot, seed=seed, draws=draws
    )
    price = {key: figure["value"] for key, figure in price_interval.items()}
    overlap = training_overlap(exports, ts, loaded)
    for warning in overlap:
        (progress or (lambda _m: None))(msg("warning: {warning}", warning=warning))
    # The headline is the held-out rows, where the baselines are measured too; all rows come second.
    report = EvaluationReport.model_validate(
        with_phrases(
            {
                **{
                    k: held_out[k]
                    for k in (
                        "n_students",
                        "n_positive",
                        "roc_auc",
                        "pr_auc",
                        "brier",
                        "precision_at",
                        "recall_at",
                        "calibration",
                    )
                },
                "warnings": [*overlap, *held_out["warnings"]],
                "model": loaded.name,
                "demonstration": loaded.is_demonstration,
                "n_rows": len(ts.labels),
                "all_rows": model_metrics,
                "baselines": {
                    **baselines,
                    "comparison_rows": {"method": how, "rows": len(test_idx), "model_on_these_rows": held_out},
                },
                "price_of_transparency": price,
                "price_of_transparency_interval": price_interval,
                "like_for_like": msg(
                    "the transparent method ({features} features, {shape} shape, C={c}{penalty}) and the black box "
                    "fitted on the same {train_rows} rows and measured on the same {test_rows} held-out rows ({how})",
                    features=settings.feature_set,
                    shape=msg("additive") if settings.shape == "additive" else msg("linear"),
                    c=settings.c,
                    penalty=penalty,
                    train_rows=len(train_idx),
                    test_rows=len(test_idx),
                    how=how,
                ),
                "fairness": audit,
                "drift": drift(ts, loaded),
            }
        )
    )
    # The plots put all three on the same held-out rows.
    return EvaluationResult(report, ts.labels[test_idx], base_scores)
