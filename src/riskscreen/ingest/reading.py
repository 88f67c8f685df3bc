"""Reading export files into raw string tables, and writing outputs atomically, owner-only, never over a file."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import glob
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskscreen.errors import InputError, OutputExistsError, UsageError

if TYPE_CHECKING:
    import pandas as pd

HEADER_SEARCH_LINES = 30
SEPARATORS = (";", ",", "\t")
MAX_HEADER_BYTES = 1_000_000
HEAD_BYTES = 2_000_000
ARROW_BLOCK_BYTES = 16 << 20
STREAM_BLOCK_BYTES = 64 << 20  # a block of a streamed file: about 2 million registrations
# Peak memory of a whole score run per byte of CSV (about 2.7 at 10M rows, docs/performance.md), with margin:
# a delimited file above available memory / this is read in blocks; a workbook is refused.
MEMORY_PER_FILE_BYTE = 8


def normalise_header(name: object) -> str:
    """The form used to match column names: lower case without spaces, underscores, hyphens or dots."""
    return re.sub(r"[\s_\-.]+", "", str(name).strip().lower())


@dataclass(frozen=True)
class RawTable:
    """One export file read as text columns, with where it came from and how it was read."""

    path: Path
    frame: pd.DataFrame
    header_line: int  # 1-based line (or sheet row) of the header; a data row's line is index + header_line + 1
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def line_of(self, index: int) -> int:
        """The row number a user sees in the file or sheet for a frame index."""
        return int(index) + self.header_line + 1

    @property
    def name(self) -> str:
        return self.path.name


def read_table(path: Path, *, sheet: str | None = None, known_headers: Iterable[str] = ()) -> RawTable:
    """Read a CSV or XLSX export as text columns; raise InputError with a fix for anything unreadable."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", hint="check the path and the spelling", path=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a file", path=str(path))
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", hint="check the file's permissions",
                         path=str(path)) from None
    known = {normalise_header(h) for h in known_headers}
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"} or (head.startswith(b"PK\x03\x04") and _is_xlsx(path)):
        notes = () if suffix in {".xlsx", ".xlsm", ".xls", ".ods"} else (
            "the file is an Excel workbook with a .csv name; read it as XLSX",)
        table = _read_workbook(path, sheet=sheet, known=known)
        return RawTable(table.path, table.frame, table.header_line, None, None, table.sheet,
                        notes + table.notes)
    return _read_delimited(path, known=known)  # --sheet concerns workbooks only


