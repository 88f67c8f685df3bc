"""The bootstrap: resamples of rows, or of students with all their rows, as counts; and the one pass that gives
every statistic of every resample (ROC AUC, average precision, Brier, the top k) from them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np
from scipy import sparse

R = TypeVar("R")

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


def resamples(size: int, n_boot: int, seed: int, groups: np.ndarray | None = None) -> list[Chunk]:
    """The bootstrap's draws for `size` rows: rows, or students with all their rows where `groups` (the student of
    each row) has a student on several rows. The same seed gives the same draws, so models measured on the same
    rows can share them (a paired comparison needs exactly that)."""
    rng = np.random.default_rng(seed)
    if _clustered(groups):
        return _cluster_counts(np.asarray(groups), n_boot, rng)
    return _as_counts(rng.integers(0, size, size=(n_boot, size)) if size else np.zeros((0, 0), int))


def resampled(y: np.ndarray, p: np.ndarray, chunks: list[Chunk], ks: list[int]) -> dict[str, np.ndarray]:
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


def side_by_side(*calls: Callable[[], R]) -> list[R]:
    """The calls' results, in order, computed two at a time: the bootstrap's passes are numpy over large arrays,
    which leaves Python's lock, so independent ones (the model's and each baseline's metrics) share the machine's
    two cores. Each call computes alone on its own data: the results are those of one after the other."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda call: call(), calls))
