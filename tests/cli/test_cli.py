"""The command line through CliRunner: exit codes, stdout for data, stderr for messages, files written safely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen import __version__
from riskscreen.cli import app

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [str(a) for a in args])


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"riskscreen {__version__}\n"


def test_help_does_not_import_pandas_or_sklearn() -> None:
    code = (
        "import sys; from riskscreen.cli import app; from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['--help']); "
        "print(r.exit_code, 'pandas' in sys.modules, 'sklearn' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0 False False False"


def test_help_lists_every_command_in_order() -> None:
    from typer.main import get_command

    assert list(get_command(app).commands) == [
        "validate",
        "sample",
        "score",
        "explain",
        "train",  # type: ignore[attr-defined]
        "evaluate",
        "init",
        "shortlist",
        "log",
        "privacy",
        "profile",
        "model",
        "history",
        "actions",
        "sharing",
        "aggregate",
    ]
    result = run("--help")
    assert result.exit_code == 0
    for name in ("validate", "sample", "score", "explain", "train", "evaluate", "shortlist", "history"):
        assert f"  {name} " in result.stdout


def test_the_console_script_exits_with_the_command_status_and_runs_exit_handlers(
    tmp_path: Path, school_dir: Path
) -> None:
    code = (
        "import atexit, sys; atexit.register(lambda: sys.stderr.write('handler ran\\n')); "
        "sys.argv[0] = 'riskscreen'; from riskscreen.cli import main; main()"
    )

    def cli(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, check=False, timeout=120
        )

    version = cli("--version")
    assert (version.returncode, version.stdout, version.stderr) == (0, f"riskscreen {__version__}\n", "handler ran\n")
    assert cli("bogus").returncode == 2
    (tmp_path / "attendance.csv").write_text("student_id,date,code\nS1,2026-02-30,sick\n")
    (tmp_path / "grades.csv").write_text("student_id,subject,date,grade\nS1,Engels,2026-02-02,7\n")
    invalid = cli("validate", tmp_path)
    assert invalid.returncode == 1 and "geen geldige datum" in invalid.stdout
    scored = cli("score", school_dir, "--format", "csv", "--top", "2")
    assert scored.returncode == 0 and len(scored.stdout.splitlines()) == 3
    assert scored.stderr.endswith("handler ran\n")


def test_validate_a_valid_school(school_dir: Path) -> None:
    result = run("validate", school_dir)
    assert result.exit_code == 0, result.stderr
    assert "Profiel: magister (herkend aan de kolomkoppen)" in result.stdout
    assert result.stdout.rstrip().splitlines()[-2].startswith("in orde: 3 bestand(en)")
    english = run("validate", school_dir, "--lang", "en")
    assert "Profile: magister (detected from the headers)" in english.stdout
    assert english.stdout.rstrip().splitlines()[-1].startswith("valid: 3 file(s)")


def test_validate_json_to_a_file(school_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("validate", school_dir, "--format", "json", "--output", out)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text())["valid"] is True
    assert f"{out} geschreven" in result.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_validate_an_invalid_school_exits_1(school_copy: Path) -> None:
    with (school_copy / "absenties.csv").open("a") as handle:
        handle.write("111000;31-02-2026;1;Ziek\n")
    result = run("validate", school_copy, "--format", "csv")
    assert result.exit_code == 1
    assert "fout;verzuim;absenties.csv;'date';datum;1;" in result.stdout
    assert result.stderr.startswith("NIET IN ORDE:")
    english = run("validate", school_copy, "--format", "csv", "--lang", "en")
    assert "error,attendance,absenties.csv,date,date,1," in english.stdout
    assert english.stderr.startswith("INVALID:")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("validate",), 2, "fout: geef een map, of bestanden met --attendance"),
        (
            ("validate", "/no/such/folder"),
            1,
            "fout: /no/such/folder: map niet gevonden\n  Zo los je het op: controleer het pad",
        ),
        (("validate", "--as-of", "yesterday", "/tmp"), 2, "fout: --as-of 'yesterday' is geen datum"),
        (("score", "--model", "nope", "/tmp"), 2, "fout: geen model met de naam 'nope'"),
        (("validate", "--profile", "nope", "/tmp"), 1, "fout: geen profiel met de naam 'nope'"),
        (("validate", "--lang", "en", "--profile", "nope", "/tmp"), 1, "error: no profile named 'nope'"),
    ],
)
def test_errors_have_their_exit_code_and_one_message(args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_unknown_option_is_a_usage_error() -> None:
    result = run("score", "--no-such-option")
    assert result.exit_code == 2


def test_privacy_refusal_exits_1_without_values(school_copy: Path) -> None:
    roster = (school_copy / "leerlingen.csv").read_text().splitlines()
    roster[0] += ";Telefoon"
    roster[1:] = [line + ";0612345678" for line in roster[1:]]
    (school_copy / "leerlingen.csv").write_text("\n".join(roster) + "\n")
    result = run("score", school_copy)
    assert result.exit_code == 1
    assert "kolom 'Telefoon': de kolomnaam wijst op een telefoonnummer" in result.stderr
    assert "0612345678" not in result.stderr + result.stdout


def test_unexpected_errors_exit_3_without_data_and_debug_shows_the_traceback(
    school_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import riskscreen.api.screening

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("planted value 111000 secret")

    monkeypatch.setattr(riskscreen.api.screening, "score_all", boom)
    result = run("score", school_dir)
    assert result.exit_code == 3
    assert "onverwachte fout (RuntimeError)" in result.stderr
    assert "met het 16-urensignaal" not in result.stderr
    assert "secret" not in result.stderr and "111000" not in result.stderr
    debug = run("--debug", "score", school_dir)
    assert isinstance(debug.exception, RuntimeError)


def test_score_json_and_demo_warning(school_dir: Path) -> None:
    result = run("score", school_dir, "--format", "json", "--top", "3", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [s["rank"] for s in doc["students"]] == [1, 2, 3]
    assert doc["model"]["demonstration"] is True
    assert "demonstration model trained on synthetic data" in result.stderr
    assert result.stderr.rstrip().endswith("with the 16-hour flag")


def test_score_never_overwrites_without_force(school_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("precious\n")
    result = run("score", school_dir, "-f", "csv", "-o", out)
    assert result.exit_code == 2
    assert f"fout: {out} bestaat al" in result.stderr
    assert out.read_text() == "precious\n"
    assert run("score", school_dir, "-f", "csv", "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("\ufeffRang;Leerling;Mentor;Klas;Kans;Risico")
    assert run("score", school_dir, "-f", "csv", "-o", out, "--force", "--lang", "en").exit_code == 0
    assert out.read_text().startswith("rank,student_id,mentor,class,probability")
    assert run("score", school_dir, "-f", "csv", "-o", out, "--force", "--csv-dialect", "rfc4180").exit_code == 0
    assert out.read_text().startswith("Rang,Leerling,Mentor,Klas,Kans,Risico")  # Dutch words, plain commas


def test_explain(school_dir: Path) -> None:
    ok = run("explain", school_dir, "111069", "--format", "json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)["student_id"] == "111069"
    missing = run("explain", school_dir, "NOBODY")
    assert missing.exit_code == 2
    assert "leerling 'NOBODY' staat niet in deze exports" in missing.stderr


def test_snapshots_of_an_earlier_version_are_pointed_to_in_the_readers_language(
    school_copy: Path, tmp_path: Path
) -> None:
    old = school_copy / "riskscreen-history"
    old.mkdir()
    (old / "shortlist-2026-11-20.json").write_text("{}", encoding="utf-8")
    ws = tmp_path / "ws"
    dutch = run("shortlist", school_copy, "--no-history", "--workspace", ws, "--school", "04AB")
    assert dutch.exit_code == 0, dutch.stderr
    assert (
        f"lijsten van een eerdere versie gevonden in {old}; verplaats ze met: mv {old}/shortlist-*.json "
        f"{ws / '04AB' / 'snapshots'}/"
    ) in dutch.stderr
    english = run("shortlist", school_copy, "--no-history", "--workspace", ws, "--school", "04AB", "--lang", "en")
    assert f"found snapshots of an earlier version in {old}; move them with: mv" in english.stderr


def test_shortlist_writes_files_and_a_snapshot(school_copy: Path, tmp_path: Path) -> None:
    html = tmp_path / "week.html"
    ws = tmp_path / "ws"
    result = run("shortlist", school_copy, "-o", html, "--workspace", ws, "--school", "04AB")
    assert result.exit_code == 0, result.stderr
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert oct(html.stat().st_mode & 0o777) == "0o600"
    snapshots = list((ws / "04AB" / "snapshots").iterdir())
    assert [p.name for p in snapshots] == ["shortlist-2026-11-27.json"]
    assert oct(snapshots[0].stat().st_mode & 0o777) == "0o600"
    assert oct((ws / "04AB").stat().st_mode & 0o777) == "0o700"
    assert f"geschiedenis gelezen uit {ws / '04AB'} (school 04AB; gekozen met --workspace)" in result.stderr
    assert not (school_copy / "riskscreen-history").exists()  # the export folder is never written to
    again = run("shortlist", school_copy, "-o", html, "--workspace", ws, "--school", "04AB")
    assert again.exit_code == 2 and f"fout: {html} bestaat al" in again.stderr
    xlsx = run("shortlist", school_copy, "--format", "xlsx")
    assert xlsx.exit_code == 2 and "fout: een XLSX-bestand kan niet in de terminal worden getoond" in xlsx.stderr
    pdf = run("shortlist", school_copy, "--format", "pdf", "--lang", "en")
    assert pdf.exit_code == 2 and "error: a PDF file cannot be printed to the terminal" in pdf.stderr
    listing = run("history", "--workspace", ws, "--school", "04AB", "--format", "json")
    assert json.loads(listing.stdout)[0]["as_of"] == "2026-11-27"


def test_a_failed_shortlist_leaves_nothing_behind(school_copy: Path, tmp_path: Path) -> None:
    with (school_copy / "absenties.csv").open("a") as handle:
        handle.write("111000;31-02-2026;1;Ziek\n")
    out = tmp_path / "week.xlsx"
    result = run("shortlist", school_copy, "-o", out)
    assert result.exit_code == 1
    assert "de gegevens zijn niet door de controle gekomen" in result.stderr
    assert list(tmp_path.iterdir()) == [school_copy]
    assert not (Path(os.environ["RISKSCREEN_HOME"]) / "school").exists()  # no workspace, no snapshot


def test_inputs_are_never_modified(school_copy: Path, tmp_path: Path) -> None:
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in school_copy.iterdir()}
    run("shortlist", school_copy, "--no-history", "-o", tmp_path / "x.csv")
    run("score", school_copy, "-o", tmp_path / "y.json", "-f", "json")
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in school_copy.iterdir()}
    assert before == after


def test_profile_commands(tmp_path: Path) -> None:
    listed = run("profile", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].startswith("canonical")
    target = tmp_path / "ours.toml"
    assert run("profile", "init", "ours", "--output", target).exit_code == 0
    assert 'extends = "magister"' in target.read_text()
    assert run("profile", "init", "ours", "--output", target).exit_code == 2


def test_model_commands() -> None:
    listed = run("model", "list")
    assert listed.exit_code == 0 and "DEMONSTRATIE (synthetische gegevens)" in listed.stdout
    assert "DEMONSTRATION (synthetic data)" in run("model", "list", "--lang", "en").stdout
    shown = run("model", "show", "demo")
    assert shown.stdout.startswith("# Modelkaart: demo\n\n> **DEMONSTRATIEMODEL, getraind op synthetische gegevens")
    assert "\n## Bedoeld gebruik\n\nLeerlingen van één school op volgorde zetten" in shown.stdout
    assert "| unauthorised_hours_12w: uren ongeoorloofd afwezig, laatste 12 lesweken | uren | 5,24 |" in shown.stdout
    assert run("model", "show", "demo", "--lang", "en").stdout.startswith("# Model card: demo")
    assert json.loads(run("model", "show", "demo", "-f", "json").stdout)["demonstration"] is True


def test_sample_command_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert run("sample", tmp_path / name, "--students", "30", "--seed", "4").exit_code == 0
    for file in ("absenties.csv", "cijfers.csv", "leerlingen.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_exit_codes_are_documented_as_the_code_defines_them() -> None:
    from riskscreen import errors

    text = (Path(__file__).parents[2] / "docs" / "errors.md").read_text()
    table = text[text.index("| exit code | meaning |") : text.index("\n\n", text.index("| exit code | meaning |"))]
    documented = [line.split("|")[1].strip() for line in table.splitlines()[2:]]
    assert documented == ["0", "1", "2", "3", "130"]
    assert (errors.EXIT_OK, errors.EXIT_INVALID, errors.EXIT_USAGE, errors.EXIT_UNEXPECTED) == (0, 1, 2, 3)
    # each kind of error leaves with the code the table gives its meaning
    assert [
        k.exit_code
        for k in (
            errors.InputError,
            errors.PrivacyError,
            errors.ValidationFailed,
            errors.ProfileError,
            errors.ModelError,
        )
    ] == [1, 1, 1, 1, 1]
    assert errors.UsageError.exit_code == errors.OutputExistsError.exit_code == 2


def test_the_committed_sample_school_validates() -> None:
    sample = Path(__file__).parents[2] / "sample_data"
    result = run("validate", sample, "--lang", "en")
    assert result.exit_code == 0, result.stdout
    assert "valid: 3 file(s)" in result.stdout and "1000 students, 2026-08-24 to 2026-11-27" in result.stdout
    assert "no warning" not in result.stdout and "0 error(s), 0 warning(s)" in result.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_a_character_gets_a_replacement_not_a_crash(
    school_dir: Path, encoding: str
) -> None:
    """Issue #26 item 17: PYTHONIOENCODING=ascii (or latin-1) made the list raise UnicodeEncodeError (exit 3)."""
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "riskscreen",
            "shortlist",
            str(school_dir),
            "--no-history",
            "--workspace",
            str(school_dir.parent / f"ws-{encoding}"),
        ],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr.decode(encoding, "replace")
    assert b"leerlingen op de lijst" in done.stderr


