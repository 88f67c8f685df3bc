"""The list as it is brought to the meeting (#14): the PDF read back page by page, spreadsheets Dutch Excel opens
as they are, the terminal at 80 and 200 columns, Dutch throughout with English on request."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from tests.helpers import small_listing
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.render.shortlist import csv_document, render
from riskscreen.render.shortlist_pdf import MIN_ROW, SIZE, pdf_bytes
from riskscreen.render.shortlist_printed import PRINTED_COLUMNS
from riskscreen.render.shortlist_xlsx import xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
runner = CliRunner()


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(pages: list[str]) -> str:
    return "".join(f"=== {i} ===\n{text.strip()}\n" for i, text in enumerate(pages, start=1))


def xlsx_dump(data: bytes) -> str:
    """A workbook as text: per sheet its frozen cell, filter and every cell (numbers with their format)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    out = []
    for ws in wb.worksheets:
        out.append(f"=== {ws.title} ({ws.freeze_panes or '-'}, {ws.auto_filter.ref or '-'}) ===")
        for row in ws.iter_rows():
            cells = []
            for c in row:
                if c.value is None:
                    cells.append("")
                elif isinstance(c.value, int | float):
                    cells.append(f"{c.value} [{c.number_format}]" if c.number_format != "General" else str(c.value))
                else:
                    cells.append(str(c.value).replace("\n", " / "))
            out.append("\t".join(cells).rstrip("\t"))
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def listing(school_dir: Path, demo_model):  # type: ignore[no-untyped-def]
    """The goldens' list: keys only, worded in either language by the renderers."""
    return replace(small_listing(school_dir, demo_model), school="04AB")


# --------------------------------------------------------------------------------------------------- PDF
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pdf_golden_and_every_page_carries_its_mentor(listing, golden, lang: str) -> None:  # type: ignore[no-untyped-def]
    pages = pdf_pages(pdf_bytes(listing, lang))
    golden(f"shortlist_{lang}.pdf.txt", pdf_text(pages))
    confidential = {"nl": "VERTROUWELIJK", "en": "CONFIDENTIAL"}[lang]
    page_word = {"nl": "pagina", "en": "page"}[lang]
    for number, text in enumerate(pages, start=1):
        assert confidential in text and "04AB" in text
        assert f"{page_word} {number} {'van' if lang == 'nl' else 'of'} {len(pages)}" in text
        assert "model demo" in text and ("demonstratiemodel" if lang == "nl" else "demonstration model") in text
    # page 1: the whole school's statutory signals and the legend
    first = pages[0]
    assert {"nl": "Hele school", "en": "Whole school"}[lang] in first
    assert {"nl": "Uitleg bij de lijst", "en": "How to read this list"}[lang] in first
    assert {"nl": "Wettelijke meldingen: open, dan gemeld", "en": "Statutory reports: open, then reported"}[
        lang
    ] in first
    assert "14%" in first and "6%" in first  # the bands of the bundled model: fixed chances, whole percents
    for sid in listing.statutory["student_id"]:
        assert str(sid) in first
    # every mentor's pages carry that mentor in the running header, and hold only that mentor's students
    heading = {"nl": "Mentor: ", "en": "Mentor: "}[lang]
    for group in listing.groups:
        mentor = group.removeprefix("mentor:")
        own = [p for p in pages[1:] if f"{heading}{mentor}" in p]
        assert own, f"no page for {mentor}"
        students = listing.entries.loc[listing.entries["group"] == group, "student_id"].astype(str)
        for sid in students:
            # a row never splits: the student is on exactly one page, and that page is the mentor's
            holding = [p for p in pages[1:] if re.search(rf"\b\d+\. {sid}\b", p)]
            assert len(holding) == 1 and holding[0] in own


def test_pdf_is_a4_landscape_10_point_with_room_to_write(listing) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes(listing, "nl")))
    sizes: set[float] = set()

    def seen(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.add(round(size * abs(tm[0]), 1))

    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)  # A4 landscape
        page.extract_text(visitor_text=seen)
    assert min(sizes) >= SIZE == 10
    widths = dict(PRINTED_COLUMNS)
    assert widths["action"] >= 50 and sum(widths.values()) == 277  # 5 cm to write the agreed action
    assert MIN_ROW >= 30


