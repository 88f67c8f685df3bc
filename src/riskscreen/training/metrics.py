"""Honest numbers: metrics with bootstrap intervals, top-k, calibration and baselines (fairness: its own module)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score
from threadpoolctl import threadpool_limits

from riskscreen.errors import msg
from riskscreen.signals.features import FEATURE_NAMES
from riskscreen.training.resampling import Chunk, resampled, resamples

P = ParamSpec("P")
R = TypeVar("R")

TOP_FRACTIONS = (0.05, 0.10, 0.20)
FAIRNESS_FRACTION = 0.10
FAIR_RANGE = (0.8, 1.25)
WIDE_INTERVAL = 0.25
SMALL_DATA_ROWS = 50_000


def frac_key(fraction: float) -> str:
    return f"{round(fraction * 100)}%"


def top_k_mask(score: np.ndarray, k: int) -> np.ndarray:
    """The k highest scores (ties broken by position, which is fixed for a given input order)."""
    order = np.argsort(-score, kind="stable")
    mask = np.zeros(score.size, dtype=bool)
    mask[order[: max(min(k, score.size), 0)]] = True
    return mask


def top_count(n: int, fraction: float) -> int:
    return max(1, math.ceil(fraction * n))


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    return float(roc_auc_score(y, p)) if 0 < y.sum() < y.size else float("nan")


def _pr_auc(y: np.ndarray, p: np.ndarray) -> float:
    return float(average_precision_score(y, p)) if y.sum() > 0 else float("nan")


def _brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def _summary(value: float, samples: np.ndarray) -> dict[str, float | None]:
    samples = samples[~np.isnan(samples)]
    low, high = np.quantile(samples, [0.025, 0.975]) if samples.size else (np.nan, np.nan)
    return {"value": _clean(value), "low": _clean(low), "high": _clean(high)}


def _clean(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def _topk_stats(y: np.ndarray, score: np.ndarray, k: int) -> tuple[float, float]:
    mask = top_k_mask(score, k)
    hits = float(y[mask].sum())
    positives = float(y.sum())
    return hits / k, (hits / positives if positives else float("nan"))


def metrics(
    y: np.ndarray,
    score: np.ndarray,
    *,
    capacity: int | None = None,
    n_boot: int = 500,
    seed: int = 0,
    probabilities: bool = True,
    groups: np.ndarray | None = None,
    draws: list[Chunk] | None = None,
) -> dict[str, Any]:
    """ROC AUC, PR AUC, Brier, calibration and precision/recall in the top k, each with a 95% interval. With
    `groups` (the student of each row) where a student has several rows, the bootstrap resamples students with
    all their rows: rows of one student are not independent, and resampling them alone narrows the interval.
    `draws`: the resamples() of these rows, when several models are measured on them."""
    y = np.asarray(y, dtype=int)
    score = np.asarray(score, dtype=float)
    chunks = draws if draws is not None else resamples(y.size, n_boot, seed, groups)
    ks = {frac_key(f): top_count(y.size, f) for f in TOP_FRACTIONS}
    if capacity:
        ks[str(capacity)] = min(capacity, y.size)
    samples = resampled(y, score, chunks, list(ks.values()))
    # the figures themselves: the same pass over the data as they are (every row once), not scikit-learn's
    # validated path, which took longer than the 500 resamples at a school board's size
    whole = (
        resampled(y, score, [(np.ones((1, y.size), dtype=np.int64), None)], [])
        if y.size
        else {"auc": np.array([np.nan]), "ap": np.array([np.nan])}
    )
    out: dict[str, Any] = {"n_students": int(y.size), "n_positive": int(y.sum())}
    out["roc_auc"] = _summary(float(whole["auc"][0]), samples["auc"])
    out["pr_auc"] = _summary(float(whole["ap"][0]), samples["ap"])
    out["brier"] = _summary(_brier(y, score), samples["brier"]) if probabilities else None
    out["precision_at"], out["recall_at"] = {}, {}
    for key, k in ks.items():
        precision, recall = _topk_stats(y, score, k)
        out["precision_at"][key] = {**_summary(precision, samples[f"precision@{k}"]), "k": k}
        out["recall_at"][key] = {**_summary(recall, samples[f"recall@{k}"]), "k": k}
    return _finish(out, y, score, probabilities)


def _finish(out: dict[str, Any], y: np.ndarray, score: np.ndarray, probabilities: bool) -> dict[str, Any]:
    out["calibration"] = calibration_deciles(y, score) if probabilities else []
    warnings = []
    auc = out["roc_auc"]
    if auc["low"] is None or auc["high"] is None or auc["high"] - auc["low"] > WIDE_INTERVAL:
        warnings.append(
            msg(
                "with {positives} positives among {students} students the ROC AUC interval is too wide to mean "
                "much; read the figures as rough indications",
                positives=out["n_positive"],
                students=out["n_students"],
            )
        )
    if out["n_positive"] < 10:
        warnings.append(
            msg("only {positives} students left: every metric is very uncertain", positives=out["n_positive"])
        )
    out["warnings"] = warnings
    return out


def calibration_deciles(y: np.ndarray, p: np.ndarray) -> list[dict[str, Any]]:
    """Mean predicted against observed rate in ten groups of equal size, by predicted probability."""
    if y.size == 0:
        return []
    order = np.argsort(p, kind="stable")
    out = []
    for i, chunk in enumerate(np.array_split(order, min(10, y.size))):
        if chunk.size == 0:
            continue
        out.append(
            {
                "decile": i + 1,
                "n": int(chunk.size),
                "mean_predicted": round(float(p[chunk].mean()), 4),
                "observed": round(float(y[chunk].mean()), 4),
            }
        )
    return out


def rule_score(features: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """The ABC early-warning indicators as published (Balfanz, Herzog & Mac Iver 2007, Educational Psychologist
    42(4)), counted: Attendance below 90% (absence over a tenth of the lesson hours, last 12 lesson weeks),
    Behaviour (a removal from class, last 12 lesson weeks), Course performance (a fail in a core subject).

    Ties (many students share a count) are broken by a fixed random order, so no feature leaks in.
    """
    count = (
        (features["absence_rate_12w"] > 0.10).astype(int)
        + (features["removed_12w"].fillna(0) >= 1).astype(int)
        + (features["core_fails_12w"] >= 1).astype(int)
    ).to_numpy(dtype=float)
    return count + _tie_breaker(count.size, seed)


def unauthorised_score(features: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """What many schools do without a model: rank by unauthorised hours in the last 12 lesson weeks."""
    hours = features["unauthorised_hours_12w"].fillna(0).to_numpy(dtype=float)
    return hours + _tie_breaker(hours.size, seed)


def _tie_breaker(size: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random(size) * 1e-3


def black_box(
    train_x: pd.DataFrame,
    train_y: np.ndarray,
    test_x: pd.DataFrame,
    seed: int = 0,
    feature_names: Sequence[str] = FEATURE_NAMES,
) -> np.ndarray:
    # Tuned fairly: boosting stops when a tenth of the training rows set aside stops improving, rather than
    # running 200 rounds on a few hundred rows (with too few who left to set any aside, 100 rounds).
    enough = int(np.sum(train_y)) >= 20 and len(train_y) >= 200
    model = HistGradientBoostingClassifier(
        random_state=seed,
        max_iter=500 if enough else 100,
        learning_rate=0.05,
        early_stopping=enough,
        validation_fraction=0.1,
        n_iter_no_change=20,
    )
    # Columns without any value (no roster, say) carry nothing and make the binning fail: leave them out.
    usable = [f for f in feature_names if train_x[f].notna().any()]
    # On a school's history (thousands of rows) OpenMP threads cost more than they gain, and on a busy
    # two-core machine far more: one thread below SMALL_DATA_ROWS.
    with threadpool_limits(limits=1 if len(train_x) < SMALL_DATA_ROWS else None, user_api="openmp"):
        model.fit(train_x.loc[:, usable].to_numpy(dtype=float), train_y)
        return np.asarray(model.predict_proba(test_x.loc[:, usable].to_numpy(dtype=float))[:, 1])


def compare(model_metrics: dict[str, Any], baselines: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The price of transparency: what the transparent model gives up (negative) or gains against the black box."""
    bb = baselines.get("gradient_boosting")
    if not bb:
        return {}

    def val(m: dict[str, Any], *path: str) -> float | None:
        node: Any = m
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, int | float) else None

    out: dict[str, Any] = {}
    for name, path in (("roc_auc", ("roc_auc", "value")), ("precision_at_10%", ("precision_at", "10%", "value"))):
        a, b = val(model_metrics, *path), val(bb, *path)
        out[name] = None if a is None or b is None else round(a - b, 4)
    return out


