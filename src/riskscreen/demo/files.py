"""The sample school written as a school's exports: once, or as consecutive weekly exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from riskscreen.demo.headers import FILE_NAMES, HEADERS
from riskscreen.demo.sample import SampleSchool
from riskscreen.files import private_folder, write_output
from riskscreen.ingest.holidays import calendar_text


def write(school: SampleSchool, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the tables as CSV files named as the profile's exports would be; returns the paths."""
    out_dir = private_folder(Path(out_dir))
    names = FILE_NAMES[school.profile]
    sep = "," if school.profile == "canonical" else ";"
    written = []
    for table, frame in school.tables.items():
        text = frame.to_csv(index=False, sep=sep, lineterminator="\n")
        written.append(write_output(out_dir / names[table], text, force=force))
    if school.lesson_days:  # the school's calendar, so that holidays are not taken for weeks without absence
        written.append(write_output(out_dir / "vakanties.csv", calendar_text(school.lesson_days), force=force))
    return written


def write_weeks(school: SampleSchool, out_dir: Path, weeks: int, *, force: bool = False) -> list[Path]:
    """The same school exported on consecutive weeks (weekNN/ folders, the last one on the as-of date): each
    export holds the registrations and grades up to its own day, as a school exporting weekly would have."""
    date_fmt = "%Y-%m-%d" if school.profile == "canonical" else "%d-%m-%Y"
    headers = HEADERS[school.profile]
    written: list[Path] = []
    for back in range(weeks - 1, -1, -1):
        day = school.as_of - dt.timedelta(weeks=back)
        tables = {}
        for name, frame in school.tables.items():
            dated = name in {"attendance", "grades"}
            keep = pd.to_datetime(frame[headers[name]["date"]], format=date_fmt) <= pd.Timestamp(day) if dated else None
            tables[name] = frame.loc[keep.to_numpy()] if keep is not None else frame
        folder = Path(out_dir) / f"week{day.isocalendar().week:02d}"
        written += write(SampleSchool(tables, school.profile, day, school.lesson_days), folder, force=force)
    return written
