"""The model's shape, linear or additive, chosen by grouped cross-validation on the training rows, and fitted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score

from riskscreen.errors import UsageError, msg
from riskscreen.scoring.model import FittedModel, fit, fold_count, grouped_folds, make_pipeline
from riskscreen.training.additive_fit import PENALTY_GRID, AdditiveClassifier, fit_additive
from riskscreen.training.resampling import side_by_side

SHAPES = ("auto", "linear", "additive")
# The bent shape is kept only when it validates clearly better: a reader's linear card is simpler to follow.
SHAPE_MARGIN = 0.005


def fit_shape(
    shape: str,
    features: pd.DataFrame,
    labels: np.ndarray,
    *,
    feature_names: Sequence[str],
    c: float,
    penalty: float | None,
    class_weight: str | None,
    seed: int,
    groups: np.ndarray | None,
    calibrate: bool = True,
) -> FittedModel:
    """A fitted model of the given shape ("linear" or "additive") with its settings."""
    if shape == "additive":
        return fit_additive(
            features,
            labels,
            feature_names=feature_names,
            penalty=penalty if penalty is not None else PENALTY_GRID[1],
            class_weight=class_weight,
            seed=seed,
            groups=groups,
            calibrate=calibrate,
        )
    return fit(
        features,
        labels,
        feature_names=feature_names,
        c=c,
        class_weight=class_weight,
        seed=seed,
        groups=groups,
        calibrate=calibrate,
    )


def choose_shape(
    shape: str,
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    *,
    directions: tuple[int, ...],
    names: tuple[str, ...],
    c: float,
    class_weight: str | None,
    seed: int,
    linear_auc: float | None = None,
) -> dict[str, Any]:
    """The shape and its penalty: both shapes' mean grouped cross-validated ROC AUC on the training rows (the
    additive one at each penalty of the grid), the additive shape chosen under "auto" only when it is better by
    more than SHAPE_MARGIN. `linear_auc`: the linear shape's figure when choosing C measured it on the same folds
    already. The record goes into the card as it is."""
    if shape not in SHAPES:
        raise UsageError(
            msg("unknown model shape '{shape}'", shape=shape), hint=msg("choose from {join}", join=", ".join(SHAPES))
        )
    if shape == "linear":
        return {"chosen": "linear", "method": "given (--shape linear)"}
    folds = fold_count(y, groups)
    if folds < 2:
        return {
            "chosen": "linear" if shape == "auto" else shape,
            "penalty": PENALTY_GRID[1],
            "method": "too few who left to cross-validate; the given or simpler shape",
        }
    splitter = grouped_folds(y, groups, folds, seed)
    pairs = list(splitter.split(x, y, groups) if hasattr(splitter, "split") else splitter)

    def fold_aucs(train: np.ndarray, test: np.ndarray) -> Callable[[], dict[float, float]]:
        def run() -> dict[float, float]:  # the penalty grid as one warm-started path per fold
            path = AdditiveClassifier(directions, 0.0, class_weight, names).fit_path(x[train], y[train], PENALTY_GRID)
            return {p: float(roc_auc_score(y[test], parameters.logits(x[test]))) for p, parameters in path.items()}

        return run

    by_penalty: dict[float, list[float]] = {p: [] for p in PENALTY_GRID}
    for aucs in side_by_side(*(fold_aucs(train, test) for train, test in pairs)):  # two folds at a time
        for p, auc in aucs.items():
            by_penalty[p].append(auc)
    additive = {p: round(float(np.mean(v)), 4) for p, v in by_penalty.items()}
    penalty = max(additive, key=lambda p: (additive[p], p))
    linear = (
        linear_auc
        if linear_auc is not None
        else round(
            float(np.mean(cross_val_score(make_pipeline(c, class_weight, seed), x, y, cv=pairs, scoring="roc_auc"))), 4
        )
    )
    better = additive[penalty] > linear + SHAPE_MARGIN
    chosen = shape if shape != "auto" else ("additive" if better else "linear")
    return {
        "chosen": chosen,
        "penalty": penalty,
        "method": f"{folds}-fold grouped cross-validation on the training rows, mean ROC AUC; "
        f"additive chosen under auto only when better by more than {SHAPE_MARGIN}",
        "linear_auc": linear,
        "additive_auc": additive[penalty],
        "additive_auc_by_penalty": {str(p): v for p, v in additive.items()},
    }
