"""Reading exports (encodings, separators, headers, XLSX, damaged files) and writing outputs safely."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pandas as pd
import pytest
from tests.helpers import workbook

from riskscreen.errors import InputError, OutputExistsError, UsageError
from riskscreen.files import write_output
from riskscreen.ingest.profile_files import load_profile
from riskscreen.ingest.reading import read_table
from riskscreen.ingest.sniff import normalise_header

KNOWN = load_profile("magister").all_headers() | load_profile("canonical").all_headers()
ROWS = "Stamnummer{s}Datum{s}Lesuur{s}Absentiesoort\n1001{s}02-09-2026{s}3{s}Ziek\n1002{s}03-09-2026{s}4{s}Te laat\n"


def read(path: Path, **kw: object):  # type: ignore[no-untyped-def]
    return read_table(path, known_headers=KNOWN, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("sep", "name"), [(",", "','"), (";", "';'"), ("\t", "tab")])
def test_each_separator_is_detected(tmp_path: Path, sep: str, name: str) -> None:
    path = tmp_path / "a.csv"
    path.write_text(ROWS.format(s=sep), encoding="utf-8")
    table = read(path)
    assert table.separator == sep
    assert list(table.frame.columns) == ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"]
    assert table.frame["Absentiesoort"].tolist() == ["Ziek", "Te laat"]
    assert table.line_of(table.frame.index[1]) == 3


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "Stamnummer;Vak\n1;Frans één\n".encode())
    table = read(path)
    assert list(table.frame.columns) == ["Stamnummer", "Vak"]
    assert table.frame["Vak"].tolist() == ["Frans één"]
    assert table.encoding == "utf-8-sig"


def test_windows_1252_is_detected_and_said(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("Stamnummer;Vak\n1;Frans één\n".encode("cp1252"))
    table = read(path)
    assert table.encoding == "cp1252"
    assert table.frame["Vak"].tolist() == ["Frans één"]
    assert "read as Windows-1252: the file is not UTF-8" in table.notes


def test_utf16_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(ROWS.format(s="\t").encode("utf-16"))
    table = read(path)
    assert table.encoding == "utf-16"
    assert table.frame["Stamnummer"].tolist() == ["1001", "1002"]


def test_broken_utf8_sequence_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("Stamnummer;Vak\n1;één\n".encode() + b"2;\xc3\x28x\n")
    with pytest.raises(InputError, match="is UTF-8 text with a damaged character on line 3"):
        read(path)


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Absentieoverzicht schooljaar 2026-2027;;;\n;;;\n" + ROWS.format(s=";"), encoding="utf-8")
    table = read(path)
    assert list(table.frame.columns) == ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"]
    assert table.header_line == 3
    assert table.line_of(table.frame.index[0]) == 4
    assert "skipped 2 line(s) above the header" in table.notes


def test_blank_lines_keep_row_numbers_true(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Stamnummer;Vak\n1;a\n\n2;b\n", encoding="utf-8")
    table = read(path)
    assert [table.line_of(i) for i in table.frame.index] == [2, 4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"%PDF-1.7\n...", "is a PDF document, not a table export"),
        (b"PK\x03\x04garbage", "is a ZIP archive, not a table export"),
        (b"\x1f\x8b\x08\x00gzip", "is a compressed archive"),
        (b"\xd0\xcf\x11\xe0old", "is an old Excel (.xls) or Office file"),
        (b"abc\x00\x01\x02def", "holds binary data, not text"),
    ],
)
def test_unreadable_files_get_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)):
        read(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder, not a file"):
        read(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_permissions(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(ROWS.format(s=";"))
    path.chmod(0)
    with pytest.raises(InputError, match="cannot be read"):
        read(path)


def test_duplicate_headers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Stamnummer;Datum;Datum\n1;02-09-2026;03-09-2026\n")
    with pytest.raises(InputError, match=r"column name 'Datum' appears twice \(columns 2 and 3\)"):
        read(path)


def test_a_line_with_too_many_fields(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Stamnummer;Datum\n1;02-09-2026\n2;03-09-2026;extra;more\n")
    with pytest.raises(InputError, match="line 3 has 4 fields where the header has 2"):
        read(path)


def test_one_enormous_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 3_000_000)
    with pytest.raises(InputError, match="first line longer than 1 MB"):
        read(path)


def test_header_only_gives_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Stamnummer;Datum;Lesuur;Absentiesoort\n")
    table = read(path)
    assert len(table.frame) == 0
    assert list(table.frame.columns) == ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"]


def test_xlsx_first_sheet_and_typed_cells(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    workbook(
        path,
        {
            "Absenties": [
                ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"],
                [1001, dt.datetime(2026, 9, 2), 3, "Ziek"],
                [1002, dt.date(2026, 9, 3), 4.0, "Te laat"],
            ],
            "Andere": [["x"]],
        },
    )
    table = read(path)
    assert table.sheet == "Absenties"
    assert table.frame["Stamnummer"].tolist() == ["1001", "1002"]
    assert table.frame["Datum"].tolist() == ["2026-09-02", "2026-09-03"]
    assert table.frame["Lesuur"].tolist() == ["3", "4"]
    assert "read the first sheet 'Absenties' of 2; choose another with --sheet" in table.notes


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    workbook(path, {"Voorblad": [["Overzicht"]], "Data": [["Stamnummer", "Vak"], ["7", "Engels"]]})
    assert read(path, sheet="Data").frame["Vak"].tolist() == ["Engels"]
    with pytest.raises(UsageError, match="has no sheet 'Nope'; its sheets are: Voorblad, Data"):
        read(path, sheet="Nope")


def test_xlsx_formulas_are_read_as_their_cached_values_or_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    workbook(path, {"S": [["Stamnummer", "Cijfer"], ["1", "=5+2"], ["2", 6.5]]})
    values = read(path).frame["Cijfer"].tolist()
    # openpyxl stores formulas without a computed value: the cell reads as empty, never as the formula text
    assert values[1] == "6.5"
    assert pd.isna(values[0])


def test_xlsx_renamed_to_csv_is_read_as_aworkbook(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    workbook(path.with_suffix(".xlsx"), {"S": [["Stamnummer", "Vak"], ["1", "Engels"]]})
    path.write_bytes(path.with_suffix(".xlsx").read_bytes())
    table = read(path)
    assert table.frame["Vak"].tolist() == ["Engels"]
    assert "the file is an Excel workbook with a .csv name; read it as XLSX" in table.notes


def test_damaged_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="cannot be opened as an Excel workbook"):
        read(path)


def test_normalise_header() -> None:
    assert normalise_header(" Student_ID ") == normalise_header("student id") == "studentid"
    assert normalise_header("Aantal-Uren") == "aantaluren"


def test_write_output_is_owner_only_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_output(target, "a,b\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(OutputExistsError, match="already exists"):
        write_output(target, "changed\n")
    assert target.read_text() == "a,b\n"
    write_output(target, "changed\n", force=True)
    assert target.read_text() == "changed\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_write_output_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        write_output(tmp_path / "no" / "out.csv", "x")


def test_an_interrupted_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.csv"

    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_output(target, "x" * 10_000)
    assert list(tmp_path.iterdir()) == []


def test_leading_zeros_of_pseudonyms_survive(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Stamnummer;Vak\n0012;Engels\n12;Frans\n")
    assert read(path).frame["Stamnummer"].tolist() == ["0012", "12"]


def test_a_file_too_large_for_memory_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import riskscreen.ingest.reading

    path = tmp_path / "a.csv"
    header, *rows = ROWS.format(s=";").splitlines(keepends=True)
    path.write_text(header + "".join(rows) * 1000)
    monkeypatch.setattr(riskscreen.ingest.sniff, "available_memory", lambda: 1000)
    with pytest.raises(
        InputError,
        match=r"is 0\.0 GB: screening it needs about 0 GB of memory and this machine has "
        r"0\.0 GB free",
    ):
        read(path)
    monkeypatch.setattr(riskscreen.ingest.sniff, "available_memory", lambda: None)
    assert len(read(path).frame) == 2000


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed-temporary", "named-temporary"])
def test_a_killed_write_leaves_nothing(tmp_path: Path, unnamed: bool) -> None:
    import signal
    import subprocess
    import sys

    from typer.testing import CliRunner

    from riskscreen.cli import app

    target = tmp_path / "list.csv"
    # The child stops for good once its data are in the temporary file (at fsync), so the kill always lands
    # mid-write: no timing involved. The second case takes the path of file systems without unnamed files.
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "import riskscreen.files as files\n"
        "if sys.argv[2] == 'named': files._write_unnamed = lambda *a, **k: False\n"
        "def stall(fd):\n"
        "    print('written', flush=True); time.sleep(600)\n"
        "os.fsync = stall\n"
        "files.write_output(Path(sys.argv[1]), b'x' * 100_000)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(target), "unnamed" if unnamed else "named"], stdout=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    # The output itself never exists half-written; at most a hidden partial file of the killed process
    # remains (mode 0600), and the next write of the same output removes it.
    assert not target.exists()
    leftovers = list(tmp_path.iterdir())
    assert len(leftovers) == (0 if unnamed else 1)
    for partial in leftovers:
        assert partial.name.startswith(".list.csv.") and partial.name.endswith(".partial")
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600
    # the next run of any command removes it, whatever it writes where
    result = CliRunner().invoke(app, ["profile", "list"])
    assert result.exit_code == 0 and list(tmp_path.iterdir()) == []
    if leftovers:
        assert f"{leftovers[0]} verwijderd: half geschreven door een run die werd gestopt" in result.stderr
    write_output(target, b"complete")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["list.csv"]
    assert target.read_bytes() == b"complete"


def test_an_output_that_is_a_folder_is_refused_even_with_force(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        write_output(tmp_path, "x", force=True)
