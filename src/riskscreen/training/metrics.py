"""Honest numbers: metrics with bootstrap intervals, top-k, calibration, baselines and a fairness audit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from riskscreen.signals.features import FEATURE_NAMES

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


def _k(n: int, fraction: float) -> int:
    return max(1, math.ceil(fraction * n))


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p)) if 0 < y.sum() < y.size else float("nan")


def _pr_auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, p)) if y.sum() > 0 else float("nan")


def _brier(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def _interval(stat: Any, y: np.ndarray, p: np.ndarray, boots: np.ndarray) -> dict[str, float | None]:
    """A statistic with its bootstrap interval, computed resample by resample (for the statistics that have
    no array form here, such as average precision)."""
    samples = np.array([stat(y[idx], p[idx]) for idx in boots])
    return _summary(stat(y, p), samples)


def _summary(value: float, samples: np.ndarray) -> dict[str, float | None]:
    samples = samples[~np.isnan(samples)]
    low, high = (np.quantile(samples, [0.025, 0.975]) if samples.size else (np.nan, np.nan))
    return {"value": _clean(value), "low": _clean(low), "high": _clean(high)}


BOOT_CELLS = 4_000_000  # resampled values held at once: bounds memory at about 100 MB whatever the size


def _chunks(boots: np.ndarray) -> list[np.ndarray]:
    rows = max(1, BOOT_CELLS // max(boots.shape[1], 1))
    return [boots[i:i + rows] for i in range(0, boots.shape[0], rows)]


def _auc_samples(y: np.ndarray, p: np.ndarray, boots: np.ndarray) -> np.ndarray:
    """The ROC AUC of every resample of row indices at once (as counts per original row)."""
    counts = []
    for chunk in _chunks(boots):
        b, n = chunk.shape
        counts.append(np.bincount((chunk + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n).reshape(b, n))
    return _auc_counts(y, p, counts)


def _auc_counts(y: np.ndarray, p: np.ndarray, chunks: list[np.ndarray]) -> np.ndarray:
    """The ROC AUC of every resample at once: a resample is a count per original row, and the AUC is the
    chance that a positive outranks a negative (ties count half), summed over the distinct scores."""
    order = np.argsort(p, kind="stable")
    sorted_p, sorted_y = p[order], y[order]
    starts = np.flatnonzero(np.r_[True, np.diff(sorted_p) != 0])
    out = []
    for counts in chunks:
        weights = counts[:, order].astype(float)
        pos = np.add.reduceat(weights * sorted_y, starts, axis=1)
        neg = np.add.reduceat(weights * (1 - sorted_y), starts, axis=1)
        below = np.cumsum(neg, axis=1) - neg
        n_pos, n_neg = pos.sum(axis=1), neg.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out.append(np.where((n_pos > 0) & (n_neg > 0), (pos * (below + 0.5 * neg)).sum(axis=1) / (n_pos * n_neg),
                                np.nan))
    return np.concatenate(out) if out else np.zeros(0)


def _topk_samples(y: np.ndarray, p: np.ndarray, boots: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall in the top k of every resample at once (ties by position, as top_k_mask)."""
    precision, recall = [], []
    for chunk in _chunks(boots):
        resampled_y = y[chunk]
        order = np.argsort(-p[chunk], axis=1, kind="stable")[:, :k]
        hits = np.take_along_axis(resampled_y, order, axis=1).sum(axis=1).astype(float)
        positives = resampled_y.sum(axis=1).astype(float)
        precision.append(hits / k)
        with np.errstate(invalid="ignore", divide="ignore"):
            recall.append(np.where(positives > 0, hits / np.where(positives > 0, positives, 1), np.nan))
    return (np.concatenate(precision), np.concatenate(recall)) if precision else (np.zeros(0), np.zeros(0))


def _brier_samples(y: np.ndarray, p: np.ndarray, boots: np.ndarray) -> np.ndarray:
    return np.concatenate([((p[c] - y[c]) ** 2).mean(axis=1) for c in _chunks(boots)]) if len(boots) else np.zeros(0)


