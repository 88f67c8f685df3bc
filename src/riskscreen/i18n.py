"""Words and number formats per language: the catalogues in text/LANG.toml; data carry keys, this translates."""

from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path
from typing import Any

from riskscreen.errors import UsageError, msg

LANGUAGES = ("nl", "en")
# the catalogues, files of the installed package (importlib.resources would cost --help 2 ms to import)
TEXT = Path(__file__).parent / "text"
NO_GROUP = "none"
OVERFLOW = "overflow:"  # the coordinator's page of band-high students beyond their mentor's capacity


@functools.cache
def texts(lang: str) -> dict[str, Any]:
    """The catalogue of a language (src/riskscreen/text/LANG.toml)."""
    if lang not in LANGUAGES:
        raise UsageError(msg("unknown language '{lang}'", lang=lang), hint=msg("use --lang nl or --lang en"))
    path = TEXT / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def resolve_language(explicit: str | None = None, *, strict: bool = True) -> str:
    """The language to speak: --lang, else $RISKSCREEN_LANG, else the system's language (LC_ALL, LC_MESSAGES,
    LANG) when it is Dutch or English, else Dutch. A wrong $RISKSCREEN_LANG is a usage error (when strict)."""
    import os

    if explicit:
        texts(explicit)
        return explicit
    chosen = os.environ.get("RISKSCREEN_LANG", "").strip().lower()
    if chosen:
        if chosen in LANGUAGES:
            return chosen
        if strict:
            raise UsageError(msg("RISKSCREEN_LANG is '{chosen}', which is not a language riskscreen speaks",
                                 chosen=chosen),
                             hint=msg("set it to nl or en, or unset it"))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "nl"
    return "nl"


@functools.cache
def message_catalogue(lang: str) -> dict[str, str]:
    """English message templates (errors, problems, help) and their words in `lang`
    (src/riskscreen/text/LANG-messages.toml); empty for English, whose words are the templates."""
    path = TEXT / f"{lang}-messages.toml"
    if lang == "en" or not path.exists():
        return {}
    catalogue: dict[str, str] = {}
    for table in tomllib.loads(path.read_text(encoding="utf-8")).values():
        catalogue.update(table)
    return catalogue


def message(key: str, lang: str, **params: object) -> str:
    """A message of the command line (text/LANG.toml [cli]) with its values filled in."""
    return str(texts(lang)["cli"][key]).format(**params)


def number(value: float | None, lang: str) -> str:
    """A figure as a person writes it: whole numbers bare, else one decimal; decimal comma in Dutch."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    rounded = round(float(value), 1)
    text = str(round(rounded)) if abs(rounded - round(rounded)) < 1e-9 else f"{rounded:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def percent(p: float, lang: str) -> str:
    return number(100 * p, lang) + "%"


def signed(value: float, lang: str) -> str:
    """A logit contribution with its sign and three decimals."""
    text = f"{value:+.3f}"
    return text.replace(".", ",") if lang == "nl" else text


def date_text(iso: object, lang: str) -> str:
    if not isinstance(iso, str) or not iso:  # None, or a missing value of a frame (NaN)
        return ""
    year, month, day = str(iso)[:10].split("-")
    return f"{day}-{month}-{year}" if lang == "nl" else f"{year}-{month}-{day}"


def label(key: str, lang: str) -> str:
    return str(texts(lang)["labels"][key])


def band_label(band: str, lang: str) -> str:
    return str(texts(lang)["bands"][band])


def group_label(key: str, lang: str) -> str:
    """A group as a list shows it: the mentor code, 'Klas 3B', or '(geen mentor bekend)'."""
    words = texts(lang)["shortlist"]
    kind, _, name = key.partition(":")
    if kind == "mentor":
        return name
    if kind == "class":
        return f"{words['class_group']} {name}"
    if kind == "worker":
        return name or str(words["no_worker"])
    if key == OVERFLOW:
        return str(words["overflow_group"])
    return str(words["no_mentor"])


def group_heading(key: str, lang: str) -> str:
    """A group's heading: 'Mentor: MNT01' for a mentor, the plain label otherwise."""
    words = texts(lang)["shortlist"]
    shown = group_label(key, lang)
    if key.startswith("mentor:"):
        return f"{words['for_mentor']}: {shown}"
    if key.startswith("worker:") and key != "worker:":
        return f"{words['for_worker']}: {shown}"
    return shown


def choice_label(table: str, key: str, lang: str) -> str:
    """A choice by its key (action_types, roles, referrals); a school's own referral target as it is written."""
    return str(texts(lang)[table].get(key, key))


def prompt_text(key: str, lang: str) -> str:
    """A conversation prompt by its key, 'kind.index' (text/LANG.toml [prompts])."""
    kind, _, index = key.partition(".")
    return str(texts(lang)["prompts"][kind][int(index)])


def change_text(kind: str, points: float | None, lang: str) -> str:
    """A change since the last list: new, up or down by points, about the same; nothing for no comparison."""
    words = texts(lang)["shortlist"]
    if kind == "none":
        return ""
    if kind in {"up", "down"} and points is not None:
        shown = f"{abs(points):.1f}".replace(".", ",") if lang == "nl" else f"{abs(points):.1f}"
        return str(words[kind]).format(points=shown)
    return str(words[kind])


def demo_warning(lang: str) -> str:
    return str(texts(lang)["messages"]["demo_warning"])
