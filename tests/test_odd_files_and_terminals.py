"""Files and terminals a user can meet that are not what riskscreen expects (#26 items 17-20): each gets one clear
message in the user's language and a documented exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

from tests.cycle_helpers import run


def test_a_names_file_with_a_ten_megabyte_line_is_refused_with_its_line(week48: Path, tmp_path: Path) -> None:
    names = tmp_path / "namen.csv"
    names.write_text("Leerling;Naam\n111016;" + "A" * 10_000_000 + "\n", encoding="utf-8")
    result = run("shortlist", week48, "--names", names, "--no-history", "-f", "csv")
    assert result.exit_code == 1
    assert ("regel 2 is niet te lezen: een waarde langer dan 131072 tekens, of een teken dat niet in tekst hoort"
            in result.stderr)
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
