"""Contributions and flags as plain-language reasons, in Dutch or English, as data columns."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError

LANGUAGES = ("nl", "en")
TOP_REASONS = 3
MIN_CONTRIBUTION = 0.05  # logit units; smaller parts are noise, not reasons
TREND_FEATURES = {"absence_trend": 1, "grade_trend": -1}


@functools.cache
def texts(lang: str) -> dict[str, Any]:
    """The text file of a language (src/riskscreen/text/LANG.toml)."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language '{lang}'", hint="use --lang nl or --lang en")
    path = Path(str(resources.files("riskscreen") / "text" / f"{lang}.toml"))
    return tomllib.loads(path.read_text(encoding="utf-8"))


def number(value: float, lang: str) -> str:
    """A figure as a person writes it: whole numbers bare, else one decimal; decimal comma in Dutch."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    rounded = round(float(value), 1)
    text = str(round(rounded)) if abs(rounded - round(rounded)) < 1e-9 else f"{rounded:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def date_text(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    year, month, day = str(iso)[:10].split("-")
    return f"{day}-{month}-{year}" if lang == "nl" else f"{year}-{month}-{day}"


def label(key: str, lang: str) -> str:
    return str(texts(lang)["labels"][key])


def band_label(band: str, lang: str) -> str:
    return str(texts(lang)["bands"][band])


@functools.lru_cache(maxsize=65536)
def reason_text(feature: str, value: float, lang: str) -> str:
    template = texts(lang)["reasons"].get(feature, feature + ": {value}")
    shown = abs(value) if feature in TREND_FEATURES else value
    return str(template).format(value=number(shown, lang))


def _applies(feature: str, value: float) -> bool:
    """A positive contribution is a reason only when the value itself is a warning sign."""
    if np.isnan(value):
        return False
    if feature in TREND_FEATURES:
        return bool(TREND_FEATURES[feature] * value > 0)
    return True


def reasons(contributions: pd.DataFrame, features: pd.DataFrame, lang: str,
            top: int = TOP_REASONS) -> pd.DataFrame:
    """Per student: the largest positive contributions as text (reason_1..), and their features."""
    values = contributions.to_numpy()
    order = np.argsort(-values, axis=1, kind="stable")[:, :top]
    names = np.array(contributions.columns)
    raw = features.loc[contributions.index, list(contributions.columns)].to_numpy(dtype=float)
    texts_out = [[""] * len(contributions) for _ in range(top)]
    chosen: list[str] = []
    for i in range(len(contributions)):  # formatting text: at most `top` per student
        picked: list[str] = []
        slot = 0
        for j in order[i]:
            if values[i, j] < MIN_CONTRIBUTION or not _applies(names[j], raw[i, j]):
                continue
            texts_out[slot][i] = reason_text(str(names[j]), float(raw[i, j]), lang)
            picked.append(str(names[j]))
            slot += 1
        chosen.append(";".join(picked))
    out = {f"reason_{k + 1}": texts_out[k] for k in range(top)}
    out["reason_features"] = chosen
    return pd.DataFrame(out, index=contributions.index)


def flag_texts(flags: pd.DataFrame, lang: str) -> pd.Series:
    """Per student: the flags as one line of text each, joined by ' | '; empty when none."""
    templates = texts(lang)["flags"]
    out = np.full(len(flags), "", dtype=object)
    for i in np.flatnonzero(flags["verzuim_16u"].to_numpy() | flags["ziekteverzuim"].to_numpy()):
        row = flags.iloc[i]
        parts = []
        if row["verzuim_16u"]:
            parts.append(templates["verzuim_16u"].format(
                hours=number(row["verzuim_hours"], lang), start=date_text(row["verzuim_from"], lang),
                end=date_text(row["verzuim_to"], lang)))
        if row["ziekteverzuim"]:
            parts.append(templates["ziekteverzuim"].format(
                spells=number(row["sick_spells"], lang), longest=number(row["longest_sick_spell_days"], lang),
                start=date_text(row["sick_from"], lang), end=date_text(row["sick_to"], lang)))
        out[i] = " | ".join(parts)
    return pd.Series(out, index=flags.index, name="flags")