def _is_xlsx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(
                n.startswith("xl/") for n in archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _sniff_binary(data: bytes, path: Path) -> None:
    if data.startswith(b"%PDF"):
        raise InputError("is a PDF document, not a table export",
                         hint="export the data from the school system as CSV or XLSX", path=str(path))
    if data.startswith(b"PK\x03\x04"):
        raise InputError("is a ZIP archive, not a table export",
                         hint="unzip it first and point riskscreen at the CSV or XLSX inside", path=str(path))
    if data.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        raise InputError("is a compressed archive, not a table export",
                         hint="decompress it first", path=str(path))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("is an old Excel (.xls) or Office file",
                         hint="open it in Excel and save it as .xlsx or CSV UTF-8", path=str(path))
    if b"\x00" in data[:65536]:
        raise InputError("holds binary data, not text",
                         hint="export the data as CSV (UTF-8) or XLSX", path=str(path))


def _decode(data: bytes, path: Path) -> tuple[str | None, str, list[str]]:
    """Pick the encoding; returns (encoding for pandas or None when text is given, text head, notes)."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("starts like UTF-16 text but is damaged",
                             hint="save it again as 'CSV UTF-8'", path=str(path)) from None
        notes.append("read as UTF-16 (Excel 'Unicode text')")
        return "utf-16", text, notes
    _sniff_binary(data, path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    if data.isascii():
        return encoding, data[:MAX_HEADER_BYTES].decode("ascii"), notes
    try:
        text = data.decode("utf-8")
        return encoding, text[:MAX_HEADER_BYTES], notes
    except UnicodeDecodeError as exc:
        if encoding == "utf-8-sig" or _looks_like_utf8(data):
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"is UTF-8 text with a damaged character on line {line}",
                hint="open the file in a text editor, fix or remove the odd character, and save as UTF-8",
                path=str(path)) from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"is neither UTF-8 nor Windows-1252 text (line {line})",
                         hint="save it as 'CSV UTF-8' from Excel or the school system", path=str(path)) from None
    notes.append("read as Windows-1252: the file is not UTF-8")
    return "cp1252", text[:MAX_HEADER_BYTES], notes


def _looks_like_utf8(data: bytes) -> bool:
    """True when the bytes hold well-formed multi-byte UTF-8 sequences, so a bad byte is damage."""
    return len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data[:1_000_000])) >= 1


def _split_line(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


def _choose_separator(lines: Sequence[str]) -> str:
    best, best_score = ",", 0
    for sep in SEPARATORS:
        counts = [len(_split_line(line, sep)) for line in lines[:10] if line.strip()]
        if not counts:
            continue
        score = max(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


def _header_index(rows: Sequence[Sequence[str]], known: set[str]) -> int:
    """The row that holds the header: the first with the most recognised column names, else the first."""
    best, best_hits = 0, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_LINES]):
        hits = sum(1 for cell in row if normalise_header(cell) in known)
        if hits > best_hits:
            best, best_hits = i, hits
    if best_hits == 0:
        for i, row in enumerate(rows[:HEADER_SEARCH_LINES]):
            if sum(1 for cell in row if str(cell).strip()) >= 2:
                return i
    return best


def _header_names(cells: Sequence[object], path: Path) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = str(cell).strip() if cell is not None else ""
        if not name:
            name = f"column {i + 1}"
        key = normalise_header(name)
        if key in seen:
            raise InputError(
                f"column name '{name}' appears twice (columns {seen[key] + 1} and {i + 1})",
                hint="rename or remove one of the two columns", path=str(path))
        seen[key] = i
        names.append(name)
    return names


def available_memory() -> int | None:
    """Bytes of memory the system can give without swapping (Linux MemAvailable), or None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_memory(path: Path) -> None:
    """Refuse, before reading, a file whose whole run would not fit in memory: a clear message, not a crash."""
    size = path.stat().st_size
    needed = size * MEMORY_PER_FILE_BYTE
    available = available_memory()
    if available is not None and needed > available:
        raise InputError(
            f"is {size / 1e9:.1f} GB: screening it needs about {needed / 1e9:.0f} GB of memory and this machine "
            f"has {available / 1e9:.1f} GB free",
            hint="split the export per school or per period and screen each part (see docs/performance.md)",
            path=str(path))


def _head_text(head: bytes, complete: bool) -> str | None:
    """The start of a file as UTF-8 text, allowing a character cut off at the end; None if it is not UTF-8."""
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not complete and exc.start >= len(body) - 3:
            return body[: exc.start].decode("utf-8")
        return None


@dataclass(frozen=True)
class _Layout:
    """Where a UTF-8 delimited file's header is and how its fields are separated (from its first 2 MB)."""

    separator: str
    header_idx: int  # 0-based line of the header
    names: list[str]
    encoding: str
    notes: tuple[str, ...]


def _head(path: Path) -> tuple[bytes, int]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", hint="check the file's permissions",
                         path=str(path)) from None
    if not head or (len(head) == size and head.isspace()):
        raise InputError("is empty", hint="export the table again; the file has no header and no rows",
                         path=str(path))
    return head, size


