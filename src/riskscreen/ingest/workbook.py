"""Reading an XLSX export's sheet as text columns (python-calamine), header row found as in delimited files."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from riskscreen.errors import InputError, UsageError, msg
from riskscreen.ingest import sniff
from riskscreen.ingest.raw import RawTable, drop_blank
from riskscreen.ingest.sniff import HEADER_SEARCH_LINES, header_index, header_names

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_COLUMNS = 16_384
# Unpacked, a sheet takes about this many bytes of memory per byte of its XML once read as a table.
MEMORY_PER_XML_BYTE = 8
MAX_UNPACKED = 1 << 30  # a workbook larger than this unpacked should be a CSV export (read in blocks)
BOMB_RATIO = 100  # workbooks pack 5-20 times; far more is a decompression bomb or damage
BOMB_FLOOR = 50 << 20
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::([A-Z]+)(\d+))?"')


def check_unpacked_size(path: Path) -> None:
    """Refuse a workbook that would unpack beyond memory or Excel's own limits, before it is unpacked: its
    zip directory gives every part's unpacked size, and each sheet states its dimension in its first bytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(p.file_size for p in parts)
            sheets = [p for p in parts if p.filename.startswith("xl/worksheets/") and p.filename.endswith(".xml")]
            heads = []
            for part in sheets:
                with archive.open(part) as stream:
                    heads.append(stream.read(4096))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        return  # not a zip workbook: calamine says what it is
    packed = max(path.stat().st_size, 1)
    if unpacked > BOMB_FLOOR and unpacked / packed > BOMB_RATIO:
        raise InputError(
            msg(
                "unpacks to {unpacked_mb:,.0f} MB from {packed_mb:.1f} MB, {ratio:,} times its size: "
                "not a workbook a school system writes (a decompression bomb or damage)",
                unpacked_mb=unpacked / 1e6,
                packed_mb=packed / 1e6,
                ratio=unpacked // packed,
            ),
            hint=msg("export the table again from the school system, as CSV UTF-8"),
            path=str(path),
        )
    available = sniff.available_memory()
    if unpacked > MAX_UNPACKED or (available is not None and unpacked * MEMORY_PER_XML_BYTE > available):
        raise InputError(
            msg(
                "unpacks to {unpacked_gb:.1f} GB ({packed_mb:.1f} MB packed), more than this machine's memory holds",
                unpacked_gb=unpacked / 1e9,
                packed_mb=path.stat().st_size / 1e6,
            ),
            hint=msg("export the table as CSV UTF-8, which is read in blocks, or split it per school or per period"),
            path=str(path),
        )
    with zipfile.ZipFile(path) as archive:  # only now, the bomb and the memory checked: count the rows written
        counted = [_rows_in(archive, part.filename) for part in sheets]
    for head, rows_written in zip(heads, counted, strict=True):
        found = DIMENSION.search(head)
        rows, columns = rows_written, 0
        if found and found.group(2):
            rows, columns = max(rows, int(found.group(2))), _column_number(found.group(1).decode())
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise InputError(
                msg(
                    "has a sheet of more than {max_rows:,} rows or {max_columns:,} columns, beyond what Excel holds",
                    max_rows=MAX_ROWS,
                    max_columns=MAX_COLUMNS,
                ),
                hint=msg("save the workbook again from Excel, or export CSV"),
                path=str(path),
            )


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _rows_in(archive: zipfile.ZipFile, name: str) -> int:
    """How many rows a sheet's XML writes, counted as it unpacks (never held whole), up to one past Excel's limit:
    a sheet may leave out its dimension, or state a smaller one than it holds."""
    rows, tail = 0, b""
    with archive.open(name) as stream:
        while rows <= MAX_ROWS and (chunk := stream.read(1 << 20)):
            block = tail + chunk
            # a tag wholly inside the carried-over tail was counted with the block before
            rows += sum(1 for m in ROW_TAG.finditer(block) if m.end() > len(tail))
            tail = block[-16:]
    return rows


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(n.startswith("xl/") for n in archive.namelist())
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


def read_workbook(path: Path, *, sheet: str | None, known: set[str]) -> RawTable:
    check_unpacked_size(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception:
        raise InputError(
            msg("cannot be opened as an Excel workbook (damaged or not really XLSX)"),
            hint=msg("open it in Excel and save it again as .xlsx, or export CSV"),
            path=str(path),
        ) from None
    names = list(workbook.sheet_names)
    notes: list[str] = []
    if not names:
        raise InputError(msg("is a workbook without sheets"), path=str(path))
    if sheet is None:
        chosen = names[0]
        if len(names) > 1:
            notes.append(
                msg(
                    "read the first sheet '{sheet}' of {count}; choose another with --sheet",
                    sheet=chosen,
                    count=len(names),
                )
            )
    elif sheet in names:
        chosen = sheet
    else:
        raise UsageError(
            msg(
                "{name} has no sheet '{sheet}'; its sheets are: {join}",
                name=path.name,
                sheet=sheet,
                join=", ".join(names),
            )
        )
    try:
        values = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception:
        raise InputError(
            msg("sheet '{chosen}' cannot be read", chosen=chosen),
            hint=msg("save the workbook again from Excel"),
            path=str(path),
        ) from None
    rows = [[_cell_text(v) for v in row] for row in values]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise InputError(msg("sheet '{chosen}' is empty", chosen=chosen), path=str(path))
    text_rows = [[c or "" for c in row] for row in rows[:HEADER_SEARCH_LINES]]
    header_idx = header_index(text_rows, known)
    header = header_names(text_rows[header_idx], path)
    if header_idx:
        notes.append(msg("skipped {count} row(s) above the header", count=header_idx))
    body = [row[: len(header)] + [None] * (len(header) - len(row)) for row in rows[header_idx + 1 :]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.astype(str).where(frame.notna()) if body else frame
    frame = drop_blank(frame)
    return RawTable(path, frame, header_line=header_idx + 1, sheet=chosen, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------- writing
