"""Honest numbers: metrics with bootstrap intervals, top-k, calibration and baselines (fairness: its own module)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, roc_auc_score
from threadpoolctl import threadpool_limits

from riskscreen.signals.features import FEATURE_NAMES

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


BOOT_CELLS = 4_000_000  # resampled values held at once: bounds memory at about 100 MB whatever the size


def _chunks(boots: np.ndarray) -> list[np.ndarray]:
    rows = max(1, BOOT_CELLS // max(boots.shape[1], 1))
    return [boots[i : i + rows] for i in range(0, boots.shape[0], rows)]


# A chunk of resamples: counts per drawn unit (resample x unit), and the unit of each row (None: the rows are the
# units). Students are spread over their rows only once, in score order, inside the pass.
Chunk = tuple[np.ndarray, np.ndarray | None]


def _as_counts(boots: np.ndarray) -> list[Chunk]:
    """Resamples of row indices as counts per original row, in chunks."""
    counts: list[Chunk] = []
    for chunk in _chunks(boots):
        b, n = chunk.shape
        drawn = np.bincount((chunk + (np.arange(b) * n)[:, None]).ravel(), minlength=b * n).reshape(b, n)
        counts.append((drawn, None))
    return counts


def _clustered(groups: np.ndarray | None) -> bool:
    """Whether rows share a student (then students are resampled, not rows)."""
    return groups is not None and len(groups) > 0 and len(np.unique(np.asarray(groups))) < len(groups)


def _cluster_counts(groups: np.ndarray, n_boot: int, rng: np.random.Generator) -> list[Chunk]:
    """Resamples of students: per resample and student, how often the student was drawn (in chunks), with the
    student of each row."""
    uniques, codes = np.unique(groups, return_inverse=True)
    size = uniques.size
    rows = max(1, BOOT_CELLS // max(groups.size, size, 1))
    chunks: list[Chunk] = []
    for start in range(0, n_boot, rows):
        b = min(rows, n_boot - start)
        picks = rng.integers(0, size, size=(b, size))  # each resample draws as many students as there are
        drawn = np.bincount((picks + (np.arange(b) * size)[:, None]).ravel(), minlength=b * size).reshape(b, size)
        chunks.append((drawn, codes))
    return chunks


def row_counts(chunks: list[Chunk]) -> np.ndarray:
    """Every resample's count per row (for tests and plots: the pass itself never builds this)."""
    return np.concatenate([drawn if codes is None else drawn[:, codes] for drawn, codes in chunks])


