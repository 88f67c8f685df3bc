"""A view of the weekly list per role (#22 item 1), read back from every format as the person it is for gets it:
the youth worker sees only students with a basis for sharing, no health data (AVG art. 9: sick leave and M@ZL
become one care line), no all-students sheet and no chance of a student not on the list; a mentor sees only their
own students; leerplicht sees the statutory reports and nothing from the model."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook
from tests.helpers import run

from riskscreen.demo import files as demo_files
from riskscreen.demo import sample

SICK = "111123"  # listed in week 48 of the sample school; reported sick every lesson of three weeks below


@pytest.fixture(scope="module")
def school_with_history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample school's week 48, one listed student sick for three weeks (an open M@ZL signal), the whole list
    stored."""
    folder = tmp_path_factory.mktemp("roles")
    demo_files.write_weeks(sample.generate(160, seed=11), folder, 1)
    exports, ws = folder / "week48", folder / "ws"
    days = [dt.date(2026, 11, 2) + dt.timedelta(days=n) for n in range(19)]
    sick = [f"{SICK};{d:%d-%m-%Y};{lesson};Ziek" for d in days if d.weekday() < 5 for lesson in range(1, 7)]
    attendance = exports / "absenties.csv"
    attendance.write_text(
        attendance.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(sick) + "\n", encoding="utf-8"
    )
    whole = run("shortlist", exports, "--workspace", ws, "-f", "json", "--store")
    assert whole.exit_code == 0, whole.stderr
    return exports, ws


