"""Small canonical schools written by hand, for exact expectations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from riskscreen.errors import PrivacyError
from riskscreen.identifiers import bsn_valid
from riskscreen.ingest.pipeline import Exports, load_exports, read_exports

MONDAY = dt.date(2026, 8, 31)  # week 36


def day(week: int, weekday: int = 0) -> str:
    """ISO date of a weekday (0 = Monday) in the week `week` weeks after 31 August 2026."""
    return (MONDAY + dt.timedelta(weeks=week, days=weekday)).isoformat()


def write_school(
    folder: Path,
    attendance: list[tuple[str, str, int, float, str]],
    grades: list[tuple[str, str, str, float, float]] = (),  # type: ignore[assignment]
    students: list[str] | None = None,
    filler_weeks: int = 0,
) -> Path:
    """Canonical CSVs. filler_weeks adds one late arrival per week for student F1, so every week is a lesson week."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(attendance) + [("F1", day(w, 2), 1, 1.0, "late") for w in range(filler_weeks)]
    (folder / "attendance.csv").write_text(
        "student_id,date,period,hours,code\n" + "".join(f"{s},{d},{p},{h},{c}\n" for s, d, p, h, c in rows)
    )
    grade_rows = list(grades) or [("F1", "Engels", day(0), 7.0, 1.0)]
    (folder / "grades.csv").write_text(
        "student_id,subject,date,grade,weight\n" + "".join(f"{s},{sub},{d},{g},{w}\n" for s, sub, d, g, w in grade_rows)
    )
    if students is not None:
        (folder / "students.csv").write_text("\n".join(students) + "\n")
    return folder


def load(folder: Path, as_of: str | None = None) -> Exports:
    return load_exports(folder, today=dt.date(2026, 11, 30), as_of=dt.date.fromisoformat(as_of) if as_of else None)


def workbook(path: Path, sheets: dict[str, list[list[object]]], merge: str | None = None) -> None:
    """An XLSX file with the given sheets and rows (openpyxl), optionally with merged cells."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if merge:
            ws.merge_cells(merge)
    wb.save(path)


def small_listing(school_dir: Path, demo_model, lang: str):  # type: ignore[no-untyped-def]
    """The week-48 list of three mentors of the 160-student sample school (seed 11), with the 16-hour students
    of the whole school and last week's list of the same students (the goldens' list)."""
    from dataclasses import replace

    import pandas as pd

    from riskscreen.scoring.score import score
    from riskscreen.weekly.shortlist import build, snapshot

    exports = load(school_dir)
    week1 = score(exports, demo_model, lang=lang, as_of=pd.Timestamp("2026-11-20"))
    snap = snapshot(build(week1, capacity=2))
    result = score(exports, demo_model, lang=lang)
    mentors = sorted(result.table["mentor"].dropna().unique())[:3]
    small = result.table[result.table["mentor"].isin(mentors) | result.table["verzuim_16u"]]
    snap = replace(snap, students=snap.students.loc[snap.students.index.isin(small["student_id"])])
    return build(replace(result, table=small), capacity=2, previous=snap)


def bsns(n: int, seed: int = 0) -> list[str]:
    """n numbers that pass the 11-check (made up; no real person's)."""
    rng = np.random.default_rng(seed)
    out: list[str] = []
    while len(out) < n:
        candidate = str(rng.integers(100_000_000, 999_999_999))
        if bsn_valid([candidate])[0]:
            out.append(candidate)
    return out


GRADES = "student_id,subject,date,grade\n{first},Engels,2026-11-02,7\n"


def school(tmp_path: Path, ids: list[str], extra_header: str = "", extra: list[str] | None = None) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{i},2026-09-{1 + n % 28:02d},sick{',' + extra[n] if extra else ''}\n" for n, i in enumerate(ids))
    (tmp_path / "attendance.csv").write_text(f"student_id,date,code{extra_header}\n{rows}", encoding="utf-8")
    (tmp_path / "grades.csv").write_text(GRADES.format(first=ids[0]), encoding="utf-8")
    return tmp_path


def refused(folder: Path, **kw: object) -> str:
    with pytest.raises(PrivacyError) as exc:
        read_exports(folder, **kw)  # type: ignore[arg-type]
    return str(exc.value)


def accepted(folder: Path, **kw: object) -> bool:
    exports, report = read_exports(folder, **kw)  # type: ignore[arg-type]
    return exports is not None and report.valid
