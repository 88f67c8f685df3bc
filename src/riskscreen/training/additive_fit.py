"""Fitting the bent transparent model: monotone piecewise-linear shapes per feature, one penalised logistic fit.

scikit-learn's SplineTransformer gives B-spline bases, but a monotone shape needs weights that are all of one
sign on a basis of rising functions, and scikit-learn's LogisticRegression takes no bounds: the ramps (the
tail sums of degree-1 B-splines) are built here and the penalised log-loss is minimised with scipy's L-BFGS-B
under those bounds. The estimator follows scikit-learn's API, so its cross-validation and pickling apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin

from riskscreen.errors import ModelError, msg
from riskscreen.scoring.additive import AdditiveParameters, ramps
from riskscreen.scoring.model import BAND_QUANTILES, FittedModel, direction, feature_matrix, platt_scaling, predict

if TYPE_CHECKING:
    from riskscreen.scoring.model import FittedModel

# Knots at these quantiles of a feature's training values: the tail is where counts of absence and fails say
# most (the statutory 16 hours lie far above the median), so it gets knots of its own.
KNOT_QUANTILES = (0.0, 0.25, 0.5, 0.75, 0.9, 0.97, 1.0)
PENALTY_GRID = (1.0, 10.0, 100.0)


def knots_of(values: np.ndarray) -> np.ndarray:
    """Distinct quantiles of the known values; a feature with one value gets a unit interval (a flat shape)."""
    known = values[~np.isnan(values)]
    if known.size == 0:
        return np.array([0.0, 1.0])
    knots = np.unique(np.quantile(known, KNOT_QUANTILES))
    return knots if knots.size >= 2 else np.array([knots[0], knots[0] + 1.0])


class AdditiveClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on per-feature ramps, each feature's weights bounded to its direction (+1 rises with
    risk, -1 falls), with an L2 penalty on the weights (larger `penalty` = flatter shapes)."""

    def __init__(
        self,
        directions: tuple[int, ...] = (),
        penalty: float = 3.0,
        class_weight: str | None = None,
        feature_names: tuple[str, ...] = (),
    ) -> None:
        self.directions = directions
        self.penalty = penalty
        self.class_weight = class_weight
        self.feature_names = feature_names

    def fit(self, x: np.ndarray, y: np.ndarray) -> AdditiveClassifier:
        problem = _Problem(np.asarray(x, dtype=float), np.asarray(y, dtype=int), self.directions, self.class_weight)
        self.parameters_ = problem.parameters(problem.solve(self.penalty), self._names(problem.x))
        self.classes_ = np.array([0, 1])
        return self

    def fit_path(self, x: np.ndarray, y: np.ndarray, penalties: Sequence[float]) -> dict[float, AdditiveParameters]:
        """The fit at each penalty, from the flattest down, each starting where the last ended: the ramps are
        built once, and a warm start needs a fraction of the steps (cross-validating the penalty grid)."""
        problem = _Problem(np.asarray(x, dtype=float), np.asarray(y, dtype=int), self.directions, self.class_weight)
        out: dict[float, AdditiveParameters] = {}
        w: np.ndarray | None = None
        for penalty in sorted(penalties, reverse=True):
            w = problem.solve(penalty, w)
            out[penalty] = problem.parameters(w, self._names(problem.x))
        return out

    def _names(self, x: np.ndarray) -> tuple[str, ...]:
        return tuple(self.feature_names) or tuple(str(j) for j in range(x.shape[1]))

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        return self.parameters_.logits(np.asarray(x, dtype=float))

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-self.decision_function(x)))
        return np.column_stack([1 - p, p])

    def predict(self, x: np.ndarray) -> np.ndarray:
        return (self.decision_function(x) > 0).astype(int)


