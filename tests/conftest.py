"""Shared fixtures: synthetic schools from the generator, the bundled model, golden files, no network."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from riskscreen.demo import files as demo_files
from riskscreen.demo import sample

GOLDEN = Path(__file__).parent / "golden"
TODAY = "2026-11-30"


def pytest_configure(config: pytest.Config) -> None:
    # "Today" is pinned for the whole session, fixtures included (subprocesses inherit it), so no test depends
    # on the day it runs: future dates are judged against it.
    os.environ["RISKSCREEN_TODAY"] = TODAY


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """riskscreen never connects anywhere: any socket connect during a test fails it."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("riskscreen tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def isolated_profiles(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKSCREEN_PROFILES", str(tmp_path_factory.mktemp("profiles")))
    monkeypatch.setenv("RISKSCREEN_STATE", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("RISKSCREEN_HOME", str(tmp_path_factory.mktemp("workspaces")))
    monkeypatch.delenv("RISKSCREEN_SCHOOL", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("RISKSCREEN_MODELS", raising=False)
    # the language is Dutch, the default, whatever the machine's locale; tests of English ask for it
    monkeypatch.delenv("RISKSCREEN_LANG", raising=False)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English (RISKSCREEN_LANG=en): for tests of what an error says rather than of its language;
    tests/test_messages.py holds every message's Dutch to account."""
    monkeypatch.setenv("RISKSCREEN_LANG", "en")


@pytest.fixture(scope="session")
def school_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small magister-style school (160 students), read-only for tests: copy it before changing it."""
    folder = tmp_path_factory.mktemp("school")
    demo_files.write(sample.generate(160, seed=11), folder)
    return folder


@pytest.fixture
def school_copy(school_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "school"
    shutil.copytree(school_dir, target)
    return target


@pytest.fixture(scope="session")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three past years of a 600-student school with an outcomes table."""
    folder = tmp_path_factory.mktemp("history")
    demo_files.write(sample.generate(600, seed=5, history_years=3), folder)
    return folder


@pytest.fixture(scope="session")
def demo_model():  # type: ignore[no-untyped-def]
    from riskscreen.scoring.store import load_model

    return load_model("demo")


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            path.write_text(text, encoding="utf-8")
            if not update:
                pytest.fail(f"golden file {name} was missing and has been written; run again")
        assert text == path.read_text(encoding="utf-8"), f"output differs from golden file {name}"

    return check


@pytest.fixture(scope="module")
def week48(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample school of 160 students exported on Friday 27 November 2026."""
    folder = tmp_path_factory.mktemp("exports")
    demo_files.write_weeks(sample.generate(160, seed=11), folder, 1)
    return folder / "week48"
