"""The fairness audit: per group how the top of the list treats it, with intervals, small groups judged by leavers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from riskscreen.training.metrics import (
    FAIR_RANGE,
    FAIRNESS_FRACTION,
    frac_key,
    rounded,
    top_count,
    top_k_mask,
)
from riskscreen.training.resampling import resamples

SMALL_GROUP_LEAVERS = 20  # fewer leavers than this: a group's recall rests on too few to judge


INTERVAL_METRICS = ("recall", "precision", "calibration_in_the_large")


def fairness(
    groups: pd.DataFrame,
    y: np.ndarray,
    p: np.ndarray,
    *,
    fraction: float = FAIRNESS_FRACTION,
    bands: dict[str, float] | None = None,
    n_boot: int = 500,
    seed: int = 0,
    students: np.ndarray | None = None,
) -> dict[str, Any]:
    """Per audit column and group: count, leavers, prevalence, top-k recall, FPR, precision, calibration-in-the-
    large, each as a ratio to the largest group. Recall, precision and calibration carry 95% bootstrap intervals
    (students drawn within the group, the list's top k kept fixed). A group is small by its number of leavers
    (under SMALL_GROUP_LEAVERS) and is never flagged; another is flagged (outside_range) only where its ratio lies
    outside 0.8-1.25 and its interval leaves out the largest group's value: a gap the data support."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    flagged = top_k_mask(p, top_count(y.size, fraction))
    who = np.asarray(students if students is not None else np.arange(y.size)).astype(str)
    out: dict[str, Any] = {"top_fraction": frac_key(fraction), "range": list(FAIR_RANGE), "columns": {}}
    for column in groups.columns:
        values = groups[column].astype(object).where(groups[column].notna(), "(unknown)").astype(str).to_numpy()
        rows = [
            _group_row(group, y[m], p[m], flagged[m], who[m], n_boot, seed)
            for group in sorted(set(values))
            for m in [values == group]
        ]
        largest = max(rows, key=lambda r: r["n"])
        for row in rows:
            ratios, flags = {}, []
            for metric in ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large"):
                a, b = row[metric], largest[metric]
                ratio = rounded(a / b) if a is not None and b not in (None, 0) else None
                ratios[metric] = ratio
                if metric == "prevalence" or ratio is None or FAIR_RANGE[0] <= ratio <= FAIR_RANGE[1]:
                    continue
                span = row["intervals"].get(metric)
                supported = span is None or not span[0] <= b <= span[1]
                if row["leavers"] >= SMALL_GROUP_LEAVERS and row is not largest and supported:
                    flags.append(metric)
            row["ratio_to_largest"] = ratios
            row["outside_range"] = flags
            row["small_group"] = row["leavers"] < SMALL_GROUP_LEAVERS
        out["columns"][column] = {"reference_group": largest["group"], "groups": rows}
    return out


def _group_row(
    group: str, y: np.ndarray, p: np.ndarray, flagged: np.ndarray, who: np.ndarray, n_boot: int, seed: int
) -> dict[str, Any]:
    pos, neg = y == 1, y == 0
    row: dict[str, Any] = {
        "group": group,
        "n": int(y.size),
        "leavers": int(pos.sum()),
        "prevalence": rounded(y.mean()),
        "recall": rounded(flagged[pos].mean()) if pos.any() else None,
        "false_positive_rate": rounded(flagged[neg].mean()) if neg.any() else None,
        "precision": rounded(y[flagged].mean()) if flagged.any() else None,
        "calibration_in_the_large": rounded(p.mean() / y.mean()) if y.mean() > 0 else None,
    }
    row["intervals"] = _group_intervals(y, p, flagged, who, n_boot, seed) if n_boot and pos.any() else {}
    return row


def _group_intervals(
    y: np.ndarray, p: np.ndarray, flagged: np.ndarray, who: np.ndarray, n_boot: int, seed: int
) -> dict[str, list[float]]:
    """95% percentile intervals of recall, precision and calibration over resamples of the group's students."""
    draws: dict[str, list[float]] = {m: [] for m in INTERVAL_METRICS}
    rows = np.column_stack([y == 1, (y == 1) & flagged, flagged, y, p]).astype(float)
    for counts, codes in resamples(y.size, n_boot, seed, who):
        # per drawn unit (a row, or a student with all their rows) its sums, then weighted by how often it was drawn
        per_unit = rows if codes is None else np.stack([np.bincount(codes, weights=c) for c in rows.T], axis=1)
        leavers, hits, listed, rate, chance = (counts @ per_unit).T
        with np.errstate(divide="ignore", invalid="ignore"):
            draws["recall"] += list(hits / leavers)
            draws["precision"] += list(hits / listed)
            draws["calibration_in_the_large"] += list(chance / rate)
    out = {}
    for metric, values in draws.items():
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        if finite.size:
            out[metric] = [round(float(np.quantile(finite, 0.025)), 4), round(float(np.quantile(finite, 0.975)), 4)]
    return out