def _utf8_layout(path: Path, head: bytes, size: int, known: set[str]) -> _Layout | None:
    """The layout of a file whose start is UTF-8 text with a header; None if it needs the careful reader."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    _sniff_binary(head, path)
    text = _head_text(head, complete=len(head) == size)
    if text is None:
        return None
    lines = text.splitlines()[:HEADER_SEARCH_LINES]
    if not lines or (len(lines) == 1 and len(head) >= MAX_HEADER_BYTES):
        return None
    sep = _choose_separator(lines)
    rows = [_split_line(line, sep) for line in lines]
    header_idx = _header_index(rows, known)
    names = _header_names(rows[header_idx], path)
    notes = (f"skipped {header_idx} line(s) above the header",) if header_idx else ()
    encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"
    return _Layout(sep, header_idx, names, encoding, notes)


def _read_delimited(path: Path, *, known: set[str]) -> RawTable:
    check_memory(path)
    head, size = _head(path)
    layout = _utf8_layout(path, head, size, known)
    if layout is not None:
        fast = _read_with_arrow(path, layout.separator, layout.header_idx,
                                [f"c{i}" for i in range(len(layout.names))])
        if fast is not None:
            fast.columns = layout.names
            return RawTable(path, _drop_blank(fast), header_line=layout.header_idx + 1, encoding=layout.encoding,
                            separator=layout.separator, notes=layout.notes)
    return _read_delimited_carefully(path, known=known)


@dataclass(frozen=True)
class StreamedTable:
    """A delimited export too large to hold whole: its header now, its rows block by block."""

    header: RawTable  # the columns, no rows
    layout: _Layout
    block_bytes: int

    @property
    def path(self) -> Path:
        return self.header.path

    @property
    def name(self) -> str:
        return self.header.name

    def blocks(self) -> Iterator[RawTable]:
        """The rows, a block at a time, each indexed by its data row number so lines stay exact."""
        import pandas as pd
        import pyarrow as pa

        layout = self.layout
        positional = [f"c{i}" for i in range(len(layout.names))]
        try:
            reader = _arrow_csv_reader(self.path, layout.separator, layout.header_idx, positional,
                                       self.block_bytes)
        except (pa.ArrowException, ValueError, OSError):
            raise self._damaged(0) from None
        offset = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            except (pa.ArrowException, ValueError, UnicodeDecodeError):
                raise self._damaged(offset) from None
            frame = pa.Table.from_batches([batch]).to_pandas()
            frame.columns = layout.names
            frame.index = pd.RangeIndex(offset, offset + len(frame))
            offset += len(frame)
            yield replace(self.header, frame=_drop_blank(frame, columns=False))

    def _damaged(self, rows_read: int) -> InputError:
        line = rows_read + self.header.header_line + 1
        return InputError(
            f"cannot be read in blocks at or after line {line}: a blank or damaged line, unbalanced quotes, "
            "more fields than the header, or text that is not UTF-8",
            hint="check the lines from there on, or export the file again as CSV UTF-8 (a file this large is "
                 "read in blocks, which needs clean UTF-8 CSV)", path=str(self.path))


def open_table(path: Path, *, sheet: str | None = None, known_headers: Iterable[str] = (),
               stream_above: int | None = None) -> RawTable | StreamedTable:
    """read_table, or a StreamedTable for a delimited file above `stream_above` bytes.

    stream_above None: stream what would not fit in this machine's memory when read whole.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file() or path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return read_table(path, sheet=sheet, known_headers=known_headers)
    size = path.stat().st_size
    if stream_above is None:
        available = available_memory()
        if available is None or size * MEMORY_PER_FILE_BYTE <= available:
            return read_table(path, sheet=sheet, known_headers=known_headers)
    elif size <= stream_above:
        return read_table(path, sheet=sheet, known_headers=known_headers)
    head, size = _head(path)
    if head.startswith(b"PK\x03\x04"):
        return read_table(path, sheet=sheet, known_headers=known_headers)
    layout = _utf8_layout(path, head, size, {normalise_header(h) for h in known_headers})
    if layout is None:
        raise InputError(
            f"is {size / 1e9:.1f} GB and not UTF-8 CSV: a file this large is read in blocks, which needs UTF-8",
            hint="save or export it as 'CSV UTF-8', or split it per school or per period", path=str(path))
    empty = pd.DataFrame({n: pd.Categorical([]) for n in layout.names})
    header = RawTable(path, empty, header_line=layout.header_idx + 1, encoding=layout.encoding,
                      separator=layout.separator, notes=(*layout.notes, "read in blocks: too large to hold whole"))
    return StreamedTable(header, layout, STREAM_BLOCK_BYTES)


