"""Rendering the weekly shortlist: its columns, Markdown and CSV (other formats beside)."""

from __future__ import annotations

import math
from typing import Any

from riskscreen.dates import iso
from riskscreen.i18n import group_heading
from riskscreen.render import csv_dialect_for, csv_text, json_text, markdown_text, render_width, to_text
from riskscreen.render.scores import demo_warning
from riskscreen.render.shortlist_html import html_document
from riskscreen.render.shortlist_pdf import pdf_bytes
from riskscreen.render.shortlist_records import (
    columns,
    group_notes,
    header_lines,
    made_with,
    records,
    statutory_header,
    statutory_rows,
    value_of,
    words_of,
)
from riskscreen.render.shortlist_terminal import terminal_renderable
from riskscreen.render.shortlist_xlsx import xlsx_bytes
from riskscreen.render.statutory import entries_json
from riskscreen.weekly.shortlist import Shortlist


# ---------------------------------------------------------------------------------------------- markdown
def _md_cell(value: str | list[str]) -> str:
    """A table cell: each item escaped (data never becomes HTML or Markdown), items on their own line."""
    return "<br>".join(markdown_text(v) for v in (value if isinstance(value, list) else [value]))


def markdown(sl: Shortlist, lang: str) -> str:
    words = words_of(lang)
    head = [markdown_text(line) for line in header_lines(sl, lang)]
    lines = [f"# {head[0]}", ""] + [f"> {line}" for line in head[1:]] + [""]
    lines += [f"## {markdown_text(words['statutory_title'])}", ""]
    statutory = statutory_rows(sl, lang)
    if statutory:
        header = statutory_header(sl, lang)
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in statutory]
    else:
        lines.append(words["statutory_none"])
    lines.append("")
    recs = records(sl, lang)
    if not recs:
        lines += [words["empty"], ""]
    cols = columns(sl, lang)
    for group in sl.groups:
        lines += [f"## {markdown_text(group_heading(group, lang))}", ""]
        rows = [r for r in recs if r["group"] == group]
        if rows:
            lines += ["| " + " | ".join(t for _, t in cols) + " |", "|" + "---|" * len(cols)]
            lines += ["| " + " | ".join(_md_cell(value_of(r, key)) for key, _ in cols) + " |" for r in rows]
            lines.append("")
        lines += [f"{markdown_text(note)}\n" for note in group_notes(sl, lang, group)]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- csv
def csv_document(sl: Shortlist, lang: str, dialect: str | None = None) -> str:
    """One row per student with the write-in columns ready for `riskscreen actions import`; for Dutch Excel
    (semicolons, byte-order mark) unless another dialect is asked for."""
    words = words_of(lang)
    if sl.role == "leerplicht":  # the statutory reports, nothing from the model
        return csv_text(statutory_header(sl, lang), statutory_rows(sl, lang), csv_dialect_for(lang, dialect))
    cols = [("group_name", words["for_mentor"]), ("list_date", words["list_date"]), *columns(sl, lang, for_import=True)]
    made = made_with(sl, lang)  # on every row: a row copied alone still says which model made it
    rows = [
        [*("; ".join(v) if isinstance(v, list) else v for v in (value_of(r, k) for k, _ in cols)), made]
        for r in records(sl, lang)
    ]
    cols.append(("made_with", words["made_with"]))
    return csv_text([t for _, t in cols], rows, csv_dialect_for(lang, dialect))


# -------------------------------------------------------------------------------------------- json
def json_document(sl: Shortlist, lang: str) -> str:
    """The list as data: keys, ISO dates and numbers (words only where a person wrote them); each student's
    statutory reports as the contract in docs/outputs.md says."""
    result = sl.result
    students = []
    for _, row in sl.entries.iterrows():
        entries = row["statutory_entries"] if isinstance(row["statutory_entries"], list) else []
        students.append(
            {
                "student_id": str(row["student_id"]),
                "group": str(row["group"]),
                "priority": int(row["priority"]),
                "rank": int(row["rank"]),
                "band": str(row["band"]),
                "probability": round(float(row["probability"]), 6),
                "listed_by": {"statutory": bool(row["statutory"]), "risk": bool(row["by_risk"])},
                "change": str(row["change"]),
                "change_points": _plain(row["change_points"]),
                "reason_features": [f for f in str(row["reason_features"]).split(";") if f],
                "statutory": entries_json(entries),
                "sick_leave": {"state": str(row["sick_state"]), "reported_on": _plain(row["sick_reported_on"])},
                "open_action": None
                if not _plain(row["action_id"])
                else {
                    "id": int(row["action_id"]),
                    "agreed": row["action_agreed"],
                    "review": _plain(row["action_review"]),
                    "review_overdue": bool(row["review_overdue"]),
                    "who": row["action_who"],
                },
                "prompts": list(row["prompts"]),
            }
        )
    open_reports = [
        {"student_id": str(r["student_id"]), "group": str(r["group"]), **entries_json([r["entry"]])[0]}
        for _, r in sl.statutory.iterrows()
    ]
    model = (
        None
        if sl.role == "leerplicht"
        else {
            "name": result.model_name,
            "source": result.model_source,
            "demonstration": result.demonstration,
            "notice": demo_warning(result, lang),
        }
    )
    doc = {
        "as_of": result.day.isoformat(),
        "school": sl.school or None,
        "by": sl.by,
        "role": sl.role,
        "withheld": sl.withheld or None,
        "model": model,
        "previous_as_of": iso(sl.previous_as_of),
        "open_reports": open_reports,
        "students": students,
    }
    return json_text(doc)


def _plain(value: object) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def render(
    sl: Shortlist,
    fmt: str,
    *,
    lang: str,
    width: int | None = None,
    color: bool = False,
    csv_dialect: str | None = None,
) -> str | bytes:
    """The list in a format, in the reader's language (`lang`: the list itself carries only keys)."""
    if fmt == "json":
        return json_document(sl, lang)
    if fmt == "md":
        return markdown(sl, lang)
    if fmt == "html":
        return html_document(sl, lang)
    if fmt == "csv":
        return csv_document(sl, lang, csv_dialect)
    if fmt == "pdf":
        return pdf_bytes(sl, lang)
    if fmt == "xlsx":
        return xlsx_bytes(sl, lang)
    shown = width or render_width()
    return to_text(terminal_renderable(sl, lang, shown, columns(sl, lang, write_in=False)), shown, color=color)
