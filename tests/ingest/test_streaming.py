"""Files too large to hold whole are read block by block, with the same results as a whole read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from riskscreen.errors import InputError, PrivacyError
from riskscreen.ingest import reading as rio
from riskscreen.ingest import sniff
from riskscreen.ingest.pipeline import read_exports
from riskscreen.ingest.reading import open_source
from riskscreen.signals.feature_table import build_features

TODAY = dt.date(2026, 11, 30)
HEADER = "student_id,date,period,hours,code\n"
GRADES = "student_id,subject,date,grade,weight\nA1,Engels,2026-09-01,7,1\n"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rio, "STREAM_BLOCK_BYTES", 4096)  # a sample school's files become dozens of blocks


def test_a_school_read_in_blocks_is_the_school_read_whole(school_dir: Path, small_blocks: None) -> None:
    whole, whole_report = read_exports(school_dir, today=TODAY)
    streamed, streamed_report = read_exports(school_dir, today=TODAY, stream_above=0)
    assert whole is not None and streamed is not None
    blocks = len(list(open_source(school_dir / "absenties.csv", stream_above=0).blocks()))
    assert blocks > 20
    for name in ("attendance", "grades", "students"):
        left, right = getattr(whole, name), getattr(streamed, name)
        assert left.index.tolist() == right.index.tolist(), name
        pd.testing.assert_frame_equal(left.astype(str), right.astype(str), obj=name)
    assert [f.rows for f in streamed_report.files] == [f.rows for f in whole_report.files]
    assert all("read in blocks: too large to hold whole" in f.notes for f in streamed_report.files)
    assert streamed_report.problems == whole_report.problems
    pd.testing.assert_frame_equal(build_features(whole), build_features(streamed))


def registrations(n: int, bad_every: int = 0) -> str:
    rows = []
    for i in range(n):  # every registration distinct: 7 students, 8 lessons a day
        day = (dt.date(2026, 9, 1) + dt.timedelta(days=i // 56)).isoformat()
        date = "2026-13-01" if bad_every and i % bad_every == 0 else day
        rows.append(f"A{i % 7},{date},{1 + (i // 7) % 8},1,{'sick' if i % 3 == 0 else 'present'}\n")
    return HEADER + "".join(rows)


def test_problems_in_many_blocks_add_up(tmp_path: Path, small_blocks: None) -> None:
    (tmp_path / "attendance.csv").write_text(registrations(2000, bad_every=100))
    (tmp_path / "grades.csv").write_text(GRADES)
    for stream_above in (None, 0):
        _, report = read_exports(tmp_path, today=TODAY, stream_above=stream_above)
        [problem] = report.problems
        assert (problem.column, problem.rule, problem.count) == ("date", "date", 20)
        assert problem.rows == (2, 102, 202, 302, 402)
        assert problem.values == ("2026-13-01",) * 5
        assert report.files[0].rows == 2000


def test_identifiers_in_a_late_block_are_refused(tmp_path: Path, small_blocks: None) -> None:
    text = registrations(1500) + "".join(f"A1,2026-09-01,1,1,mail piet{i}@example.nl\n" for i in range(3))
    (tmp_path / "attendance.csv").write_text(text)
    (tmp_path / "grades.csv").write_text(GRADES)
    with pytest.raises(PrivacyError) as caught:
        read_exports(tmp_path, today=TODAY, stream_above=0)
    assert caught.value.message == (
        "refused: the file holds what look like direct identifiers\n"
        "  - column 'code': holds e-mail addresses (rows 1502, 1503, 1504)"
    )
    assert "piet" not in str(caught.value)


def test_a_damaged_line_in_a_streamed_file_is_named(tmp_path: Path, small_blocks: None) -> None:
    text = registrations(1500) + "A1,2026-09-01,1,1,sick,extra\n" + registrations(10)[len(HEADER) :]
    (tmp_path / "attendance.csv").write_text(text)
    (tmp_path / "grades.csv").write_text(GRADES)
    with pytest.raises(InputError) as caught:
        read_exports(tmp_path, today=TODAY, stream_above=0)
    message = caught.value.message
    assert message.startswith("cannot be read in blocks at or after line ")
    assert message.endswith(
        ": a blank or damaged line, unbalanced quotes, more fields than the header, or text that is not UTF-8"
    )
    # the first line of the block that holds the damaged line 1502; blocks end at the same bytes without it
    (tmp_path / "clean.csv").write_text(registrations(1500) + "A1,2026-09-01,1,1,sick\n")
    starts = [int(b.frame.index[0]) for b in open_source(tmp_path / "clean.csv", stream_above=0).blocks()]
    first_row = max(start for start in starts if start <= 1500)
    assert len(starts) > 3 and first_row > 0
    assert message.startswith(f"cannot be read in blocks at or after line {first_row + 2}:")
    assert caught.value.path == str(tmp_path / "attendance.csv")


def test_a_missing_column_is_reported_without_reading_blocks(tmp_path: Path, small_blocks: None) -> None:
    (tmp_path / "attendance.csv").write_text("student_id,period,code\n" + "A1,1,sick\n" * 3000)
    (tmp_path / "grades.csv").write_text(GRADES)
    _, report = read_exports(tmp_path, today=TODAY, stream_above=0)
    assert [(p.column, p.rule) for p in report.problems] == [("date", "missing column")]
    assert report.files[0].rows == 0


def test_files_that_would_not_fit_in_memory_are_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "attendance.csv"
    path.write_text(registrations(100))
    assert not open_source(path).streamed
    monkeypatch.setattr(sniff, "available_memory", lambda: path.stat().st_size * 2)
    streamed = open_source(path)
    assert streamed.streamed
    assert sum(len(b.frame) for b in streamed.blocks()) == 100
    with pytest.raises(InputError, match=r"needs about \d+ GB of memory"):
        rio.read_table(path)  # reading whole still refuses, with the reason
    # Windows-1252 and UTF-16 are told from the head and streamed too, decoded as a whole read decodes them
    for encoding in ("cp1252", "utf-16"):
        other = tmp_path / f"{encoding}.csv"
        other.write_bytes((HEADER + "A\xe9,2026-09-01,1,1,sick\n" * 50).encode(encoding))
        source = open_source(other)
        assert source.streamed and source.header.encoding == encoding
        assert {v for b in source.blocks() for v in b.frame["student_id"].astype(str)} == {"A\xe9"}
    # a head with well-formed UTF-8 and a damaged byte cannot be told: the careful reader must name the line
    damaged = tmp_path / "damaged.csv"
    damaged.write_bytes(HEADER.encode() + "B\xe9,2026-09-01,1,1,sick\n".encode() * 50 + b"A\xe9,2026-09-01,1,1,sick\n")
    with pytest.raises(InputError, match=r"encoding cannot be told from its start \(UTF-8 with a damaged character"):
        open_source(damaged)


def test_the_first_block_decides_the_date_format(tmp_path: Path, small_blocks: None) -> None:
    # A whole read picks the format most dates have; a later block of two-digit years must not pick its own.
    first = "".join(f"A{s},{d:02d}-09-2026,{p},1,sick\n" for s in range(4) for d in range(1, 29) for p in range(1, 9))
    later = "".join(f"A9,{d:02d}-10-26,{p},1,sick\n" for d in range(1, 29) for p in range(1, 9))
    (tmp_path / "attendance.csv").write_text(HEADER + first + later)
    (tmp_path / "grades.csv").write_text(GRADES)
    blocks = list(open_source(tmp_path / "attendance.csv", stream_above=0).blocks())
    assert len(blocks) > 5 and blocks[-1].frame["date"].astype(str).str.len().eq(8).all()
    for stream_above in (None, 0):
        _, report = read_exports(tmp_path, today=TODAY, stream_above=stream_above)
        [problem] = [p for p in report.problems if p.column == "date"]
        assert (problem.rule, problem.count) == ("date", 224)
        assert problem.message == "not a valid date (the column's dates are DD-MM-YYYY)"


def test_the_command_line_reads_a_file_too_large_for_memory_in_blocks(
    school_dir: Path, small_blocks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from riskscreen.cli import app

    whole = CliRunner().invoke(app, ["score", str(school_dir), "--format", "csv"])
    monkeypatch.setattr(sniff, "available_memory", lambda: 1000)  # every file is now too large to hold whole
    streamed = CliRunner().invoke(app, ["score", str(school_dir), "--format", "csv"])
    assert (streamed.exit_code, streamed.stdout) == (0, whole.stdout)
    assert len(streamed.stdout.splitlines()) == 161
    report = CliRunner().invoke(app, ["validate", str(school_dir), "--format", "json"])
    assert report.exit_code == 0
    assert report.stdout.count("read in blocks: too large to hold whole") == 3
