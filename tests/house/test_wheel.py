"""The built wheel holds every file the package reads, and runs the weekly list outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # build from a copy: setuptools writes build/ and *.egg-info beside the sources, and two test workers
    # building the same tree at once would trip over each other
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    for name in ("src", "models"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(out),
            str(tree),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("riskscreen-*.whl")
    return built


def test_the_wheel_holds_the_demo_model_and_every_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for file in ("card.json", "card.md", "model.pkl"):
        assert f"riskscreen/models/demo/{file}" in names
        shipped_bytes = zipfile.ZipFile(wheel).read(f"riskscreen/models/demo/{file}")
        assert shipped_bytes == (ROOT / "models" / "demo" / file).read_bytes()
    package = ROOT / "src" / "riskscreen"
    shipped = {
        str(p.relative_to(package.parent)) for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped <= names, sorted(shipped - names)
    assert {
        "riskscreen/render/templates/shortlist.html.j2",
        "riskscreen/text/nl.toml",
        "riskscreen/ingest/builtin_profiles/magister.toml",
        "riskscreen/py.typed",
    } <= names


def test_the_installed_wheel_prints_the_shortlist_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import riskscreen; print(riskscreen.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(site))  # the wheel's copy, not the repository's
    listing = subprocess.run(
        [sys.executable, "-m", "riskscreen", "shortlist", str(ROOT / "sample_data"), "--no-history"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.startswith(
        "Signaleringslijst, week 48 (27-11-2026); model demo (meegeleverd); 132 leerlingen op de lijst"
    )
