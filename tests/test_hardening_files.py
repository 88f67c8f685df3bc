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

runner = CliRunner()
SAMPLE = Path(__file__).parents[1] / "sample_data"


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
    done = subprocess.run([sys.executable, "-c", code, "validate", "--attendance", str(tmp_path / "absenties.csv"),
                           "--grades", str(tmp_path / "cijfers.csv")], capture_output=True, text=True, timeout=60,
                          check=False)
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
    (tmp_path / "absenties.csv").write_text("student_id,date,code\nS1,31-12-9999,sick\nS2,01-01-1900,sick\n"
                                            "S3,01-01-0001,sick\nS1,01-09-2026,sick\n")
    (tmp_path / "cijfers.csv").write_text("student_id,subject,date,grade\nS1,Engels,02-11-2026,7\n")
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == ("error,attendance,absenties.csv,date,date,3,2 3 4,31-12-9999 | 01-01-1900 | 01-01-0001,\""
                        "a date before 2000 or after 2099, outside any school year riskscreen reads\","
                        "correct the date; a typo in the year is the usual cause")
    assert len(lines) == 2  # and no false duplicates among the refused dates
    late = runner.invoke(app, ["score", str(SAMPLE), "--as-of", "9999-12-31"])
    assert late.exit_code == 2 and "--as-of '9999-12-31' is outside the years 2000-2099" in late.stderr


def _cli(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from riskscreen.cli import main; main()", *args],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, check=False)  # type: ignore[call-overload]


def test_a_full_disk_on_stdout_is_a_clear_error() -> None:
    with Path("/dev/full").open("w") as full:
        done = _cli("score", str(SAMPLE), "--format", "csv", stdout=full)
    assert done.returncode == 1
    assert "could not write to standard output (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "from riskscreen.cli import main; main()", "score", str(SAMPLE),
                             "--format", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert first.startswith(b"rank,student_id") and "Traceback" not in err and "BrokenPipe" not in err
