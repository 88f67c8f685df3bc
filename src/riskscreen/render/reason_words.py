"""Reasons in words: the one place a `Reason` (scoring.reasons) becomes a sentence in the reader's language, with
the norm it crossed and, for a count over fewer enrolled weeks, those weeks."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from riskscreen.i18n import number, texts
from riskscreen.scoring.reasons import CARE_SIGNAL, TREND_DIRECTION, Reason
from riskscreen.signals.features import SPEC

REASON_COLUMNS = ("reason_1", "reason_2", "reason_3")  # the reasons as the tabular formats head them


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


@functools.lru_cache(maxsize=65536)
def worded(reason: Reason, lang: str) -> str:
    """One reason as a sentence: the feature's reason, the care line, or a count over fewer enrolled weeks with
    those weeks."""
    if reason.feature == CARE_SIGNAL:
        return str(texts(lang)["shortlist"]["care_signal"])
    text = reason_text(reason.feature, reason.value, lang)
    if reason.enrolled_weeks is None:
        return text
    return text + str(texts(lang)["reasons"]["enrolled"]).format(weeks=reason.enrolled_weeks, window=reason.window)


def reason_texts(reasons: Iterable[Reason] | None, lang: str) -> list[str]:
    """A student's reasons as sentences, in order (none for a student without reasons)."""
    return [worded(r, lang) for r in reasons or ()]


def reason_cells(reasons: Iterable[Reason] | None, lang: str) -> list[str]:
    """The reasons as the tabular formats' columns reason_1..3: a sentence each, empty where there are fewer."""
    said = reason_texts(reasons, lang)
    return (said + [""] * len(REASON_COLUMNS))[: len(REASON_COLUMNS)]