def _clean(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def _topk_stats(y: np.ndarray, score: np.ndarray, k: int) -> tuple[float, float]:
    mask = top_k_mask(score, k)
    hits = float(y[mask].sum())
    positives = float(y.sum())
    return hits / k, (hits / positives if positives else float("nan"))


def resamples(size: int, n_boot: int, seed: int, groups: np.ndarray | None = None) -> list[Chunk]:
    """The bootstrap's draws for `size` rows: rows, or students with all their rows where `groups` (the student of
    each row) has a student on several rows. The same seed gives the same draws, so models measured on the same
    rows can share them (a paired comparison needs exactly that)."""
    rng = np.random.default_rng(seed)
    if _clustered(groups):
        return _cluster_counts(np.asarray(groups), n_boot, rng)
    return _as_counts(rng.integers(0, size, size=(n_boot, size)) if size else np.zeros((0, 0), int))


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
    samples = _resampled(y, score, chunks, list(ks.values()))
    # the figures themselves: the same pass over the data as they are (every row once), not scikit-learn's
    # validated path, which took longer than the 500 resamples at a school board's size
    whole = (
        _resampled(y, score, [(np.ones((1, y.size), dtype=np.int64), None)], [])
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


def _resampled(y: np.ndarray, p: np.ndarray, chunks: list[Chunk], ks: list[int]) -> dict[str, np.ndarray]:
    """Every statistic of every resample (counts per unit) in one pass per chunk: the ROC AUC (a positive above a
    negative, ties half), the average precision (scikit-learn's), precision and recall in the top k (ties by
    position) and the Brier score. Rows are sorted once by score from high to low. Those figures need the running
    total of a resample's weights only at its positives' rows and at the edges of the scores they share, so the
    weights are summed per stretch between two such rows with one sparse product (stretches x units), never spread
    over every row: at a school board's 90,000 rows and 4% leavers that is a few thousand columns instead of all."""
    keys = ["auc", "ap", "brier", *(f"{name}@{k}" for k in ks for name in ("precision", "recall"))]
    if not chunks:
        return {key: np.zeros(0) for key in keys}
    pass_ = _SortedRows(np.asarray(y, dtype=int), np.asarray(p, dtype=float))
    stretches = {id(codes): pass_.stretch_matrix(codes, drawn.shape[1]) for drawn, codes in chunks}
    # the chunks are independent: two at a time (side_by_side), their results joined in the order drawn
    parts = side_by_side(
        *(functools.partial(pass_.stats, drawn, codes, stretches[id(codes)], ks) for drawn, codes in chunks)
    )
    return {key: np.concatenate([part[key] for part in parts]) for key in keys}


class _SortedRows:
    """The rows in score order, with the places the bootstrap's figures read a running total at (marks)."""

    def __init__(self, y: np.ndarray, p: np.ndarray) -> None:
        n = p.size
        self.order = np.argsort(-p, kind="stable")
        sorted_p, sorted_y = p[self.order], y[self.order]
        new_score = np.r_[True, np.diff(sorted_p) != 0]
        starts = np.flatnonzero(new_score)  # the first row of each distinct score
        score_of_row = np.cumsum(new_score) - 1
        self.positive = np.flatnonzero(sorted_y == 1)
        # scores held by at least one positive, and where their positives start among self.positive
        scores, self.first = np.unique(score_of_row[self.positive], return_index=True)
        self.ends = np.r_[starts[1:], n][scores] - 1  # the last row of each such score
        self.befores = starts[scores] - 1  # the row before it (-1: none)
        self.marks = np.unique(np.r_[self.positive, self.ends, self.befores[self.befores >= 0], n - 1])
        self.stretch = np.searchsorted(self.marks, np.arange(n))  # each row's stretch ends at the next mark
        self.squared = (p - y) ** 2

    def stretch_matrix(self, codes: np.ndarray | None, units: int) -> sparse.csr_matrix:
        """Stretches x units: how many rows of each unit (a row, or a student's rows) lie in each stretch."""
        unit = self.order if codes is None else codes[self.order]
        ones = np.ones(unit.size)
        return sparse.csr_matrix((ones, (self.stretch, unit)), shape=(self.marks.size, units))

    def total_at(self, cumulative: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The running total of each resample's weights up to and including these rows (0 before the first)."""
        out = cumulative[:, np.searchsorted(self.marks, np.maximum(rows, 0))]
        return np.where(rows >= 0, out, 0.0)

    def stats(
        self, drawn: np.ndarray, codes: np.ndarray | None, stretches: sparse.csr_matrix, ks: list[int]
    ) -> dict[str, np.ndarray]:
        cumulative = np.cumsum((stretches @ np.ascontiguousarray(drawn.T, dtype=float)).T, axis=1)
        unit = self.order if codes is None else codes[self.order]
        weight = drawn[:, unit[self.positive]].astype(float)  # each positive row's weight in each resample
        # per score held by a positive: its positives' weight, all its weight, and the weight down to its end
        pos = np.add.reduceat(weight, self.first, axis=1) if self.first.size else weight
        seen = self.total_at(cumulative, self.ends)
        total = seen - self.total_at(cumulative, self.befores)
        tp = np.cumsum(pos, axis=1)
        n_all = cumulative[:, -1]
        n_pos = tp[:, -1] if tp.shape[1] else np.zeros(len(drawn))
        n_neg = n_all - n_pos
        # a positive above a negative counts 1, a tie 1/2: sum over scores of pos x (negatives below + half the
        # negatives at it) = n_pos x n_neg - sum pos x (negatives at or above) + 1/2 sum pos x (negatives at it)
        above = np.einsum("ij,ij->i", pos, seen - tp)
        at = np.einsum("ij,ij->i", pos, total - pos)
        out: dict[str, np.ndarray] = {}
        with np.errstate(invalid="ignore", divide="ignore"):
            out["auc"] = np.where(
                (n_pos > 0) & (n_neg > 0), (n_pos * n_neg - above + 0.5 * at) / (n_pos * n_neg), np.nan
            )
            precision = tp / np.where(seen > 0, seen, 1.0)
            out["ap"] = np.where(n_pos > 0, np.einsum("ij,ij->i", pos, precision) / n_pos, np.nan)
            # Brier: the squared errors summed per drawn unit, then weighted by its counts
            per_unit = (
                self.squared if codes is None else np.bincount(codes, weights=self.squared, minlength=drawn.shape[1])
            )
            out["brier"] = drawn @ per_unit / n_all
            # the top k by position: a positive row is in it for the part of its weight before the k-th
            before = self.total_at(cumulative, self.positive) - weight
            for k in ks:
                hits = np.clip(k - before, 0, weight).sum(axis=1)
                out[f"precision@{k}"] = hits / k
                out[f"recall@{k}"] = np.where(n_pos > 0, hits / np.where(n_pos > 0, n_pos, 1), np.nan)
        return out


def _finish(out: dict[str, Any], y: np.ndarray, score: np.ndarray, probabilities: bool) -> dict[str, Any]:
    out["calibration"] = calibration_deciles(y, score) if probabilities else []
    warnings = []
    auc = out["roc_auc"]
    if auc["low"] is None or auc["high"] is None or auc["high"] - auc["low"] > WIDE_INTERVAL:
        warnings.append(
            f"with {out['n_positive']} positives among {out['n_students']} students the ROC AUC "
            "interval is too wide to mean much; read the figures as rough indications"
        )
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
    ours, theirs = _resampled(y, model, chunks, [k]), _resampled(y, black_box_scores, chunks, [k])
    return {
        "roc_auc": _summary(_auc(y, model) - _auc(y, black_box_scores), ours["auc"] - theirs["auc"]),
        "precision_at_10%": _summary(
            _topk_stats(y, model, k)[0] - _topk_stats(y, black_box_scores, k)[0],
            ours[f"precision@{k}"] - theirs[f"precision@{k}"],
        ),
    }


def rounded(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 4)


def side_by_side(*calls: Callable[[], R]) -> list[R]:
    """The calls' results, in order, computed two at a time: the bootstrap's passes are numpy over large arrays,
    which leaves Python's lock, so independent ones (the model's and each baseline's metrics) share the machine's
    two cores. Each call computes alone on its own data: the results are those of one after the other."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda call: call(), calls))


def one_blas_thread(func: Callable[P, R]) -> Callable[P, R]:
    """Run with one BLAS thread: training and evaluation multiply tall, thin matrices (memory-bound) and take
    L-BFGS's many small steps, where more threads only wait on each other; on a busy two-core machine they
    doubled `train` at 30,000 students (benchmarks/analyst.py)."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with threadpool_limits(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return run
