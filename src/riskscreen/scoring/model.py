"""The transparent model: fit a sign-constrained, calibrated logistic regression; score either shape (linear or
additive, see `additive`); split scores into parts."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from riskscreen.errors import ModelError, msg
from riskscreen.scoring.additive import AdditiveParameters
from riskscreen.scoring.season import SEASON_OF_MONTH
from riskscreen.signals.feature_table import LEVEL_COLUMNS
from riskscreen.signals.features import FEATURE_NAMES, SPEC

DEFAULT_FEATURES: tuple[str, ...] = FEATURE_NAMES
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "standard": FEATURE_NAMES,
    "with-level": FEATURE_NAMES + LEVEL_COLUMNS,
    "attendance": tuple(f.name for f in SPEC.values() if f.group == "attendance"),
    "no-roster": tuple(f.name for f in SPEC.values() if f.group != "roster"),
}
BAND_QUANTILES = {"high": 0.95, "elevated": 0.80}


def make_pipeline(c: float, class_weight: str | None, seed: int = 0) -> object:
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=c, class_weight=class_weight, max_iter=2000, random_state=seed)),
        ]
    )


def direction(feature: str) -> int:
    spec = SPEC.get(feature)
    return spec.direction if spec else 0


@dataclass(frozen=True)
class LinearParameters:
    """Everything a fitted pipeline computes with: scoring needs these numbers, not the pickled objects."""

    features: tuple[str, ...]
    medians: np.ndarray  # imputation of missing values
    means: np.ndarray  # the reference: a value at the mean contributes nothing
    scales: np.ndarray  # standard deviations (1 where a feature did not vary)
    coefficients: np.ndarray  # per standard deviation, calibration included
    intercept: float

    @classmethod
    def from_pipeline(cls, pipeline: Any, features: Sequence[str]) -> LinearParameters:
        return cls(
            tuple(features),
            np.asarray(pipeline["impute"].statistics_, dtype=float),
            np.asarray(pipeline["scale"].mean_, dtype=float),
            np.asarray(pipeline["scale"].scale_, dtype=float),
            np.asarray(pipeline["model"].coef_[0], dtype=float),
            float(pipeline["model"].intercept_[0]),
        )

    def as_dict(self) -> dict[str, object]:
        """Full precision (JSON floats round-trip exactly), for the card."""
        return {
            "features": list(self.features),
            "medians": self.medians.tolist(),
            "means": self.means.tolist(),
            "scales": self.scales.tolist(),
            "coefficients": self.coefficients.tolist(),
            "intercept": self.intercept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearParameters:
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("medians", "means", "scales", "coefficients")}
        params = cls(
            tuple(str(f) for f in data["features"]),
            intercept=float(data["intercept"]),
            **arrays,
        )
        if not all(a.shape == (len(params.features),) for a in arrays.values()):
            raise ModelError(msg("the card's scoring parameters do not match its features"))
        return params


@dataclass
class FittedModel:
    """A fitted, calibrated model: its numbers (linear or additive), and the scikit-learn estimator when it was
    just trained."""

    parameters: LinearParameters | AdditiveParameters
    bands: dict[str, float]
    dropped: list[str] = field(default_factory=list)
    calibration: tuple[float, float] = (1.0, 0.0)
    params: dict[str, object] = field(default_factory=dict)
    pipeline: object | None = None
    out_of_fold_auc: float | None = None  # of the calibration's cross-validation on the rows it was fitted on
    season_shifts: dict[str, float] = field(default_factory=dict)  # the constant's move per season (#24 item 2)

    @property
    def features(self) -> list[str]:
        return list(self.parameters.features)

    @property
    def kind(self) -> str:
        return "additive" if isinstance(self.parameters, AdditiveParameters) else "linear"

    @property
    def linear(self) -> LinearParameters:
        if not isinstance(self.parameters, LinearParameters):
            raise TypeError("an additive model has no coefficients")
        return self.parameters

    @property
    def coefficients(self) -> np.ndarray:
        return self.linear.coefficients

    @property
    def intercept(self) -> float:
        return self.parameters.intercept

    @property
    def reference(self) -> np.ndarray:
        """The training mean after imputation: where a linear feature contributes nothing."""
        return self.parameters.means

    @property
    def scale(self) -> np.ndarray:
        return self.linear.scales


def feature_matrix(features: pd.DataFrame, names: Sequence[str]) -> np.ndarray:
    missing = [n for n in names if n not in features.columns]
    if missing:
        raise ModelError(
            msg("the model needs features these data do not have: {join}", join=", ".join(missing)),
            hint=msg("use a model trained on the same feature set"),
        )
    return features.loc[:, list(names)].to_numpy(dtype=float)


def fit(
    features: pd.DataFrame,
    labels: np.ndarray,
    *,
    feature_names: Sequence[str] = DEFAULT_FEATURES,
    c: float = 1.0,
    class_weight: str | None = None,
    seed: int = 0,
    groups: np.ndarray | None = None,
    calibrate: bool = True,
) -> FittedModel:
    """Fit, dropping features whose coefficient has the wrong sign, then calibrate on out-of-fold logits (unless
    only ranks are wanted)."""
    y = np.asarray(labels, dtype=int)
    if y.min(initial=1) == y.max(initial=0):
        raise ModelError(
            msg("the outcomes hold only one class (no one left, or everyone did)"),
            hint=msg("training needs students who left and students who stayed"),
        )
    names = list(feature_names)
    dropped: list[str] = []
    while True:
        pipeline = make_pipeline(c, class_weight, seed)
        pipeline.fit(feature_matrix(features, names), y)  # type: ignore[attr-defined]
        coef = pipeline["model"].coef_[0]  # type: ignore[index]
        wrong = [(abs(w), n) for n, w in zip(names, coef, strict=True) if direction(n) * w < -1e-9]
        if not wrong or len(names) == 1:
            break
        # A feature that lowers risk where the research and the law say it raises it would make the model
        # reward, say, more truancy; it is dropped and the rest refitted (recorded in the card).
        worst = max(wrong)[1]
        names.remove(worst)
        dropped.append(worst)
    a, b, oof_auc = (
        platt_scaling(feature_matrix(features, names), y, make_pipeline(c, class_weight, seed), seed, groups)
        if calibrate
        else (1.0, 0.0, None)
    )
    model = pipeline["model"]  # type: ignore[index]
    model.coef_ = model.coef_ * a
    model.intercept_ = model.intercept_ * a + b
    fitted = FittedModel(
        LinearParameters.from_pipeline(pipeline, names),
        {},
        dropped,
        (a, b),
        {"C": c, "class_weight": class_weight, "seed": seed},
        pipeline,
        oof_auc,
    )
    probability = predict(fitted, features)
    fitted.bands = {band: float(np.quantile(probability, q)) for band, q in BAND_QUANTILES.items()}
    return fitted


LARGE_GROUPS = 10_000  # students; above this scikit-learn's StratifiedGroupKFold (a loop per student) takes minutes


def fold_count(y: np.ndarray, groups: np.ndarray | None = None) -> int:
    """Folds for cross-validation: 5, or 3 for a school board's tens of thousands of students (each fold still
    holds thousands, and three fits instead of five keep `train` near a plain script's time); never more than
    there are who left or who stayed."""
    positives = int(np.sum(y))
    many = groups is not None and np.unique(groups).size > LARGE_GROUPS
    return min(3 if many else 5, positives, len(y) - positives)


def grouped_folds(y: np.ndarray, groups: np.ndarray, folds: int, seed: int) -> Any:
    """Folds that keep a student's rows together and spread those who left evenly: scikit-learn's
    StratifiedGroupKFold for a school, and for a school board's tens of thousands of students the same idea in one
    pass (students shuffled, then dealt to the folds in turn, those who left and those who stayed apart)."""
    students, codes = np.unique(groups, return_inverse=True)
    if students.size <= LARGE_GROUPS:
        return StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
    left = np.zeros(students.size, dtype=int)
    np.maximum.at(left, codes, np.asarray(y, dtype=int))
    order = np.random.default_rng(seed).permutation(students.size)
    fold_of = np.empty(students.size, dtype=int)
    for outcome in (0, 1):
        members = order[left[order] == outcome]
        fold_of[members] = np.arange(members.size) % folds
    row_fold = fold_of[codes]
    return [(np.flatnonzero(row_fold != f), np.flatnonzero(row_fold == f)) for f in range(folds)]


def platt_scaling(
    x: np.ndarray, y: np.ndarray, estimator: object, seed: int, groups: np.ndarray | None
) -> tuple[float, float, float | None]:
    """Platt scaling of out-of-fold logits: logit' = a * logit + b, so contributions stay exact; with the
    out-of-fold ROC AUC, what the same fit scores on rows it did not see."""
    folds = fold_count(y, groups)
    if folds < 2:
        return 1.0, 0.0, None
    splitter = (
        grouped_folds(y, groups, folds, seed)
        if groups is not None
        else StratifiedKFold(folds, shuffle=True, random_state=seed)
    )
    oof = cross_val_predict(estimator, x, y, cv=splitter, groups=groups, method="decision_function")
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(oof.reshape(-1, 1), y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    auc = float(roc_auc_score(y, oof))
    return (a, b, auc) if a > 0 else (1.0, 0.0, auc)


def standardised(model: FittedModel, features: pd.DataFrame) -> np.ndarray:
    """Imputed, then centred on the training mean and divided by the training sd, as the pipeline does."""
    p = model.linear
    x = feature_matrix(features, p.features)
    x = np.where(np.isnan(x), p.medians[None, :], x)
    return (x - p.means[None, :]) / p.scales[None, :]


def logits(model: FittedModel, features: pd.DataFrame, as_of: np.ndarray | None = None) -> np.ndarray:
    """Each row's logit; with `as_of` (each row's date), moved by the model's shift for that date's season."""
    p = model.parameters
    if isinstance(p, AdditiveParameters):
        out = p.logits(feature_matrix(features, p.features))
    else:
        out = standardised(model, features) @ model.coefficients + model.intercept
    return out if as_of is None else out + season_offsets(model.season_shifts, as_of)


def season_offsets(shifts: dict[str, float], as_of: np.ndarray) -> np.ndarray:
    """Per row the shift of the season its date lies in (0 for a season without one, or a model without any)."""
    if not shifts:
        return np.zeros(len(as_of))
    by_month = np.array([shifts.get(SEASON_OF_MONTH[month], 0.0) for month in range(1, 13)])
    return by_month[pd.DatetimeIndex(np.asarray(as_of, dtype="datetime64[ns]")).month.to_numpy() - 1]


def recalibrated(
    model: FittedModel, features: pd.DataFrame, labels: np.ndarray, as_of: np.ndarray | None = None
) -> tuple[FittedModel, float]:
    """The model with its intercept moved so that its mean predicted chance on these rows equals their rate of
    leaving (calibration in the large). Contributions and the bands' chances are unchanged (a band is a fixed
    chance, training.bands): only the constant moves, and with it who is above a band. Returns the model and the
    shift in logits."""
    logit = logits(model, features, as_of)
    observed = float(np.mean(labels))
    if not 0 < observed < 1:
        return model, 0.0
    shift = float(brentq(lambda d: float(np.mean(1 / (1 + np.exp(-(logit + d))))) - observed, -20, 20))
    parameters = replace(model.parameters, intercept=model.parameters.intercept + shift)
    return replace(
        model,
        parameters=parameters,
        calibration=(model.calibration[0], model.calibration[1] + shift),
        pipeline=_estimator_moved(model.pipeline, parameters, shift),
    ), shift


def _estimator_moved(estimator: object, parameters: LinearParameters | AdditiveParameters, shift: float) -> object:
    """A copy of the scikit-learn estimator (model.pkl, for analysts) that scores as the moved numbers do."""
    if estimator is None:
        return None
    moved = copy.deepcopy(estimator)
    if isinstance(parameters, AdditiveParameters):
        moved.parameters_ = parameters  # type: ignore[attr-defined]
    else:
        moved["model"].intercept_ = moved["model"].intercept_ + shift  # type: ignore[index]
    return moved


def predict(model: FittedModel, features: pd.DataFrame, as_of: np.ndarray | None = None) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits(model, features, as_of)))


def contributions(model: FittedModel, features: pd.DataFrame) -> pd.DataFrame:
    """Each feature's part of each student's logit: coefficient times standardised value (0 at the mean), or the
    feature's shape at the value minus its training mean."""
    p = model.parameters
    if isinstance(p, AdditiveParameters):
        parts = p.contributions(feature_matrix(features, p.features))
    else:
        parts = standardised(model, features) * model.coefficients[None, :]
    return pd.DataFrame(parts, index=features.index, columns=model.features)


def band_of(probability: np.ndarray, bands: dict[str, float]) -> np.ndarray:
    return np.where(probability >= bands["high"], "high", np.where(probability >= bands["elevated"], "elevated", "low"))
