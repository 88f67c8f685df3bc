"""Built-in and user mapping profiles: loading, extending, detecting, and clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.errors import ProfileError
from riskscreen.ingest.profile_files import (
    detect_profile,
    list_profiles,
    load_profile,
    profile_template,
    user_profile_dir,
)


def test_builtins_are_listed_in_order() -> None:
    assert [name for name, _ in list_profiles()][:3] == ["canonical", "magister", "somtoday"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"attendance": ["student_id", "date", "period", "code"]}, "canonical"),
        ({"attendance": ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"]}, "magister"),
        ({"attendance": ["Leerlingnummer", "Datum", "Lesuur", "Absentiereden", "Geoorloofd"]}, "somtoday"),
        ({"grades": ["Leerlingnummer", "Vak", "Datum", "Resultaat", "Weging"]}, "somtoday"),
    ],
)
def test_detection_from_headers(headers: dict[str, list[str]], expected: str) -> None:
    assert detect_profile(headers).name == expected


def test_profile_codes_include_the_contract_dutch_codes() -> None:
    codes = load_profile("magister").code_map("attendance")
    assert codes["ongeoorloofd"] == "unauthorised"
    assert codes["spijbelen"] == "unauthorised"
    assert codes["te laat"] == "late"
    assert codes["uitgestuurd"] == "removed"
    assert codes["verwijderd"] == "removed"
    assert codes["ziek"] == "sick"
    assert codes["geoorloofd"] == "authorised"


def test_template_is_valid_and_loads_as_a_profile(tmp_path: Path) -> None:
    text = profile_template("ourschool")
    tomllib.loads(text)
    path = tmp_path / "ourschool.toml"
    path.write_text(text)
    profile = load_profile(str(path))
    assert profile.name == "ourschool"
    assert profile.code_map("attendance")["tl"] == "late"
    assert profile.aliases("attendance")["leerlingid"] == "student_id"
    assert profile.aliases("attendance")["stamnummer"] == "student_id"  # inherited from magister
    assert profile.holidays == (("2026-10-19", "2026-10-23"), ("2026-12-21", "2027-01-01"))
    assert profile.is_core("Wiskunde B")


def test_user_profile_found_by_name() -> None:
    folder = user_profile_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text('name = "mine"\nextends = "canonical"\n[codes.attendance]\n"X" = "sick"\n')
    assert load_profile("mine").code_map("attendance")["x"] == "sick"
    assert "mine" in [n for n, _ in list_profiles()]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nme = 'x'", r"unknown setting\(s\) nme"),
        ("[columns.absences]\nstudent_id = 'x'", r"\[columns.absences\] is not a table"),
        ("[columns.attendance]\nstudent = 'x'", "names unknown column 'student'"),
        ("[codes.attendance]\n'TL' = 'tardy'", "maps 'TL' to 'tardy', which is not a valid code"),
        ("lesson_hours = 0", "lesson_hours must be above 0"),
        ("this is = not toml [", "is not valid TOML"),
    ],
)
def test_malformed_profiles(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path))


def test_unknown_profile_name() -> None:
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        load_profile("nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[flags]\nverzuim_hours = nan\n", "verzuim_hours must be a number from 1 to 16"),
        ("[flags]\nverzuim_hours = inf\n", "verzuim_hours must be a number from 1 to 16"),
        (
            "[flags]\nverzuim_hours = 40\n",
            r"the Leerplichtwet: 16 hours in 4 lesson weeks; a school may signal earlier",
        ),
        ("[flags]\nverzuim_weeks = 0.5\n", "verzuim_weeks must be a whole number from 4 to 52"),
        ("[flags]\nverzuim_weeks = 8\nlookback_weeks = 6\n", "lookback_weeks must be at least verzuim_weeks"),
        ("columns = 5\n", r"\[columns\] must be a table of settings, not int"),
        ('[columns]\nattendance = "x"\n', r"\[attendance\] must be a table of settings, not str"),
        ('date_format = "%"\n', "date_format '%' is not a date format with day, month and year"),
        ('date_format = "%Y"\n', "date_format '%Y' is not a date format with day, month and year"),
        ('holidays = [["2026-02-30", "2026-03-01"]]\n', "holiday date '2026-02-30' is not a date"),
        ('holidays = [["2026-03-01", "2026-02-01"]]\n', "ends before it starts"),
        ('holidays = "kerst"\n', "holidays must be a list of"),
    ],
)
def test_a_broken_profile_is_a_clear_profile_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path))


def test_an_extends_cycle_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_PROFILES", str(tmp_path))
    (tmp_path / "a.toml").write_text('extends = "b"\n')
    (tmp_path / "b.toml").write_text('extends = "a"\n')
    with pytest.raises(ProfileError, match=r"extends itself through a -> b -> a"):
        load_profile("a")
    # one broken profile in the user's folder does not break the others, nor every command
    (tmp_path / "good.toml").write_text('extends = "magister"\n')
    assert [n for n, _ in list_profiles()][-1:] == ["good"]
    result = CliRunner().invoke(app, ["profile", "list"])
    assert result.exit_code == 0 and "good" in result.stdout


def test_a_folder_given_as_a_profile_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="is a folder, not a profile"):
        load_profile(str(tmp_path))
