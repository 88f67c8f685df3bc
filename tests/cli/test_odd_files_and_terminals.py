"""Files and terminals a user can meet that are not what riskscreen expects (#26 items 17-20): each gets one clear
message in the user's language and a documented exit code, never a traceback."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import pytest
from tests.helpers import run


def test_a_names_file_with_a_ten_megabyte_line_is_refused_with_its_line(week48: Path, tmp_path: Path) -> None:
    names = tmp_path / "namen.csv"
    names.write_text("Leerling;Naam\n111016;" + "A" * 10_000_000 + "\n", encoding="utf-8")
    result = run("shortlist", week48, "--names", names, "--no-history", "-f", "csv")
    assert result.exit_code == 1
    assert (
        "regel 2 is niet te lezen: een waarde langer dan 131072 tekens, of een teken dat niet in tekst hoort"
        in result.stderr
    )
    assert "AAAAAAAAAA" not in result.stderr and len(result.stderr) < 400


def test_a_name_longer_than_a_name_is_refused(week48: Path, tmp_path: Path) -> None:
    names = tmp_path / "namen.csv"
    names.write_text("Leerling;Naam\n111016;" + "A" * 300 + "\n", encoding="utf-8")
    result = run("shortlist", week48, "--names", names, "--no-history", "-f", "csv")
    assert result.exit_code == 1 and "regel 2: de naam is 300 tekens, meer dan 200" in result.stderr


def test_a_holiday_calendar_and_a_filled_in_list_with_a_huge_value_are_refused(week48: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for path in week48.iterdir():
        (exports / path.name).write_bytes(path.read_bytes())
    (exports / "vakanties.csv").write_text("van;tot\n19-10-2026;" + "9" * 200_000 + "\n", encoding="utf-8")
    result = run("validate", exports)
    assert result.exit_code == 1 and "regel 2 is niet te lezen" in result.stderr
    ws = tmp_path / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    filled = tmp_path / "lijst.csv"
    filled.write_text("Leerling;Afgesproken actie;Wie\n111016;" + "x" * 200_000 + ";mentor\n", encoding="utf-8")
    imported = run("actions", "import", filled, "--workspace", ws, "--agreed", "2026-11-27")
    assert imported.exit_code == 1 and "regel 2 is niet te lezen" in imported.stderr


def _copy(folder: Path, to: Path) -> Path:
    to.mkdir()
    for path in folder.iterdir():
        (to / path.name).write_bytes(path.read_bytes())
    return to


def test_an_unreadable_folder_gets_one_message_in_the_users_language(
    week48: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(week48, tmp_path / "exports")
    folder.chmod(0)
    if os.geteuid() == 0:  # root reads any folder: make this one refuse, as it refuses everyone else
        listing = Path.iterdir

        def refusing(self: Path):  # type: ignore[no-untyped-def]
            if self == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return listing(self)

        monkeypatch.setattr(Path, "iterdir", refusing)
        monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)  # click's own check, were it still made
    try:
        result = run("validate", folder)
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert f"fout: {folder}: map kan niet worden gelezen (geen toestemming om het te lezen)" in result.stderr
    assert "not readable" not in result.stderr


def test_a_fifo_as_profile_is_called_what_it_is(week48: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "profiel.toml"
    os.mkfifo(fifo)
    result = run("validate", week48, "--profile", fifo)
    assert result.exit_code == 1
    assert f"fout: {fifo}: is een FIFO (named pipe), geen profiel: geweigerd" in result.stderr
    missing = run("validate", week48, "--profile", tmp_path / "weg.toml")
    assert missing.exit_code == 1 and f"profielbestand {tmp_path / 'weg.toml'} bestaat niet" in missing.stderr


def test_a_sheet_beyond_excels_rows_is_refused_before_it_is_read(week48: Path, tmp_path: Path) -> None:
    folder = _copy(week48, tmp_path / "exports")
    (folder / "absenties.csv").unlink()
    # a sheet without a dimension, whose rows go one past Excel's 1,048,576 (a file no Excel writes)
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>1</t></is></c></row>' % (i, i) for i in range(1, 1_048_578)
    )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    with zipfile.ZipFile(folder / "verzuim.xlsx", "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    result = run("validate", folder, "--lang", "en")
    assert result.exit_code == 1
    assert (
        "verzuim.xlsx: has a sheet of more than 1,048,576 rows or 16,384 columns, beyond what Excel holds"
        in result.stderr
    )
