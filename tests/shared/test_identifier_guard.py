"""The one guard for text a person types (#26 items 8-10): nothing identifying is stored in the actions book, a
remark column naming a person is refused, and no message repeats a value that could identify someone.

Sources: the AVG (GDPR) art. 4(1) counts a name, an identification number, contact details and a birth date as
personal data; the BSN is recognised by its 11-check (Wet algemene bepalingen burgerservicenummer, art. 1 and
the check DUO and the Belastingdienst publish). Pseudonyms are all the actions book may hold (docs/privacy.md).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.helpers import accepted, bsns, fill, refused, run, school

from riskscreen.errors import UsageError, msg
from riskscreen.i18n import identifier_in, quoted
from riskscreen.identifiers import bsns_in, phone_in
from riskscreen.ingest.clock import current_date
from riskscreen.ingest.problems import shown_value
from riskscreen.workspace.action_text import check_text, check_worker

BSN = bsns(1, seed=8)[0]

# the eight cases and the rest of their classes, with what each holds
REFUSED = [
    ("0612345678", "a phone number"),
    ("jongerenwerker 111222333", "a BSN"),
    ("mentor moeder Jansen", "a name"),
    ("tante Fatima belt", "a name"),
    ("stiefvader De Boer", "a name"),
    ("vader (Mohammed) komt", "a name"),
    ("bel o6-12345678", "a phone number"),
    ("p.jansen [at] school [dot] nl", "an e-mail address"),
    ("mail p.jansen(at)school(punt)nl", "an e-mail address"),
    ("bel +31 (0)6 1234 5678", "a phone number"),
    ("06 - 12 34 56 78 na 16 uur", "a phone number"),
    ("+32 470 12 34 56", "a phone number"),
    ("0031-6-12345678", "a phone number"),
    ("06.l2.34.56.78", "a phone number"),
    ("11 12 22 333", "a BSN"),
    (f"bsn {BSN[:4]}.{BSN[4:6]}.{BSN[6:]}", "a BSN"),
    ("@piet_j op insta", "an e-mail address"),
    ("Jan Jansen belde af", "a name"),
    ("oom: Yilmaz", "a name"),
    ("pleegmoeder van der Berg", "a name"),
    ("broer geb. 12-03-2010 ziek", "a birth date"),
    ("gesprek met Fatima", "a name"),
]
ORDINARY = [
    "gesprek over schoolverzuim",
    "schooljaar 2026-2027",
    "afspraak 15.30-16.00 uur",
    "Frans en Engels bijles",
    "Ben langs geweest",
    "Max 2 uur per week",
    "huisbezoek 01-12-2026 om 14:00",
    "moeder belt terug",
    "gesprek met de huisarts",
    "verwijzing jeugdhulp via wijkteam",
    "les 3 t/m 6 gemist",
    "16 uur in 4 weken",
    "stage bij garage, 32 uur",
    "3 keer te laat in week 48",
    "kamer 1.12 om 10.15 uur",
]


@pytest.mark.parametrize(("text", "kind"), REFUSED)
def test_the_guard_finds_identifiers_in_any_spelling_avg_art_4(text: str, kind: str) -> None:
    assert identifier_in(text) == kind


@pytest.mark.parametrize("text", ORDINARY)
def test_the_guard_lets_ordinary_remarks_through(text: str) -> None:
    assert identifier_in(text) is None


def test_a_staff_name_is_allowed_for_who_follows_up_but_no_family_number_or_address() -> None:
    assert check_worker("Sanne") == "Sanne" and check_worker("JW-Noord") == "JW-Noord"
    assert check_worker("Sanne de Vries") == "Sanne de Vries"
    for worker, kind in [
        ("0612345678", "a phone number"),
        ("tante Fatima", "a name"),
        ("s.devries@wijk.nl", "an e-mail address"),
    ]:
        with pytest.raises(UsageError) as exc:
            check_worker(worker)
        assert str(exc.value).splitlines()[0] == (
            f"the name of who follows up holds {kind}; actions are stored without anything that identifies a person"
        )


def test_a_bsn_is_found_only_when_it_passes_the_11_check_wet_abb() -> None:
    assert bsns_in(f"nummer {BSN[:3]} {BSN[3:6]} {BSN[6:]}") == [BSN]
    not_a_bsn = BSN[:8] + str((int(BSN[8]) + 1) % 10)
    assert bsns_in(not_a_bsn) == []


def test_huge_texts_cost_time_in_proportion_not_memory() -> None:
    # once killed for memory: every grouping of a million digit groups was built at once
    assert phone_in("1 " * 200_000) is False and bsns_in("3 " * 100_000) == []
    assert identifier_in("1 " * 200_000 + "06 12 34 56 78") == "a phone number"


_SEPARATORS = st.sampled_from(["", " ", "-", ".", "  ", " - ", "/"])
_FILLER = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


def _written(digits: str, separators: list[str]) -> str:
    return "".join(d + (separators[i % len(separators)] if i < len(digits) - 1 else "") for i, d in enumerate(digits))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mobile=st.text("0123456789", min_size=8, max_size=8),
    separators=st.lists(_SEPARATORS, min_size=1, max_size=4),
    before=st.sampled_from(["", "bel ", "tel: ", "nummer moeder: ", "(", "x"]),
    o_for_zero=st.booleans(),
)
@example(mobile="00200000", separators=["", "", "", "-"], before="", o_for_zero=False)  # "0600-2000-00": no school year
def test_a_mobile_number_however_grouped_is_refused(
    mobile: str, separators: list[str], before: str, o_for_zero: bool
) -> None:
    number = _written("06" + mobile, separators)
    if o_for_zero and not before[-1:].isalpha() and number[1].isdigit():  # "o" for 0 in a word of digits
        number = "o" + number[1:]
    with pytest.raises(UsageError):
        check_text(f"{before}{number} na schooltijd", msg("action"))


@settings(max_examples=100, deadline=None)
@given(separators=st.lists(_SEPARATORS, min_size=1, max_size=3), seed=st.integers(0, 500))
def test_a_bsn_however_grouped_is_refused(separators: list[str], seed: int) -> None:
    number = bsns(1, seed=seed)[0]
    assert identifier_in(f"leerling {_written(number, separators)} belde") is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=600))
def test_any_text_is_stored_clean_or_refused_never_a_crash(text: str) -> None:
    try:
        stored = check_text(text, msg("action"))
    except UsageError as exc:
        assert len(str(exc)) < 200  # the refusal describes, it does not repeat the text
        return
    assert identifier_in(stored) is None and len(stored) <= 500


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=5_000))
def test_a_message_repeats_at_most_40_characters_of_a_typed_value(text: str) -> None:
    said = msg("unknown role '{who}'", who=text)
    repeated = str(said).removeprefix("unknown role ")
    assert len(repeated) <= 42 or repeated.startswith("a text of ")
    assert len(said.localised("nl")) < 120


def test_messages_describe_identifying_values_instead_of_repeating_them() -> None:
    assert str(
        msg(
            "'{who_text}' is not a role: write jongerenwerker, mentor or zorgcoördinator (a name goes in "
            "the column Jongerenwerker)",
            who_text="0612345678",
        )
    ).startswith("a text of 10 characters that holds a phone number (not repeated here) is not a role")
    said = msg("student '{student}' is not in this school's exports", student="111222333")
    assert said.localised("nl") == (
        "leerling een tekst van 9 tekens met een BSN (hier niet herhaald) staat niet in de exports van deze school"
    )
    assert quoted("x" * 32_767) == "'" + "x" * 39 + "…'"
    assert quoted("Kwijt") == "'Kwijt'"


def test_shown_values_hide_dates_from_the_years_students_are_born_in() -> None:
    year = current_date().year
    assert shown_value(f"12-03-{year - 16}") == f"(a date in {year - 16}, not shown)"
    assert shown_value(f"12-03-{year - 16}").localised("nl") == f"(een datum in {year - 16}, niet getoond)"
    assert shown_value(f"01-09-{year - 1}") == f"01-09-{year - 1}"
    assert shown_value("Jan Jansen belde af") == "(text of 19 characters, not shown)"
    assert shown_value("x" * 3_000_000) == "x" * 39 + "…"


@pytest.mark.usefixtures("english")
def test_a_remark_naming_a_person_by_first_name_and_surname_is_refused(tmp_path: Path) -> None:
    text = refused(school(tmp_path, ["S1", "S2", "S3"], ",Opmerking", ["griep", "Jan Jansen belde af", "tandarts"]))
    assert "column 'Opmerking': holds what look like names in text (row 3)" in text and "Jansen" not in text


@pytest.fixture(scope="module")
def listed(week48: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A workspace with the week-48 list stored, and that list as XLSX."""
    folder = tmp_path_factory.mktemp("guarded")
    assert run("shortlist", week48, "--workspace", folder / "ws", "-o", folder / "lijst.xlsx").exit_code == 0
    return folder / "ws", folder / "lijst.xlsx"


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("--what", "tante Fatima belt"),
        ("--what", "bel o6-12345678"),
        ("--what", "p.jansen [at] school [dot] nl"),
        ("--worker", "0612345678"),
        ("--worker", "stiefvader De Boer"),
    ],
)
def test_the_terminal_refuses_an_action_that_identifies_and_stores_nothing(
    listed: tuple[Path, Path], field: str, text: str
) -> None:
    ws, _ = listed
    args = ["--what", "gesprek", field, text] if field == "--worker" else [field, text]
    result = run("actions", "add", "111016", *args, "--workspace", ws)
    assert result.exit_code == 2
    assert "; acties worden bewaard zonder iets waaraan een persoon te herkennen is" in result.stderr
    assert text not in result.stderr and "Fatima" not in result.stderr and "12345678" not in result.stderr
    assert not (ws / "school" / "actions.json").exists()


