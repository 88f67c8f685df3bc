"""Contributions and flags as plain-language reasons, in Dutch or English, as data columns."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from riskscreen.i18n import number, texts
from riskscreen.signals.features import FEATURES, SPEC

SIGNAL = {f.name: f.signal for f in FEATURES}

TOP_REASONS = 3
MIN_CONTRIBUTION = 0.05  # logit units; smaller parts are noise, not reasons
# A trend is a warning sign only in its direction of concern, and is shown without its sign.
TREND_DIRECTION = {f.name: f.direction for f in FEATURES if f.trend}


@functools.lru_cache(maxsize=65536)
def reason_text(feature: str, value: float, lang: str) -> str:
    """The reason in words, with the norm it crossed: "14 uur ongeoorloofd afwezig in de laatste 12 lesweken
    (signaal vanaf 8 uur)"."""
    spec = SPEC.get(feature)
    if spec is None:
        return f"{feature}: {number(value, lang)}"
    words = spec.words[lang]
    shown = abs(value) if feature in TREND_DIRECTION else value
    text = words.reason.format(value=number(shown, lang))
    return text + f" ({words.norm.format(norm=number(spec.norm, lang))})" if words.norm else text


ENROLMENT_WINDOW = {f.name: f.window_weeks for f in FEATURES if f.per_enrolment and f.window_weeks}


def enrolled_reason(feature: str, count: float, weeks: int, window: int, lang: str) -> str:
    """The reason of a count taken over the weeks a student was enrolled for: the count as it is, and the weeks."""
    return reason_text(feature, round(count, 6), lang) + str(texts(lang)["reasons"]["enrolled"]).format(
        weeks=weeks, window=window
    )


def past_norm(names: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """Per value, whether it crosses its feature's stated norm (signals.features): only then is it a warning sign
    that can be named as a reason, however large its contribution."""
    crossed = np.zeros(raw.shape, dtype=bool)
    for j, name in enumerate(names):
        spec = SPEC.get(str(name))
        crossed[:, j] = spec.crosses_norm(raw[:, j]) if spec is not None else ~np.isnan(raw[:, j])
    return crossed


def reasons(contributions: pd.DataFrame, features: pd.DataFrame, lang: str, top: int = TOP_REASONS) -> pd.DataFrame:
    """Per student: the largest positive contributions whose value crosses its feature's norm, as text
    (reason_1..), and their features.

    The largest contributions that are reasons fill reason_1, reason_2, .. in order, one per signal: the
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
    top_raw = sorted_raw
    slot = np.cumsum(is_reason, axis=1) - 1
    texts_out = np.full((top, n), "", dtype=object)
    chosen = np.full((top, n), "", dtype=object)
    for j, name in enumerate(names):
        picked = is_reason & (order == j)
        if not picked.any():
            continue
        student, rank = np.nonzero(picked)
        shown = top_raw[student, rank]
        distinct, back = np.unique(shown, return_inverse=True)
        phrases = np.array([reason_text(str(name), float(v), lang) for v in distinct], dtype=object)
        texts_out[slot[student, rank], student] = phrases[back]
        window = ENROLMENT_WINDOW.get(str(name))
        if window is not None and f"enrolment_scale_{window}w" in features:
            # a count taken over fewer weeks than the window: say the count itself, and for how many weeks
            scale = features.loc[contributions.index, f"enrolment_scale_{window}w"].to_numpy(dtype=float)[student]
            weeks = features.loc[contributions.index, f"enrolled_weeks_{window}w"].to_numpy(dtype=float)[student]
            for i in np.flatnonzero(scale != 1):
                texts_out[slot[student[i], rank[i]], student[i]] = enrolled_reason(
                    str(name), float(shown[i] / scale[i]), int(weeks[i]), window, lang
                )
        chosen[slot[student, rank], student] = str(name)
    out: dict[str, object] = {f"reason_{k + 1}": texts_out[k].tolist() for k in range(top)}
    joined = chosen[0]
    for k in range(1, top):
        joined = np.where(chosen[k] != "", joined + ";" + chosen[k], joined)
    out["reason_features"] = joined.tolist()
    return pd.DataFrame(out, index=contributions.index)
