"""Shared pieces of the weekly-cycle and aggregate tests: hand-made snapshots of a school, the command line, and
a filled-in XLSX list (a module of its own, so that no test file imports another)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.workspace.snapshots import Snapshot

day = dt.date.fromisoformat  # a day of a hand-made action, report or list
FIRST, LAST = day("2026-08-01"), day("2027-07-31")
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
    return Snapshot(day(as_of), "demo", pd.DataFrame(rows).set_index("student_id"))


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


def school(n: int, offset: int = 0) -> dict[str, dict[str, object]]:
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
