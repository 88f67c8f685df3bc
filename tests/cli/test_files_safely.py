"""Hardening of what riskscreen reads and writes: no device replaced, no special file read, no date wrapped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.errors import InputError, ModelError, UsageError
from riskscreen.files import read_regular, write_output

# These tests check what errors say, in English; tests/test_messages.py checks their Dutch.
pytestmark = pytest.mark.usefixtures("english")

runner = CliRunner()
SAMPLE = Path(__file__).parents[2] / "sample_data"


def test_force_never_replaces_a_device(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", "/dev/null", "--force", "--format", "csv"])
    assert result.exit_code == 2
    assert "/dev/null is a device, not a file: refused, also with --force" in result.stderr
    assert Path("/dev/null").is_char_device()


def test_force_never_replaces_a_fifo_or_a_folder(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match=r"pipe\.csv is a FIFO \(named pipe\), not a file: refused, also with"):
        write_output(fifo, "x", force=True)
    with pytest.raises(UsageError, match="is a folder"):
        write_output(tmp_path, "x", force=True)


def test_a_link_is_written_through_only_to_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_output(link, "new", force=True)
    assert link.is_symlink() and target.read_text() == "new"
    to_device = tmp_path / "null.csv"
    to_device.symlink_to("/dev/null")
    with pytest.raises(UsageError, match="is a symbolic link to something that is not a file: refused"):
        write_output(to_device, "x", force=True)
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere" / "x.csv")
    with pytest.raises(UsageError, match=r"is a symbolic link to nothing \(or a loop of links\)"):
        write_output(dangling, "x", force=True)


def test_the_output_is_refused_before_the_work(tmp_path: Path) -> None:
    (tmp_path / "out.csv").write_text("keep")
    result = runner.invoke(app, ["validate", str(tmp_path / "missing"), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2 and "already exists" in result.stderr  # not "folder not found": nothing ran


def test_a_fifo_as_an_export_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "absenties.csv")
    (tmp_path / "cijfers.csv").write_text("student_id,subject,date,grade\nS1,Engels,2026-11-02,7\n")
    code = "from riskscreen.cli import main; main()"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "validate",
            "--attendance",
            str(tmp_path / "absenties.csv"),
            "--grades",
            str(tmp_path / "cijfers.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "absenties.csv: is a FIFO (named pipe), not a table export: refused" in done.stderr


def test_special_files_are_never_read_as_cards_snapshots_or_profiles(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="is a device, not a model card: refused"):
        read_regular(Path("/dev/zero"), limit=1000, error=ModelError, what="model card")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2000)
    with pytest.raises(InputError, match="is 2,000 bytes, more than a shortlist snapshot can be"):
        read_regular(big, limit=1000, error=InputError, what="shortlist snapshot")
    model = tmp_path / "model"
    model.mkdir()
    os.mkfifo(model / "card.json")
    result = runner.invoke(app, ["model", "show", str(model)])
    assert result.exit_code == 1 and "is a FIFO (named pipe), not a model card: refused" in result.stderr


def test_dates_outside_the_school_years_are_refused_not_wrapped(tmp_path: Path) -> None:
    (tmp_path / "absenties.csv").write_text(
        "student_id,date,code\nS1,31-12-9999,sick\nS2,01-01-1900,sick\nS3,01-01-0001,sick\nS1,01-09-2026,sick\n"
    )
    (tmp_path / "cijfers.csv").write_text("student_id,subject,date,grade\nS1,Engels,02-11-2026,7\n")
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == (
        'error,attendance,absenties.csv,date,date,3,2 3 4,31-12-9999 | 01-01-1900 | 01-01-0001,"'
        'a date before 2000 or after 2099, outside any school year riskscreen reads",'
        "correct the date; a typo in the year is the usual cause"
    )
    assert len(lines) == 2  # and no false duplicates among the refused dates
    late = runner.invoke(app, ["score", str(SAMPLE), "--as-of", "9999-12-31"])
    assert late.exit_code == 2 and "--as-of '9999-12-31' is outside the years 2000-2099" in late.stderr


def _cli(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from riskscreen.cli import main; main()", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )  # type: ignore[call-overload]


def test_a_full_disk_on_stdout_is_a_clear_error() -> None:
    with Path("/dev/full").open("w") as full:
        done = _cli("score", str(SAMPLE), "--format", "csv", stdout=full)
    assert done.returncode == 1
    assert "could not write to standard output (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from riskscreen.cli import main; main()", "score", str(SAMPLE), "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b"rank,student_id") and "Traceback" not in err and "BrokenPipe" not in err


def test_a_link_loop_and_utf16_without_a_byte_order_mark_say_what_they_are(tmp_path: Path) -> None:
    from riskscreen.ingest.reading import read_table

    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="is a symbolic link that leads nowhere"):
        read_table(loop)
    bare = tmp_path / "bare.csv"
    bare.write_bytes("student_id;date;code\nS1;2026-09-01;sick\n".encode("utf-16-le"))
    with pytest.raises(InputError, match="looks like UTF-16 text without a byte-order mark"):
        read_table(bare)


def test_a_card_with_impossible_numbers_is_refused(tmp_path: Path) -> None:
    import json
    import shutil

    from riskscreen.scoring.store import bundled_dir, card_digest, load_model

    for change, message in (
        (
            lambda c: c["scoring"]["coefficients"].__setitem__(0, float("nan")),
            "scoring.coefficients.0: input should be a finite number",
        ),
        (lambda c: c["scoring"]["scales"].__setitem__(1, 0.0), "a scale is zero or negative"),
        (lambda c: c["bands"].pop("high"), "bands must be high and elevated"),
    ):
        folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
        shutil.copytree(bundled_dir() / "demo", folder)
        card = json.loads((folder / "card.json").read_text())
        change(card)
        card["card_sha256"] = card_digest(card)
        (folder / "card.json").write_text(json.dumps(card))
        with pytest.raises(ModelError, match=message):
            load_model(str(folder))


def test_the_bundled_model_keeps_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from riskscreen.scoring.store import bundled_dir, resolve

    shutil.copytree(bundled_dir() / "demo", tmp_path / "models" / "demo")
    monkeypatch.chdir(tmp_path)
    assert resolve("demo") == bundled_dir() / "demo"
    assert resolve("models/demo") == Path("models/demo")
    listed = runner.invoke(app, ["model", "list"])
    assert "models/demo" in listed.stdout and "(its name is the bundled model's: use it by its path)" in listed.stdout


def test_a_workspace_that_is_a_file_is_refused_before_the_work(tmp_path: Path) -> None:
    (tmp_path / "hist").write_text("")
    result = runner.invoke(
        app, ["shortlist", str(SAMPLE), "--workspace", str(tmp_path / "hist"), "-o", str(tmp_path / "list.csv")]
    )
    assert result.exit_code == 2 and "is a file, not a folder" in result.stderr
    assert not (tmp_path / "list.csv").exists()


def _zip_workbook(path: Path, sheet_xml: bytes) -> None:
    import zipfile

    from tests.helpers import workbook

    workbook(path, {"Blad1": [["student_id", "date", "code"], ["S1", "2026-09-01", "sick"]]})
    original = zipfile.ZipFile(path).read
    parts = {n: original(n) for n in zipfile.ZipFile(path).namelist()}
    parts["xl/worksheets/sheet1.xml"] = sheet_xml
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_workbook_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    from riskscreen.ingest.reading import read_table

    bomb = tmp_path / "bomb.xlsx"
    _zip_workbook(bomb, b"<worksheet><sheetData>" + b" " * (200 << 20) + b"</sheetData></worksheet>")
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(InputError, match=r"unpacks to 210 MB from 0\.\d MB, [\d,]+ times its size: not a workbook"):
        read_table(bomb)
    claims = tmp_path / "claims.xlsx"
    _zip_workbook(claims, b'<worksheet><dimension ref="A1:C3000000"/><sheetData></sheetData></worksheet>')
    with pytest.raises(
        InputError, match="has a sheet of more than 1,048,576 rows or 16,384 columns, beyond what Excel holds"
    ):
        read_table(claims)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["shortlist", "{data}", "--no-history", "-f", "csv", "--lang", "en"], "week48.csv"),
        (["shortlist", "{data}", "--no-history", "-o", "{data}/week48.xlsx"], None),
        (["score", "{data}", "-f", "csv"], "scores.csv"),
        (["validate", "{data}", "-f", "csv"], "report.csv"),
        (["explain", "{data}", "126743", "-f", "csv"], "student.csv"),
    ],
)
def test_riskscreen_never_reads_its_own_outputs_as_exports(tmp_path: Path, args: list[str], name: str | None) -> None:
    import shutil

    data = tmp_path / "week48"
    shutil.copytree(SAMPLE, data)
    (data / "leerlingen.csv").unlink()  # so that a list could pass for the students table
    first = runner.invoke(app, [a.format(data=data) for a in args])
    assert first.exit_code == 0, first.stderr
    if name is not None:
        (data / name).write_text(first.stdout, encoding="utf-8")
    again = runner.invoke(app, ["validate", str(data), "-f", "json"])
    assert again.exit_code == 0, again.stdout
    import json

    report = json.loads(again.stdout)
    assert report["skipped_own_outputs"] == [str(data / (name or "week48.xlsx"))]
    assert [f["table"] for f in report["files"]] == ["attendance", "grades"]


def test_a_field_over_128_kib_in_the_first_lines_is_read(tmp_path: Path) -> None:
    (tmp_path / "absenties.csv").write_text("student_id,date,code,remark\nS1,2026-09-01,sick," + "x" * 200_000 + "\n")
    (tmp_path / "cijfers.csv").write_text("student_id,subject,date,grade\nS1,Engels,2026-11-02,7\n")
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    (tmp_path / "absenties.csv").write_text("student_id,date,code," + "y" * 200_000 + "\nS1,2026-09-01,sick,\n")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0 and "ignored columns: " + "y" * 39 + "…" in result.stdout


def test_a_damaged_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    history = tmp_path / "ws" / "school" / "snapshots"
    history.mkdir(parents=True)
    (history / "shortlist-2026-11-20.json").write_text('{"version": 2, "as_of": "2026-11-20", "students": [{"x": 1}]}')
    result = runner.invoke(app, ["shortlist", str(SAMPLE), "--workspace", str(tmp_path / "ws"), "--no-history"])
    assert result.exit_code == 1
    assert "shortlist-2026-11-20.json: is not a readable shortlist snapshot" in result.stderr


def test_a_deeply_nested_card_never_breaks_model_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    (models / "deep").mkdir(parents=True)
    (models / "deep" / "card.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ModelError, match="cannot be read as JSON: refused"):
        from riskscreen.scoring.store import read_card

        read_card(models / "deep")
    monkeypatch.chdir(tmp_path)
    listed = runner.invoke(app, ["model", "list"])
    assert listed.exit_code == 0 and "(card unreadable)" in listed.stdout and "demo " in listed.stdout


def test_an_output_folder_is_named_as_such_without_force(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(SAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 2 and f"{tmp_path} is a folder" in result.stderr and "--force" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "{h}", "--out", "{t}/m", "--bootstrap", "-1"], "--bootstrap must be from 0 to 100,000"),
        (["evaluate", "{h}", "--capacity", "-2"], "--capacity must be 1 or more"),
        (["evaluate", "{h}", "--plots", "/dev/null"], "--plots /dev/null is not a folder"),
        (["train", "{h}", "--out", "{t}/file", "--force"], "is a file, not a model folder"),
    ],
)
def test_measuring_options_that_cannot_mean_anything_are_refused_before_the_work(
    history_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "file").write_text("")
    result = runner.invoke(app, [a.format(h=history_dir, t=tmp_path) for a in args])
    assert result.exit_code == 2 and message in result.stderr


def test_an_unreadable_state_folder_costs_only_the_clean_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "state").write_text("not a folder")
    monkeypatch.setenv("RISKSCREEN_STATE", str(tmp_path / "state"))
    listed = runner.invoke(app, ["profile", "list"])
    assert listed.exit_code == 0 and "magister" in listed.stdout
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["score", str(SAMPLE), "-f", "csv", "--top", "1", "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("rank,student_id")


@pytest.mark.parametrize(
    ("content", "code", "said"),
    [
        # Windows-1252 with a byte it leaves undefined (0x81): read, the byte replaced, the dates still good
        (b"eerste;laatste;naam\n19-10-2026;23-10-2026;Herfst\x81\n", 0, None),
        (
            b"19-10-2026;23-10-2026\x00\x00\n",
            1,
            "vakanties.csv: is not a holiday calendar: it holds binary data\n  How to fix: write one holiday per line: "
            "first day;last day",
        ),
    ],
)
def test_a_damaged_holiday_calendar_is_read_or_refused_never_a_crash(
    tmp_path: Path, content: bytes, code: int, said: str | None
) -> None:
    for name in ("absenties.csv", "cijfers.csv"):
        (tmp_path / name).write_bytes((SAMPLE / name).read_bytes())
    (tmp_path / "vakanties.csv").write_bytes(content)
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == code, result.stderr
    if said is not None:
        assert said in result.stderr
