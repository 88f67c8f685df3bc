"""The house as docs/architecture.md draws it: stages import only earlier stages, small modules, a lean CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "riskscreen"
DOC = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
# Each stage may import the stages before it (and the shared modules), never one after it.
ORDER = ["ingest", "signals", "scoring", "workspace", "weekly", "aggregate", "training", "render"]
SHARED = {"errors", "files", "i18n", "sample", "__init__"}
MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__main__.py")


def imported(path: Path) -> set[str]:
    """The riskscreen modules a file imports, at any depth (imports inside functions count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("riskscreen"):
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("riskscreen"))
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_a_stage_imports_no_later_stage(path: Path) -> None:
    stage = path.relative_to(SRC).parts[0] if len(path.relative_to(SRC).parts) > 1 else None
    if stage not in ORDER:
        return
    later = ORDER[ORDER.index(stage) + 1:]
    for name in imported(path):
        parts = name.split(".")
        assert len(parts) < 2 or parts[1] not in later, f"{path.name} imports {name}"
        assert len(parts) < 2 or parts[1] not in {"api", "cli"}, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_module_is_small_documented_and_on_the_map(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 420
    if path.name != "__init__.py" or path.parent != SRC:
        assert text.startswith('"""'), f"{path} has no docstring of its job"
    stem = path.stem if path.name != "__init__.py" else path.parent.name
    assert f"`{stem}" in DOC or f"{stem}/" in DOC, f"docs/architecture.md does not mention {stem}"


def test_the_cli_has_no_pandas() -> None:
    for path in (SRC / "cli").glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert "import pandas" not in code and "pd." not in code, path.name
        assert not any(name.split(".")[1] in {"ingest", "signals", "weekly", "training"}
                       for name in imported(path) if name.count(".") >= 1), path.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_takes_another_modules_private_names(path: Path) -> None:
    """A name that starts with '_' is its module's own (#27 item 1); what another module needs is made public."""
    taken = [f"{node.module}.{alias.name}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("riskscreen")
             for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert taken == []