def _read_delimited_carefully(path: Path, *, known: set[str]) -> RawTable:
    """The whole file in memory: exact encoding decisions and line numbers for anything unusual."""
    import pandas as pd

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", hint="check the file's permissions",
                         path=str(path)) from None
    encoding, head, notes = _decode(data, path)
    first_newline = head.find("\n")
    if first_newline == -1 and len(head) >= MAX_HEADER_BYTES:
        raise InputError("has a first line longer than 1 MB, so it is not a table export",
                         hint="export the table again as CSV", path=str(path))
    lines = head.splitlines()[:HEADER_SEARCH_LINES]
    sep = _choose_separator(lines)
    rows = [_split_line(line, sep) for line in lines]
    header_idx = _header_index(rows, known)
    names = _header_names(rows[header_idx], path) if rows else []
    if header_idx:
        notes.append(f"skipped {header_idx} line(s) above the header")
    source: io.BytesIO | io.StringIO
    if encoding == "utf-16":
        source = io.StringIO(data.decode("utf-16"))
        read_encoding = None
    else:
        source = io.BytesIO(data)
        read_encoding = "utf-8-sig" if encoding == "utf-8-sig" else encoding
    try:
        frame = pd.read_csv(
            source, sep=sep, header=None, skiprows=header_idx + 1, dtype=str, index_col=False,
            encoding=read_encoding, keep_default_na=False, na_values=[""], skip_blank_lines=False,
            on_bad_lines="error", engine="c", quotechar='"',
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            line = int(match.group(2))  # pandas counts lines from the top of the file
            raise InputError(
                f"line {line} has {match.group(3)} fields where the header has {match.group(1)}",
                hint=f"check separators and quotes on that line (the separator is {_sep_name(sep)})",
                path=str(path)) from None
        raise InputError("cannot be parsed as a table (unbalanced quotes or a damaged line)",
                         hint="open it in a spreadsheet, check it, and export it again as CSV",
                         path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"has a character that is not valid {encoding} (byte {exc.start})",
                         hint="save it again as 'CSV UTF-8'", path=str(path)) from None
    except MemoryError:
        raise InputError("does not fit in this machine's memory",
                         hint="split the export per school or per period and screen each part",
                         path=str(path)) from None
    except (ValueError, OverflowError) as exc:
        raise InputError(f"cannot be read as a table ({type(exc).__name__})",
                         hint="export the table again as CSV", path=str(path)) from None
    frame = _fit_width(frame, len(names), header_idx, path)
    frame.columns = names
    frame = _drop_blank(frame)
    return RawTable(path, frame, header_line=header_idx + 1, encoding=encoding, separator=sep,
                    notes=tuple(notes))


def _fit_width(frame: pd.DataFrame, width: int, header_idx: int, path: Path) -> pd.DataFrame:
    """Make the frame as wide as the header: pad short files; refuse values beyond the last header column."""
    import pandas as pd

    if frame.shape[1] > width:
        extra = frame.iloc[:, width:].notna().any(axis=1).to_numpy()
        if extra.any():
            position = int(extra.argmax())
            filled = frame.iloc[position].notna().to_numpy()
            fields = int(len(filled) - filled[::-1].argmax())
            line = int(frame.index[position]) + header_idx + 2
            raise InputError(f"line {line} has {fields} fields where the header has {width}",
                             hint="check separators and quotes on that line, or name the extra columns",
                             path=str(path))
        frame = frame.iloc[:, :width]
    for i in range(frame.shape[1], width):
        frame[i] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame.columns = range(width)
    return frame


def _read_with_arrow(path: Path, sep: str, header_idx: int, names: list[str]) -> pd.DataFrame | None:
    """The fast path: pyarrow's multi-threaded reader on a UTF-8 file, every column dictionary-encoded text.

    Returns None when the file needs the careful path (another encoding further on, blank lines, ragged rows,
    odd quoting): the pandas C engine then reads it and reports exact line numbers. pyarrow's own messages
    quote row contents, so they are never shown.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    if not names:
        return None
    try:
        table = pacsv.read_csv(str(path), **_arrow_options(sep, header_idx, names, ARROW_BLOCK_BYTES))
        frame = table.to_pandas()
    except (pa.ArrowException, ValueError, UnicodeDecodeError, MemoryError, OSError):
        return None
    if frame.shape[1] != len(names):
        return None
    return frame


def _arrow_options(sep: str, header_idx: int, names: list[str], block_bytes: int) -> dict[str, Any]:
    """pyarrow CSV options: every column dictionary-encoded text, empty cells missing, no type guessing."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text_type = pa.dictionary(pa.int32(), pa.string())
    return {
        "read_options": pacsv.ReadOptions(column_names=names, skip_rows=header_idx + 1, use_threads=True,
                                          block_size=block_bytes),
        "parse_options": pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=False),
        "convert_options": pacsv.ConvertOptions(column_types={n: text_type for n in names}, strings_can_be_null=True,
                                                null_values=[""], quoted_strings_can_be_null=True)}


