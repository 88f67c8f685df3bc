"""Reading a school's exports: every file through the same read, guard, map and validate, then cross-checks."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError, ValidationFailed, msg
from riskscreen.ingest.blocks import ingest_source
from riskscreen.ingest.checks import cross_table_checks
from riskscreen.ingest.clock import current_date
from riskscreen.ingest.holidays import find_holiday_file, read_holidays
from riskscreen.ingest.locate import locate_files, table_by_headers
from riskscreen.ingest.mapping import MappedTable
from riskscreen.ingest.problems import ERROR, FileSummary, Problem, ValidationReport
from riskscreen.ingest.profile_files import detect_profile, list_profiles, load_profile
from riskscreen.ingest.profiles import TABLES, Profile
from riskscreen.ingest.reading import TableSource, open_source
from riskscreen.ingest.schema import validate_table

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
    hours_from_export: bool = False  # the attendance export has an hours column (else: lesson periods counted)
    # The school's holidays (the profile's and vakanties.csv's) and where they came from; without any, lesson
    # weeks come from registrations of presence when the export has them, else every week is a lesson week.
    holidays: tuple[tuple[str, str], ...] = ()
    holiday_source: str | None = None  # "profile", the calendar file's name, or both
    presence_rows: int = 0
    registration_days: np.ndarray | None = None


def read_exports(
    folder: Path | None = None,
    *,
    attendance: Path | None = None,
    grades: Path | None = None,
    students: Path | None = None,
    outcomes: Path | None = None,
    profile: str | None = None,
    sheet: str | None = None,
    allow_columns: Iterable[str] = (),
    pseudonym_columns: Iterable[str] = (),
    as_of: dt.date | None = None,
    today: dt.date | None = None,
    require: Iterable[str] = ("attendance", "grades"),
    progress: Progress | None = None,
    stream_above: int | None = None,
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
    skipped: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    ignored: list[Path] = []
    paths, unknown = locate_files(
        folder, explicit, all_profiles if not chosen else [chosen, *all_profiles], skipped, unreadable, ignored
    )
    raws: dict[str, TableSource] = {}
    for table, path in paths.items():
        say(msg("reading {name}", name=path.name))
        raws[table] = open_source(path, sheet=sheet, known_headers=known_headers, stream_above=stream_above)
    for path in unknown:
        say(msg("reading {name}", name=path.name))
        raw = open_source(path, sheet=sheet, known_headers=known_headers, stream_above=stream_above)
        guessed = table_by_headers(raw.header, [chosen] if chosen else all_profiles)
        if guessed is None:
            ignored.append(path)
            continue
        table = guessed
        if table in raws:
            raise UsageError(
                msg(
                    "two files in {folder} could be the {table} table: {name} and {name2}",
                    folder=folder,
                    table=table,
                    name=raws[table].name,
                    name2=path.name,
                ),
                hint=msg("move one away, or name the right one with --{table} PATH", table=table),
            )
        raws[table] = raw
        paths[table] = path
    missing = [t for t in require if t not in raws and t not in {table for _, table in unreadable}]
    if missing:
        options = " ".join(f"--{t} PATH" for t in missing)
        found = (
            msg("no file found for the table(s) {tables} in {folder}", tables=", ".join(missing), folder=folder)
            if folder
            else msg("no file found for the table(s) {tables} among the files given", tables=", ".join(missing))
        )
        raise UsageError(
            found,
            hint=msg(
                "name files after their table (absenties.csv, cijfers.csv, leerlingen.csv, "
                "uitstroom.csv) or give them with {options}",
                options=options,
            ),
        )
    detected = chosen is None
    if chosen is None:
        chosen = detect_profile({t: list(map(str, r.header.frame.columns)) for t, r in raws.items()}, all_profiles)
    report = ValidationReport(
        profile=chosen.name,
        profile_detected=detected,
        skipped=[str(p) for p in skipped],
        ignored=[str(p) for p in ignored],
    )
    for path, table in unreadable:
        report.problems.append(
            Problem(
                ERROR,
                table,
                path.name,
                "(file)",
                "unreadable file",
                msg(
                    "named like the {table} export, but riskscreen cannot read {suffix} files",
                    table=table,
                    suffix=path.suffix.lower(),
                ),
                msg("save it as .xlsx or .csv (Excel: Save as), or move it out of the folder if it is not an export"),
            )
        )
    schema_import.join()
    mapped: dict[str, MappedTable] = {}
    for table in TABLES:
        if table not in raws:
            continue
        source = raws[table]
        say(msg("validating {name}", name=source.name))
        m, rows = ingest_source(
            source,
            table,
            chosen,
            allowed_columns=allow_columns,
            pseudonym_columns=pseudonym_columns,
            validate=validate_table,
        )
        mapped[table] = m
        head = source.header
        report.files.append(
            FileSummary(
                table,
                str(head.path),
                rows,
                head.encoding,
                head.separator,
                head.sheet,
                tuple(head.notes) + tuple(m.notes),
                m.ignored_columns,
            )
        )
    today = today or current_date()
    cross_table_checks(mapped, as_of=as_of, today=today)
    for m in mapped.values():
        report.problems.extend(m.problems)
    frames = {t: m.frame for t, m in mapped.items()}
    bounds = [
        (f["date"].min(), f["date"].max())
        for t, f in frames.items()
        if t in {"attendance", "grades"} and "date" in f and len(f)
    ]
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
    fallback = last if not pd.isna(last) else pd.Timestamp(today)
    run_as_of = pd.Timestamp(as_of) if as_of else fallback
    report.as_of = run_as_of.date().isoformat()
    if not report.valid:
        return None, report
    duplicates = mapped["attendance"].duplicates if "attendance" in mapped else None
    if duplicates is not None and duplicates.any():
        frames["attendance"] = frames["attendance"].loc[~duplicates]
    holidays, holiday_source = _holidays(chosen, folder)
    registrations = mapped.get("attendance")
    exports = Exports(
        attendance=frames.get("attendance", _empty("attendance")),
        grades=frames.get("grades", _empty("grades")),
        students=frames.get("students"),
        outcomes=frames.get("outcomes"),
        profile=chosen,
        report=report,
        as_of=run_as_of,
        paths=paths,
        hours_from_export=registrations is not None and "hours" in registrations.sources,
        holidays=holidays,
        holiday_source=holiday_source,
        presence_rows=registrations.presence_rows if registrations is not None else 0,
        registration_days=registrations.registration_days if registrations is not None else None,
    )
    return exports, report


def _prepare_schema() -> None:
    importlib.import_module("riskscreen.ingest.schema").warm_up()


def load_exports(folder: Path | None = None, **kwargs: object) -> Exports:
    """read_exports for commands that need valid data: raises ValidationFailed with the report otherwise."""
    exports, report = read_exports(folder, **kwargs)  # type: ignore[arg-type]
    if exports is None:
        raise ValidationFailed(
            msg("the data did not pass validation ({count} problem(s))", count=len(report.errors)),
            report,
            hint=msg("run `riskscreen validate` on the same files to see every problem and how to fix it"),
        )
    return exports


def _empty(table: str) -> pd.DataFrame:
    if table == "attendance":
        return pd.DataFrame(
            {
                "student_id": pd.Categorical([]),
                "date": pd.Series([], dtype="datetime64[ns]"),
                "hours": pd.Series([], dtype=float),
                "code": pd.Categorical([]),
            }
        )
    return pd.DataFrame(
        {
            "student_id": pd.Categorical([]),
            "subject": pd.Categorical([]),
            "date": pd.Series([], dtype="datetime64[ns]"),
            "grade": pd.Series([], dtype=float),
            "weight": pd.Series([], dtype=float),
        }
    )


def _holidays(profile: Profile, folder: Path | None) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """The profile's holidays and those of a vakanties.csv beside the exports, together."""
    found = find_holiday_file(folder)
    listed = read_holidays(found) if found is not None else ()
    sources = [s for s, h in (("profile", profile.holidays), (found.name if found else "", listed)) if h]
    return tuple(dict.fromkeys([*profile.holidays, *listed])), " + ".join(sources) or None