def test_a_closed_standard_output_is_a_clear_error(school_dir: Path) -> None:
    """Issue #26 item 17: `riskscreen score d/ >&-` ended in AttributeError (exit 3)."""
    import subprocess
    import sys

    done = subprocess.run(
        f'"{sys.executable}" -m riskscreen score "{school_dir}" >&-',
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        check=False,
        text=True,
    )
    assert done.returncode == 1
    assert "fout: standaarduitvoer is gesloten, dus het resultaat kan nergens heen" in done.stderr


def test_the_library_names_parameters_and_the_command_line_its_options(school_dir: Path) -> None:
    """#27 item 3: below the CLI a message names the parameter (`top`), the CLI says the option (--top), in both
    languages, from one table (cli.common.OPTION_OF_PARAMETER)."""
    from riskscreen import api
    from riskscreen.cli.common import OPTION_OF_PARAMETER, as_options
    from riskscreen.errors import UsageError

    with pytest.raises(UsageError) as caught:
        api.score(api.Sources(school_dir), top=0)
    assert str(caught.value) == "`top` must be 1 or more"
    assert caught.value.localised("nl") == "`top` moet 1 of meer zijn"
    result = run("score", str(school_dir), "--top", "0")
    assert result.exit_code == 2
    assert result.stderr.strip() == "fout: --top moet 1 of meer zijn"
    english = run("score", str(school_dir), "--top", "0", "--lang", "en")
    assert english.stderr.strip() == "error: --top must be 1 or more"
    assert as_options("`first` {x} before `last`, `riskscreen sample`") == "--from {x} before --to, `riskscreen sample`"
    assert OPTION_OF_PARAMETER["home"] == "--workspace" and OPTION_OF_PARAMETER["older_than_weeks"] == "--older-than"


def test_a_run_reads_the_environment_once_and_leaves_no_settings_in_use(
    school_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#27 item 3: the CLI makes one Settings per run and puts it in use for that run only."""
    import datetime as dt

    from riskscreen.settings import IN_USE, Settings, environment, use

    monkeypatch.setenv("RISKSCREEN_TODAY", "2026-11-20")
    result = run("validate", str(school_dir))
    assert result.exit_code == 1 and "een datum na vandaag (20-11-2026)" in result.stdout
    assert IN_USE.get() is None
    monkeypatch.setenv("RISKSCREEN_TODAY", "2026-12-01")
    assert environment().current_date() == dt.date(2026, 12, 1)
    with use(Settings(today=dt.date(2027, 1, 4))):
        assert environment().current_date() == dt.date(2027, 1, 4)
    assert environment().current_date() == dt.date(2026, 12, 1)
