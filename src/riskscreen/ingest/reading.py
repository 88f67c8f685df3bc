"""Reading an export file as a series of blocks of text columns; a file that fits in memory is one block.

A UTF-8 delimited file goes through pyarrow's reader: whole, or block by block when it would not fit in
memory. Anything pyarrow refuses (another encoding, ragged or damaged lines, odd quoting) is read by the
careful reader, which decides the encoding from the whole file and names the exact line of a damaged row.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from riskscreen.errors import InputError, msg
from riskscreen.files import check_regular
from riskscreen.ingest import sniff
from riskscreen.ingest.raw import RawTable, drop_blank
from riskscreen.ingest.sniff import (
    HEADER_SEARCH_LINES,
    MAX_HEADER_BYTES,
    MEMORY_PER_FILE_BYTE,
    Layout,
    check_memory,
    choose_separator,
    decode_text,
    header_index,
    header_names,
    layout_of,
    normalise_header,
    read_head,
    separator_name,
    split_line,
)
from riskscreen.ingest.workbook import WORKBOOK_SUFFIXES, is_xlsx, read_workbook

if TYPE_CHECKING:
    import pandas as pd

ARROW_BLOCK_BYTES = 16 << 20
STREAM_BLOCK_BYTES = 64 << 20  # a block of a streamed file: about 2 million registrations


def read_table(path: Path, *, sheet: str | None = None, known_headers: Iterable[str] = ()) -> RawTable:
    """Read a CSV or XLSX export as text columns; raise InputError with a fix for anything unreadable."""
    path = Path(path)
    if not path.exists():
        if path.is_symlink():
            raise InputError(
                msg("is a symbolic link that leads nowhere (or a loop of links)"),
                hint=msg("point the link at the export file, or give the file itself"),
                path=str(path),
            )
        raise InputError(msg("file not found"), hint=msg("check the path and the spelling"), path=str(path))
    if path.is_dir():
        raise InputError(msg("is a folder, not a file"), path=str(path))
    check_regular(path, error=InputError, what=msg("table export"))  # a FIFO would hang the read, /dev/zero fill memory
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InputError(
            msg("cannot be read ({strerror})", strerror=exc.strerror),
            hint=msg("check the file's permissions"),
            path=str(path),
        ) from None
    known = {normalise_header(h) for h in known_headers}
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES or (head.startswith(b"PK\x03\x04") and is_xlsx(path)):
        notes = (
            () if suffix in WORKBOOK_SUFFIXES else ("the file is an Excel workbook with a .csv name; read it as XLSX",)
        )
        table = read_workbook(path, sheet=sheet, known=known)
        return RawTable(table.path, table.frame, table.header_line, None, None, table.sheet, notes + table.notes)
    return _read_delimited(path, known=known)  # --sheet concerns workbooks only


def _read_delimited(path: Path, *, known: set[str]) -> RawTable:
    check_memory(path)
    head, size = read_head(path)
    layout = layout_of(path, head, size, known)
    if layout is not None:
        fast = _read_with_arrow(
            path, layout.separator, layout.header_idx, [f"c{i}" for i in range(len(layout.names))], layout.encoding
        )
        if fast is not None:
            fast.columns = layout.names
            return RawTable(
                path,
                drop_blank(fast),
                header_line=layout.header_idx + 1,
                encoding=layout.encoding,
                separator=layout.separator,
                notes=layout.notes,
            )
    return _read_delimited_carefully(path, known=known)


@dataclass(frozen=True)
class TableSource:
    """One export file as a series of blocks of rows: one block when read whole, many when streamed.

    header: the columns and how the file was read; when read whole it holds every row (and is the one block).
    """

    header: RawTable
    layout: Layout | None = None  # set when the file is streamed block by block
    block_bytes: int = STREAM_BLOCK_BYTES

    @property
    def path(self) -> Path:
        return self.header.path

    @property
    def name(self) -> str:
        return self.header.name

    @property
    def streamed(self) -> bool:
        return self.layout is not None

    def blocks(self) -> Iterator[RawTable]:
        """The rows, a block at a time, each indexed by its data row number so lines stay exact."""
        if self.layout is None:
            yield self.header
            return
        layout = self.layout
        positional = [f"c{i}" for i in range(len(layout.names))]
        try:
            reader = _arrow_csv_reader(
                self.path, layout.separator, layout.header_idx, positional, self.block_bytes, layout.encoding
            )
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
            yield replace(self.header, frame=drop_blank(frame, columns=False))

    def _damaged(self, rows_read: int) -> InputError:
        line = rows_read + self.header.header_line + 1
        return InputError(
            msg(
                "cannot be read in blocks at or after line {line}: a blank or damaged line, unbalanced quotes, "
                "more fields than the header, or text that is not UTF-8",
                line=line,
            ),
            hint=msg(
                "check the lines from there on, or export the file again as CSV UTF-8 (a file this large is "
                "read in blocks, which needs clean UTF-8 CSV)"
            ),
            path=str(self.path),
        )


def open_source(
    path: Path, *, sheet: str | None = None, known_headers: Iterable[str] = (), stream_above: int | None = None
) -> TableSource:
    """A file as blocks: read whole (one block), or streamed when it is a delimited file above `stream_above`
    bytes (None: above what this machine's memory holds when read whole)."""
    path = Path(path)
    if not _stream(path, stream_above):
        return TableSource(read_table(path, sheet=sheet, known_headers=known_headers))
    head, size = read_head(path)
    if head.startswith(b"PK\x03\x04"):
        return TableSource(read_table(path, sheet=sheet, known_headers=known_headers))
    layout = layout_of(path, head, size, {normalise_header(h) for h in known_headers})
    if layout is None:
        raise InputError(
            msg(
                "is {value:.1f} GB and its encoding cannot be told from its start (UTF-8 with a damaged character, "
                "or neither UTF-8, UTF-16 nor Windows-1252): a file this large is read in blocks, which needs a "
                "clear encoding",
                value=size / 1e9,
            ),
            hint=msg("save or export it as 'CSV UTF-8', or split it per school or per period"),
            path=str(path),
        )
    empty = pd.DataFrame({n: pd.Categorical([]) for n in layout.names})
    header = RawTable(
        path,
        empty,
        header_line=layout.header_idx + 1,
        encoding=layout.encoding,
        separator=layout.separator,
        notes=(*layout.notes, "read in blocks: too large to hold whole"),
    )
    return TableSource(header, layout, STREAM_BLOCK_BYTES)


def _stream(path: Path, stream_above: int | None) -> bool:
    if not path.is_file() or path.suffix.lower() in WORKBOOK_SUFFIXES:
        return False
    size = path.stat().st_size
    if stream_above is not None:
        return size > stream_above
    available = sniff.available_memory()  # looked up at call time, so tests can pretend memory is small
    return available is not None and size * MEMORY_PER_FILE_BYTE > available


def _read_delimited_carefully(path: Path, *, known: set[str]) -> RawTable:
    """The whole file in memory: exact encoding decisions and line numbers for anything unusual."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            msg("cannot be read ({strerror})", strerror=exc.strerror),
            hint=msg("check the file's permissions"),
            path=str(path),
        ) from None
    encoding, head, notes = decode_text(data, path)
    first_newline = head.find("\n")
    if first_newline == -1 and len(head) >= MAX_HEADER_BYTES:
        raise InputError(
            msg("has a first line longer than 1 MB, so it is not a table export"),
            hint=msg("export the table again as CSV"),
            path=str(path),
        )
    lines = head.splitlines()[:HEADER_SEARCH_LINES]
    sep = choose_separator(lines)
    rows = [split_line(line, sep) for line in lines]
    header_idx = header_index(rows, known)
    names = header_names(rows[header_idx], path) if rows else []
    if header_idx:
        notes.append(msg("skipped {count} line(s) above the header", count=header_idx))
    source: io.BytesIO | io.StringIO
    if encoding == "utf-16":
        source = io.StringIO(data.decode("utf-16"))
        read_encoding = None
    else:
        source = io.BytesIO(data)
        read_encoding = "utf-8-sig" if encoding == "utf-8-sig" else encoding
    try:
        frame = pd.read_csv(
            source,
            sep=sep,
            header=None,
            skiprows=header_idx + 1,
            dtype=str,
            index_col=False,
            encoding=read_encoding,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            on_bad_lines="error",
            engine="c",
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            line = int(match.group(2))  # pandas counts lines from the top of the file
            raise InputError(
                msg(
                    "line {line} has {group} fields where the header has {group2}",
                    line=line,
                    group=match.group(3),
                    group2=match.group(1),
                ),
                hint=msg(
                    "check separators and quotes on that line (the separator is {value})", value=separator_name(sep)
                ),
                path=str(path),
            ) from None
        raise InputError(
            msg("cannot be parsed as a table (unbalanced quotes or a damaged line)"),
            hint=msg("open it in a spreadsheet, check it, and export it again as CSV"),
            path=str(path),
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            msg("has a character that is not valid {encoding} (byte {start})", encoding=encoding, start=exc.start),
            hint=msg("save it again as 'CSV UTF-8'"),
            path=str(path),
        ) from None
    except MemoryError:
        raise InputError(
            msg("does not fit in this machine's memory"),
            hint=msg("split the export per school or per period and screen each part"),
            path=str(path),
        ) from None
    except (ValueError, OverflowError) as exc:
        raise InputError(
            msg("cannot be read as a table ({name})", name=type(exc).__name__),
            hint=msg("export the table again as CSV"),
            path=str(path),
        ) from None
    frame = _fit_width(frame, len(names), header_idx, path)
    frame.columns = names
    frame = drop_blank(frame)
    return RawTable(path, frame, header_line=header_idx + 1, encoding=encoding, separator=sep, notes=tuple(notes))


def _fit_width(frame: pd.DataFrame, width: int, header_idx: int, path: Path) -> pd.DataFrame:
    """Make the frame as wide as the header: pad short files; refuse values beyond the last header column."""
    if frame.shape[1] > width:
        extra = frame.iloc[:, width:].notna().any(axis=1).to_numpy()
        if extra.any():
            position = int(extra.argmax())
            filled = frame.iloc[position].notna().to_numpy()
            fields = int(len(filled) - filled[::-1].argmax())
            line = int(frame.index[position]) + header_idx + 2
            raise InputError(
                msg(
                    "line {line} has {fields} fields where the header has {width}",
                    line=line,
                    fields=fields,
                    width=width,
                ),
                hint=msg("check separators and quotes on that line, or name the extra columns"),
                path=str(path),
            )
        frame = frame.iloc[:, :width]
    for i in range(frame.shape[1], width):
        frame[i] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame.columns = range(width)
    return frame


def _read_with_arrow(
    path: Path, sep: str, header_idx: int, names: list[str], encoding: str = "utf-8"
) -> pd.DataFrame | None:
    """The fast path: pyarrow's multi-threaded reader on a UTF-8 file, every column dictionary-encoded text.

    Returns None when the file needs the careful path (another encoding further on, blank lines, ragged rows,
    odd quoting): the pandas C engine then reads it and reports exact line numbers. pyarrow's own messages
    quote row contents, so they are never shown.
    """
    if not names:
        return None
    try:
        table = pacsv.read_csv(str(path), **_arrow_options(sep, header_idx, names, ARROW_BLOCK_BYTES, encoding))
        frame = table.to_pandas()
    except (pa.ArrowException, ValueError, UnicodeDecodeError, MemoryError, OSError):
        return None
    if frame.shape[1] != len(names):
        return None
    return frame


def _arrow_options(
    sep: str, header_idx: int, names: list[str], block_bytes: int, encoding: str = "utf-8"
) -> dict[str, Any]:
    """pyarrow CSV options: every column dictionary-encoded text, empty cells missing, no type guessing."""
    text_type = pa.dictionary(pa.int32(), pa.string())
    return {
        "read_options": pacsv.ReadOptions(
            column_names=names,
            skip_rows=header_idx + 1,
            use_threads=True,
            block_size=block_bytes,
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
        ),
        "parse_options": pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False, newlines_in_values=False),
        "convert_options": pacsv.ConvertOptions(
            column_types={n: text_type for n in names},
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=True,
        ),
    }


def _arrow_csv_reader(
    path: Path, sep: str, header_idx: int, names: list[str], block_bytes: int, encoding: str = "utf-8"
) -> Any:
    return pacsv.open_csv(str(path), **_arrow_options(sep, header_idx, names, block_bytes, encoding))
