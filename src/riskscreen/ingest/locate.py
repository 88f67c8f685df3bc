"""Finding which file holds which table: named explicitly, recognised by file name, or by its headers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from riskscreen.errors import InputError, UsageError
from riskscreen.ingest.profiles import TABLES, Profile, list_profiles
from riskscreen.ingest.raw import RawTable
from riskscreen.ingest.sniff import normalise_header

DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}


def _file_patterns(profiles: Iterable[Profile]) -> dict[str, set[str]]:
    patterns: dict[str, set[str]] = {t: {t} for t in TABLES}
    for profile in profiles:
        for table, words in profile.files.items():
            patterns[table].update(normalise_header(w) for w in words)
    return patterns


def locate_files(folder: Path | None, explicit: Mapping[str, Path | None],
                 profiles: Iterable[Profile] | None = None) -> tuple[dict[str, Path], list[Path]]:
    """Which file holds which table: named explicitly, or recognised in the folder by file name.

    Returns the recognised files and the data files whose name said nothing (to be tried by headers).
    """
    found: dict[str, Path] = {t: Path(p) for t, p in explicit.items() if p is not None}
    if folder is None:
        return found, []
    folder = Path(folder)
    if not folder.exists():
        raise InputError("folder not found", hint="check the path", path=str(folder))
    if not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder, or name the files with --attendance and --grades")
    patterns = _file_patterns(profiles if profiles is not None else [p for _, p in list_profiles()])
    candidates: dict[str, list[Path]] = {t: [] for t in TABLES}
    unknown: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file() or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        if path in found.values():
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
            raise UsageError(f"two files in {folder} could be the {table} table: {names}",
                             hint=f"move one away, or name the right one with --{table} PATH")
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
