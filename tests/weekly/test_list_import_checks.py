"""A filled-in list belongs to one school and one day (#26 item 11): a list of another school, or dated after
today, is refused whole, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.helpers import fill, run


def _first_student(listing: Path) -> str:
    sheet = load_workbook(listing).worksheets[2]
    return str(sheet.cell(2, 3).value)


@pytest.fixture(scope="module")
def two_schools(week48: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One workspace home with lists of schools 04AB and 05CD stored, and 04AB's list filled in."""
    folder = tmp_path_factory.mktemp("schools")
    home = folder / "ws"
    for school in ("04AB", "05CD"):
        made = run("shortlist", week48, "--workspace", home, "--school", school, "-o", folder / f"{school}.xlsx")
        assert made.exit_code == 0, made.stderr
    fill(
        folder / "04AB.xlsx",
        folder / "filled.xlsx",
        {_first_student(folder / "04AB.xlsx"): {"Afgesproken actie": "gesprek", "Wie": "mentor"}},
    )
    return home, folder / "filled.xlsx"


def test_a_list_of_another_school_is_refused_and_nothing_stored(two_schools: tuple[Path, Path]) -> None:
    home, filled = two_schools
    other = run("actions", "import", filled, "--workspace", home, "--school", "05CD")
    assert other.exit_code == 1
    assert (
        "deze lijst is gemaakt voor school '04AB', niet voor de school van deze werkmap, '05CD'; er is niets ingelezen"
    ) in other.stderr
    assert "lees hem in in de werkmap van zijn eigen school (--school 04AB)" in other.stderr
    assert not (home / "05CD" / "actions.json").exists()
    own = run("actions", "import", filled, "--workspace", home, "--school", "04AB", "--dry-run")
    assert own.exit_code == 0, own.stderr


def test_the_school_is_in_the_lists_document_properties(two_schools: tuple[Path, Path]) -> None:
    _, filled = two_schools
    assert load_workbook(filled).properties.keywords == "riskscreen school=04AB"


def test_a_list_dated_after_today_is_refused(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-o", tmp_path / "l.xlsx").exit_code == 0
    student = _first_student(tmp_path / "l.xlsx")
    # today is pinned to 30-11-2026 (tests/conftest.py); the list says 31-12-2026
    fill(
        tmp_path / "l.xlsx",
        tmp_path / "later.xlsx",
        {student: {"Lijst van": "31-12-2026", "Afgesproken actie": "gesprek", "Wie": "mentor"}},
    )
    later = run("actions", "import", tmp_path / "later.xlsx", "--workspace", ws)
    assert later.exit_code == 1
    assert (
        "de lijst is gedateerd op 31-12-2026, na vandaag (30-11-2026); lees de lijst in die riskscreen schreef"
        in later.stderr
    )
    assert not (ws / "school" / "actions.json").exists()
