"""The model card's table of features: per feature its numbers as a reader checks them (coefficients and odds
ratios per sd and per unit, scorecard points; or an additive feature's shape), with its reference and sd."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from riskscreen.scoring.additive import AdditiveParameters
from riskscreen.scoring.model import FittedModel, feature_matrix
from riskscreen.signals.features import SPEC


def feature_rows(fitted: FittedModel, features: pd.DataFrame) -> list[dict[str, Any]]:
    p = fitted.parameters
    if isinstance(p, AdditiveParameters):
        # the sd of the training values as the model saw them (missing as the median): drift is measured in it
        sds = p.imputed(feature_matrix(features, p.features)).std(axis=0)
        return [
            {
                "name": name,
                "description": SPEC[name].description if name in SPEC else name,
                "unit": SPEC[name].unit if name in SPEC else "",
                "shape": [{"value": round(v, 4), "contribution": round(c, 4)} for v, c in p.shape_points(j)],
                "reference": round(float(p.means[j]), 4),
                "sd": round(float(sds[j]), 4),
            }
            for j, name in enumerate(p.features)
        ]
    rows = []
    coef = dict(zip(fitted.features, fitted.coefficients, strict=True))
    scale = dict(zip(fitted.features, fitted.scale, strict=True))
    reference = dict(zip(fitted.features, fitted.reference, strict=True))
    for name in fitted.features:
        per_sd = float(coef[name])
        per_unit = per_sd / scale[name] if scale[name] else 0.0
        rows.append(
            {
                "name": name,
                "description": SPEC[name].description if name in SPEC else name,
                "unit": SPEC[name].unit if name in SPEC else "",
                "coefficient_per_sd": round(per_sd, 6),
                "odds_ratio_per_sd": round(float(np.exp(per_sd)), 4),
                "coefficient_per_unit": round(per_unit, 6),
                "odds_ratio_per_unit": round(float(np.exp(per_unit)), 4),
                # points: logit x 20 / ln 2, the scorecard convention (20 points double the odds)
                "points_per_unit": round(per_unit * 20 / np.log(2), 3),
                "reference": round(float(reference[name]), 4),
                "sd": round(float(scale[name]), 4),
            }
        )
    return rows
