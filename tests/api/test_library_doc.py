"""docs/library.md, a notebook user's session, runs as written and prints what it says (#27)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


def test_the_library_session_runs_as_documented(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HOME", str(tmp_path))  # store=False makes no workspace: checked below
    monkeypatch.delenv("RISKSCREEN_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    failed, attempted = doctest.testfile(
        str(ROOT / "docs" / "library.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS,
        report=True,
        verbose=False,
    )
    assert attempted >= 20
    assert failed == 0
    assert list(tmp_path.iterdir()) == []  # the session wrote nothing to the user's folders
