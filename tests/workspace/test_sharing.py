"""The basis for sharing a student's signals with the youth worker (#22 item 2): recorded per student (consent,
known) or for the school (a covenant in the workspace settings), listed, ended, pruned with the retention; bad
input is a clear error and stores nothing.

Sources: a school shares personal data with another organisation only on a ground of AVG art. 6 (consent, art.
6(1)(a), given by the parents for a student under 16, UAVG art. 5; or a public task with a covenant, art.
6(1)(e)); docs/privacy.md says which the school relies on. "Bekend" records that the youth worker already knows
the student: the school still names its ground for it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.helpers import run

from riskscreen.workspace.sharing import Basis, SchoolBasis, covered

STUDENT = "111016"


@pytest.fixture(scope="module")
def stored(week48: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("sharing") / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    return ws


@pytest.fixture
def ws(stored: Path, tmp_path: Path) -> Path:
    shutil.copytree(stored, tmp_path / "ws")
    return tmp_path / "ws"


def test_a_basis_is_recorded_listed_and_ended(ws: Path) -> None:
    added = run("sharing", "set", STUDENT, "--basis", "toestemming", "--on", "2026-11-02", "--workspace", ws)
    assert added.exit_code == 0, added.stderr
    assert "grondslag toestemming vastgelegd voor leerling 111016, vanaf 02-11-2026" in added.stderr
    stored = json.loads((ws / "school" / "sharing.json").read_text(encoding="utf-8"))
    assert stored == {
        "kind": "riskscreen-sharing",
        "bases": [{"student_id": STUDENT, "basis": "consent", "on": "2026-11-02", "until": None, "ended": None}],
    }
    assert oct((ws / "school" / "sharing.json").stat().st_mode & 0o777) == "0o600"
    listed = run("sharing", "list", "--workspace", ws, "-f", "csv")
    assert listed.stdout.removeprefix("\ufeff").splitlines() == [
        "Leerling;Grondslag;Vanaf;Tot en met;Beëindigd op;Geldt vandaag",
        "111016;toestemming;02-11-2026;;;ja",
    ]
    ended = run("sharing", "end", STUDENT, "--on", "2026-11-30", "--workspace", ws)
    assert ended.exit_code == 0 and "1 grondslag(en) beëindigd voor leerling 111016 op 30-11-2026" in ended.stderr
    as_json = json.loads(run("sharing", "list", "--workspace", ws, "-f", "json").stdout)
    assert as_json["bases"] == [
        {
            "student_id": STUDENT,
            "basis": "consent",
            "on": "2026-11-02",
            "until": None,
            "ended": "2026-11-30",
            "holds": False,
        }
    ]
    again = run("sharing", "end", STUDENT, "--workspace", ws)
    assert (
        again.exit_code == 2
        and "leerling '111016' heeft geen grondslag voor delen die op 30-11-2026 geldt" in again.stderr
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--basis", "mondeling", "--on", "2026-11-02"], "'mondeling' is geen grondslag voor delen"),
        (
            ["--basis", "convenant", "--on", "2026-12-31"],
            "de grondslag kan niet gelden vanaf 31-12-2026, na vandaag (30-11-2026)",
        ),
        (
            ["--basis", "bekend", "--on", "2026-11-02", "--until", "2026-10-01"],
            "--until 01-10-2026 ligt voor --on 02-11-2026",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_stores_nothing(ws: Path, args: list[str], said: str) -> None:
    result = run("sharing", "set", STUDENT, *args, "--workspace", ws)
    assert result.exit_code == 2 and said in result.stderr
    assert not (ws / "school" / "sharing.json").exists()


def test_a_pseudonym_not_on_the_schools_lists_is_refused(ws: Path) -> None:
    result = run("sharing", "set", "999999", "--basis", "toestemming", "--workspace", ws)
    assert result.exit_code == 2 and "leerling '999999' staat op geen enkele lijst" in result.stderr
    assert not (ws / "school" / "sharing.json").exists()


def test_the_schools_covenant_covers_every_student_in_its_period(ws: Path) -> None:
    settings = ws / "school" / "settings.toml"
    settings.write_text('[sharing]\nbasis = "convenant"\non = 2026-08-01\nuntil = 2027-07-31\n', encoding="utf-8")
    listed = run("sharing", "list", "--workspace", ws, "-f", "csv")
    assert (
        listed.stdout.removeprefix("\ufeff").splitlines()[1] == "(alle leerlingen);convenant;01-08-2026;31-07-2027;;ja"
    )
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('basis = "convenant"', 'basis = "bekend"'), encoding="utf-8"
    )
    wrong = run("sharing", "list", "--workspace", ws)
    assert wrong.exit_code == 1 and '[sharing] basis moet "convenant" zijn' in wrong.stderr


def test_who_is_covered_on_a_day() -> None:
    bases = [Basis("1", "consent", "2026-09-01", None, "2026-11-16"), Basis("2", "known", "2026-10-01", "2026-12-31")]
    assert [covered(bases, None, s, "2026-11-20") for s in ("1", "2", "3")] == [None, "known", None]
    assert covered(bases, None, "1", "2026-11-15") == "consent"
    school = SchoolBasis("covenant", "2026-08-01", "2027-07-31")
    assert [covered(bases, school, s, "2026-11-20") for s in ("1", "3")] == ["covenant", "covenant"]
    assert covered(bases, school, "3", "2027-08-01") is None


def test_an_ended_basis_is_pruned_with_the_retention(ws: Path) -> None:
    run(
        "sharing", "set", STUDENT, "--basis", "bekend", "--on", "2026-09-01", "--until", "2026-09-30", "--workspace", ws
    )
    run("sharing", "set", STUDENT, "--basis", "toestemming", "--on", "2026-11-02", "--workspace", ws)
    pruned = run("history", "--workspace", ws, "prune", "--older-than", "4w")
    assert pruned.exit_code == 0, pruned.stderr
    kept = json.loads((ws / "school" / "sharing.json").read_text(encoding="utf-8"))["bases"]
    assert [b["basis"] for b in kept] == ["consent"]


def test_every_list_written_is_logged_without_its_content_and_pruned_with_the_retention(
    ws: Path, week48: Path, tmp_path: Path
) -> None:
    made = run(
        "shortlist",
        week48,
        "--workspace",
        ws,
        "--for",
        "jongerenwerker",
        "--no-history",
        "-o",
        tmp_path / "jw.pdf",
        "-o",
        tmp_path / "jw.csv",
    )
    assert made.exit_code == 0, made.stderr
    assert run("shortlist", week48, "--workspace", ws, "--no-history", "-f", "csv").exit_code == 0  # no file: no line
    logged = json.loads(run("log", "--workspace", ws, "-f", "json").stdout)
    assert [(e["command"], e["role"], e["format"], e["students"], e["output"]) for e in logged] == [
        ("shortlist", "youthworker", "pdf", 0, "jw.pdf"),
        ("shortlist", "youthworker", "csv", 0, "jw.csv"),
    ]
    log = ws / "school" / "log.jsonl"
    assert oct(log.stat().st_mode & 0o777) == "0o600" and STUDENT not in log.read_text(encoding="utf-8")
    table = run("log", "--workspace", ws, "--lang", "en")
    assert table.stdout.splitlines()[0].split() == ["When", "Command", "For", "Format", "Students", "File"]
    assert "youth worker" in table.stdout
    # a line from long ago goes with the retention
    log.write_text(
        '{"at": "2025-01-06 10:00:00", "command": "shortlist", "role": "coordinator", "format": "pdf", '
        '"students": 40, "output": "old.pdf"}\n' + log.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    pruned = run("history", "--workspace", ws, "prune", "--older-than", "52w")
    assert (
        pruned.exit_code == 0
        and "1 regel(s) van het logboek van uitvoer van voor 01-12-2025 verwijderd" in pruned.stderr
    )
    assert [e["output"] for e in json.loads(run("log", "--workspace", ws, "-f", "json").stdout)] == ["jw.pdf", "jw.csv"]


@pytest.mark.parametrize(
    "doc",
    [
        {
            "kind": "riskscreen-sharing",
            "bases": [{"student_id": STUDENT, "basis": "consent", "on": "2026-11-02", "until": 20261231}],
        },
        {"kind": "riskscreen-sharing", "bases": [{"student_id": STUDENT, "basis": "consent", "on": "02-11-2026"}]},
        {"kind": "riskscreen-releases", "releases": []},
        {"kind": "riskscreen-sharing", "bases": "all"},
    ],
)
def test_a_damaged_record_of_bases_is_refused_not_half_read(ws: Path, doc: object) -> None:
    (ws / "school" / "sharing.json").write_text(json.dumps(doc), encoding="utf-8")
    result = run("sharing", "list", "--workspace", ws)
    assert result.exit_code == 1
    assert "sharing.json: is geen leesbaar bestand (overzicht van de grondslagen voor delen)" in result.stderr


def test_a_log_line_with_a_damaged_time_is_refused_by_its_line_not_a_traceback_in_prune(ws: Path) -> None:
    log = ws / "school" / "log.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(
        '{"at": "gisteren", "command": "shortlist", "role": "coordinator", "format": "pdf", "students": 4, '
        '"output": "x.pdf"}\n',
        encoding="utf-8",
    )
    pruned = run("history", "--workspace", ws, "prune", "--older-than", "52w", "--lang", "en")
    assert pruned.exit_code == 1
    assert "line 1 of the log of outputs cannot be read" in pruned.stderr and "Traceback" not in pruned.stderr


def test_the_per_user_folders_follow_home_as_it_is_when_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The settings are read when a run asks, not when riskscreen was imported (a changed HOME is followed)."""
    from riskscreen.files import partials_dir
    from riskscreen.workspace.location import default_home

    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "RISKSCREEN_STATE", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_home() == tmp_path / ".local" / "share" / "riskscreen"
    assert partials_dir() == tmp_path / ".local" / "state" / "riskscreen" / "partials"
