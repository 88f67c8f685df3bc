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

# These tests check what errors say, in English; tests/test_messages.py checks their Dutch.
pytestmark = pytest.mark.usefixtures("english")

CORPUS = Path(__file__).parents[1] / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text())["case"]
PLANTED = "GEHEIM"
runner = CliRunner()


def validate(folder: Path, attendance: str, grades: str, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["validate", "--attendance", f"SCHOOL/{attendance}", "--grades", f"SCHOOL/{grades}", *extra]
    )


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
    rows = [
        ["Leerling", None, "Absentie", None],
        ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"],
        [1001, "02-09-2026", 1, "Ziek"],
    ]
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
    rows = [
        ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"],
        [1001, "02-09-2026", "=1+1", "Ziek"],
        [1002, "02-09-2026", 3, '=IF(1,"Ziek","x")'],
    ]
    workbook(school / "absenties.xlsx", {"Data": rows})
    monkeypatch.chdir(tmp_path)
    result = validate(school, "absenties.xlsx", "ok_cijfers.csv")
    # openpyxl stores no computed values: the formula cells are empty, never the formula text as data
    assert result.exit_code == 1
    assert "ERROR absenties.xlsx, column 'code': absence code is empty [missing value, 1x]" in result.stdout
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
    "date": st.sampled_from(
        ["02-09-2026", "2026-09-02", "31-02-2026", "", "46267", "02/09/26", "9999-99-99", "morgen", "02-09-2090"]
    ),
    "period": st.sampled_from(["1", "12", "0", "13", "1,5", "", "x", "-1", "1e9"]),
    "code": st.sampled_from(["Ziek", "te laat", "Ongeoorloofd", "", "Kwijt", "present", "Aanwezig", "=1+1"]),
}
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@SETTINGS
@given(
    rows=st.lists(st.tuples(*(st.one_of(s, TEXT) for s in CELLS.values())), max_size=12),
    sep=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_any_cells_in_any_encoding(tmp_path: Path, rows: list[tuple[str, ...]], sep: str, encoding: str) -> None:
    lines = [sep.join(["Stamnummer", "Datum", "Lesuur", "Absentiesoort"])]
    lines += [sep.join(cell.replace("\n", " ").replace("\r", " ") for cell in row) for row in rows]
    path = tmp_path / "absenties.csv"
    try:
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    except UnicodeEncodeError:
        return
    _read(path)


VALID_ROW = st.tuples(
    st.integers(1, 10**7 - 1).map(str),  # pseudonyms shorter than a BSN: any may pass
    st.dates(min_value=dt.date(2025, 8, 1), max_value=dt.date(2026, 11, 27)),
    st.integers(1, 12),
    st.sampled_from(["Ziek", "Te laat", "Ongeoorloofd", "Geoorloofd", "Uitgestuurd"]),
)


@SETTINGS
@given(rows=st.lists(VALID_ROW, min_size=1, max_size=30))
def test_valid_rows_always_validate_and_keep_their_values(tmp_path: Path, rows: list[tuple[object, ...]]) -> None:
    path = tmp_path / "absenties.csv"
    path.write_text(
        "Stamnummer;Datum;Lesuur;Absentiesoort\n" + "".join(f"{s};{d:%d-%m-%Y};{p};{c}\n" for s, d, p, c in rows)
    )
    exports, report = read_exports(attendance=path, grades=CORPUS / "ok_cijfers.csv")
    assert report.valid and exports is not None, report.summary_line()
    kept = {(str(s), d, int(p)) for s, d, p, _ in rows}
    got = {
        (str(s), d.date(), int(p))
        for s, d, p in zip(
            exports.attendance["student_id"], exports.attendance["date"], exports.attendance["period"], strict=True
        )
    }
    assert got == kept


# ------------------------------------------------------------------------------- round two: new shapes
def _bsn(draw: st.DrawFn) -> str:
    """A number that passes the 11-check: eight digits drawn, the ninth computed."""
    prefix = [int(c) for c in f"{draw(st.integers(10**7, 10**8 - 1))}"]
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    while (check := sum(d * w for d, w in zip(prefix, weights, strict=True)) % 11) == 10:
        prefix[-1] = (prefix[-1] + 1) % 10
    return "".join(map(str, prefix)) + str(check)


@st.composite
def written_bsn(draw: st.DrawFn) -> str:
    """A BSN as people write it: bare, 3-3-3 with spaces, dots or hyphens, 4.2.3, inside a sentence."""
    number = _bsn(draw)
    shape = draw(st.sampled_from(["{n}", "{a} {b} {c}", "{a}.{b}.{c}", "{a}-{b}-{c}", "{d}.{e}.{c}"]))
    written = shape.format(n=number, a=number[:3], b=number[3:6], c=number[6:], d=number[:4], e=number[4:6])
    return draw(st.sampled_from(["{}", "bsn {}", "nummer: {} (moeder)", "{} ziek"])).format(written)


CONFUSABLE = st.sampled_from(["\u200b", "\u200e", "\ufeff", "\u0435", "\u043e", "\uff45"])


@SETTINGS
@given(
    value=written_bsn(),
    others=st.lists(st.sampled_from(["griep", "tandarts", "", "bus te laat"]), max_size=20),
    where=st.integers(0, 20),
)
def test_a_bsn_however_written_among_any_remarks_is_refused(
    tmp_path: Path, value: str, others: list[str], where: int
) -> None:
    from riskscreen.errors import PrivacyError

    cells = [*others[:where], value, *others[where:]]
    path = tmp_path / "absenties.csv"
    path.write_text(
        "Stamnummer;Datum;Lesuur;Absentiesoort;Reden\n"
        + "".join(f"{1001 + i};02-09-2026;1;Ziek;{c}\n" for i, c in enumerate(cells))
    )
    with pytest.raises(PrivacyError) as exc:
        read_exports(attendance=path, grades=CORPUS / "ok_cijfers.csv")
    assert "passes the BSN 11-check" in str(exc.value) or "holds BSNs" in str(exc.value)
    assert value not in str(exc.value)


@SETTINGS
@given(
    name=st.sampled_from(["E-mail", "Telefoon", "BSN", "Geboortedatum", "Achternaam", "Tel. ouders"]),
    mark=CONFUSABLE,
    at=st.integers(0, 3),
)
def test_an_identifier_column_name_with_invisible_or_look_alike_letters_is_refused(
    name: str, mark: str, at: int
) -> None:
    from riskscreen.ingest.privacy_names import column_name_reason

    if mark in "\u0435\u043e\uff45":  # a look-alike replaces a letter it resembles, when the name has one
        disguised = name.replace("e", mark, 1) if mark != "\u043e" else name.replace("o", mark, 1)
    else:
        disguised = name[:at] + mark + name[at:]
    assert column_name_reason(disguised) is not None, disguised


@SETTINGS
@given(kind=st.sampled_from(["fifo", "folder", "link loop", "dangling link"]))
def test_a_special_file_as_an_export_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    import os

    path = tmp_path / f"absenties-{kind.replace(' ', '-')}.csv"
    if not path.exists() and not path.is_symlink():
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        elif kind == "link loop":
            path.symlink_to(path)
        else:
            path.symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(RiskscreenError) as exc:
        read_exports(attendance=path, grades=CORPUS / "ok_cijfers.csv")
    assert str(exc.value).startswith(str(path))


@SETTINGS
@given(data=st.binary(max_size=300), reader=st.sampled_from(["holidays", "names", "filled-in list"]))
def test_any_bytes_in_a_side_file_give_its_contents_or_a_clear_error(tmp_path: Path, data: bytes, reader: str) -> None:
    """The small files beside the exports (vakanties.csv, a names file, a filled-in list): any bytes are read or
    refused with an InputError that names the file, never an unexpected error."""
    from riskscreen.errors import InputError
    from riskscreen.ingest.holidays import read_holidays
    from riskscreen.ingest.names import read_names
    from riskscreen.weekly.actions_import import read_rows

    path = tmp_path / "side.csv"
    path.write_bytes(data)
    read = {"holidays": read_holidays, "names": read_names, "filled-in list": read_rows}[reader]
    try:
        read(path)
    except InputError as exc:
        assert exc.path == str(path) and str(exc)
