"""Names from the roster are shown as data: no rich markup, no HTML or Markdown, no control characters."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from riskscreen.cli import app

runner = CliRunner()
SAMPLE = Path(__file__).parents[2] / "sample_data"
EVIL_MENTOR = "<script>alert(1)</script>\n# kop [/]"
EVIL_CLASS = "[bold red]5B\x1b[31m"


def evil_school(tmp_path: Path) -> Path:
    folder = tmp_path / "school"
    shutil.copytree(SAMPLE, folder)
    roster = (folder / "leerlingen.csv").read_text(encoding="utf-8").splitlines()
    first = roster[1].split(";")
    first[6], first[7] = '"' + EVIL_MENTOR + '"', EVIL_CLASS
    (folder / "leerlingen.csv").write_text(
        "\n".join([roster[0], ";".join(first), *roster[2:]]) + "\n", encoding="utf-8"
    )
    return folder


def test_markup_in_a_name_is_shown_not_obeyed(tmp_path: Path) -> None:
    folder = evil_school(tmp_path)
    student = (folder / "leerlingen.csv").read_text().splitlines()[1].split(";")[0]
    result = runner.invoke(app, ["score", str(folder), "--mentor", EVIL_MENTOR])
    assert result.exit_code == 0, result.stderr
    assert "[bold red]5B[31m" in result.stdout and "\x1b" not in result.stdout
    assert student in result.stdout
    explained = runner.invoke(app, ["explain", str(folder), student])
    assert explained.exit_code == 0 and "[bold red]5B[31m" in explained.stdout


def test_markdown_and_html_lists_escape_names(tmp_path: Path) -> None:
    folder = evil_school(tmp_path)
    md = runner.invoke(
        app, ["shortlist", str(folder), "--no-history", "-f", "md", "--min-band", "low", "--capacity", "40"]
    )
    assert md.exit_code == 0, md.stderr
    assert "<script>" not in md.stdout and "\n# kop" not in md.stdout
    assert "## Mentor: &lt;script&gt;alert(1)&lt;/script&gt; \\# kop \\[/\\]" in md.stdout
    html = runner.invoke(
        app, ["shortlist", str(folder), "--no-history", "-f", "html", "--min-band", "low", "--capacity", "40"]
    )
    assert html.exit_code == 0 and "<script>" not in html.stdout and "&lt;script&gt;" in html.stdout


def test_a_workbook_is_written_without_control_characters(tmp_path: Path) -> None:
    folder = evil_school(tmp_path)
    out = tmp_path / "list.xlsx"
    result = runner.invoke(
        app, ["shortlist", str(folder), "--no-history", "-o", str(out), "--min-band", "low", "--capacity", "40"]
    )
    assert result.exit_code == 0, result.stderr
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    values = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "[bold red]5B[31m" in values and not any("\x1b" in v for v in values)
