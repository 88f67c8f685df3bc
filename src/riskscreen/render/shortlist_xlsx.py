"""The weekly shortlist as an XLSX workbook: a summary sheet and one sheet per mentor, formulas neutralised."""

from __future__ import annotations

import io
from typing import Any

from riskscreen.i18n import group_label
from riskscreen.render import neutralise, plain
from riskscreen.render.shortlist import _columns, _left_lines, _words, header_lines, records
from riskscreen.weekly.shortlist import Shortlist


def _sheet_title(name: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, n = cleaned, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def xlsx_bytes(sl: Shortlist) -> bytes:
    """A workbook: a summary sheet and one sheet per mentor; frozen header, widths, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    lang = sl.result.lang
    words = _words(sl)
    cols = _columns(lang, words)
    widths = {"priority": 5, "student_id": 12, "class": 8, "band": 10, "probability": 9, "change": 22,
              "reasons": 48, "flags": 40, "prompts": 48, "action": 30, "who": 14, "when": 14}
    wb = Workbook()
    wb.properties.creator = "riskscreen"  # so that riskscreen never reads its own list back as an export
    summary = wb.active
    used: set[str] = set()
    summary.title = _sheet_title(words["summary"], used)
    for line in header_lines(sl):
        summary.append([_xlsx_value(line)])
    summary.append([])
    summary.append([words["for_mentor"], words["students_listed"]])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    by_group: dict[str, list[dict[str, Any]]] = {group: [] for group in sl.groups}
    for r in records(sl):  # one pass: a board's list has thousands of rows in hundreds of groups
        by_group[str(r["group"])].append(r)
    for group in sl.groups:
        summary.append([_xlsx_value(group_label(group, lang)), len(by_group[group])])
    if len(sl.left):
        summary.append([])
        summary.append([words["left"]])
        for line in _left_lines(sl):
            summary.append([neutralise(line)])
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 22
    wrap = Alignment(wrap_text=True, vertical="top")
    for group in sl.groups:
        ws = wb.create_sheet(_sheet_title(plain(group_label(group, lang)), used))
        ws.append([t for _, t in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E9ECEF")
            cell.alignment = wrap
        for row_number, r in enumerate(by_group[group], start=2):
            values = []
            for key, _ in cols:
                value = r[key]
                if key == "change":
                    value = "\n".join(x for x in (r["change"], r["because"]) if x)
                values.append("\n".join(value) if isinstance(value, list) else value)
            for column, value in enumerate(values, start=1):
                # ws.cell is a lookup; ws[ws.max_row] would scan the sheet for every row (quadratic)
                cell = ws.cell(row_number, column, _xlsx_value(value))
                cell.alignment = wrap
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text from an export stays text, never a formula
        for i, (key, _) in enumerate(cols, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = widths[key]
        ws.freeze_panes = "C2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: object) -> object:
    """Text without control characters (openpyxl refuses them) and never a formula; numbers as they are."""
    return neutralise(plain(value)) if isinstance(value, str) else value