class _Problem:
    """One penalised, bounded logistic fit on the ramps of these rows, solvable at any penalty."""

    def __init__(self, x: np.ndarray, y: np.ndarray, directions: tuple[int, ...], class_weight: str | None) -> None:
        self.x, self.y = x, y
        self.medians = np.nanmedian(np.where(np.isnan(x).all(axis=0)[None, :], 0.0, x), axis=0)
        self.filled = np.where(np.isnan(x), self.medians[None, :], x)
        self.knots = tuple(knots_of(x[:, j]) for j in range(x.shape[1]))
        self.blocks = [ramps(self.filled[:, j], k) for j, k in enumerate(self.knots)]
        self.sizes = [b.shape[1] for b in self.blocks]
        self.directions = np.repeat(np.asarray(directions or (1,) * x.shape[1], dtype=float), self.sizes)
        self.signs = np.where(self.directions == 0, 1.0, self.directions)  # 0: no direction known (a level)
        self.design = np.hstack(self.blocks) * self.signs[None, :]  # every weight >= 0 keeps a shape monotone
        self.weight = np.ones(len(y))
        if class_weight == "balanced":
            counts = np.bincount(y, minlength=2)
            self.weight = len(y) / (2.0 * counts[y])

    def solve(self, penalty: float, start: np.ndarray | None = None) -> np.ndarray:
        design, weight, y = self.design, self.weight, self.y
        total = weight.sum()

        def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
            z = w[0] + design @ w[1:]
            residual = weight * (1.0 / (1.0 + np.exp(-z)) - y)
            value = float(np.sum(weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * penalty * w[1:] @ w[1:])
            gradient = np.concatenate([[residual.sum()], design.T @ residual + penalty * w[1:]])
            return value / total, gradient / total

        if start is None:
            start = np.zeros(design.shape[1] + 1)
            start[0] = np.log(max(y.mean(), 1e-6) / max(1 - y.mean(), 1e-6))
        found = minimize(
            loss,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=[(None, None)] + [(0.0, None) if d else (None, None) for d in self.directions],
            options={"maxiter": 2000},
        )
        return np.asarray(found.x)

    def parameters(self, w: np.ndarray, names: tuple[str, ...]) -> AdditiveParameters:
        slopes = tuple(np.split(w[1:] * self.signs, np.cumsum(self.sizes)[:-1]))
        shapes = (
            np.column_stack([b @ s for b, s in zip(self.blocks, slopes, strict=True)])
            if self.blocks
            else np.zeros((len(self.y), 0))
        )
        offsets = shapes.mean(axis=0)
        return AdditiveParameters(
            names, self.medians, self.filled.mean(axis=0), self.knots, slopes, offsets, float(w[0] + offsets.sum())
        )


def fit_additive(
    features: pd.DataFrame,
    labels: np.ndarray,
    *,
    feature_names: Sequence[str],
    penalty: float,
    class_weight: str | None = None,
    seed: int = 0,
    groups: np.ndarray | None = None,
    calibrate: bool = True,
) -> FittedModel:
    """The additive model on these rows, calibrated on out-of-fold logits as the linear one, with its bands."""
    y = np.asarray(labels, dtype=int)
    if y.min(initial=1) == y.max(initial=0):
        raise ModelError(
            msg("the outcomes hold only one class (no one left, or everyone did)"),
            hint=msg("training needs students who left and students who stayed"),
        )
    names = tuple(feature_names)
    estimator = AdditiveClassifier(tuple(direction(n) for n in names), penalty, class_weight, names)
    x = feature_matrix(features, names)
    estimator.fit(x, y)
    a, b, oof_auc = platt_scaling(x, y, estimator, seed, groups) if calibrate else (1.0, 0.0, None)
    estimator.parameters_ = estimator.parameters_.scaled(a, b)
    fitted = FittedModel(
        estimator.parameters_,
        {},
        [],
        (a, b),
        {"penalty": penalty, "class_weight": class_weight, "seed": seed},
        estimator,
        oof_auc,
    )
    probability = predict(fitted, features)
    fitted.bands = {band: float(np.quantile(probability, q)) for band, q in BAND_QUANTILES.items()}
    return fitted
