"""The house as docs/architecture.md draws it: stages import only earlier stages, small modules, a lean CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[2] / "src" / "riskscreen"
DOC = (Path(__file__).parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
# Each stage may import the stages before it (and the shared modules), never one after it.
ORDER = ["ingest", "signals", "scoring", "workspace", "weekly", "aggregate", "training", "render"]
SHARED = {"errors", "files", "i18n", "identifiers", "settings", "dates", "__init__"}
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
    later = ORDER[ORDER.index(stage) + 1 :]
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
        assert not any(
            name.split(".")[1] in {"ingest", "signals", "weekly", "training"}
            for name in imported(path)
            if name.count(".") >= 1
        ), path.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_takes_another_modules_private_names(path: Path) -> None:
    """A name that starts with '_' is its module's own (#27 item 1); what another module needs is made public."""
    taken = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("riskscreen")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert taken == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMED = {module_name(p): p for p in SRC.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """The riskscreen modules a file imports: `from riskscreen.api import cycle` is the module api.cycle, `from
    riskscreen.api import score` is the package api (its __init__)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("riskscreen"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in NAMED else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in NAMED)
    return {name for name in found if name in NAMED} - {module_name(path)}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or around a circle (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_no_modules_import_each_other() -> None:
    """No import circle, at any depth and through packages' __init__ (#27 item 1)."""
    assert circles({name: imports_of(path) for name, path in NAMED.items()}) == []


def test_the_circle_finder_finds_circles_and_only_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": {"a"}, "g": set()}
    assert sorted(circles(graph)) == [["a", "b", "c"], ["d", "e"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_sees_through_packages() -> None:
    assert "riskscreen.api.screening" in imports_of(SRC / "api" / "models.py")
    assert "riskscreen.cli.common" in imports_of(SRC / "cli" / "screen.py")
    assert "riskscreen.cli" not in imports_of(SRC / "cli" / "screen.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_library_never_imports_its_clients(path: Path) -> None:
    """The demo (invented schools, the bundled model's recipe) and the CLI use the library from outside; only the
    CLI and the demo may import the api, and nothing but the CLI imports the demo."""
    name = module_name(path)
    if name.startswith(("riskscreen.cli", "riskscreen.demo")):
        return
    clients = {"demo", "cli"} if name.startswith("riskscreen.api") else {"demo", "cli", "api"}
    assert sorted(i for i in imports_of(path) if i.split(".")[1:2] and i.split(".")[1] in clients) == []


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.relative_to(SRC).parts[0] != "cli"], ids=lambda p: str(p.relative_to(SRC))
)
def test_below_the_cli_imports_are_at_the_top_or_say_why(path: Path) -> None:
    """Imports inside functions hide the dependency graph (#27 item 2): below the CLI an import is at the top of
    its module, unless the CLI's start-up, the platform or an optional extra needs it late, said on its line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    late = [
        f"{path.name}:{sub.lineno}: {ast.unparse(sub)}"
        for node in ast.walk(ast.parse("\n".join(lines)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for sub in ast.walk(node)
        if isinstance(sub, ast.Import | ast.ImportFrom)
        and "  # " not in "".join(lines[sub.lineno - 1 : sub.end_lineno])
    ]
    assert late == []


def test_every_api_function_documents_every_parameter() -> None:
    """A notebook user reads `help(api.f)` (#27 item 6): a numpydoc Parameters section names each parameter of
    every function of the API, in the order of the signature, and says something about it."""
    import inspect

    from riskscreen import api

    undocumented = {}
    for name in api.__all__:
        function = getattr(api, name)
        if not inspect.isfunction(function):
            continue
        wanted = list(inspect.signature(function).parameters)
        doc = inspect.getdoc(function) or ""
        documented = []
        if "\nParameters\n----------\n" in doc:
            body = doc.split("\nParameters\n----------\n", 1)[1].split("\n\n", 1)[0].splitlines()
            documented = [
                line.split(" : ")[0]
                for i, line in enumerate(body)
                if line and not line.startswith(" ") and i + 1 < len(body) and body[i + 1].startswith("    ")
            ]
        if documented != wanted:
            undocumented[name] = (wanted, documented)
    assert undocumented == {}


TESTS = Path(__file__).parents[1]


def test_tests_mirror_the_packages_and_share_helpers_through_one_module() -> None:
    """#27 item 7: a folder of tests per stage of the package (and house, api, cli, shared), no test file at the
    top; no test file imports another; what tests share lives in tests/helpers.py (the aggregate's attacker in
    tests/attacker.py, fixtures in conftest.py)."""
    stages = {p.name for p in SRC.iterdir() if p.is_dir() and not p.name.startswith("_")} - {"text", "demo"}
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    assert stages <= folders and folders - stages <= {"house", "shared"}
    assert sorted(p.name for p in TESTS.glob("*.py")) == ["attacker.py", "conftest.py", "helpers.py"]
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                assert node.module in {"tests.helpers", "tests.attacker"}, f"{path.name} imports {node.module}"
