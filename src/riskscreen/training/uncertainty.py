"""The model's own uncertainty, for `explain`: the final fit repeated on bootstrap samples of the students.

A chance of 16% from a model fitted on a few hundred leavers is not known to the percent. Refitting the same model
(same features, C and standardisation) on students drawn with replacement, and calibrating each refit as the final
model is, gives a set of models; the spread of one student's chance over them is the interval `explain` shows.
Only the linear shape is refitted here (the additive one would need its shapes stored per refit): an additive card
carries no interval, and `explain` says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from riskscreen.scoring.model import FittedModel, standardised

FIT_SAMPLES = 100  # refits; the 2.5th and 97.5th percentiles of 100 chances are stable to about a percent point


def bootstrap_fits(
    fitted: FittedModel,
    features: pd.DataFrame,
    labels: np.ndarray,
    students: np.ndarray,
    *,
    c: float,
    class_weight: str | None,
    seed: int,
    samples: int = FIT_SAMPLES,
) -> dict[str, Any] | None:
    """Coefficients (per sd, calibrated as the final model) and intercepts of `samples` refits on students drawn
    with replacement (all rows of a drawn student, as many times as drawn); None for an additive model."""
    if fitted.kind != "linear":
        return None
    x = standardised(fitted, features)
    y = np.asarray(labels, dtype=int)
    _, codes = np.unique(np.asarray(students).astype(str), return_inverse=True)
    rng = np.random.default_rng(seed)
    a, b = fitted.calibration
    coefficients, intercepts = [], []
    # each refit starts from the last one's solution, near its own: a few iterations instead of a fit from zero
    model = LogisticRegression(
        C=c, class_weight=class_weight, solver="newton-cholesky", max_iter=200, warm_start=True
    ).fit(x, y)
    for _ in range(samples):
        drawn = np.bincount(rng.integers(0, codes.max() + 1, size=codes.max() + 1), minlength=codes.max() + 1)
        weight = drawn[codes].astype(float)
        kept = weight > 0  # a row drawn no time weighs nothing: left out, the fit is the same and a third faster
        if len(np.unique(y[kept])) < 2:
            continue  # a draw without a leaver cannot be fitted; with hundreds of leavers it does not happen
        model.fit(x[kept], y[kept], sample_weight=weight[kept])
        coefficients.append([round(float(w), 6) for w in model.coef_[0] * a])
        intercepts.append(round(float(model.intercept_[0] * a + b), 6))
    return {
        "method": "bootstrap_of_the_fit",
        "samples": len(intercepts),
        "coefficients": coefficients,
        "intercepts": intercepts,
    }