def _arrow_csv_reader(path: Path, sep: str, header_idx: int, names: list[str], block_bytes: int) -> Any:
    import pyarrow.csv as pacsv

    return pacsv.open_csv(str(path), **_arrow_options(sep, header_idx, names, block_bytes))


def _sep_name(sep: str) -> str:
    return {";": "';'", ",": "','", "\t": "a tab"}[sep]


def _drop_blank(frame: pd.DataFrame, *, columns: bool = True) -> pd.DataFrame:
    """Drop rows with no value at all and (with columns) header-less columns with no value at all."""
    import numpy as np
    import pandas as pd

    if frame.shape[1] == 0:
        return frame
    empty_rows = np.ones(len(frame), dtype=bool)
    for _, column in frame.items():
        # a dictionary-encoded column knows its blanks by code -1: no pass over the text
        blank = (column.cat.codes.to_numpy() < 0) if isinstance(column.dtype, pd.CategoricalDtype) else \
            column.isna().to_numpy()
        empty_rows &= blank
        if not empty_rows.any():
            break
    if empty_rows.any():
        frame = frame.loc[~empty_rows]
    if not columns:
        return frame
    unnamed_empty = [c for c in frame.columns if str(c).startswith("column ") and frame[c].isna().all()]
    if unnamed_empty:
        frame = frame.drop(columns=unnamed_empty)
    return frame


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
    frame = _drop_blank(frame)
    return RawTable(path, frame, header_line=header_idx + 1, sheet=chosen, notes=tuple(notes))


# ---------------------------------------------------------------------------------------------- writing

def write_output(path: Path, content: bytes | str, *, force: bool = False) -> Path:
    """Write a file atomically with mode 0600; refuse to replace an existing file unless force is set.

    On Linux the data go to an unnamed file (O_TMPFILE) that gets its name only when complete, so even a
    killed run leaves nothing behind; elsewhere a hidden temporary file is renamed into place.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a folder", hint="give the name of a file to write, such as list.csv")
    if path.exists() and not force:
        raise OutputExistsError(f"{path} already exists", hint="choose another name, or add --force to replace it")
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        raise UsageError(f"the folder {parent} does not exist", hint="create it first or choose another --output")
    payload = content.encode("utf-8") if isinstance(content, str) else content
    if _write_unnamed(path, parent, payload, force=force):
        return path
    _remove_stale_partials(parent, path.name)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".partial", dir=parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        _place(tmp, path, force=force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path


def _remove_stale_partials(parent: Path, name: str) -> None:
    """Remove hidden partial files of this output left by a run that was killed (its process is gone)."""
    for stale in parent.glob(f".{glob.escape(name)}.*.partial"):
        parts = stale.name[len(name) + 2:].split(".")
        if not parts or not parts[0].isdigit():
            continue
        try:
            os.kill(int(parts[0]), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                stale.unlink()
        except PermissionError:
            continue


def _place(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the path appeared meanwhile: never overwrite
    except FileExistsError:
        raise OutputExistsError(f"{path} already exists",
                                hint="choose another name, or add --force to replace it") from None


def _write_unnamed(path: Path, parent: Path, payload: bytes, *, force: bool) -> bool:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return False
    try:
        fd = os.open(parent, flag | os.O_WRONLY, 0o600)
    except OSError:
        return False  # the file system does not support unnamed files
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.fchmod(fd, 0o600)
        source = f"/proc/self/fd/{fd}"
        if not force:
            try:
                os.link(source, path, follow_symlinks=True)
            except FileExistsError:
                raise OutputExistsError(f"{path} already exists",
                                        hint="choose another name, or add --force to replace it") from None
            except OSError:
                return False  # this kernel cannot give an unnamed file a name: use the named temporary
            return True
        tmp = parent / f".{path.name}.{os.getpid()}.0.partial"
        try:
            os.link(source, tmp, follow_symlinks=True)
        except OSError:
            return False
        try:
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return True
    finally:
        os.close(fd)