def _students(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(path.read_text(encoding="utf-8"))["students"]


@pytest.fixture
def views(school_with_history: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path, dict[str, object]]:
    exports, stored = school_with_history
    ws = tmp_path / "ws"
    shutil.copytree(stored, ws)
    whole = tmp_path / "whole.json"
    assert run("shortlist", exports, "--workspace", ws, "-o", whole, "--no-history").exit_code == 0
    students = _students(whole)
    sick = next(s for s in students if s["student_id"] == SICK)
    assert sick["sick_leave"]["state"] == "open" and [r["type"] for r in sick["statutory"]] == ["mazl"]
    plain = next(s for s in students if s is not sick)
    for student in (sick, plain):
        added = run(
            "sharing", "set", student["student_id"], "--basis", "toestemming", "--on", "2026-11-02", "--workspace", ws
        )
        assert added.exit_code == 0, added.stderr
    return exports, ws, {"sick": sick, "plain": plain, "all": students}


def test_the_youth_worker_gets_only_shared_students_and_no_health_data(
    views: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    exports, ws, known = views
    outputs = [tmp_path / f"jw.{f}" for f in ("json", "csv", "xlsx", "pdf", "md")]
    made = run(
        "shortlist",
        exports,
        "--workspace",
        ws,
        "--for",
        "jongerenwerker",
        "--no-history",
        *[a for p in outputs for a in ("-o", p)],
    )
    assert made.exit_code == 0, made.stderr
    shared = {known["sick"]["student_id"], known["plain"]["student_id"]}  # type: ignore[index]
    others = {s["student_id"] for s in known["all"]} - shared  # type: ignore[attr-defined]
    data = json.loads(outputs[0].read_text(encoding="utf-8"))
    assert data["role"] == "youthworker" and {s["student_id"] for s in data["students"]} == shared
    assert sum(data["withheld"].values()) == len(others)
    for student in data["students"]:
        assert student["sick_leave"] == {"state": "withheld", "reported_on": None}
        assert not set(student["reason_features"]) & {"sick_hours_12w", "sick_spells_12w"}
        assert not any(p.startswith("sick") for p in student["prompts"])
        assert all(r["type"] != "mazl" for r in student["statutory"])
    rows = list(csv.DictReader(io.StringIO(outputs[1].read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {r["Leerling"] for r in rows} == shared
    sick_row = next(r for r in rows if r["Leerling"] == known["sick"]["student_id"])  # type: ignore[index]
    assert "zorgsignaal: bespreek met de zorgcoördinator" in sick_row["Waarom op de lijst"]
    book = load_workbook(outputs[2])
    assert "Alle leerlingen" not in book.sheetnames
    cells = " ".join(str(c.value) for ws_ in book.worksheets for row in ws_.iter_rows() for c in row if c.value)
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(outputs[3]).pages)
    markdown = outputs[4].read_text(encoding="utf-8")
    for text in (cells, pdf, markdown, outputs[1].read_text(encoding="utf-8-sig")):
        assert not any(re.search(rf"\b{s}\b", text) for s in others)
        assert "ziek gemeld" not in text and "M@ZL" not in text and "uur ziek" not in text
    assert "niet gedeeld (geen grondslag voor delen)" in markdown.lower()  # in a group, or "elsewhere"


def test_a_mentor_gets_only_their_own_students(views: tuple[Path, Path, dict[str, object]], tmp_path: Path) -> None:
    exports, ws, known = views
    mentor = known["plain"]["group"].split(":", 1)[1]  # type: ignore[index]
    out = tmp_path / "mentor.xlsx"
    made = run(
        "shortlist", exports, "--workspace", ws, "--for", "mentor", "--mentor", mentor, "-o", out, "--no-history"
    )
    assert made.exit_code == 0, made.stderr
    book = load_workbook(out)
    assert book.sheetnames[1:] == ["Alle leerlingen", mentor]
    everyone = [row[2].value for row in book["Alle leerlingen"].iter_rows(min_row=2)]
    assert everyone and set(everyone) == {mentor}
    assert run("shortlist", exports, "--workspace", ws, "--for", "mentor", "--no-history").exit_code == 2


def test_leerplicht_gets_the_statutory_reports_and_nothing_from_the_model(
    views: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    exports, ws, _ = views
    outputs = [tmp_path / f"lp.{f}" for f in ("json", "csv", "pdf", "xlsx")]
    made = run(
        "shortlist",
        exports,
        "--workspace",
        ws,
        "--for",
        "leerplicht",
        "--no-history",
        *[a for p in outputs for a in ("-o", p)],
    )
    assert made.exit_code == 0, made.stderr
    data = json.loads(outputs[0].read_text(encoding="utf-8"))
    assert data["model"] is None and data["students"] == []
    assert all(r["type"] != "mazl" for r in data["open_reports"])
    table = outputs[1].read_text(encoding="utf-8-sig").splitlines()
    assert table[0] == "Leerling;Mentor;Signalen"
    pdf = " ".join(page.extract_text() for page in pypdf.PdfReader(outputs[2]).pages)
    assert "Kans" not in pdf and "%" not in pdf and "demonstratiemodel" not in pdf
    assert load_workbook(outputs[3]).sheetnames == ["Overzicht"]


def test_an_unknown_role_is_a_clear_error() -> None:
    result = run("shortlist", "nowhere", "--for", "ouder")
    assert result.exit_code == 2 and "'ouder' is geen rol waarvoor een lijst wordt gemaakt" in result.stderr


def test_grouped_by_youth_worker_the_statutory_table_does_not_call_a_youth_worker_mentor(
    views: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    exports, ws, known = views
    student = known["sick"]["student_id"]  # type: ignore[index]
    assert (
        run(
            "actions", "add", student, "--what", "gesprek", "--worker", "Amir", "--on", "2026-11-27", "--workspace", ws
        ).exit_code
        == 0
    )
    grouped = run("shortlist", exports, "--workspace", ws, "--by", "youthworker", "-f", "md", "--no-history")
    assert grouped.exit_code == 0, grouped.stderr
    assert (
        "| Leerling | Groep | Signalen |" in grouped.stdout and "| Leerling | Mentor | Signalen |" not in grouped.stdout
    )


def test_one_file_per_mentor_holds_only_that_mentors_students(
    views: tuple[Path, Path, dict[str, object]], tmp_path: Path
) -> None:
    exports, ws, known = views
    made = run(
        "shortlist",
        exports,
        "--workspace",
        ws,
        "--for",
        "mentor",
        "--split",
        "-o",
        tmp_path / "w48.csv",
        "--no-history",
    )
    assert made.exit_code == 0, made.stderr
    files = sorted(tmp_path.glob("w48-*.csv"))
    mentors = {s["group"].split(":", 1)[1] for s in known["all"]}  # type: ignore[attr-defined]
    assert [f.stem.removeprefix("w48-") for f in files] == sorted(mentors)
    for path in files:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
        assert rows and {r["Mentor"] for r in rows} == {path.stem.removeprefix("w48-")}
    assert not (tmp_path / "w48.csv").exists()
    wrong = run("shortlist", exports, "--workspace", ws, "--split", "-o", tmp_path / "x.csv", "--no-history")
    assert wrong.exit_code == 2 and "--split schrijft één bestand per mentor" in wrong.stderr


def test_a_mentor_code_no_student_has_is_a_clear_error(views: tuple[Path, Path, dict[str, object]]) -> None:
    exports, ws, _ = views
    result = run(
        "shortlist", exports, "--workspace", ws, "--for", "mentor", "--mentor", "MNT99", "-f", "csv", "--no-history"
    )
    assert result.exit_code == 2 and "fout: geen leerling heeft mentor 'MNT99'" in result.stderr