def test_an_outcome_that_identifies_is_refused_and_the_action_stays_open(
    listed: tuple[Path, Path], tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(listed[0], ws)
    assert run("actions", "add", "111016", "--what", "gesprek", "--workspace", ws).exit_code == 0
    closed = run("actions", "close", "1", "--outcome", "vader (Mohammed) komt langs", "--workspace", ws)
    assert closed.exit_code == 2 and "Mohammed" not in closed.stderr
    assert "de uitkomst bevat een naam" in closed.stderr
    stored = json.loads((ws / "school" / "actions.json").read_text(encoding="utf-8"))
    assert stored["actions"][0]["outcome"] is None and stored["actions"][0]["closed"] is None


def test_a_filled_in_list_with_identifiers_is_refused_row_by_row(listed: tuple[Path, Path], tmp_path: Path) -> None:
    ws, listing = listed
    students = [
        str(sheet.cell(r, 3).value)
        for sheet in load_workbook(listing).worksheets[2:]
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(r, 3).value
    ][:3]
    fill(
        listing,
        tmp_path / "filled.xlsx",
        {
            students[0]: {"Afgesproken actie": "gesprek", "Wie": "0612345678"},
            students[1]: {"Afgesproken actie": "bellen met tante Fatima", "Wie": "mentor"},
            students[2]: {"Afgesproken actie": "jongerenwerker 111222333", "Wie": "mentor"},
        },
    )
    result = run("actions", "import", tmp_path / "filled.xlsx", "--agreed", "2026-11-27", "--workspace", ws)
    assert result.exit_code == 1, result.stderr
    assert "0612345678" not in result.stderr and "Fatima" not in result.stderr and "111222333" not in result.stderr
    assert "een tekst van 10 tekens met een telefoonnummer (hier niet herhaald) is geen rol" in result.stderr
    assert not (ws / "school" / "actions.json").exists()


def test_a_long_language_setting_is_cut_in_the_message(week48: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_LANG", "q" * 5_000)
    result = run("validate", week48)
    assert result.exit_code == 2
    assert "q" * 39 + "…" in result.stderr and "q" * 41 not in result.stderr and len(result.stderr) < 600


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("name", ["Geboren op", "geboren", "Gebdat", "Verjaardag", "Birthday", "born on"])
def test_a_birth_date_column_by_any_usual_name_is_refused(tmp_path: Path, name: str) -> None:
    text = refused(school(tmp_path, ["S1", "S2"], f",{name}", ["12-03-2011", "01-07-2010"]))
    assert f"column '{name}': the column name suggests a date of birth" in text and "2011" not in text


@pytest.mark.usefixtures("english")
def test_an_unnamed_column_of_dates_from_the_years_students_are_born_in_is_refused(tmp_path: Path) -> None:
    year = current_date().year
    born = [f"{1 + n:02d}-0{1 + n % 9}-{year - 12 - n % 5}" for n in range(6)]
    text = refused(school(tmp_path, [f"S{n}" for n in range(6)], ",Extra", born))
    assert (
        "column 'Extra': holds what look like dates of birth: most of its dates lie 8 to 30 years back "
        "(rows 2, 3, 4, 5, 6 and 1 more)"
    ) in text
    assert born[0] not in text


@pytest.mark.usefixtures("english")
def test_a_column_of_recent_dates_or_of_dates_from_long_ago_is_not_taken_for_birth_dates(tmp_path: Path) -> None:
    year = current_date().year
    recent = [f"0{1 + n}-10-{year - 1}" for n in range(4)]
    assert accepted(school(tmp_path / "recent", [f"S{n}" for n in range(4)], ",Gemeld op", recent))
    assert accepted(school(tmp_path / "old", [f"S{n}" for n in range(4)], ",Sinds", ["01-01-1950"] * 4))


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("header", "found", "shown"),
    [("Jan Jansen", "a name", "text of 10 characters"), ("Tel 0612345678", "a phone number", "a number of 10 digits")],
)
def test_a_column_named_after_a_person_or_a_number_is_refused_and_never_echoed(
    tmp_path: Path, header: str, found: str, shown: str
) -> None:
    folder = school(tmp_path, ["S1", "S2"], f",{header}", ["a", "b"])
    refusal = run("validate", folder, "--lang", "en")
    assert refusal.exit_code == 1
    assert f"column '{header}': " not in refusal.stderr
    assert (
        f"column a text of {len(header)} characters that holds {found} (not repeated here): the column name"
        in refusal.stderr
    )
    allowed = run("validate", folder, "--allow-column", header, "--lang", "en")  # a false alarm, said so
    assert allowed.exit_code == 0
    assert f"ignored columns: ({shown}, not shown)" in allowed.stdout
    assert header not in allowed.stdout + allowed.stderr


def test_a_validation_report_hides_a_date_from_the_years_students_are_born_in(tmp_path: Path) -> None:
    born = f"12-03-{current_date().year - 17}"
    folder = school(tmp_path, ["S1", "S2"])
    text = (folder / "attendance.csv").read_text(encoding="utf-8").replace("2026-09-02", born)
    (folder / "attendance.csv").write_text(text, encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert f"(een datum in {current_date().year - 17}, niet getoond)" in result.stdout
    assert born not in result.stdout + result.stderr


def test_a_cell_of_32767_characters_is_cut_in_every_message(tmp_path: Path) -> None:
    folder = school(tmp_path, ["S1", "S2"])
    text = (folder / "grades.csv").read_text(encoding="utf-8").replace(",7\n", "," + "7x" * 16_383 + "7\n")
    (folder / "grades.csv").write_text(text, encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert len(result.stdout + result.stderr) < 3_000 and "7x" * 30 not in result.stdout + result.stderr


def test_a_pseudonym_that_passes_the_bsn_check_is_described_in_an_import(
    listed: tuple[Path, Path], tmp_path: Path
) -> None:
    ws, _ = listed
    filled = tmp_path / "lijst.csv"
    filled.write_text(
        "Lijst van;Leerling;Afgesproken actie;Wie\n27-11-2026;111222333;gesprek;mentor\n", encoding="utf-8"
    )
    result = run("actions", "import", filled, "--workspace", ws)
    assert result.exit_code == 1
    assert (
        "leerling een tekst van 9 tekens met een BSN (hier niet herhaald) staat niet in de exports van deze school"
    ) in result.stderr
    assert "111222333" not in result.stderr
