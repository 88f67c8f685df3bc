"""Why a student scores as they do, as data: the largest contributions past their norms, as reason keys with the
values to say (the words are made in render.reason_words, in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.signals.features import FEATURES, SPEC

SIGNAL = {f.name: f.signal for f in FEATURES}

TOP_REASONS = 3
MIN_CONTRIBUTION = 0.05  # logit units; smaller parts are noise, not reasons
# A trend is a warning sign only in its direction of concern, and is shown without its sign.
TREND_DIRECTION = {f.name: f.direction for f in FEATURES if f.trend}
CARE_SIGNAL = "care_signal"  # the youth worker's one care line in place of health reasons (weekly.roles)


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: the feature (or CARE_SIGNAL), the value to say (for a count over fewer enrolled weeks, the count
    itself), and those weeks of the window when the count was scaled for the chance."""

    feature: str
    value: float = 0.0  # (the care line has none; not NaN, so that equal reasons compare equal)
    enrolled_weeks: int | None = None
    window: int | None = None


ENROLMENT_WINDOW = {f.name: f.window_weeks for f in FEATURES if f.per_enrolment and f.window_weeks}


def past_norm(names: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Per value, whether it crosses its feature's stated norm (signals.features): only then is it a warning sign
    that can be named as a reason, however large its contribution."""
    crossed = np.zeros(raw.shape, dtype=bool)
    for j, name in enumerate(names):
        spec = SPEC.get(str(name))
        crossed[:, j] = spec.crosses_norm(raw[:, j]) if spec is not None else ~np.isnan(raw[:, j])
    return crossed


def reasons(contributions: pd.DataFrame, features: pd.DataFrame, top: int = TOP_REASONS) -> pd.DataFrame:
    """Per student: the largest positive contributions whose value crosses its feature's norm, as `Reason`s (the
    `reasons` column, a tuple per student) and their features joined by ";" (`reason_features`).

    The largest contributions that are reasons come in order, one per signal: the
    4-week window sits inside the 12-week one and core-subject fails inside all fails, so a second feature of
    a signal already shown gives way to the next signal (removals, repeated years).
    """
    n = len(contributions)
    values = contributions.to_numpy()
    names = np.array(contributions.columns, dtype=object)
    signal_codes = {s: i for i, s in enumerate(dict.fromkeys(SIGNAL.get(str(n), str(n)) for n in names))}
    signal = np.array([signal_codes[SIGNAL.get(str(n), str(n))] for n in names], dtype=np.int64)
    order = np.argsort(-values, axis=1, kind="stable")
    raw = features.loc[contributions.index, list(contributions.columns)].to_numpy(dtype=float)
    rows = np.arange(n)[:, None]
    sorted_values, sorted_raw = values[rows, order], raw[rows, order]
    candidate = (sorted_values >= MIN_CONTRIBUTION) & np.take_along_axis(past_norm(names, raw), order, axis=1)
    # walk down each student's contributions (a few dozen columns): keep a candidate whose signal is new
    is_reason = np.zeros_like(candidate)
    seen = np.zeros((n, len(signal_codes)), dtype=bool)
    taken = np.zeros(n, dtype=np.int64)
    for k in range(order.shape[1]):
        sig = signal[order[:, k]]
        keep = candidate[:, k] & ~seen[np.arange(n), sig] & (taken < top)
        is_reason[:, k] = keep
        seen[np.arange(n), sig] |= keep
        taken += keep
    slot = np.cumsum(is_reason, axis=1) - 1
    chosen: list[list[Reason | None]] = [[None] * top for _ in range(n)]
    for j, name in enumerate(names):
        picked = is_reason & (order == j)
        if not picked.any():
            continue
        student, rank = np.nonzero(picked)
        shown = sorted_raw[student, rank]
        window = ENROLMENT_WINDOW.get(str(name))
        # a count taken over fewer weeks than the window: the count itself, and for how many weeks
        scale = np.ones(student.size)
        weeks = np.zeros(student.size)
        if window is not None and f"enrolment_scale_{window}w" in features:
            scale = features.loc[contributions.index, f"enrolment_scale_{window}w"].to_numpy(dtype=float)[student]
            weeks = features.loc[contributions.index, f"enrolled_weeks_{window}w"].to_numpy(dtype=float)[student]
        feature = str(name)
        for who, where, value in zip(student.tolist(), slot[student, rank].tolist(), shown.tolist(), strict=True):
            chosen[who][where] = Reason(feature, value)
        for i in np.flatnonzero(scale != 1).tolist():  # few: students who came during the window
            chosen[student[i]][slot[student[i], rank[i]]] = Reason(
                feature, round(float(shown[i]) / float(scale[i]), 6), int(weeks[i]), window
            )
    kept = [tuple(r for r in row if r is not None) for row in chosen]
    return pd.DataFrame(
        {
            "reasons": pd.Series(kept, index=contributions.index, dtype=object),
            "reason_features": [";".join(r.feature for r in row) for row in kept],
        },
        index=contributions.index,
    )
