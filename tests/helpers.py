"""The tests' shared helpers, in one module: small canonical schools written by hand for exact expectations,
hand-made snapshots of a school for the aggregate, the command line, and a filled-in XLSX list (no test file
imports another)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.errors import PrivacyError
from riskscreen.identifiers import bsn_valid
from riskscreen.ingest.pipeline import Exports, load_exports, read_exports
from riskscreen.workspace.snapshots import Snapshot

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


def small_listing(school_dir: Path, demo_model):  # type: ignore[no-untyped-def]
    """The week-48 list of three mentors of the 160-student sample school (seed 11), with the 16-hour students
    of the whole school and last week's list of the same students (the goldens' list)."""
    from dataclasses import replace

    import pandas as pd

    from riskscreen.scoring.score import score
    from riskscreen.weekly.shortlist import build, snapshot

    exports = load(school_dir)
    week1 = score(exports, demo_model, as_of=pd.Timestamp("2026-11-20"))
    snap = snapshot(build(week1, capacity=2))
    result = score(exports, demo_model)
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


# ---------------------------------------------------------------- the weekly cycle and the aggregate
date_of = dt.date.fromisoformat  # a day of a hand-made action, report or list
FIRST, LAST = date_of("2026-08-01"), date_of("2027-07-31")
runner = CliRunner()


def run(*args: object):  # type: ignore[no-untyped-def]
    """The command line, every argument as text."""
    return runner.invoke(app, [str(a) for a in args])


def first_listed(csv_list: str, n: int = 1) -> list[str]:
    """The first n students of a shortlist written as CSV."""
    rows = csv.DictReader(io.StringIO(csv_list.removeprefix("\ufeff")), delimiter=";")
    return [r["Leerling"] for r in rows][:n]


def fill(listing: Path, out: Path, values: dict[str, dict[str, str]]) -> None:
    """Write in the XLSX list, per student, the given columns (by their headings)."""
    from openpyxl import load_workbook

    wb = load_workbook(listing)
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        if "Stand verwijzing" not in head:
            continue
        col = {h: i + 1 for i, h in enumerate(head)}
        for r in range(2, ws.max_row + 1):
            for heading, value in values.get(str(ws.cell(r, col["Leerling"]).value), {}).items():
                ws.cell(r, col[heading], value)
    wb.save(out)


def snapshot(as_of: str, students: dict[str, dict[str, object]]) -> Snapshot:
    """A list of `as_of`: per student the few columns the aggregate reads; the rest as a shortlist stores them."""
    rows = []
    for sid, values in students.items():
        rows.append(
            {
                "student_id": sid,
                "probability": 0.1,
                "band": "low",
                "on_list": False,
                "group": "none",
                "level": "havo",
                "year": "3.0",
                "reason_features": "",
                "verzuim_16u": False,
                "verzuim_reached": None,
                "verzuim_deadline": None,
                "ziekteverzuim": False,
                **values,
            }
        )
    return Snapshot(date_of(as_of), "demo", pd.DataFrame(rows).set_index("student_id"))


def report(kind: str, end: str, *, follow_up: bool = False) -> dict[str, object]:
    """A compulsory report as a snapshot stores it: reached on `end`, due 5 working days later (a Friday here)."""
    import datetime as dt

    from riskscreen.signals.statutory.workdays import add_workdays

    deadline = add_workdays(dt.date.fromisoformat(end), 5).isoformat()
    return {
        "type": kind,
        "compulsory": True,
        "begin": "2026-09-01",
        "end": end,
        "hours": 16.0,
        "basis": "lesuren",
        "deadline": deadline,
        "reached": end,
        "follow_up": follow_up,
        "regional": kind == "rmc18",
        "note": None,
        "minor": kind != "rmc18",
    }


def listed_students(n: int, offset: int = 0) -> dict[str, dict[str, object]]:
    """n students: the first 12 high (havo 3), the next 15 elevated (vwo 4), the rest low (havo 3)."""
    out: dict[str, dict[str, object]] = {}
    for i in range(n):
        sid = f"S{offset + i:04d}"
        if i < 12:
            out[sid] = {"band": "high", "on_list": True, "probability": 0.5}
        elif i < 27:
            out[sid] = {"band": "elevated", "on_list": True, "probability": 0.2, "level": "vwo", "year": "4.0"}
        else:
            out[sid] = {}
    return out


# ---------------------------------------------------------------- a small school in Magister's headers
MAGISTER_ROSTER = (
    "Stamnummer;Niveau;Leerjaar;Leeftijd;Doublures;Afstroom;Mentor;Klas\n"
    "1001;havo;3;15;0;0;MNT01;3HA\n1002;mavo;2;14;1;0;MNT02;2MA\n"
)
MAGISTER_GRADES = "Stamnummer;Vak;Datum;Cijfer;Weging\n1001;Engels;02-09-2026;6,5;1\n1002;Wiskunde;03-09-2026;4.0;2\n"
MAGISTER_ATTENDANCE = "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;Ziek\n1002;03-09-2026;2;Ongeoorloofd\n"


def magister_school(
    tmp_path: Path,
    attendance: str = MAGISTER_ATTENDANCE,
    grades: str = MAGISTER_GRADES,
    roster: str | None = MAGISTER_ROSTER,
) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "absenties.csv").write_text(attendance, encoding="utf-8")
    (tmp_path / "cijfers.csv").write_text(grades, encoding="utf-8")
    if roster is not None:
        (tmp_path / "leerlingen.csv").write_text(roster, encoding="utf-8")
    return tmp_path