def paired_difference(
    y: np.ndarray,
    model: np.ndarray,
    black_box_scores: np.ndarray,
    *,
    n_boot: int,
    seed: int,
    groups: np.ndarray | None = None,
    draws: list[Chunk] | None = None,
) -> dict[str, dict[str, float | None]]:
    """The transparent model minus the black box on the same rows, with an interval from the same resamples
    for both (a paired bootstrap; students with all their rows where they have several): ROC AUC and precision in
    the top 10%."""
    y = np.asarray(y, dtype=int)
    k = top_count(y.size, 0.10)
    chunks = draws if draws is not None else resamples(y.size, n_boot, seed, groups)
    ours, theirs = resampled(y, model, chunks, [k]), resampled(y, black_box_scores, chunks, [k])
    return {
        "roc_auc": _summary(_auc(y, model) - _auc(y, black_box_scores), ours["auc"] - theirs["auc"]),
        "precision_at_10%": _summary(
            _topk_stats(y, model, k)[0] - _topk_stats(y, black_box_scores, k)[0],
            ours[f"precision@{k}"] - theirs[f"precision@{k}"],
        ),
    }


def rounded(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def one_blas_thread(func: Callable[P, R]) -> Callable[P, R]:
    """Run with one BLAS thread: training and evaluation multiply tall, thin matrices (memory-bound) and take
    L-BFGS's many small steps, where more threads only wait on each other; on a busy two-core machine they
    doubled `train` at 30,000 students (benchmarks/analyst.py)."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return run
