"""Finding which file holds which table: named explicitly, recognised by file name, or by its headers."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from riskscreen.errors import InputError, UsageError, msg
from riskscreen.files import os_reason
from riskscreen.i18n import LANGUAGES, texts
from riskscreen.ingest.holidays import is_holiday_file
from riskscreen.ingest.profile_files import list_profiles
from riskscreen.ingest.profiles import TABLES, Profile
from riskscreen.ingest.raw import RawTable
from riskscreen.ingest.sniff import normalise_header

DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
# Formats riskscreen does not read: a file of one of these named like an export is an error, never passed over
# (an attendance export saved as .xls beside readable grades would otherwise leave the 16-hour rule without data).
UNREADABLE_SUFFIXES = {
    ".xls",
    ".xlsb",
    ".ods",
    ".numbers",
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".rtf",
    ".json",
    ".xml",
    ".html",
    ".htm",
    ".zip",
}


def _file_patterns(profiles: Iterable[Profile]) -> dict[str, set[str]]:
    patterns: dict[str, set[str]] = {t: {t} for t in TABLES}
    for profile in profiles:
        for table, words in profile.files.items():
            patterns[table].update(normalise_header(w) for w in words)
    return patterns


# Column names only riskscreen's own outputs have, in either language (normalised): a list, scores, an
# explanation, a validation report or a history listing written into the data folder is never read as an export.
OWN_OUTPUT_HEADERS = (
    {"reason1", "reason2", "reason3", "probability"},  # score --format csv
    {"feature", "reference", "contribution"},  # explain --format csv
    {"severity", "rule", "fix"},  # validate --format csv
    {"asof", "model", "onlist"},  # history --format csv
)


def _own_headers() -> list[set[str]]:
    """The signatures above, and the write-in columns of the shortlist in every language of the catalogues."""
    shortlists = [
        {normalise_header(texts(lang)["shortlist"][key]) for key in ("action", "who", "when")} for lang in LANGUAGES
    ]
    # the Dutch CSV of scores and explanations has its headings in words (text/nl.toml [csv_columns])
    worded = [
        {normalise_header(texts(lang).get("csv_columns", {}).get(key, key)) for key in keys}
        for lang in LANGUAGES
        for keys in (
            ("reason_1", "reason_2", "reason_3", "probability"),
            ("feature", "reference", "contribution"),
            ("as_of", "model", "on_list"),
        )
    ]
    return [*OWN_OUTPUT_HEADERS, *shortlists, *worded]


OWN_WORKBOOK_MARK = b"<dc:creator>riskscreen</dc:creator>"


def own_output(path: Path) -> bool:
    """Whether a file in the data folder is one of riskscreen's own outputs (recognised by its header row, or
    by the creator mark of the workbooks it writes)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                return OWN_WORKBOOK_MARK in archive.read("docProps/core.xml")[:65536]
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
            return False
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
    names = {normalise_header(cell) for cell in re.split(r"[;,\t]", first)}
    return any(signature <= names for signature in _own_headers())


def locate_files(
    folder: Path | None,
    explicit: Mapping[str, Path | None],
    profiles: Iterable[Profile] | None = None,
    skipped: list[Path] | None = None,
    unreadable: list[tuple[Path, str]] | None = None,
    ignored: list[Path] | None = None,
) -> tuple[dict[str, Path], list[Path]]:
    """Which file holds which table: named explicitly, or recognised in the folder by file name.

    Returns the recognised files and the data files whose name said nothing (to be tried by headers);
    riskscreen's own outputs in the folder are left out (and added to `skipped`), files named like an export in a
    format riskscreen cannot read are added to `unreadable` with their table, and every other file to `ignored`.
    """
    found: dict[str, Path] = {t: Path(p) for t, p in explicit.items() if p is not None}
    if folder is None:
        return found, []
    folder = Path(folder)
    if not folder.exists():
        raise InputError(msg("folder not found"), hint=msg("check the path"), path=str(folder))
    if not folder.is_dir():
        raise UsageError(
            msg("{folder} is a file; give a folder, or name the files with `attendance` and `grades`", folder=folder)
        )
    patterns = _file_patterns(profiles if profiles is not None else [p for _, p in list_profiles()])
    candidates: dict[str, list[Path]] = {t: [] for t in TABLES}
    unknown: list[Path] = []
    try:
        listed = sorted(folder.iterdir())
    except OSError as exc:
        raise InputError(
            msg("folder cannot be read ({reason})", reason=os_reason(exc)),
            path=str(folder),
            hint=msg("ask for read access to the folder, or copy the exports to a folder of your own"),
        ) from None
    for path in listed:
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        if path.suffix.lower() not in DATA_SUFFIXES:
            stem = normalise_header(path.stem)
            named = [t for t, words in patterns.items() if any(w in stem for w in words)]
            if path.suffix.lower() in UNREADABLE_SUFFIXES and named and unreadable is not None:
                unreadable.append((path, named[0]))
            elif ignored is not None:
                ignored.append(path)
            continue
        if path in found.values() or is_holiday_file(path):  # the school's calendar, read on its own
            continue
        if own_output(path):
            if skipped is not None:
                skipped.append(path)
            continue
        stem = normalise_header(path.stem)
        tables = [t for t, words in patterns.items() if any(w in stem for w in words)]
        if len(tables) == 1:
            candidates[tables[0]].append(path)
        else:
            unknown.append(path)
    for table, paths in candidates.items():
        if table in found or not paths:
            continue
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            raise UsageError(
                msg(
                    "two files in {folder} could be the {table} table: {names}", folder=folder, table=table, names=names
                ),
                hint=msg("move one away, or name the right one with --{table} PATH", table=table),
            )
        found[table] = paths[0]
    return found, unknown


def table_by_headers(raw: RawTable, profiles: Iterable[Profile]) -> str | None:
    headers = {normalise_header(c) for c in raw.frame.columns}
    best, best_hits = None, 0
    for table in TABLES:
        names = set()
        for profile in profiles:
            names |= set(profile.aliases(table))
        hits = len(headers & names)
        if table == "outcomes" and not (headers & {"asof", "peildatum", "leftwithoutqualification", "vsv"}):
            hits = 0
        if hits > best_hits:
            best, best_hits = table, hits
    return best if best_hits >= 2 else None
