"""Sniffing a delimited export: binary look-alikes, encoding, separator, and where the header row is."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from riskscreen.errors import InputError, msg
from riskscreen.identifiers import fold_text

HEADER_SEARCH_LINES = 30
SEPARATORS = (";", ",", "\t")
MAX_HEADER_BYTES = 1_000_000
HEAD_BYTES = 2_000_000
# Peak memory of a whole score run per byte of CSV (about 2.7 at 10M rows, docs/performance.md), with margin:
# a delimited file above available memory / this is read in blocks; a workbook is refused.
MEMORY_PER_FILE_BYTE = 8


def normalise_header(name: object) -> str:
    """The form used to match column names: folded, lower case, without spaces or punctuation."""
    return re.sub(r"[\W_]+", "", fold_text(name).strip().lower())


def _sniff_binary(data: bytes, path: Path) -> None:
    if data.startswith(b"%PDF"):
        raise InputError(
            msg("is a PDF document, not a table export"),
            hint=msg("export the data from the school system as CSV or XLSX"),
            path=str(path),
        )
    if data.startswith(b"PK\x03\x04"):
        raise InputError(
            msg("is a ZIP archive, not a table export"),
            hint=msg("unzip it first and point riskscreen at the CSV or XLSX inside"),
            path=str(path),
        )
    if data.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")):
        raise InputError(
            msg("is a compressed archive, not a table export"), hint=msg("decompress it first"), path=str(path)
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            msg("is an old Excel (.xls) or Office file"),
            hint=msg("open it in Excel and save it as .xlsx or CSV UTF-8"),
            path=str(path),
        )
    if _utf16_without_bom(data[:65536]):
        raise InputError(
            msg("looks like UTF-16 text without a byte-order mark"),
            hint=msg("save it again as 'CSV UTF-8' (or as Unicode text with a byte-order mark)"),
            path=str(path),
        )
    if b"\x00" in data[:65536]:
        raise InputError(
            msg("holds binary data, not text"), hint=msg("export the data as CSV (UTF-8) or XLSX"), path=str(path)
        )


def decode_text(data: bytes, path: Path) -> tuple[str | None, str, list[str]]:
    """Pick the encoding; returns (encoding for pandas or None when text is given, text head, notes)."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                msg("starts like UTF-16 text but is damaged"), hint=msg("save it again as 'CSV UTF-8'"), path=str(path)
            ) from None
        notes.append(msg("read as UTF-16 (Excel 'Unicode text')"))
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
                msg("is UTF-8 text with a damaged character on line {line}", line=line),
                hint=msg("open the file in a text editor, fix or remove the odd character, and save as UTF-8"),
                path=str(path),
            ) from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            msg("is neither UTF-8 nor Windows-1252 text (line {line})", line=line),
            hint=msg("save it as 'CSV UTF-8' from Excel or the school system"),
            path=str(path),
        ) from None
    notes.append(msg("read as Windows-1252: the file is not UTF-8"))
    return "cp1252", text[:MAX_HEADER_BYTES], notes


def _utf16_without_bom(data: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte is zero (ASCII letters in two bytes)."""
    sample = data[: len(data) // 2 * 2]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    for zeros, text in ((odd, even), (even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
            try:
                sample.decode("utf-16-le" if zeros is odd else "utf-16-be")
                return True
            except UnicodeDecodeError:
                return False
    return False


def _looks_like_utf8(data: bytes) -> bool:
    """True when the bytes hold well-formed multi-byte UTF-8 sequences, so a bad byte is damage."""
    return len(re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", data[:1_000_000])) >= 1


def split_line(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:  # a field over the csv module's 128 KiB limit (a long comment cell): split it plainly
        return line.split(sep)


def choose_separator(lines: Sequence[str]) -> str:
    best, best_score = ",", 0
    for sep in SEPARATORS:
        counts = [len(split_line(line, sep)) for line in lines[:10] if line.strip()]
        if not counts:
            continue
        score = max(counts)
        if score > best_score:
            best, best_score = sep, score
    return best


def header_index(rows: Sequence[Sequence[str]], known: set[str]) -> int:
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


def header_names(cells: Sequence[object], path: Path) -> list[str]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = str(cell).strip() if cell is not None else ""
        if not name:
            name = f"column {i + 1}"
        key = normalise_header(name)
        if key in seen:
            raise InputError(
                msg(
                    "column name '{name}' appears twice (columns {first} and {second})",
                    name=name,
                    first=seen[key] + 1,
                    second=i + 1,
                ),
                hint=msg("rename or remove one of the two columns"),
                path=str(path),
            )
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
            msg(
                "is {size_gb:.1f} GB: screening it needs about {needed_gb:.0f} GB of memory and this machine has "
                "{free_gb:.1f} GB free",
                size_gb=size / 1e9,
                needed_gb=needed / 1e9,
                free_gb=available / 1e9,
            ),
            hint=msg("split the export per school or per period and screen each part (see docs/performance.md)"),
            path=str(path),
        )


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
class Layout:
    """Where a delimited file's header is, how its fields are separated, its encoding (from its first 2 MB)."""

    separator: str
    header_idx: int  # 0-based line of the header
    names: list[str]
    encoding: str
    notes: tuple[str, ...]


def read_head(path: Path) -> tuple[bytes, int]:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise InputError(
            msg("cannot be read ({strerror})", strerror=exc.strerror),
            hint=msg("check the file's permissions"),
            path=str(path),
        ) from None
    if not head or (len(head) == size and head.isspace()):
        raise InputError(
            msg("is empty"), hint=msg("export the table again; the file has no header and no rows"), path=str(path)
        )
    return head, size


def _head_decoded(head: bytes, complete: bool) -> tuple[str, str, tuple[str, ...]] | None:
    """The start of a file as text, its encoding and a note; None when the careful reader must decide.

    UTF-16 with a byte-order mark and UTF-8 (with or without one) are decided from the head; Windows-1252 only
    when the head holds no well-formed multi-byte UTF-8 (then a bad byte is damage, which the careful reader
    names by line), as the careful reader decides it.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        decoder = codecs.getincrementaldecoder("utf-16")()
        try:
            return decoder.decode(head, final=complete), "utf-16", ("read as UTF-16 (Excel 'Unicode text')",)
        except UnicodeDecodeError:
            return None
    text = _head_text(head, complete)
    if text is not None:
        return text, ("utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8"), ()
    if _looks_like_utf8(head):
        return None
    try:
        return head.decode("cp1252"), "cp1252", ("read as Windows-1252: the file is not UTF-8",)
    except UnicodeDecodeError:
        return None


def layout_of(path: Path, head: bytes, size: int, known: set[str]) -> Layout | None:
    """Separator, header row and encoding of a delimited file from its first 2 MB; None if it needs the careful
    reader (an encoding it cannot tell from the head, or a first line of over 1 MB)."""
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        _sniff_binary(head, path)
    decoded = _head_decoded(head, complete=len(head) == size)
    if decoded is None:
        return None
    text, encoding, notes = decoded
    lines = text.splitlines()[:HEADER_SEARCH_LINES]
    if not lines or (len(lines) == 1 and len(head) >= MAX_HEADER_BYTES):
        return None
    sep = choose_separator(lines)
    rows = [split_line(line, sep) for line in lines]
    header_idx = header_index(rows, known)
    names = header_names(rows[header_idx], path)
    if header_idx:
        notes = (*notes, f"skipped {header_idx} line(s) above the header")
    return Layout(sep, header_idx, names, encoding, notes)


def separator_name(sep: str) -> str:
    return {";": "';'", ",": "','", "\t": "a tab"}[sep]