def test_a_long_list_never_splits_a_student(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    """The whole school's list: many pages, each student on exactly one, under their own mentor."""
    from tests.helpers import load

    from riskscreen.scoring.score import score
    from riskscreen.weekly.shortlist import build

    listing = build(score(load(school_dir), demo_model), capacity=5)
    pages = pdf_pages(pdf_bytes(listing, "nl"))
    assert len(pages) > len(listing.groups)
    for _, row in listing.entries.iterrows():
        holding = [i for i, p in enumerate(pages) if re.search(rf"\b{row['priority']}\. {row['student_id']}\b", p)]
        assert len(holding) == 1, row["student_id"]
        assert f"Mentor: {row['group'].removeprefix('mentor:')}" in pages[holding[0]]


def test_the_cli_writes_a_pdf_by_its_extension(school_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "week48.pdf"
    result = runner.invoke(app, ["shortlist", str(school_dir), "-o", str(out), "--workspace", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-") and oct(out.stat().st_mode & 0o777) == "0o600"
    assert f"{out} geschreven" in result.stderr


# ------------------------------------------------------------------------------------------ spreadsheets
def test_csv_opens_in_dutch_excel_and_plain_for_english(listing) -> None:  # type: ignore[no-untyped-def]
    dutch = csv_document(listing, "nl")
    assert dutch.startswith("\ufeffMentor;Lijst van;#;Leerling;")
    rows = list(csv.reader(io.StringIO(dutch.removeprefix("\ufeff")), delimiter=";"))
    first = listing.entries.iloc[0]
    assert rows[1][3] == str(first["student_id"])
    # a chance in whole percents, open at the ends (#24 item 3); a reason's grade with a decimal comma
    assert all(re.fullmatch(r"<1%|>95%|[1-9]\d?%", r[6]) for r in rows[1:])
    assert any(re.search(r"\d,\d", r[8]) for r in rows[1:])
    english = csv_document(listing, "en")
    assert english.startswith("Mentor,List of,#,Student,") and "\ufeff" not in english
    rows = list(csv.reader(io.StringIO(english)))
    assert any(re.search(r"\d\.\d", r[8]) for r in rows[1:]) and not any(re.search(r"\d,\d", r[8]) for r in rows[1:])
    # the dialect can be chosen against the language
    assert csv_document(listing, "nl", "rfc4180").startswith("Mentor,Lijst van,")
    assert csv_document(listing, "en", "excel-nl").startswith("\ufeffMentor;List of;")


def test_csv_dialect_on_the_command_line(school_dir: Path, tmp_path: Path) -> None:
    plain = runner.invoke(app, ["score", str(school_dir), "-f", "csv", "--top", "1", "--csv-dialect", "rfc4180"])
    assert plain.exit_code == 0 and plain.stdout.startswith("Rang,Leerling,")
    dutch = runner.invoke(
        app, ["score", str(school_dir), "-f", "csv", "--top", "1", "--lang", "en", "--csv-dialect", "excel-nl"]
    )
    assert dutch.exit_code == 0 and dutch.stdout.startswith("\ufeffrank;student_id;")
    assert re.search(r";\d,\d+;", dutch.stdout.splitlines()[1])  # the chance with a decimal comma
    wrong = runner.invoke(app, ["score", str(school_dir), "-f", "csv", "--csv-dialect", "excel-fr"])
    assert wrong.exit_code == 2


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_xlsx_golden(listing, golden, lang: str) -> None:  # type: ignore[no-untyped-def]
    golden(f"shortlist_{lang}.xlsx.txt", xlsx_dump(xlsx_bytes(listing, lang)))


def test_the_all_students_sheet_is_not_read_back_as_actions(school_dir: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = tmp_path / "ws"
    listing = tmp_path / "week48.xlsx"
    made = runner.invoke(app, ["shortlist", str(school_dir), "-o", str(listing), "--workspace", str(ws)])
    assert made.exit_code == 0, made.stderr
    wb = load_workbook(listing)
    assert wb.sheetnames[1] == "Alle leerlingen"  # a sheet of every student, with no write-in columns
    mentor = wb.worksheets[2]
    head = [c.value for c in mentor[1]]
    mentor.cell(2, head.index("Afgesproken actie") + 1, "gesprek met de ouders")
    mentor.cell(2, head.index("Wie") + 1, "mentor")
    wb.save(tmp_path / "filled.xlsx")
    imported = runner.invoke(app, ["actions", "import", str(tmp_path / "filled.xlsx"), "--workspace", str(ws)])
    assert imported.exit_code == 0, imported.stderr
    assert "1 actie(s) uit 1 ingevulde rij(en) toegevoegd" in imported.stderr


# -------------------------------------------------------------------------------------------- terminal
@pytest.mark.parametrize("width", [80, 200])
def test_terminal_fits_its_width(listing, golden, width: int) -> None:  # type: ignore[no-untyped-def]
    text = render(listing, "table", lang="nl", width=width)
    assert isinstance(text, str)
    golden(f"shortlist_nl_{width}.txt", text)
    assert max(len(line) for line in text.splitlines()) <= width
    if width == 80:
        # a block per student: the line with rank, pseudonym, class, band and chance is never wrapped
        for _, row in listing.entries.iterrows():
            assert re.search(rf"^\s+{row['priority']}  {row['student_id']}  .*%$", text, re.M), row["student_id"]
    else:
        assert "┃ # ┃ Leerling" in text  # the table, one row per student


def test_band_colours_only_for_a_terminal_that_wants_them(listing, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from riskscreen.cli.weekly import _colour_wanted

    coloured = render(listing, "table", lang="nl", width=100, color=True)
    assert isinstance(coloured, str) and "\x1b[1;31mhoog\x1b[0m" in coloured
    assert "\x1b[" not in str(render(listing, "table", lang="nl", width=100))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert _colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _colour_wanted()


# ---------------------------------------------------------------------------------- Dutch throughout
def _catalogue_words(lang: str) -> set[str]:
    def values(obj: object) -> list[str]:
        if isinstance(obj, dict):
            return [v for x in obj.values() for v in values(x)]
        if isinstance(obj, list):
            return [v for x in obj for v in values(x)]
        return [obj] if isinstance(obj, str) else []

    data = tomllib.loads((ROOT / "src" / "riskscreen" / "text" / f"{lang}.toml").read_text(encoding="utf-8"))
    return {w for text in values(data) for w in _words(text)}


WORD = re.compile(r"(?<![\w@./{-])[A-Za-z]{3,}(?![\w@/}-])")  # keys such as verzuim_16u are not words


def _words(text: str) -> set[str]:
    """The words of a text; what is quoted ('date', `riskscreen profile init`) is a name to type, not a word."""
    shown = re.sub(r"\{[a-z_]+\}|`[^`\n]*`|'[^'\n]*'", " ", text)
    return {w.lower() for w in WORD.findall(shown)}


def test_no_english_word_in_any_dutch_golden() -> None:
    """Every word of the English catalogue that Dutch does not share must be absent from every Dutch output."""
    english = _catalogue_words("en") - _catalogue_words("nl")
    assert {"the", "student", "students", "list", "chance", "confidential"} <= english  # the scan has teeth
    dutch = sorted(p for p in GOLDEN.iterdir() if "_nl" in p.name and p.suffix != ".json")
    assert len(dutch) >= 12
    for path in dutch:
        text = path.read_text(encoding="utf-8")
        if ".html" in path.name:
            text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", " ", text, flags=re.S))
        assert not _words(text) & english, f"{path.name}: {sorted(_words(text) & english)}"


def test_the_language_comes_from_the_option_the_environment_or_the_system(
    school_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskscreen.settings import resolve_language

    for variable in ("RISKSCREEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert resolve_language() == "nl"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert resolve_language() == "en"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert resolve_language() == "nl"  # a language riskscreen does not speak: Dutch
    monkeypatch.setenv("RISKSCREEN_LANG", "en")
    assert resolve_language() == "en" and resolve_language("nl") == "nl"
    english = runner.invoke(app, ["shortlist", str(school_dir), "--no-history", "--workspace", str(tmp_path)])
    assert english.exit_code == 0 and english.stdout.startswith("Weekly shortlist, week 48")
    assert "students on the list" in english.stderr
    dutch = runner.invoke(
        app, ["shortlist", str(school_dir), "--no-history", "--workspace", str(tmp_path), "--lang", "nl"]
    )
    assert dutch.stdout.startswith("Signaleringslijst, week 48") and "leerlingen op de lijst" in dutch.stderr
    monkeypatch.setenv("RISKSCREEN_LANG", "fr")
    wrong = runner.invoke(app, ["shortlist", str(school_dir), "--no-history", "--workspace", str(tmp_path)])
    assert wrong.exit_code == 2 and "RISKSCREEN_LANG is 'fr'" in wrong.stderr


def test_min_band_takes_the_words_of_the_list(school_dir: Path, tmp_path: Path) -> None:
    def listed(*band: str) -> str:
        result = runner.invoke(
            app, ["shortlist", str(school_dir), "--no-history", "--workspace", str(tmp_path), "-f", "csv", *band]
        )
        assert result.exit_code == 0, result.stderr
        return result.stdout

    assert listed("--min-band", "verhoogd") == listed("--min-band", "elevated") == listed()
    assert listed("--min-band", "hoog") == listed("--min-band", "high") != listed()


def test_every_command_takes_lang() -> None:
    import typer.main

    command = typer.main.get_command(app)
    missing: list[str] = []

    def walk(group: object, prefix: str) -> None:
        for name, sub in group.commands.items():  # type: ignore[attr-defined]
            if hasattr(sub, "commands"):
                walk(sub, f"{prefix}{name} ")
            elif "--lang" not in {o for p in sub.params for o in p.opts}:
                missing.append(prefix + name)

    walk(command, "")
    assert missing == []


def test_progress_lines_never_name_a_source_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from riskscreen.cli.common import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    progress_bar()("reading the exports")
    shown = capsys.readouterr().err
    assert "reading the exports" in shown and ".py:" not in shown


def test_a_report_to_duo_is_confirmed_in_words(tmp_path: Path, school_dir: Path) -> None:
    ws = str(tmp_path / "ws")
    assert runner.invoke(app, ["shortlist", str(school_dir), "--workspace", ws, "-f", "csv", "--store"]).exit_code == 0
    done = runner.invoke(app, ["actions", "reported", "111069", "--on", "2026-11-24", "--workspace", ws])
    assert done.exit_code == 0, done.stderr
    # the report recorded is named: the student's oldest report still open (an 18-year-old: RMC)
    assert (
        "vastgelegd: de 18+ melding (RMC) tot en met 31-08-2026 van leerling 111069 gemeld op 24-11-2026" in done.stderr
    )


def test_the_handout_cuts_nothing_labels_its_parts_and_gives_each_mentor_a_legend(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    """Issue #23 item 3 on the whole sample school: no cell is cut with '…', the arrow is printed as an arrow (a
    font that has it), the open action has its label, every mentor's first page starts with the short legend, and
    the action's write-in space asks for its type or target."""
    from tests.helpers import load

    from riskscreen.scoring.score import score
    from riskscreen.weekly.shortlist import build

    listing = build(score(load(school_dir), demo_model), capacity=5)
    data = pdf_bytes(listing, "nl")
    pages = pdf_pages(data)
    assert not any("…" in p for p in pages)
    assert b"/BaseFont /" in data and b"DejaVu" in data  # the font with the arrow (matplotlib's, in the extras)
    assert not any("->" in p for p in pages)
    for group in listing.groups:
        mentor = group.removeprefix("mentor:")
        first = next(p for p in pages if f"Mentor: {mentor}" in p)
        assert "Risico hoog vanaf 14%, verhoogd vanaf 6%. Waarom op de lijst: signalen, geen oorzaken." in " ".join(
            first.split()
        )
        assert "Soort actie / verwezen" in first


def test_a_row_taller_than_a_page_continues_under_the_heading(listing, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Nothing is cut: a student with more to say than a page holds continues on the next page, "(vervolg)"."""
    import riskscreen.render.shortlist_pdf as module

    real = module.records

    def long_records(sl, lang):  # type: ignore[no-untyped-def]
        out = real(sl, lang)
        out[0] = {**out[0], "reasons": [f"reden nummer {i}" for i in range(1, 121)]}
        return out

    monkeypatch.setattr(module, "records", long_records)
    pages = pdf_pages(pdf_bytes(listing, "nl"))
    text = " ".join(" ".join(p.split()) for p in pages)
    assert all(f"reden nummer {i} " in text or f"reden nummer {i}" in text for i in range(1, 121))
    holding = [i for i, p in enumerate(pages) if "reden nummer" in p]
    assert len(holding) >= 3  # 120 lines: at least three pages
    assert all(re.search(r"\b1\. \d+\s+\(vervolg\)", pages[i]) for i in holding[1:])
    assert "(vervolg)" not in pages[holding[0]]
