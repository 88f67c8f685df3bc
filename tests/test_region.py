"""The sample region end to end: three schools' workspaces, their aggregates, the regional report in goldens, and
every published count checked against the snapshots and actions it came from (counted here from the files)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.region_sample import SCHOOLS

runner = CliRunner()


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    made = runner.invoke(app, ["sample", str(folder), "--schools", "3", "--weeks", "6", "--students", "200"])
    assert made.exit_code == 0, made.stderr
    for school in SCHOOLS:
        done = runner.invoke(app, ["aggregate", "--workspace", str(folder / "workspaces"), "--school", school,
                                   "-o", str(folder / f"{school}.json")])
        assert done.exit_code == 0, done.stderr
    return folder


def _snapshots(region: Path, school: str) -> list[dict]:  # type: ignore[type-arg]
    folder = region / "workspaces" / school / "snapshots"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("shortlist-*.json"))]


def _actions(region: Path, school: str) -> dict:  # type: ignore[type-arg]
    return json.loads((region / "workspaces" / school / "actions.json").read_text())


def _published(doc: dict, key: str) -> dict[str, object]:  # type: ignore[type-arg]
    table = next(t for t in doc["tables"] if t["key"] == key)
    out = {}
    for r, row in enumerate(table["rows"]):
        for c, column in enumerate(table["columns"]):
            out[f"{row}:{column}"] = table["cells"][r][c]
        if table["row_totals"] is not None:
            out[f"{row}:*"] = table["row_totals"][r]
    if table["column_totals"] is not None:
        out.update({f"*:{c}": v for c, v in zip(table["columns"], table["column_totals"], strict=True)})
    if table["total"] is not None:
        out["*:*"] = table["total"]
    return out


def _agree(published: dict[str, object], expected: Counter[str], threshold: int = 10) -> int:
    """Every published number equals the count; every hidden one is hidden for a reason; returns how many were
    compared."""
    compared = 0
    for key, value in published.items():
        true = expected.get(key, 0)
        if isinstance(value, int):
            assert value == true, f"{key}: published {value}, counted {true}"
            compared += 1
        elif value == "primary":
            assert true < threshold, f"{key}: '<{threshold}' hides {true}"
        else:
            assert true >= threshold or value == "merged", f"{key}: 'x' hides {true}, below the threshold"
    return compared


def test_each_school_publishes_its_counts_exactly(region: Path) -> None:
    compared = 0
    for school in SCHOOLS:
        doc = json.loads((region / f"{school}.json").read_text())
        snapshots = _snapshots(region, school)
        last: dict[str, dict] = {}  # type: ignore[type-arg]
        for snap in snapshots:
            for student in snap["students"]:
                last[student["student_id"]] = student
        levels = Counter()
        for student in last.values():
            level, band = student["level"], student["band"]
            levels.update([f"{level}:{band}", f"{level}:*", f"*:{band}", "*:*"])
        compared += _agree(_published(doc, "screened_by_level"), levels)
        book = _actions(region, school)
        kinds = Counter()
        for action in book["actions"]:
            kinds.update([f"{action['type']}:{action['who']}", f"{action['type']}:*", f"*:{action['who']}", "*:*"])
        compared += _agree(_published(doc, "actions"), kinds)
        screened: dict[str, set[str]] = {}
        listed: dict[str, set[str]] = {}
        for snap in snapshots:
            month = snap["as_of"][:7]
            screened.setdefault(month, set()).update(s["student_id"] for s in snap["students"])
            listed.setdefault(month, set()).update(s["student_id"] for s in snap["students"] if s["on_list"])
        months = Counter({**{f"{m}:screened": len(v) for m, v in screened.items()},
                          **{f"{m}:listed": len(v) for m, v in listed.items()}})
        compared += _agree({k: v for k, v in _published(doc, "by_month").items()
                            if k.endswith((":screened", ":listed"))}, months)
    assert compared > 30


def test_the_regional_report_is_the_schools_added_up(region: Path, golden) -> None:  # type: ignore[no-untyped-def]
    files = [str(region / f"{school}.json") for school in SCHOOLS]
    merged = runner.invoke(app, ["aggregate", "merge", *files, "-f", "json"])
    assert merged.exit_code == 0, merged.stderr
    golden("region.json", merged.stdout)
    as_csv = runner.invoke(app, ["aggregate", "merge", *files, "-f", "csv"])
    golden("region_nl.csv", as_csv.stdout)
    as_table = runner.invoke(app, ["aggregate", "merge", *files])
    golden("region_nl.md", as_table.stdout)
    doc = json.loads(merged.stdout)
    per_school = Counter()
    actions = Counter()
    for school in SCHOOLS:
        last = {s["student_id"]: s for snap in _snapshots(region, school) for s in snap["students"]}
        for student in last.values():
            per_school.update([f"{school}:{student['band']}", f"{school}:*", f"*:{student['band']}", "*:*"])
        for action in _actions(region, school)["actions"]:
            actions.update([f"{action['type']}:{action['who']}", f"{action['type']}:*", f"*:{action['who']}",
                            "*:*"])
    assert _agree(_published(doc, "schools"), per_school) >= 10
    assert _agree(_published(doc, "actions"), actions) >= 4
    text = merged.stdout
    for school in SCHOOLS:  # nothing that names a student, an event's day or a remark leaves the school
        for snap in _snapshots(region, school):
            assert not any(f'"{s["student_id"]}"' in text for s in snap["students"])
        assert not any(a["agreed"] in text or a["what"] in text for a in _actions(region, school)["actions"])


def test_the_regional_report_prints_as_pdf_html_and_xlsx(region: Path, tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    files = [str(region / f"{school}.json") for school in SCHOOLS]
    for ext in ("pdf", "html", "xlsx"):
        out = tmp_path / f"region.{ext}"
        made = runner.invoke(app, ["aggregate", "merge", *files, "-o", str(out)])
        assert made.exit_code == 0, made.stderr
    pages = [p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "region.pdf").read_bytes())).pages]
    first = " ".join(pages[0].split())
    assert "Signalering en aanpak voortijdig schoolverlaten: 04AB, 05CD, 06EF" in first
    assert "Leerlingen gescreend 600" in first and "Per maand: leerlingen op de lijst en afgesproken acties" in first
    assert "De tabellen" in pages[1] and "Leerlingen gescreend per school en risiconiveau" in pages[1]
    html = (tmp_path / "region.html").read_text()
    assert "<h2>Per maand: leerlingen op de lijst en afgesproken acties</h2>" in html and "04AB" in html
    wb = load_workbook(tmp_path / "region.xlsx")
    assert wb.sheetnames[:3] == ["De tabellen", "per school", "gescreend per niveau"]
    sheet = wb["per school"]
    assert [c.value for c in sheet[2]] == ["School", "hoog", "verhoogd", "laag", "Totaal"]
    assert sheet["E6"].value == 600  # the region's total, a number Excel can add
    terminal = runner.invoke(app, ["aggregate", "merge", *files, "-f", "pdf"])
    assert terminal.exit_code == 2 and "een PDF-bestand kan niet in de terminal worden getoond" in terminal.stderr
