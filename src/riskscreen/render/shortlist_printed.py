"""The printed list's words (PDF and HTML): its columns, the student cell, reasons, flags, headings and legend."""

from __future__ import annotations

from typing import Any

from riskscreen.i18n import (
    label,
    percent,
    texts,
)
from riskscreen.render.shortlist_records import words_of
from riskscreen.weekly.shortlist import Shortlist

# ------------------------------------------------------------------- the printed list (PDF and HTML)
# The printed list's columns (key, width in mm); the widths add up to the 277 mm between the margins of A4 landscape
PRINTED_COLUMNS = (("student", 32), ("reasons", 64), ("flags", 48), ("prompts", 52), ("action", 52), ("who_when", 29))


def printed_student(r: dict[str, Any], lang: str) -> list[str]:
    """The first column of the printed list: who, which class, how high, and the change since last time."""
    lines = [f"{r['priority']}. {r['student_id']}"]
    if r["name"]:
        lines.append(str(r["name"]))
    if r["class"]:
        lines.append(f"{label('class', lang)} {r['class']}")
    lines.append(f"{r['band']} ({r['probability']})")
    return lines + ([r["change"]] if r["change"] else [])


def because_lines(r: dict[str, Any], words: dict[str, str]) -> list[str]:
    """'Op de lijst door: 16-urenregel ...' when more than the risk put the student on the list."""
    return [f"{words['because']}: {r['because']}"] if r["because"] not in ("", words["because_risk"]) else []


def printed_reasons(r: dict[str, Any], words: dict[str, str]) -> list[str]:
    """Why on the list, then which signals moved since the last list, and the 16-hour rule when it listed them."""
    return [*r["reasons"], *r["moved"], *because_lines(r, words)]


def printed_flags(r: dict[str, Any], words: dict[str, str]) -> list[str]:
    """The statutory and care signals with their state, then the open action and what moved since it, each under
    its label so that they never run together."""
    lines = [f"{words['signals_label']}: {r['flags']}"] if r["flags"] else []
    if r["open_action"]:
        lines += [f"{words['open_action']}:", *r["open_action"]]
    return lines


def headings(lang: str) -> list[str]:
    words = words_of(lang)
    return [
        label("student", lang),
        label("reasons", lang),
        f"{label('flags', lang)}, {words['open_action'].lower()}",
        words["prompts"],
        words["action"],
        f"{words['who']}, {words['when'].lower()}",
    ]


def legend_lines(sl: Shortlist, lang: str) -> list[str]:
    """What the bands, the chance, the reasons and the signals mean, and what to write where."""
    legend = texts(lang)["pdf"]
    bands = sl.result.bands
    if sl.role == "leerplicht":  # the statutory reports only: nothing of the model or of sick leave to explain
        return [legend["legend_16u"]]
    lines = (
        [legend["legend_band"].format(high=percent(bands["high"], lang), elevated=percent(bands["elevated"], lang))]
        if bands
        else []
    )
    keys = (
        ("legend_chance", "legend_reasons", "legend_16u", "legend_write_in")
        if sl.role == "youthworker"
        else ("legend_chance", "legend_reasons", "legend_16u", "legend_sick", "legend_write_in")
    )
    return lines + [legend[key] for key in keys]
