"""The weekly shortlist as an XLSX workbook: a summary, all students, one sheet per mentor; formulas neutralised."""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from riskscreen.i18n import band_label, choice_label, group_label, label, texts
from riskscreen.render import neutralise, plain
from riskscreen.render.reason_words import reason_texts
from riskscreen.render.scores import flag_texts, model_label
from riskscreen.render.shortlist_records import (
    change_cell,
    columns,
    group_notes,
    header_lines,
    made_with,
    records,
    statutory_header,
    statutory_rows,
    words_of,
)
from riskscreen.weekly.shortlist import Shortlist

MAX_LIST_FORMULA = 255


def _sheet_title(name: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "sheet"
    title, n = cleaned, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = cleaned[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def xlsx_bytes(sl: Shortlist, lang: str) -> bytes:
    """A workbook: a summary sheet (with the open statutory signals) and one sheet per mentor; frozen header,
    widths, wrapped text, the chance as a number, and the write-in columns ready for `actions import`."""
    words = words_of(lang)
    cols = [("list_date", words["list_date"]), *columns(sl, lang, for_import=True)]
    widths = {
        "list_date": 11,
        "priority": 5,
        "student_id": 12,
        "name": 20,
        "class": 8,
        "band": 10,
        "probability": 9,
        "change": 22,
        "reasons": 48,
        "flags": 40,
        "prompts": 48,
        "open_action": 30,
        "action": 30,
        "action_type": 14,
        "referral": 18,
        "referral_state": 14,
        "strengths": 16,
        "goal": 14,
        "who": 16,
        "when": 14,
    }
    choices = {
        key: [choice_label(table, k, lang) for k in texts(lang)[table]]
        for key, table in (
            ("action_type", "action_types"),
            ("referral", "referrals"),
            ("referral_state", "referral_states"),
            ("strengths", "strengths"),
            ("goal", "goals"),
            ("who", "roles"),
        )
    }
    wb = Workbook()
    wb.properties.creator = "riskscreen"  # so that riskscreen never reads its own list back as an export
    if sl.school:  # so that `actions import` can refuse the list in another school's workspace
        wb.properties.keywords = f"riskscreen school={sl.school}"
    summary = wb.active
    used: set[str] = set()
    summary.title = _sheet_title(words["summary"], used)
    for line in header_lines(sl, lang):
        summary.append([_xlsx_value(line)])
    # the reports the law asks for first: they have a deadline, the counts per mentor do not
    summary.append([])
    summary.append([words["statutory_title"]])
    summary.cell(summary.max_row, 1).font = Font(bold=True)
    statutory = statutory_rows(sl, lang)
    if statutory:
        summary.append(statutory_header(sl, lang))
        for row in statutory:
            summary.append([_xlsx_value(v) for v in row])
    else:
        summary.append([words["statutory_none"]])
    summary.append([])
    summary.append([words["for_mentor"], words["students_listed"]])
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    by_group: dict[str, list[dict[str, Any]]] = {group: [] for group in sl.groups}
    for r in records(sl, lang):  # one pass: a board's list has thousands of rows in hundreds of groups
        by_group[str(r["group"])].append(r)
    for group in sl.groups:
        summary.append([_xlsx_value(group_label(group, lang)), len(by_group[group])])
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 22
    wrap = Alignment(wrap_text=True, vertical="top")
    if sl.role in ("coordinator", "mentor"):  # every student's chance: not for a partner, nor for leerplicht
        _all_students(wb.create_sheet(_sheet_title(words["all_students"], used)), sl, lang)
    made = made_with(sl, lang)
    for group in sl.groups:
        ws = wb.create_sheet(_sheet_title(plain(group_label(group, lang)), used))
        ws.append([t for _, t in cols])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E9ECEF")
            cell.alignment = wrap
        for row_number, r in enumerate(by_group[group], start=2):
            for column, (key, _) in enumerate(cols, start=1):
                value = change_cell(r) if key == "change" else r[key]
                if key == "probability":
                    value = round(float(r["probability_value"]), 4)
                # ws.cell is a lookup; ws[ws.max_row] would scan the sheet for every row (quadratic)
                cell = ws.cell(row_number, column, _xlsx_value("\n".join(value) if isinstance(value, list) else value))
                cell.alignment = wrap
                if key == "probability":
                    cell.number_format = "0.0%"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # text from an export stays text, never a formula
        last = len(by_group[group]) + 1
        for i, (key, _) in enumerate(cols, start=1):
            formula = '"' + ",".join(choices.get(key, ())) + '"'
            # Excel refuses a list of more than 255 characters in a validation: then no drop-down, typing works
            if key in choices and last > 1 and len(formula) <= MAX_LIST_FORMULA:
                letter = ws.cell(1, i).column_letter
                validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
                validation.add(f"{letter}2:{letter}{last}")
                ws.add_data_validation(validation)
        if by_group[group]:
            ws.auto_filter.ref = f"A1:{ws.cell(1, len(cols)).column_letter}{last}"
        notes = group_notes(sl, lang, group)
        if notes:
            ws.append([])
            for note in notes:
                ws.append([_xlsx_value(note)])
        # a mentor's sheet may be printed or sent alone: it says which model made it, on screen and on paper
        ws.append([])
        ws.append([_xlsx_value(made)])
        ws.oddFooter.left.text = f"model {model_label(sl.result, lang)}"
        for i, (key, _) in enumerate(cols, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = widths[key]
        ws.freeze_panes = "D2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _all_students(ws: Any, sl: Shortlist, lang: str) -> None:
    """Every screened student, ranked, to sort and filter in Excel; no action columns, so `actions import`
    reads the mentors' sheets only."""
    words = words_of(lang)
    table = sl.result.table
    if sl.role == "mentor":  # a mentor's own students only
        table = table[table["mentor"].astype(str) == sl.mentor]
    listed = set(sl.entries["student_id"].astype(str))
    yes, no = texts(lang)["labels"]["yes"], texts(lang)["labels"]["no"]
    heading = [
        "#",
        label("student", lang),
        label("mentor", lang),
        label("class", lang),
        label("band", lang),
        label("probability", lang),
        words["on_list"],
        label("reasons", lang),
        label("flags", lang),
    ]
    ws.append(heading)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9ECEF")
    bands = {b: band_label(b, lang) for b in ("high", "elevated", "low")}
    names = ["rank", "student_id", "mentor", "class", "band", "probability", "flags", "reasons"]
    for row in zip(
        *(table[c].tolist() if c != "flags" else flag_texts(sl.result, table, lang) for c in names), strict=True
    ):
        values = dict(zip(names, row, strict=True))
        sid = str(values["student_id"])
        text = "; ".join(reason_texts(values["reasons"], lang))
        ws.append(
            [
                int(values["rank"]),
                _xlsx_value(sid),
                _xlsx_value(_blank(values["mentor"])),
                _xlsx_value(_blank(values["class"])),
                bands[str(values["band"])],
                round(float(values["probability"]), 4),
                yes if sid in listed else no,
                _xlsx_value(text),
                _xlsx_value(_blank(values["flags"])),
            ]
        )
    last = ws.max_row
    for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=6, max_col=6):
        cell.number_format = "0.0%"
    for cells in ws.iter_rows(min_row=2, max_row=last, min_col=2, max_col=4):
        for cell in cells:
            cell.data_type = "s"  # a pseudonym or class like 0123 or =1 stays text
    ws.auto_filter.ref = f"A1:I{last}"
    ws.freeze_panes = "C2"
    for letter, width in zip("ABCDEFGHI", (6, 12, 9, 8, 10, 9, 10, 70, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _blank(value: object) -> object:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _xlsx_value(value: object) -> object:
    """Text without control characters (openpyxl refuses them) and never a formula; numbers as they are."""
    return neutralise(plain(value)) if isinstance(value, str) else value
