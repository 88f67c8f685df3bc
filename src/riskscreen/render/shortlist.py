"""Rendering the weekly shortlist: the records every format shows; terminal, Markdown and CSV (HTML, XLSX beside)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from riskscreen.errors import UsageError
from riskscreen.i18n import (
    band_label,
    change_text,
    date_text,
    group_heading,
    group_label,
    label,
    percent,
    prompt_text,
    texts,
)
from riskscreen.render import DISPLAY_CHARS, cell, csv_text, markdown_text, plain, to_text
from riskscreen.render.scores import REASON_COLUMNS, demo_warning
from riskscreen.weekly.shortlist import Shortlist

EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".csv": "csv", ".xlsx": "xlsx",
              ".txt": "table"}


def format_for(fmt: str | None, output: Path | None) -> str:
    """--format wins; otherwise the output file's extension; otherwise the terminal table."""
    if fmt:
        return fmt
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in EXTENSIONS:
            raise UsageError(f"cannot tell the format from '{output.name}'",
                             hint="use .md, .html, .csv or .xlsx, or give --format")
        return EXTENSIONS[suffix]
    return "table"


def _words(sl: Shortlist) -> dict[str, str]:
    return texts(sl.result.lang)["shortlist"]


def header_lines(sl: Shortlist) -> list[str]:
    lang = sl.result.lang
    words = _words(sl)
    as_of = sl.result.as_of
    week = as_of.isocalendar().week
    lines = [f"{words['title']}, {words['week']} {week} ({date_text(as_of.date().isoformat(), lang)}); "
             f"model {sl.result.model_label}; {len(sl.entries)} {words['students_listed']}"]
    warning = demo_warning(sl.result)
    if warning:
        lines.append(warning)
    rule = sl.result.rule_note()
    if rule:
        lines.append(rule)
    if sl.previous_as_of:
        lines.append(f"{words['compared_with']} {date_text(sl.previous_as_of, lang)}.")
    else:
        lines.append(words["no_previous"])
    return lines


def _reasons(row: pd.Series) -> list[str]:
    return [str(row[c]) for c in REASON_COLUMNS if row[c]]


def _because(row: pd.Series, words: dict[str, str]) -> str:
    parts = []
    if row["statutory"]:
        parts.append(words["because_statutory"])
    if row["by_risk"]:
        parts.append(words["because_risk"])
    return ", ".join(parts)


def _left_lines(sl: Shortlist) -> list[str]:
    lang = sl.result.lang
    words = _words(sl)
    return [words["left_row"].format(student=r["student_id"], before=percent(r["before"], lang),
                                     now=percent(r["now"], lang) if r["now"] is not None and r["now"] == r["now"]
                                     else "-") for _, r in sl.left.iterrows()]


def records(sl: Shortlist) -> list[dict[str, Any]]:
    """One flat record per listed student, with every field a printed list has (and empty action fields)."""
    lang = sl.result.lang
    words = _words(sl)
    out = []
    for _, row in sl.entries.iterrows():
        out.append({
            "group": row["group"], "group_name": group_label(row["group"], lang), "band_key": str(row["band"]),
            "priority": int(row["priority"]), "rank": int(row["rank"]),
            "student_id": str(row["student_id"]), "class": "" if pd.isna(row["class"]) else str(row["class"]),
            "band": band_label(row["band"], lang), "probability": percent(row["probability"], lang),
            "change": change_text(row["change"], row["change_points"], lang),
            "because": _because(row, words), "reasons": _reasons(row), "flags": str(row["flags"] or ""),
            "prompts": [prompt_text(k, lang) for k in row["prompts"]], "action": "", "who": "", "when": "",
        })
    return out


def _columns(lang: str, words: dict[str, str]) -> list[tuple[str, str]]:
    return [("priority", "#"), ("student_id", label("student", lang)), ("class", label("class", lang)),
            ("band", label("band", lang)), ("probability", label("probability", lang)), ("change", words["change"]),
            ("reasons", label("reasons", lang)), ("flags", label("flags", lang)), ("prompts", words["prompts"]),
            ("action", words["action"]), ("who", words["who"]), ("when", words["when"])]


# ---------------------------------------------------------------------------------------------- terminal
def table_renderable(sl: Shortlist) -> Group:
    lang = sl.result.lang
    words = _words(sl)
    parts: list[Any] = [Text(line) for line in header_lines(sl)]
    recs = records(sl)
    if not recs:
        parts.append(Text(words["empty"]))
    for group in sl.groups:
        parts.append(Rule(Text(plain(group_heading(group, lang), DISPLAY_CHARS)), align="left"))
        table = Table(show_lines=True, expand=False)
        for _key, title in _columns(lang, words)[:9]:
            table.add_column(title, overflow="fold")
        for r in (r for r in recs if r["group"] == group):
            table.add_row(*(cell(v) for v in (
                r["priority"], r["student_id"], r["class"], r["band"], r["probability"],
                "\n".join(x for x in (r["change"], r["because"]) if x), "\n".join(r["reasons"]), r["flags"],
                "\n".join(f"- {p}" for p in r["prompts"]))))
        parts.append(table)
    if len(sl.left):
        parts.append(Text(f"{words['left']}: " + "; ".join(_left_lines(sl))))
    return Group(*parts)


# ---------------------------------------------------------------------------------------------- markdown
def _md_cell(value: str | list[str]) -> str:
    """A table cell: each item escaped (data never becomes HTML or Markdown), items on their own line."""
    return "<br>".join(markdown_text(v) for v in (value if isinstance(value, list) else [value]))


def markdown(sl: Shortlist) -> str:
    lang = sl.result.lang
    words = _words(sl)
    head = [markdown_text(line) for line in header_lines(sl)]
    lines = [f"# {head[0]}", ""] + [f"> {line}" for line in head[1:]] + [""]
    recs = records(sl)
    if not recs:
        lines += [words["empty"], ""]
    cols = _columns(lang, words)
    for group in sl.groups:
        lines += [f"## {markdown_text(group_heading(group, lang))}", "",
                  "| " + " | ".join(t for _, t in cols) + " |",
                  "|" + "---|" * len(cols)]
        for r in (r for r in recs if r["group"] == group):
            cells = []
            for key, _ in cols:
                value = r[key]
                if key == "change":
                    value = "; ".join(x for x in (r["change"], r["because"]) if x)
                cells.append(_md_cell(value if isinstance(value, list) else str(value)))
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if len(sl.left):
        lines += [f"## {words['left']}", ""] + [f"- {markdown_text(x)}" for x in _left_lines(sl)] + [""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- csv, xlsx
def csv_document(sl: Shortlist) -> str:
    lang = sl.result.lang
    words = _words(sl)
    cols = [("group_name", words["for_mentor"]), *_columns(lang, words)]
    rows = ([("; ".join(r[k]) if isinstance(r[k], list) else r[k]) for k, _ in cols] for r in records(sl))
    return csv_text([t for _, t in cols], rows)


def render(sl: Shortlist, fmt: str, width: int | None = None) -> str | bytes:
    if fmt == "md":
        return markdown(sl)
    if fmt == "html":
        from riskscreen.render.shortlist_html import html_document

        return html_document(sl)
    if fmt == "csv":
        return csv_document(sl)
    if fmt == "xlsx":
        from riskscreen.render.shortlist_xlsx import xlsx_bytes

        return xlsx_bytes(sl)
    return to_text(table_renderable(sl), width)
