"""The recorded bases for sharing with the youth worker as a listing (`sharing list`): keys and ISO dates in JSON,
the reader's words and dates in the table and the CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskscreen.dates import iso
from riskscreen.i18n import choice_label, date_text, texts
from riskscreen.render import csv_dialect_for, csv_text, json_text
from riskscreen.workspace.sharing import Basis, SchoolBasis

COLUMNS = ("student_id", "basis", "on", "until", "ended", "holds")
DATES = ("on", "until", "ended")


def records(bases: list[Basis], today: dt.date) -> list[dict[str, Any]]:
    """Each basis by its keys, and whether it holds today."""
    return [
        {
            "student_id": b.student_id,
            "basis": b.basis,
            "on": iso(b.on),
            "until": iso(b.until),
            "ended": iso(b.ended),
            "holds": b.covers(today),
        }
        for b in bases
    ]


def render_sharing(
    bases: list[Basis], school: SchoolBasis | None, fmt: str, lang: str, today: dt.date, csv_dialect: str | None = None
) -> str:
    rows = records(bases, today)
    if fmt == "json":
        default = (
            None
            if school is None
            else {
                "basis": school.basis,
                "on": iso(school.on),
                "until": iso(school.until),
                "holds": school.covers(today),
            }
        )
        return json_text({"school": default, "bases": rows})
    words = texts(lang)["sharing_list"]
    shown = [[_shown(key, row[key], lang, words) for key in COLUMNS] for row in rows]
    if school is not None:
        shown.insert(
            0,
            [
                str(words["every_student"]),
                choice_label("sharing_bases", school.basis, lang),
                date_text(school.on, lang),
                date_text(school.until, lang) if school.until else "",
                "",
                str(words["yes" if school.covers(today) else "no"]),
            ],
        )
    heading = [str(words[k]) for k in COLUMNS]
    if fmt == "csv":
        return csv_text(heading, shown, csv_dialect_for(lang, csv_dialect))
    widths = [max(len(h), *(len(r[i]) for r in shown)) for i, h in enumerate(heading)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in [heading, *shown]]
    return "\n".join(lines) + "\n"


def _shown(key: str, value: Any, lang: str, words: dict[str, Any]) -> str:
    if value is None:
        return ""
    if key == "basis":
        return choice_label("sharing_bases", str(value), lang)
    if key in DATES:
        return date_text(str(value), lang)
    if key == "holds":
        return str(words["yes" if value else "no"])
    return str(value)


LOG_COLUMNS = ("at", "command", "role", "format", "students", "output")


def render_log(entries: list[Any], fmt: str, lang: str, csv_dialect: str | None = None) -> str:
    """The log of outputs (`riskscreen log`): when, what, for whom, how many students, which file."""
    rows = [{k: getattr(e, k) for k in LOG_COLUMNS} for e in entries]
    if fmt == "json":
        return json_text(rows)
    words = texts(lang)["log_list"]
    heading = [str(words[k]) for k in LOG_COLUMNS]
    shown = [
        [
            f"{date_text(r['at'][:10], lang)} {r['at'][11:]}",
            r["command"],
            str(words.get(f"role_{r['role']}", r["role"])),
            r["format"],
            str(r["students"]),
            r["output"],
        ]
        for r in rows
    ]
    if fmt == "csv":
        return csv_text(heading, shown, csv_dialect_for(lang, csv_dialect))
    widths = [max(len(h), *(len(r[i]) for r in shown)) for i, h in enumerate(heading)]
    return (
        "\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in [heading, *shown])
        + "\n"
    )