def _clustered(groups: np.ndarray | None) -> bool:
    """Whether rows share a student (then students are resampled, not rows)."""
    return groups is not None and len(groups) > 0 and len(np.unique(np.asarray(groups))) < len(groups)


def _cluster_counts(groups: np.ndarray, n_boot: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Resamples of students: per resample and row, how often the row's student was drawn (in chunks)."""
    uniques, codes = np.unique(groups, return_inverse=True)
    drawn = rng.multinomial(uniques.size, np.full(uniques.size, 1 / uniques.size), size=n_boot)
    rows = max(1, BOOT_CELLS // max(groups.size, 1))
    return [drawn[i:i + rows][:, codes] for i in range(0, n_boot, rows)]


def _topk_counts(y: np.ndarray, p: np.ndarray, chunks: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall in the top k of resamples given as counts per row (ties by position)."""
    order = np.argsort(-p, kind="stable")
    precision, recall = [], []
    for counts in chunks:
        weights = counts[:, order]
        before = np.cumsum(weights, axis=1) - weights
        taken = np.clip(k - before, 0, weights)
        hits = (taken * y[order]).sum(axis=1).astype(float)
        positives = (counts * y).sum(axis=1).astype(float)
        precision.append(hits / k)
        with np.errstate(invalid="ignore", divide="ignore"):
            recall.append(np.where(positives > 0, hits / np.where(positives > 0, positives, 1), np.nan))
    return (np.concatenate(precision), np.concatenate(recall)) if precision else (np.zeros(0), np.zeros(0))


def _clustered_metrics(y: np.ndarray, score: np.ndarray, groups: np.ndarray, *, capacity: int | None,
                       n_boot: int, rng: np.random.Generator, probabilities: bool) -> dict[str, Any]:
    """metrics() with students resampled: the same figures, intervals from resamples of whole students."""
    chunks = _cluster_counts(groups, n_boot, rng)
    out: dict[str, Any] = {"n_students": int(y.size), "n_positive": int(y.sum())}
    out["roc_auc"] = _summary(_auc(y, score), _auc_counts(y, score, chunks))
    rows = np.arange(y.size)
    pr = [_pr_auc(y[i], score[i]) for i in (np.repeat(rows, c) for chunk in chunks for c in chunk)]
    out["pr_auc"] = _summary(_pr_auc(y, score), np.array(pr))
    out["brier"] = _summary(_brier(y, score), np.concatenate(
        [(c * (score - y) ** 2).sum(axis=1) / c.sum(axis=1) for c in chunks])) if probabilities else None
    ks = {frac_key(f): _k(y.size, f) for f in TOP_FRACTIONS}
    if capacity:
        ks[str(capacity)] = min(capacity, y.size)
    out["precision_at"], out["recall_at"] = {}, {}
    for key, k in ks.items():
        precision, recall = _topk_stats(y, score, k)
        precision_samples, recall_samples = _topk_counts(y, score, chunks, k)
        out["precision_at"][key] = {**_summary(precision, precision_samples), "k": k}
        out["recall_at"][key] = {**_summary(recall, recall_samples), "k": k}
    return _finish(out, y, score, probabilities)


def _clean(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def _topk_stats(y: np.ndarray, score: np.ndarray, k: int) -> tuple[float, float]:
    mask = top_k_mask(score, k)
    hits = float(y[mask].sum())
    positives = float(y.sum())
    return hits / k, (hits / positives if positives else float("nan"))


def metrics(y: np.ndarray, score: np.ndarray, *, capacity: int | None = None, n_boot: int = 500,
            seed: int = 0, probabilities: bool = True, groups: np.ndarray | None = None) -> dict[str, Any]:
    """ROC AUC, PR AUC, Brier, calibration and precision/recall in the top k, each with a 95% interval. With
    `groups` (the student of each row) where a student has several rows, the bootstrap resamples students with
    all their rows: rows of one student are not independent, and resampling them alone narrows the interval."""
    y = np.asarray(y, dtype=int)
    score = np.asarray(score, dtype=float)
    rng = np.random.default_rng(seed)
    if _clustered(groups):
        return _clustered_metrics(y, score, np.asarray(groups), capacity=capacity, n_boot=n_boot, rng=rng,
                                  probabilities=probabilities)
    boots = rng.integers(0, y.size, size=(n_boot, y.size)) if y.size else np.zeros((0, 0), int)
    out: dict[str, Any] = {"n_students": int(y.size), "n_positive": int(y.sum())}
    # AUC, top-k and Brier are computed over all resamples at once; average precision resample by resample
    out["roc_auc"] = _summary(_auc(y, score), _auc_samples(y, score, boots))
    out["pr_auc"] = _interval(_pr_auc, y, score, boots)
    out["brier"] = _summary(_brier(y, score), _brier_samples(y, score, boots)) if probabilities else None
    precision_at: dict[str, Any] = {}
    recall_at: dict[str, Any] = {}
    ks = {frac_key(f): _k(y.size, f) for f in TOP_FRACTIONS}
    if capacity:
        ks[str(capacity)] = min(capacity, y.size)
    for key, k in ks.items():
        precision, recall = _topk_stats(y, score, k)
        precision_samples, recall_samples = _topk_samples(y, score, boots, k)
        precision_at[key] = {**_summary(precision, precision_samples), "k": k}
        recall_at[key] = {**_summary(recall, recall_samples), "k": k}
    out["precision_at"] = precision_at
    out["recall_at"] = recall_at
    return _finish(out, y, score, probabilities)


def _finish(out: dict[str, Any], y: np.ndarray, score: np.ndarray, probabilities: bool) -> dict[str, Any]:
    out["calibration"] = calibration_deciles(y, score) if probabilities else []
    warnings = []
    auc = out["roc_auc"]
    if auc["low"] is None or auc["high"] is None or auc["high"] - auc["low"] > WIDE_INTERVAL:
        warnings.append(f"with {out['n_positive']} positives among {out['n_students']} students the ROC AUC "
                        "interval is too wide to mean much; read the figures as rough indications")
    if out["n_positive"] < 10:
        warnings.append(f"only {out['n_positive']} students left: every metric is very uncertain")
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
        out.append({"decile": i + 1, "n": int(chunk.size), "mean_predicted": round(float(p[chunk].mean()), 4),
                    "observed": round(float(y[chunk].mean()), 4)})
    return out


def rule_score(features: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """The rule-based early-warning count: attendance below 90%, a core-subject fail, a repeated year.

    Ties (many students share a count) are broken by a fixed random order, so no feature leaks in.
    """
    count = ((features["absence_rate_12w"] > 0.10).astype(int) + (features["core_fails_12w"] >= 1).astype(int)
             + (features["repeated_years"].fillna(0) >= 1).astype(int)).to_numpy(dtype=float)
    jitter = np.random.default_rng(seed).random(count.size) * 1e-3
    return count + jitter


def black_box(train_x: pd.DataFrame, train_y: np.ndarray, test_x: pd.DataFrame, seed: int = 0,
              feature_names: Sequence[str] = FEATURE_NAMES) -> np.ndarray:
    from sklearn.ensemble import HistGradientBoostingClassifier

    # Tuned fairly: boosting stops when a tenth of the training rows set aside stops improving, rather than
    # running 200 rounds on a few hundred rows (with too few who left to set any aside, 100 rounds).
    enough = int(np.sum(train_y)) >= 20 and len(train_y) >= 200
    model = HistGradientBoostingClassifier(random_state=seed, max_iter=500 if enough else 100, learning_rate=0.05,
                                           early_stopping=enough, validation_fraction=0.1, n_iter_no_change=20)
    # Columns without any value (no roster, say) carry nothing and make the binning fail: leave them out.
    usable = [f for f in feature_names if train_x[f].notna().any()]
    # On a school's history (thousands of rows) OpenMP threads cost more than they gain, and on a busy
    # two-core machine far more: one thread below SMALL_DATA_ROWS.
    from threadpoolctl import threadpool_limits

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


def paired_difference(y: np.ndarray, model: np.ndarray, black_box_scores: np.ndarray, *, n_boot: int,
                      seed: int, groups: np.ndarray | None = None) -> dict[str, dict[str, float | None]]:
    """The transparent model minus the black box on the same rows, with an interval from the same resamples
    for both (a paired bootstrap): ROC AUC and precision in the top 10%."""
    y = np.asarray(y, dtype=int)
    rng = np.random.default_rng(seed)
    k = _k(y.size, 0.10)
    if _clustered(groups):  # students resampled with all their rows, both models on the same resamples
        chunks = _cluster_counts(np.asarray(groups), n_boot, rng)
        auc = _auc_counts(y, model, chunks) - _auc_counts(y, black_box_scores, chunks)
        top = _topk_counts(y, model, chunks, k)[0] - _topk_counts(y, black_box_scores, chunks, k)[0]
        return {"roc_auc": _summary(_auc(y, model) - _auc(y, black_box_scores), auc),
                "precision_at_10%": _summary(_topk_stats(y, model, k)[0] - _topk_stats(y, black_box_scores, k)[0],
                                             top)}
    boots = rng.integers(0, y.size, size=(n_boot, y.size)) if y.size else np.zeros((0, 0), int)
    auc = _auc_samples(y, model, boots) - _auc_samples(y, black_box_scores, boots)
    top = _topk_samples(y, model, boots, k)[0] - _topk_samples(y, black_box_scores, boots, k)[0]
    return {"roc_auc": _summary(_auc(y, model) - _auc(y, black_box_scores), auc),
            "precision_at_10%": _summary(_topk_stats(y, model, k)[0] - _topk_stats(y, black_box_scores, k)[0], top)}


def fairness(groups: pd.DataFrame, y: np.ndarray, p: np.ndarray, *, fraction: float = FAIRNESS_FRACTION,
             bands: dict[str, float] | None = None) -> dict[str, Any]:
    """Per audit column and group: count, prevalence, top-k recall, FPR, precision, calibration-in-the-large;
    each as a ratio to the largest group, flagged outside 0.8-1.25."""
    y = np.asarray(y, dtype=int)
    flagged = top_k_mask(np.asarray(p, dtype=float), _k(y.size, fraction))
    out: dict[str, Any] = {"top_fraction": frac_key(fraction), "range": list(FAIR_RANGE), "columns": {}}
    for column in groups.columns:
        values = groups[column].astype(object).where(groups[column].notna(), "(unknown)").astype(str).to_numpy()
        rows = []
        for group in sorted(set(values)):
            m = values == group
            pos, neg = y[m] == 1, y[m] == 0
            rows.append({
                "group": group, "n": int(m.sum()), "prevalence": _r(y[m].mean()),
                "recall": _r(flagged[m][pos].mean()) if pos.any() else None,
                "false_positive_rate": _r(flagged[m][neg].mean()) if neg.any() else None,
                "precision": _r(y[m][flagged[m]].mean()) if flagged[m].any() else None,
                "calibration_in_the_large": _r(p[m].mean() / y[m].mean()) if y[m].mean() > 0 else None,
            })
        largest = max(rows, key=lambda r: r["n"])
        for row in rows:
            ratios = {}
            flags = []
            for metric in ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large"):
                a, b = row[metric], largest[metric]
                ratio = _r(a / b) if a is not None and b not in (None, 0) else None
                ratios[metric] = ratio
                if ratio is not None and metric != "prevalence" and not FAIR_RANGE[0] <= ratio <= FAIR_RANGE[1]:
                    flags.append(metric)
            row["ratio_to_largest"] = ratios
            row["outside_range"] = flags
            row["small_group"] = row["n"] < 30
        out["columns"][column] = {"reference_group": largest["group"], "groups": rows}
    return out


def _r(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)
