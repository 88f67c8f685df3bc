"""Every bad input gets a clear answer: the corpus, XLSX oddities, property tests, and no leaked data."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import workbook
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.errors import RiskscreenError
from riskscreen.ingest.pipeline import read_exports

CORPUS = Path(__file__).parent / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text())["case"]
PLANTED = "GEHEIM"
runner = CliRunner()


def validate(folder: Path, attendance: str, grades: str, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["validate", "--attendance", f"SCHOOL/{attendance}", "--grades", f"SCHOOL/{grades}",
                               *extra])


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_corpus_case(case: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    school = tmp_path / "SCHOOL"
    school.mkdir()
    for name in (str(case["file"]), "ok_absenties.csv", "ok_cijfers.csv"):
        shutil.copy(CORPUS / name, school / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping, so messages compare whole
    if case.get("table") == "grades":
        result = validate(school, "ok_absenties.csv", str(case["file"]))
    else:
        result = validate(school, str(case["file"]), "ok_cijfers.csv")
    assert result.exit_code == case["exit"], result.stdout + result.stderr
    assert str(case.get("stdout", "")) in result.stdout
    assert str(case.get("stderr", "")) in result.stderr
    assert "Traceback" not in result.stderr
    if case["file"] != "mixed_separators.csv":  # there the whole merged row is the offending cell
        assert PLANTED not in result.stdout + result.stderr


def test_xlsx_with_several_sheets_and_merged_group_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    school = tmp_path / "SCHOOL"
    school.mkdir()
    shutil.copy(CORPUS / "ok_cijfers.csv", school / "ok_cijfers.csv")
    rows = [["Leerling", None, "Absentie", None], ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"],
            [1001, "02-09-2026", 1, "Ziek"]]
    workbook(school / "absenties.xlsx", {"Uitleg": [["Dit is een export"]], "Data": rows}, merge="A1:B1")
    monkeypatch.chdir(tmp_path)
    first = validate(school, "absenties.xlsx", "ok_cijfers.csv")
    assert first.exit_code == 1  # the first sheet holds no table
    assert "note: read the first sheet 'Uitleg' of 2; choose another with --sheet" in first.stdout
    chosen = validate(school, "absenties.xlsx", "ok_cijfers.csv", "--sheet", "Data")
    assert chosen.exit_code == 0, chosen.stdout
    assert "note: skipped 1 row(s) above the header" in chosen.stdout


def test_xlsx_formulas_without_stored_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    school = tmp_path / "SCHOOL"
    school.mkdir()
    shutil.copy(CORPUS / "ok_cijfers.csv", school / "ok_cijfers.csv")
    rows = [["Stamnummer", "Datum", "Lesuur", "Absentiesoort"], [1001, "02-09-2026", "=1+1", "Ziek"],
            [1002, "02-09-2026", 3, '=IF(1,"Ziek","x")']]
    workbook(school / "absenties.xlsx", {"Data": rows})
    monkeypatch.chdir(tmp_path)
    result = validate(school, "absenties.xlsx", "ok_cijfers.csv")
    # openpyxl stores no computed values: the formula cells are empty, never the formula text as data
    assert result.exit_code == 1
    assert "ERROR absenties.xlsx, column code: absence code is empty [missing value, 1x]" in result.stdout
    assert "=IF" not in result.stdout


def test_one_enormous_line(tmp_path: Path) -> None:
    path = tmp_path / "absenties.csv"
    path.write_bytes(b"Stamnummer;" + b"x" * 5_000_000)
    result = runner.invoke(app, ["validate", "--attendance", str(path), "--grades", str(CORPUS / "ok_cijfers.csv")])
    assert result.exit_code == 1
    assert "has a first line longer than 1 MB, so it is not a table export" in result.stderr


def test_paths_that_cannot_be_read(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["validate", "--attendance", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "nope.csv: file not found" in missing.stderr
    folder = tmp_path / "absenties.csv"
    folder.mkdir()
    a_folder = runner.invoke(app, ["validate", "--attendance", str(folder)])
    assert a_folder.exit_code == 1 and "is a folder, not a file" in a_folder.stderr


def test_a_folder_with_two_candidate_files(tmp_path: Path) -> None:
    for name in ("absenties.csv", "verzuim.csv", "cijfers.csv"):
        shutil.copy(CORPUS / ("ok_cijfers.csv" if name == "cijfers.csv" else "ok_absenties.csv"), tmp_path / name)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "could be the attendance table: absenties.csv and verzuim.csv" in result.stderr
    assert "--attendance PATH" in result.stderr


# ---------------------------------------------------------------------------------------------- properties
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(attendance: Path) -> None:
    try:
        exports, report = read_exports(attendance=attendance, grades=CORPUS / "ok_cijfers.csv")
    except RiskscreenError as exc:
        assert str(exc)
        return
    assert (exports is None) == (not report.valid)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_give_frames_or_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "absenties.csv"
    path.write_bytes(data)
    _read(path)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_after_a_good_header(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "absenties.csv"
    path.write_bytes(b"Stamnummer;Datum;Lesuur;Absentiesoort\n" + data)
    _read(path)


CELLS = {
    "id": st.sampled_from(["1001", "0012", "A-1", "", "10 01", "x" * 70, "Totaal", "1001;1"]),
    "date": st.sampled_from(["02-09-2026", "2026-09-02", "31-02-2026", "", "46267", "02/09/26", "9999-99-99",
                             "morgen", "02-09-2090"]),
    "period": st.sampled_from(["1", "12", "0", "13", "1,5", "", "x", "-1", "1e9"]),
    "code": st.sampled_from(["Ziek", "te laat", "Ongeoorloofd", "", "Kwijt", "present", "Aanwezig", "=1+1"]),
}
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@SETTINGS
@given(rows=st.lists(st.tuples(*(st.one_of(s, TEXT) for s in CELLS.values())), max_size=12),
       sep=st.sampled_from([";", ",", "\t"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_cells_in_any_encoding(tmp_path: Path, rows: list[tuple[str, ...]], sep: str, encoding: str) -> None:
    lines = [sep.join(["Stamnummer", "Datum", "Lesuur", "Absentiesoort"])]
    lines += [sep.join(cell.replace("\n", " ").replace("\r", " ") for cell in row) for row in rows]
    path = tmp_path / "absenties.csv"
    try:
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    except UnicodeEncodeError:
        return
    _read(path)


VALID_ROW = st.tuples(st.integers(1, 10**8).map(str),
                     st.dates(min_value=dt.date(2025, 8, 1), max_value=dt.date(2026, 11, 27)),
                     st.integers(1, 12),
                     st.sampled_from(["Ziek", "Te laat", "Ongeoorloofd", "Geoorloofd", "Uitgestuurd"]))


@SETTINGS
@given(rows=st.lists(VALID_ROW, min_size=1, max_size=30))
def test_valid_rows_always_validate_and_keep_their_values(tmp_path: Path, rows: list[tuple[object, ...]]) -> None:
    path = tmp_path / "absenties.csv"
    path.write_text("Stamnummer;Datum;Lesuur;Absentiesoort\n"
                    + "".join(f"{s};{d:%d-%m-%Y};{p};{c}\n" for s, d, p, c in rows))
    exports, report = read_exports(attendance=path, grades=CORPUS / "ok_cijfers.csv")
    assert report.valid and exports is not None, report.summary_line()
    kept = {(str(s), d, int(p)) for s, d, p, _ in rows}
    got = {(str(s), d.date(), int(p)) for s, d, p in
           zip(exports.attendance["student_id"], exports.attendance["date"], exports.attendance["period"], strict=True)}
    assert got == kept
