"""Mapping and validation: every defect kind with its row, column and rule; folders; golden reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.helpers import MAGISTER_ATTENDANCE, MAGISTER_GRADES, MAGISTER_ROSTER, magister_school

from riskscreen.errors import PrivacyError, UsageError, ValidationFailed
from riskscreen.ingest.pipeline import load_exports, read_exports
from riskscreen.render.validation import render_report

TODAY = dt.date(2026, 11, 30)


def problems(folder: Path, **kw: object) -> list[tuple[str, str, str, str, int, tuple[int, ...], tuple[str, ...]]]:
    _, report = read_exports(folder, today=TODAY, require=(), **kw)  # type: ignore[arg-type]
    return [(p.severity, p.file, p.column, p.rule, p.count, p.rows, p.values) for p in report.problems]


def test_a_clean_school_is_valid(tmp_path: Path) -> None:
    exports, report = read_exports(magister_school(tmp_path), today=TODAY)
    assert report.valid and report.problems == []
    assert exports is not None
    assert report.profile == "magister" and report.profile_detected
    assert report.students == 2
    assert (report.first_date, report.last_date) == ("2026-09-02", "2026-09-03")
    assert exports.attendance["code"].tolist() == ["sick", "unauthorised"]
    assert exports.grades["grade"].tolist() == [6.5, 4.0]
    assert exports.students["level"].tolist() == ["havo", "vmbo-gt"]  # type: ignore[index]


def test_generated_sample_school_is_valid(school_dir: Path) -> None:
    exports, report = read_exports(school_dir, today=TODAY)
    assert report.valid, report.summary_line()
    assert exports is not None and report.students == 160
    assert [f.table for f in report.files] == ["attendance", "grades", "students"]


@pytest.mark.parametrize(
    ("attendance", "expected"),
    [
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;31-02-2026;1;Ziek\n",
            ("error", "absenties.csv", "date", "date", 1, (2,), ("31-02-2026",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;13;Ziek\n",
            ("error", "absenties.csv", "period", "out of range", 1, (2,), ("13",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1,5;Ziek\n",
            ("error", "absenties.csv", "period", "number", 1, (2,), ("1,5",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n10 01;02-09-2026;1;Ziek\n",
            ("error", "absenties.csv", "student_id", "pseudonym", 1, (2,), ("(text of 5 characters, not shown)",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n;02-09-2026;1;Ziek\n",
            ("error", "absenties.csv", "student_id", "missing value", 1, (2,), ()),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2030;1;Ziek\n",
            ("error", "absenties.csv", "date", "future date", 1, (2,), ("2030-09-02",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Aantal uren;Absentiesoort\n1001;02-09-2026;1;-2;Ziek\n",
            ("error", "absenties.csv", "hours", "out of range", 1, (2,), ("-2",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Aantal uren;Absentiesoort\n1001;02-09-2026;1;40;Ziek\n",
            ("error", "absenties.csv", "hours", "out of range", 1, (2,), ("40",)),
        ),
        (
            "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;\n",
            ("error", "absenties.csv", "code", "missing value", 1, (2,), ()),
        ),
    ],
)
def test_each_attendance_defect(tmp_path: Path, attendance: str, expected: tuple[object, ...]) -> None:
    assert [p for p in problems(magister_school(tmp_path, attendance=attendance)) if p[0] == "error"] == [expected]


def test_unknown_codes_are_listed_with_counts_and_how_to_map_them(tmp_path: Path) -> None:
    kwijt = "".join(f"1001;02-09-2026;{i};Kwijt\n" for i in (1, 2, 3))
    text = "Stamnummer;Datum;Lesuur;Absentiesoort\n" + kwijt + "1001;02-09-2026;4;Weg\n"
    _, report = read_exports(magister_school(tmp_path, attendance=text), today=TODAY)
    [p] = report.problems
    assert p.message == "unknown absence code: 'Kwijt' (3x), 'Weg' (1x)"
    assert p.rows == (2, 3, 4, 5)
    assert p.fix.startswith('add a line such as `"Kwijt" = "unauthorised"` under [codes.attendance] in your profile')


def test_grade_defects(tmp_path: Path) -> None:
    grades = (
        "Stamnummer;Vak;Datum;Cijfer;Weging\n1001;Engels;02-09-2026;85;1\n1001;Engels;02-09-2026;V;1\n"
        "1001;Engels;02-09-2026;;1\n1001;Engels;02-09-2026;abc;1\n1001;Engels;02-09-2026;6;0\n"
    )
    assert problems(magister_school(tmp_path, grades=grades)) == [
        ("warning", "cijfers.csv", "grade", "not a number", 1, (3,), ("V",)),
        ("error", "cijfers.csv", "grade", "number", 1, (5,), ("abc",)),
        ("warning", "cijfers.csv", "grade", "missing value", 1, (4,), ()),
        ("error", "cijfers.csv", "grade", "out of range", 1, (2,), ("85",)),
        ("error", "cijfers.csv", "weight", "out of range", 1, (6,), ("0",)),
    ]


def test_roster_defects(tmp_path: Path) -> None:
    roster = "Stamnummer;Niveau;Leerjaar;Leeftijd;Mentor\n1001;havo;7;15;M1\n1001;havo;3;9;M1\n1002;lyceum;2;14;M2\n"
    assert problems(magister_school(tmp_path, roster=roster)) == [
        ("error", "leerlingen.csv", "level", "unknown code", 1, (4,), ("lyceum",)),
        ("error", "leerlingen.csv", "year", "out of range", 1, (2,), ("7",)),
        ("error", "leerlingen.csv", "age", "out of range", 1, (3,), ("9",)),
        ("error", "leerlingen.csv", "student_id", "duplicate student", 1, (3,), ("1001",)),
    ]


def test_cross_table_warnings(tmp_path: Path) -> None:
    attendance = MAGISTER_ATTENDANCE + "1002;03-09-2026;2;Ongeoorloofd\n9999;04-09-2026;3;Te laat\n"
    assert problems(magister_school(tmp_path, attendance=attendance)) == [
        ("warning", "absenties.csv", "(row)", "duplicate registration", 1, (4,), ()),
        ("warning", "absenties.csv", "student_id", "not in roster", 1, (5,), ("9999",)),
    ]
    exports = load_exports(tmp_path, today=TODAY)
    assert len(exports.attendance) == 3  # the duplicate counted once


def test_dates_after_an_explicit_as_of_are_a_warning(tmp_path: Path) -> None:
    assert problems(magister_school(tmp_path), as_of=dt.date(2026, 9, 2)) == [
        ("warning", "absenties.csv", "date", "after as-of", 1, (3,), ()),
        ("warning", "cijfers.csv", "date", "after as-of", 1, (3,), ()),
    ]


def test_missing_required_column(tmp_path: Path) -> None:
    text = "Stamnummer;Lesuur;Absentiesoort\n1001;1;Ziek\n"
    [p] = problems(magister_school(tmp_path, attendance=text))
    assert p[:4] == ("error", "absenties.csv", "date", "missing column")


def test_extra_columns_are_reported_and_ignored(tmp_path: Path) -> None:
    text = "Stamnummer;Datum;Lesuur;Absentiesoort;Docent;Opmerking intern\n1001;02-09-2026;1;Ziek;ABC;x\n"
    _, report = read_exports(magister_school(tmp_path, attendance=text), today=TODAY)
    assert report.valid
    assert report.files[0].ignored_columns == ("Docent", "Opmerking intern")


def test_dates_in_every_accepted_form(tmp_path: Path) -> None:
    for text, note in [
        ("2026-09-02", None),
        ("02-09-2026", None),
        ("02/09/2026", None),
        ("02.09.2026", None),
        ("02-09-26", "two-digit years"),
        ("46267", "Excel serial numbers"),
    ]:
        folder = tmp_path / text.replace("/", "_")
        folder.mkdir()
        attendance = f"Stamnummer;Datum;Lesuur;Absentiesoort\n1001;{text};1;Ziek\n"
        exports, report = read_exports(magister_school(folder, attendance=attendance), today=TODAY)
        assert exports is not None, text
        assert exports.attendance["date"].iloc[0] == dt.datetime(2026, 9, 2), text
        notes = " ".join(report.files[0].notes)
        assert (note in notes) if note else notes == "", text


def test_somtoday_reason_and_geoorloofd_column(tmp_path: Path) -> None:
    text = (
        "Leerlingnummer;Datum;Lesuur;Absentiereden;Geoorloofd\n1001;02-09-2026;1;Ziek;Ja\n"
        "1001;02-09-2026;2;Familieomstandigheden;Ja\n1001;02-09-2026;3;Onbekend;Nee\n"
        "1001;02-09-2026;4;Te laat;Nee\n1001;02-09-2026;5;Tandarts;Nee\n1001;02-09-2026;6;Vakantie;\n"
    )
    (tmp_path / "absenties.csv").write_text(text)
    (tmp_path / "cijfers.csv").write_text("Leerlingnummer;Vak;Datum;Resultaat;Weging\n1001;Engels;02-09-2026;7;1\n")
    _, report = read_exports(tmp_path, today=TODAY)
    assert report.profile == "somtoday"
    [p] = report.problems
    assert (p.column, p.rule, p.rows) == ("code", "unknown code", (7,))
    (tmp_path / "absenties.csv").write_text(text.rsplit("\n", 2)[0] + "\n")
    exports = load_exports(tmp_path, today=TODAY)
    assert exports.attendance["code"].tolist() == ["sick", "authorised", "unauthorised", "late", "unauthorised"]


def test_totals_row_at_the_bottom_is_ignored(tmp_path: Path) -> None:
    text = MAGISTER_ATTENDANCE + "Totaal;;;2\n"
    exports, report = read_exports(magister_school(tmp_path, attendance=text), today=TODAY)
    assert exports is not None
    assert [(p.rule, p.rows) for p in report.problems] == [("totals row", (4,))]
    assert len(exports.attendance) == 2


def test_a_file_with_identifiers_is_refused_on_every_read(tmp_path: Path) -> None:
    roster = (
        MAGISTER_ROSTER.replace("Klas\n", "Klas;E-mail\n")
        .replace("3HA\n", "3HA;a@b.nl\n")
        .replace("2MA\n", "2MA;c@d.nl\n")
    )
    with pytest.raises(PrivacyError, match="column 'E-mail'"):
        load_exports(magister_school(tmp_path, roster=roster), today=TODAY)


def test_folder_problems(tmp_path: Path) -> None:
    folder = magister_school(tmp_path)
    (folder / "absenties-oud.csv").write_text(MAGISTER_ATTENDANCE)
    with pytest.raises(
        UsageError,
        match=r"two files in .* could be the attendance table: absenties-oud\.csv and "
        r"absenties\.csv",
    ):
        read_exports(folder, today=TODAY)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"no file found for the table\(s\) attendance, grades in "):
        load_exports(empty, today=TODAY)


def test_files_recognised_by_headers_when_names_say_nothing(tmp_path: Path) -> None:
    (tmp_path / "export1.csv").write_text(MAGISTER_ATTENDANCE)
    (tmp_path / "export2.csv").write_text(MAGISTER_GRADES)
    exports = load_exports(tmp_path, today=TODAY)
    assert set(exports.paths) == {"attendance", "grades"}
    assert exports.paths["attendance"].name == "export1.csv"


def test_load_exports_raises_with_the_report(tmp_path: Path) -> None:
    text = "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;31-02-2026;1;Ziek\n"
    with pytest.raises(ValidationFailed) as exc:
        load_exports(magister_school(tmp_path, attendance=text), today=TODAY)
    assert exc.value.exit_code == 1
    assert exc.value.report.errors[0].rule == "date"  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_report_golden(tmp_path: Path, golden, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    attendance = (
        "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;Ziek\n1001;31-02-2026;1;Ziek\n"
        "1002;03-09-2026;14;Kwijt\n1002;03-09-2026;2;Kwijt\n9999;03-09-2026;2;Ziek\n"
    )
    magister_school(tmp_path / "SCHOOL", attendance=attendance)
    monkeypatch.chdir(tmp_path)  # paths in the report are as the user gave them: here SCHOOL/...
    _, report = read_exports(Path("SCHOOL"), today=TODAY)
    text = render_report(report, fmt, width=120)
    golden(f"validate_report.{'txt' if fmt == 'table' else fmt}", text)
    if fmt != "json":  # JSON is for programs: its keys and messages stay English
        golden(
            f"validate_report_nl.{'txt' if fmt == 'table' else fmt}", render_report(report, fmt, width=120, lang="nl")
        )


def test_registrations_of_presence_are_checked_but_only_absences_are_kept(tmp_path: Path) -> None:
    # Lines 2-7. A bad date on a 'present' line is still reported; the canonical frame keeps the absences,
    # with their own line numbers, and a parse error in a kept row is not reported a second time as missing.
    text = (
        "student_id,date,period,hours,code\n"
        "A1,2026-09-01,1,1,present\n"
        "A1,2026-13-01,2,1,present\n"
        "A1,2026-09-01,3,1,sick\n"
        "A2,2026-09-02,x,1,present\n"
        "A2,2026-09-02,4,zes,unauthorised\n"
        "A2,2026-09-03,5,1,late\n"
    )
    (tmp_path / "attendance.csv").write_text(text)
    (tmp_path / "grades.csv").write_text("student_id,subject,date,grade,weight\nA1,Engels,2026-09-01,7,1\n")
    _, report = read_exports(tmp_path, today=TODAY)
    assert [(p.column, p.rule, p.rows, p.values) for p in report.problems] == [
        ("date", "date", (3,), ("2026-13-01",)),
        ("period", "number", (5,), ("x",)),
        ("hours", "number", (6,), ("zes",)),
    ]
    lines = "student_id,date,period,hours,code\n" + "".join(
        row + "\n" for row in text.splitlines()[1:] if "13-01" not in row and ",x," not in row and "zes" not in row
    )
    (tmp_path / "attendance.csv").write_text(lines)
    exports = load_exports(tmp_path, today=TODAY)
    assert exports.attendance.index.tolist() == [1, 2]
    assert exports.attendance[["student_id", "period", "hours", "code"]].astype(str).values.tolist() == [
        ["A1", "3.0", "1.0", "sick"],
        ["A2", "5.0", "1.0", "late"],
    ]


def test_a_report_describes_values_that_may_identify_someone(tmp_path: Path) -> None:
    from riskscreen.ingest.problems import shown_value

    assert shown_value("Jan de Vries", pseudonym=True) == "(text of 12 characters, not shown)"
    assert shown_value("111 222 333") == "(a number of 9 digits, not shown)"
    assert shown_value("j@x.nl") == "(text of 6 characters, not shown)"
    assert shown_value("31-02-2026") == "31-02-2026" and shown_value("Kwijt") == "Kwijt"
    assert shown_value("x" * 3_000_000) == "x" * 39 + "…"
    attendance = "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;" + "K" * 100_000 + "\n"
    found = problems(magister_school(tmp_path, attendance=attendance))
    assert found[0][3] == "unknown code" and len(found[0][6][0]) == 40


def test_audit_columns_keep_their_words_apart(tmp_path: Path) -> None:
    roster = "Stamnummer;audit_urban_rural;Audit SES-groep;audit\n1001;urban;laag;x\n1002;rural;hoog;y\n"
    exports, report = read_exports(magister_school(tmp_path, roster=roster), today=TODAY)
    assert report.valid and exports is not None and exports.students is not None
    assert [c for c in exports.students.columns if c.startswith("audit")] == [
        "audit_urban_rural",
        "audit_ses_groep",
        "audit_group",
    ]


def test_invisible_direction_characters_in_names_are_removed_with_a_warning(school_copy: Path) -> None:
    """Issue #26 item 15: U+202E (and U+202D, U+2066) in a mentor's or a class's name reached every output, turning
    how the name reads."""
    from typer.testing import CliRunner

    from riskscreen.cli import app

    students = next(p for p in school_copy.iterdir() if "leerling" in p.name.lower())
    text = students.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    columns = header.split(";")
    cells = first.split(";")
    mentor = next(i for i, c in enumerate(columns) if "mentor" in c.lower())
    cells[mentor] = "\u202e" + cells[mentor] + "\u2066"
    students.write_text("\n".join([header, ";".join(cells), *rest]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(school_copy), "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert "onzichtbare tekens" in result.stdout
    assert "bevatte onzichtbare richtings- of opmaaktekens; die zijn verwijderd" in result.stdout
    scored = CliRunner().invoke(app, ["score", str(school_copy), "-f", "csv"])
    assert "\u202e" not in scored.stdout and "\u2066" not in scored.stdout
