"""Reading an XLSX export's sheet as text columns (python-calamine), header row found as in delimited files."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from riskscreen.errors import InputError, UsageError
from riskscreen.ingest.raw import RawTable, drop_blank
from riskscreen.ingest.sniff import HEADER_SEARCH_LINES, _header_index, _header_names

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def _is_xlsx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(
                n.startswith("xl/") for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False



def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    text = str(value)
    return text if text.strip() else None


def _read_workbook(path: Path, *, sheet: str | None, known: set[str]) -> RawTable:
    import pandas as pd
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        raise InputError("cannot be opened as an Excel workbook (damaged or not really XLSX)",
                         hint="open it in Excel and save it again as .xlsx, or export CSV", path=str(path)) from None
    names = list(workbook.sheet_names)
    notes: list[str] = []
    if not names:
        raise InputError("is a workbook without sheets", path=str(path))
    if sheet is None:
        chosen = names[0]
        if len(names) > 1:
            notes.append(f"read the first sheet '{chosen}' of {len(names)}; choose another with --sheet")
    elif sheet in names:
        chosen = sheet
    else:
        raise UsageError(f"{path.name} has no sheet '{sheet}'; its sheets are: {', '.join(names)}")
    try:
        values = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception:
        raise InputError(f"sheet '{chosen}' cannot be read", hint="save the workbook again from Excel",
                         path=str(path)) from None
    rows = [[_cell_text(v) for v in row] for row in values]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(f"sheet '{chosen}' is empty", path=str(path))
    text_rows = [[c or "" for c in row] for row in rows[:HEADER_SEARCH_LINES]]
    header_idx = _header_index(text_rows, known)
    header = _header_names(text_rows[header_idx], path)
    if header_idx:
        notes.append(f"skipped {header_idx} row(s) above the header")
    body = [row[: len(header)] + [None] * (len(header) - len(row)) for row in rows[header_idx + 1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.astype(str).where(frame.notna()) if body else frame
    frame = drop_blank(frame)
    return RawTable(path, frame, header_line=header_idx + 1, sheet=chosen, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------- writing
