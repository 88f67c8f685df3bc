"""Finding a school's export files, and reading every table the same way: read, guard, map, validate."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from riskscreen.errors import InputError, UsageError, ValidationFailed
from riskscreen.ingest.mapping import MappedTable, map_table
from riskscreen.ingest.privacy import guard
from riskscreen.ingest.problems import ERROR, WARNING, FileSummary, ValidationReport, problem_at
from riskscreen.ingest.profiles import TABLES, Profile, detect_profile, list_profiles, load_profile
from riskscreen.ingest.reading import RawTable, StreamedTable, normalise_header, open_table

DATA_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}
Progress = Callable[[str], None]


@dataclass
class Exports:
    """The validated canonical tables of one school, and how they were read."""

    attendance: pd.DataFrame
    grades: pd.DataFrame
    students: pd.DataFrame | None
    outcomes: pd.DataFrame | None
    profile: Profile
    report: ValidationReport
    as_of: pd.Timestamp
    paths: dict[str, Path] = field(default_factory=dict)


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


def _table_by_headers(raw: RawTable, profiles: Iterable[Profile]) -> str | None:
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


def read_exports(folder: Path | None = None, *, attendance: Path | None = None, grades: Path | None = None,
                 students: Path | None = None, outcomes: Path | None = None, profile: str | None = None,
                 sheet: str | None = None, allow_columns: Iterable[str] = (), as_of: dt.date | None = None,
                 today: dt.date | None = None, require: Iterable[str] = ("attendance", "grades"),
                 progress: Progress | None = None, stream_above: int | None = None,
                 ) -> tuple[Exports | None, ValidationReport]:
    """Read, guard, map and validate; returns the exports (None when invalid) and the full report.

    stream_above: read delimited files larger than this many bytes block by block (None: those that would
    not fit in memory read whole).
    """
    say = progress or (lambda _msg: None)
    # pandera takes a few tenths of a second to import and load its backends: do it while pyarrow reads (it
    # holds no GIL). Its dependencies are imported here first, so the two threads never wait on each other's
    # module locks.
    with contextlib.suppress(ImportError):
        importlib.import_module("pyarrow.csv")
    schema_import = threading.Thread(target=_prepare_schema, daemon=True)
    schema_import.start()
    explicit = {"attendance": attendance, "grades": grades, "students": students, "outcomes": outcomes}
    all_profiles = [p for _, p in list_profiles()]
    chosen: Profile | None = load_profile(profile) if profile else None
    known_headers = set().union(*(p.all_headers() for p in ([chosen] if chosen else all_profiles)))
    paths, unknown = locate_files(folder, explicit, all_profiles if not chosen else [chosen, *all_profiles])
    raws: dict[str, RawTable | StreamedTable] = {}
    for table, path in paths.items():
        say(f"reading {path.name}")
        raws[table] = open_table(path, sheet=sheet, known_headers=known_headers, stream_above=stream_above)
    for path in unknown:
        say(f"reading {path.name}")
        raw = open_table(path, sheet=sheet, known_headers=known_headers, stream_above=stream_above)
        guessed = _table_by_headers(_header(raw), [chosen] if chosen else all_profiles)
        if guessed is None:
            continue
        table = guessed
        if table in raws:
            raise UsageError(f"two files in {folder} could be the {table} table: {raws[table].name} and {path.name}",
                             hint=f"move one away, or name the right one with --{table} PATH")
        raws[table] = raw
        paths[table] = path
    missing = [t for t in require if t not in raws]
    if missing:
        where = f"in {folder}" if folder else "among the files given"
        raise UsageError(
            f"no {' and no '.join(missing)} file found {where}",
            hint="name files after their table (absenties.csv, cijfers.csv, leerlingen.csv, uitstroom.csv) "
                 "or give them with " + " ".join(f"--{t} PATH" for t in missing))
    for raw in raws.values():
        if isinstance(raw, RawTable):  # a streamed file is checked block by block as it is read
            say(f"checking {raw.name} for personal data")
            guard(raw, allowed_columns=allow_columns)
    detected = chosen is None
    if chosen is None:
        chosen = detect_profile({t: list(map(str, _header(r).frame.columns)) for t, r in raws.items()},
                                all_profiles)
    report = ValidationReport(profile=chosen.name, profile_detected=detected)
    schema_import.join()
    from riskscreen.ingest.schema import validate_table

    mapped: dict[str, MappedTable] = {}
    for table in TABLES:
        if table not in raws:
            continue
        source = raws[table]
        say(f"validating {source.name}")
        if isinstance(source, StreamedTable):
            from riskscreen.ingest.blocks import map_streamed

            m, rows = map_streamed(source, table, chosen, allowed_columns=allow_columns, validate=validate_table)
        else:
            m = map_table(source, table, chosen)
            m.problems.extend(validate_table(m))
            rows = len(source.frame)
        mapped[table] = m
        raw = _header(source)
        report.files.append(FileSummary(table, str(raw.path), rows, raw.encoding, raw.separator,
                                        raw.sheet, tuple(raw.notes) + tuple(m.notes), m.ignored_columns))
    _cross_table_checks(mapped, as_of=as_of, today=today or dt.date.today())
    for m in mapped.values():
        report.problems.extend(m.problems)
    frames = {t: m.frame for t, m in mapped.items()}
    bounds = [(f["date"].min(), f["date"].max()) for t, f in frames.items()
              if t in {"attendance", "grades"} and "date" in f and len(f)]
    firsts = [b[0] for b in bounds if not pd.isna(b[0])]
    lasts = [b[1] for b in bounds if not pd.isna(b[1])]
    first, last = (min(firsts), max(lasts)) if firsts else (pd.NaT, pd.NaT)
    report.first_date = None if pd.isna(first) else first.date().isoformat()
    report.last_date = None if pd.isna(last) else last.date().isoformat()
    ids: set[str] = set()
    for frame in frames.values():
        if "student_id" in frame:
            ids.update(frame["student_id"].cat.categories.to_numpy(dtype=object).tolist())
    report.students = len(ids)
    fallback = last if not pd.isna(last) else pd.Timestamp(today or dt.date.today())
    run_as_of = pd.Timestamp(as_of) if as_of else fallback
    report.as_of = run_as_of.date().isoformat()
    if not report.valid:
        return None, report
    duplicates = mapped["attendance"].duplicates if "attendance" in mapped else None
    if duplicates is not None and duplicates.any():
        frames["attendance"] = frames["attendance"].loc[~duplicates]
    exports = Exports(
        attendance=frames.get("attendance", _empty("attendance")), grades=frames.get("grades", _empty("grades")),
        students=frames.get("students"), outcomes=frames.get("outcomes"), profile=chosen, report=report,
        as_of=run_as_of, paths=paths)
    return exports, report


def _header(table: RawTable | StreamedTable) -> RawTable:
    return table.header if isinstance(table, StreamedTable) else table


def _prepare_schema() -> None:
    importlib.import_module("riskscreen.ingest.schema").warm_up()


def load_exports(folder: Path | None = None, **kwargs: object) -> Exports:
    """read_exports for commands that need valid data: raises ValidationFailed with the report otherwise."""
    exports, report = read_exports(folder, **kwargs)  # type: ignore[arg-type]
    if exports is None:
        raise ValidationFailed(
            f"the data did not pass validation ({len(report.errors)} problem(s))", report,
            hint="run `riskscreen validate` on the same files to see every problem and how to fix it")
    return exports


def _empty(table: str) -> pd.DataFrame:
    if table == "attendance":
        return pd.DataFrame({"student_id": pd.Categorical([]), "date": pd.Series([], dtype="datetime64[ns]"),
                             "hours": pd.Series([], dtype=float), "code": pd.Categorical([])})
    return pd.DataFrame({"student_id": pd.Categorical([]), "subject": pd.Categorical([]),
                         "date": pd.Series([], dtype="datetime64[ns]"), "grade": pd.Series([], dtype=float),
                         "weight": pd.Series([], dtype=float)})


def duplicated_rows(frame: pd.DataFrame) -> np.ndarray:
    """Exact duplicate rows (all but the first of each), from one integer key per row."""
    if len(frame) == 0:
        return np.zeros(0, dtype=bool)
    key = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64) + 1
            radix = len(series.cat.categories) + 1
        elif pd.api.types.is_datetime64_any_dtype(series):
            days = series.to_numpy(dtype="datetime64[D]").astype(np.int64)
            valid = days != np.iinfo(np.int64).min
            low = int(days[valid].min(initial=0))
            codes = np.where(valid, days - low + 1, 0)
            radix = int(codes.max(initial=0)) + 1
        else:
            codes = pd.factorize(series, use_na_sentinel=False)[0].astype(np.int64)
            radix = int(codes.max(initial=0)) + 1
        if int(key.max(initial=0)) >= np.iinfo(np.int64).max // max(radix, 1):
            key = pd.factorize(key)[0].astype(np.int64)  # keep the combined key within 64 bits
        key = key * radix + codes
    return pd.Series(key).duplicated(keep="first").to_numpy()


def _lines(m: MappedTable, mask: np.ndarray) -> np.ndarray:
    return m.frame.index.to_numpy()[np.flatnonzero(mask)] + m.raw.header_line + 1


def _cross_table_checks(mapped: dict[str, MappedTable], *, as_of: dt.date | None, today: dt.date) -> None:
    """Checks that need more than one row or table: future dates, duplicates, ids missing from the roster."""
    today_ts = pd.Timestamp(today)
    for table in ("attendance", "grades"):
        m = mapped.get(table)
        if m is None or "date" not in m.frame:
            continue
        dates = m.frame["date"].to_numpy()
        future = dates > today_ts.to_datetime64()
        if future.any():
            m.problems.append(problem_at(
                ERROR, table, m.raw.name, "date", "future date", f"a date after today ({today.isoformat()})",
                "correct the date; a typo in the year is the usual cause", _lines(m, future),
                [str(pd.Timestamp(d).date()) for d in dates[future][:5]]))
        elif as_of is not None:
            late = dates > pd.Timestamp(as_of).to_datetime64()
            if late.any():
                m.problems.append(problem_at(
                    WARNING, table, m.raw.name, "date", "after as-of",
                    f"dated after the as-of date {as_of.isoformat()}; not used in this run", "nothing to do",
                    _lines(m, late)))
    att = mapped.get("attendance")
    if att is not None and "code" in att.frame and len(att.frame):
        dup = duplicated_rows(att.frame)
        att.duplicates = dup
        if dup.any():
            att.problems.append(problem_at(
                WARNING, "attendance", att.raw.name, "(row)", "duplicate registration",
                "the same registration appears more than once; counted once",
                "nothing to do; or remove the double rows from the export", _lines(att, dup)))
    roster = mapped.get("students")
    if roster is None or "student_id" not in roster.frame:
        return
    key = ["student_id", "as_of"] if "as_of" in roster.frame else ["student_id"]
    twice = duplicated_rows(roster.frame[key])
    if twice.any():
        roster.problems.append(problem_at(
            ERROR, "students", roster.raw.name, "student_id", "duplicate student",
            "the same student is listed twice in the roster" + (" for the same as-of date" if len(key) > 1 else ""),
            "keep one row per student (or per student and as-of date)", _lines(roster, twice),
            list(roster.frame["student_id"].to_numpy()[twice][:5])))
    known = set(roster.frame["student_id"].cat.categories.to_numpy(dtype=object).tolist())
    for table in ("attendance", "grades", "outcomes"):
        m = mapped.get(table)
        if m is None or "student_id" not in m.frame:
            continue
        ids = m.frame["student_id"]
        codes = ids.cat.codes.to_numpy()
        used = ids.cat.categories[np.unique(codes[codes >= 0])]
        strangers = [c for c in used.to_numpy(dtype=object).tolist() if c not in known]
        if strangers:
            mask = ids.isin(strangers).to_numpy()
            m.problems.append(problem_at(
                WARNING, table, m.raw.name, "student_id", "not in roster",
                f"{len(strangers)} student(s) missing from the roster; scored without roster data",
                "add them to the roster, or check whether they left the school", _lines(m, mask),
                list(ids.to_numpy()[mask][:5])))
