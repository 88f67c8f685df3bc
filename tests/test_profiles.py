"""Built-in and user mapping profiles: loading, extending, detecting, and clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from riskscreen.errors import ProfileError
from riskscreen.ingest.profiles import detect_profile, list_profiles, load_profile, profile_template, user_profile_dir


def test_builtins_are_listed_in_order() -> None:
    assert [name for name, _ in list_profiles()][:3] == ["canonical", "magister", "somtoday"]


@pytest.mark.parametrize(("headers", "expected"), [
    ({"attendance": ["student_id", "date", "period", "code"]}, "canonical"),
    ({"attendance": ["Stamnummer", "Datum", "Lesuur", "Absentiesoort"]}, "magister"),
    ({"attendance": ["Leerlingnummer", "Datum", "Lesuur", "Absentiereden", "Geoorloofd"]}, "somtoday"),
    ({"grades": ["Leerlingnummer", "Vak", "Datum", "Resultaat", "Weging"]}, "somtoday"),
])
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


@pytest.mark.parametrize(("text", "message"), [
    ("nme = 'x'", r"unknown setting\(s\) nme"),
    ("[columns.absences]\nstudent_id = 'x'", r"\[columns.absences\] is not a table"),
    ("[columns.attendance]\nstudent = 'x'", "names unknown column 'student'"),
    ("[codes.attendance]\n'TL' = 'tardy'", "maps 'TL' to 'tardy', which is not a valid code"),
    ("lesson_hours = 0", "lesson_hours must be above 0"),
    ("this is = not toml [", "is not valid TOML"),
])
def test_malformed_profiles(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ProfileError, match=message):
        load_profile(str(path))


def test_unknown_profile_name() -> None:
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        load_profile("nope")
