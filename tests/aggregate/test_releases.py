"""Suppression holds across releases (#26 item 12): two aggregates of one school over overlapping periods let a
reader solve cells each hid on its own, so riskscreen records what a school published and refuses a release that
overlaps an earlier one with other numbers; by default a release begins where the last one ended."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import shutil
from pathlib import Path

import pytest
from tests.attacker import assert_nothing_recoverable, attack_releases
from tests.helpers import run

from riskscreen import api
from riskscreen.aggregate.tables import to_json

SCHOOL = "04AB"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sample schools with six weekly lists (16 October to 27 November 2026) and their actions."""
    folder = tmp_path_factory.mktemp("releases")
    assert run("sample", folder, "--schools", "2", "--weeks", "6", "--students", "250").exit_code == 0
    return folder / "workspaces"


@pytest.fixture
def home(made: Path, tmp_path: Path) -> Path:
    shutil.copytree(made, tmp_path / "workspaces")
    return tmp_path / "workspaces"


def _doc(home: Path, last: str, first: str | None = None) -> dict:  # type: ignore[type-arg]
    where = api.workspace(home, SCHOOL)
    return json.loads(
        to_json(
            api.aggregate(
                where, first=dt.date.fromisoformat(first) if first else None, last=dt.date.fromisoformat(last)
            )
        )
    )


def test_two_overlapping_releases_give_away_a_cell_each_hides_on_its_own(home: Path) -> None:
    # what riskscreen refuses, made without the record (nothing published): each is safe on its own ...
    older, newer = _doc(home, "2026-11-20"), _doc(home, "2026-11-27")
    assert_nothing_recoverable(older) and assert_nothing_recoverable(newer)
    # ... together they are not: October's agreed actions, hidden in the first, is shown in the second
    ranges = attack_releases(older, newer)
    low, high = ranges["1/actions_by_month:2026-10:agreed"]
    assert math.isclose(low, 25) and math.isclose(high, 25)


def test_a_release_overlapping_an_earlier_one_is_refused_and_nothing_is_written(home: Path, tmp_path: Path) -> None:
    first = run("aggregate", "--workspace", home, "--school", SCHOOL, "--to", "2026-11-20", "-o", tmp_path / "a.json")
    assert first.exit_code == 0, first.stderr
    record = home / SCHOOL / "releases.json"
    published = hashlib.sha256((tmp_path / "a.json").read_bytes()).hexdigest()  # the checksum of what left
    assert json.loads(record.read_text())["releases"] == [
        {"from": "2026-08-01", "to": "2026-11-20", "made": "2026-11-30", "checksum": published}
    ]
    assert oct(record.stat().st_mode & 0o777) == "0o600"
    second = run(
        "aggregate",
        "--workspace",
        home,
        "--school",
        SCHOOL,
        "--from",
        "2026-08-01",
        "--to",
        "2026-11-27",
        "-o",
        tmp_path / "b.json",
    )
    assert second.exit_code == 1
    assert (
        "de periode 01-08-2026 tot en met 27-11-2026 overlapt met de telling die op 30-11-2026 is gepubliceerd "
        "over 01-08-2026 tot en met 20-11-2026; samen zouden die twee de kleine aantallen verraden die elk van "
        "hen verbergt"
    ) in second.stderr
    assert "publiceer een periode die na 20-11-2026 begint (--from 21-11-2026)" in second.stderr
    assert not (tmp_path / "b.json").exists()
    assert len(json.loads(record.read_text())["releases"]) == 1
    # the terminal's table is no release: the coordinator may look at any period
    assert (
        run(
            "aggregate", "--workspace", home, "--school", SCHOOL, "--from", "2026-08-01", "--to", "2026-11-27"
        ).exit_code
        == 0
    )


def test_the_next_release_begins_where_the_last_ended_and_the_two_keep_their_secrets(
    home: Path, tmp_path: Path
) -> None:
    args = ["aggregate", "--workspace", home, "--school", SCHOOL]
    assert run(*args, "--to", "2026-11-20", "-o", tmp_path / "a.json").exit_code == 0
    nxt = run(*args, "-o", tmp_path / "b.json")  # today is 30-11-2026 (tests/conftest.py)
    assert nxt.exit_code == 0, nxt.stderr
    assert (
        "gepubliceerd over 21-11-2026 tot en met 30-11-2026, vastgelegd in de werkmap: een volgende publicatie "
        "gaat over een andere periode"
    ) in nxt.stderr
    older, newer = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
    assert newer["period"] == {"from": "2026-11-21", "to": "2026-11-30"}
    ranges = attack_releases(older, newer)
    assert all(
        math.isinf(high) or math.floor(high + 1e-6) - math.ceil(low - 1e-6) >= 1 for low, high in ranges.values()
    )
    # the same release again, in another format: allowed while its numbers are unchanged, and not recorded twice
    again = run(*args, "--from", "2026-08-01", "--to", "2026-11-20", "-o", tmp_path / "a.md")
    assert again.exit_code == 0, again.stderr
    assert len(json.loads((home / SCHOOL / "releases.json").read_text())["releases"]) == 2
    # with nothing new since the last release, the default is that release again
    assert run(*args, "-o", tmp_path / "b.md").exit_code == 0
    assert "Periode 21-11-2026 tot en met 30-11-2026" in (tmp_path / "b.md").read_text(encoding="utf-8")
