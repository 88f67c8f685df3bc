"""The weekly shortlist as a PDF to print and bring to the meeting (fpdf2: pure Python, no system libraries).

A4 landscape. Page 1: the school-wide open statutory signals and a legend. Then one section per mentor (or
youth worker), each starting on a new page. Every page carries a running header (list, school, mentor,
"Vertrouwelijk") and footer (page x of y, the model, the demonstration warning); rows are never split over
two pages, and the write-in columns have lines for handwriting. Browsers' print engines cannot repeat a
mentor's name on every page, which is why the PDF is drawn here rather than printed from the HTML.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF

from riskscreen.i18n import date_text, group_heading, percent, texts
from riskscreen.render import plain
from riskscreen.render.scores import demo_warning, model_label
from riskscreen.render.shortlist_printed import (
    PRINTED_COLUMNS,
    headings,
    legend_lines,
    printed_flags,
    printed_reasons,
    printed_student,
)
from riskscreen.render.shortlist_records import (
    group_notes,
    header_lines,
    records,
    statutory_header,
    statutory_rows,
    words_of,
)
from riskscreen.workspace.location import DEFAULT_SCHOOL

if TYPE_CHECKING:
    from fpdf import FPDF

    from riskscreen.weekly.shortlist import Shortlist

FONT = "Helvetica"  # without matplotlib's DejaVu Sans (see register_font)
UNICODE_FONT = "DejaVu"
SIZE = 10  # points; nothing on the page is smaller
LINE = 4.1  # mm per line of 10-point text (1.15 times the size)
PAD = 1.5  # mm inside a cell
MARGIN = 10  # mm
MIN_ROW = 30  # mm: room for four handwritten lines in the write-in columns
WRITE_LINE = 6.5  # mm between the lines for handwriting
TOP = 15  # mm: where a page's content starts, under the running header
BOTTOM = 190  # mm: where the running footer starts
ACTION, WHO_WHEN = 4, 5  # the write-in columns of PRINTED_COLUMNS
# Helvetica in a PDF knows only the Windows-1252 characters; these are written the nearest way it can.
REPLACE = str.maketrans({"→": "->", "≥": ">=", "≤": "<=", "✓": "v", "\u2009": " ", "\u00a0": " "})


def register_font(doc: FPDF) -> tuple[str, bool]:
    """DejaVu Sans as matplotlib ships it (every Dutch character, the arrow), when that optional package is
    installed (the plots and test extras); else Helvetica, whose PDF encoding lacks the arrow. Found without
    importing matplotlib, which would cost the list a second."""
    spec = importlib.util.find_spec("matplotlib")
    folders = list(spec.submodule_search_locations or []) if spec else []
    fonts = [Path(f) / "mpl-data" / "fonts" / "ttf" for f in folders]
    found = next((f for f in fonts if (f / "DejaVuSans.ttf").is_file() and (f / "DejaVuSans-Bold.ttf").is_file()), None)
    if found is None:
        return FONT, False
    doc.add_font(UNICODE_FONT, "", str(found / "DejaVuSans.ttf"))
    doc.add_font(UNICODE_FONT, "B", str(found / "DejaVuSans-Bold.ttf"))
    return UNICODE_FONT, True


def latin(text: object) -> str:
    return plain(text).translate(REPLACE).encode("cp1252", "replace").decode("cp1252")


class _ListPdf:
    """The document being drawn; `section` is what the running header names on the current page."""

    def __init__(self, sl: Shortlist, lang: str) -> None:
        self.sl = sl
        self.lang = lang
        self.words = words_of(lang)
        self.pdf_words = texts(self.lang)["pdf"]
        self.section = ""
        outer = self

        class _Doc(FPDF):  # fpdf2 calls header() and footer() on every page
            def header(self) -> None:
                outer.running_header()

            def footer(self) -> None:
                outer.running_footer()

        self.doc: FPDF = _Doc(orientation="L", unit="mm", format="A4")
        self.doc.core_fonts_encoding = "windows-1252"
        self.font, self.unicode = register_font(self.doc)
        self.doc.set_margins(MARGIN, TOP, MARGIN)
        self.doc.set_auto_page_break(False)
        self.doc.set_title(self.text(header_lines(sl, lang)[0]))
        self.doc.set_creator("riskscreen")
        self.doc.set_creation_date(dt.datetime.combine(sl.result.day, dt.time(12), tzinfo=dt.UTC))
        self.bottom = BOTTOM

    def text(self, value: object) -> str:
        """Text as the font can write it: all of it with DejaVu Sans, the nearest Windows-1252 with Helvetica."""
        return plain(value) if self.unicode else latin(value)

    # ----------------------------------------------------------------------------- header and footer
    def running_header(self) -> None:
        d = self.doc
        as_of = self.sl.result.as_of
        title = (
            f"{self.words['title']}, {self.words['week']} {as_of.isocalendar().week} "
            f"({date_text(as_of.date().isoformat(), self.lang)})"
        )
        if self.sl.school and self.sl.school != DEFAULT_SCHOOL:  # a workspace without a school name says nothing
            title += f" - {self.sl.school}"
        d.set_xy(MARGIN, 6)
        d.set_font(self.font, "", SIZE)
        d.cell(110, 6, self.text(title))
        d.set_font(self.font, "B", SIZE + 2)
        d.cell(110, 6, self.text(self.section), align="C")
        d.set_font(self.font, "B", SIZE)
        d.set_text_color(170, 0, 0)
        d.cell(57, 6, self.text(self.pdf_words["confidential"].upper()), align="R")
        d.set_text_color(0)
        d.set_draw_color(120)
        d.line(MARGIN, 12.5, 297 - MARGIN, 12.5)
        d.set_draw_color(0)
        d.set_y(TOP)

    def running_footer(self) -> None:
        d = self.doc
        d.set_draw_color(120)
        d.line(MARGIN, self.bottom + 1, 297 - MARGIN, self.bottom + 1)
        d.set_draw_color(0)
        d.set_xy(MARGIN, self.bottom + 2)
        d.set_font(self.font, "", SIZE)
        page = self.pdf_words["page"].format(page=d.page_no(), pages="{nb}")
        d.cell(60, LINE, self.text(page))
        model = f"model {model_label(self.sl.result, self.lang)}" if self.sl.role != "leerplicht" else ""
        d.cell(217, LINE, self.text(model), align="R", new_x="LMARGIN", new_y="NEXT")
        warning = demo_warning(self.sl.result, self.lang) if self.sl.role != "leerplicht" else None
        if warning:
            d.set_font(self.font, "B", SIZE)
            d.multi_cell(277, LINE, self.text(warning), align="L")
            d.set_font(self.font, "", SIZE)

    # ----------------------------------------------------------------------------- text blocks
    def paragraph(self, text: str, style: str = "", size: int = SIZE) -> None:
        d = self.doc
        line = LINE + (size - SIZE) / 2
        d.set_font(self.font, style, size)
        lines = d.multi_cell(277, line, self.text(text), dry_run=True, output="LINES")
        if d.get_y() + len(lines) * line > self.bottom:  # type: ignore[arg-type]
            d.add_page()
        d.set_x(MARGIN)
        d.multi_cell(277, line, self.text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        d.set_font(self.font, "", SIZE)

    def lines_of(self, text: str, width: float, style: str = "") -> list[str]:
        self.doc.set_font(self.font, style, SIZE)
        result = self.doc.multi_cell(width - 2 * PAD, LINE, self.text(text), dry_run=True, output="LINES")
        return list(result)  # type: ignore[arg-type]

    # ----------------------------------------------------------------------------- tables
    def table(
        self,
        widths: list[float],
        heading: list[str],
        rows: list[list[str]],
        min_height: float = 0,
        write_in: frozenset[int] = frozenset(),
        compact: bool = False,
    ) -> None:
        """Rows that never split: a row that does not fit starts a new page, and the heading repeats there."""
        d = self.doc
        head_height = max(len(self.lines_of(h, w, "B")) for h, w in zip(heading, widths, strict=True)) * LINE
        pad = PAD / 2 if compact else PAD
        head_height += 2 * pad
        self._row(widths, heading, head_height, bold=True, pad=pad)
        for row in rows:
            cells = [self.lines_of(v, w) for v, w in zip(row, widths, strict=True)]
            height = max(max(len(c) for c in cells) * LINE + 2 * pad, min_height)
            if height > self.bottom - TOP - head_height - LINE:  # taller than a page: nothing is cut, it continues
                self._continued(widths, heading, head_height, row, cells, write_in, pad)
                continue
            if d.get_y() + height > self.bottom:
                d.add_page()
                self._row(widths, heading, head_height, bold=True, pad=pad)
            self._row(widths, row, height, write_in=write_in, pad=pad)

    def _continued(
        self,
        widths: list[float],
        heading: list[str],
        head_height: float,
        row: list[str],
        cells: list[list[str]],
        write_in: frozenset[int],
        pad: float,
    ) -> None:
        """A row taller than a page, in pieces: each page takes the lines that fit, and the next piece starts under
        the heading again with "1. 111016 (vervolg)" in the first column; the write-in lines come with the first
        piece."""
        d = self.doc
        if self.bottom - d.get_y() < (self.bottom - TOP) / 3:
            d.add_page()
            self._row(widths, heading, head_height, bold=True, pad=pad)
        done = [len(c) if i in write_in else 0 for i, c in enumerate(cells)]  # write-in lines: the first piece
        first = True
        while any(n < len(c) for n, c in zip(done, cells, strict=True)):
            room = int((self.bottom - d.get_y() - 2 * pad) // LINE) - (0 if first else 1)
            piece = []
            for i, lines in enumerate(cells):
                if i in write_in:
                    piece.append(row[i] if first else "")
                    continue
                taken = lines[done[i] : done[i] + room]
                done[i] += len(taken)
                # the continuation names whose row it is: "1. 111016 (vervolg)"
                again = [f"{cells[0][0] if cells[0] else ''} {self.words['continued']}".strip()]
                piece.append("\n".join(([] if first or i else again) + taken))
            self._row(widths, piece, self.bottom - d.get_y(), write_in=write_in if first else frozenset(), pad=pad)
            first = False
            if any(n < len(c) for n, c in zip(done, cells, strict=True)):
                d.add_page()
                self._row(widths, heading, head_height, bold=True, pad=pad)

    def _row(
        self,
        widths: list[float],
        values: list[str],
        height: float,
        bold: bool = False,
        write_in: frozenset[int] = frozenset(),
        pad: float = PAD,
    ) -> None:
        d = self.doc
        x, y = float(MARGIN), d.get_y()
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            if bold:
                d.set_fill_color(233, 236, 239)
                d.rect(x, y, width, height, style="DF")
            else:
                d.rect(x, y, width, height)
            if i in write_in and not bold:
                self._write_in(x, y, width, height, value)
            else:
                d.set_xy(x + PAD, y + pad)
                d.set_font(self.font, "B" if bold else "", SIZE)
                d.multi_cell(width - 2 * PAD, LINE, self.text(value), align="L")
            x += width
        d.set_xy(MARGIN, y + height)

    def _write_in(self, x: float, y: float, width: float, height: float, labels: str) -> None:
        """Lines for handwriting; each label ('Wie:', 'Opnieuw bekijken op:') gets its share of the cell."""
        d = self.doc
        parts = labels.split("\n") if labels else [""]  # an empty part: lines to write on, without a label
        share = height / len(parts)
        for n, part in enumerate(parts):
            top = y + n * share
            line_y = top + PAD + WRITE_LINE
            if part:
                d.set_xy(x + PAD, top + PAD)
                d.set_font(self.font, "", SIZE)
                d.multi_cell(width - 2 * PAD, LINE, self.text(part), align="L")
                line_y = d.get_y() + WRITE_LINE - LINE
            d.set_draw_color(160)
            while line_y < top + share - 1:
                d.line(x + PAD, line_y, x + width - PAD, line_y)
                line_y += WRITE_LINE
            d.set_draw_color(0)


def _student_row(r: dict[str, Any], lang: str, words: dict[str, str]) -> list[str]:
    """A student's cells: nothing cut (a row taller than a page continues on the next); the write-in cells carry
    their labels: the action's lower half asks for its type or the referral's target."""
    return [
        "\n".join(printed_student(r, lang)),
        "\n".join(printed_reasons(r, words)),
        "\n".join(printed_flags(r, words)),
        "\n".join(f"- {p}" for p in r["prompts"]),
        f"\n{words['write_in_type']}:",
        f"{words['who']}:\n{words['when']}:",
    ]


def pdf_bytes(sl: Shortlist, lang: str) -> bytes:
    """The list as a PDF document (see the module's docstring for its layout)."""
    words = words_of(lang)
    out = _ListPdf(sl, lang)
    d = out.doc
    d.set_font(out.font, "", SIZE)
    out.section = texts(lang)["pdf"]["whole_school"]
    d.add_page()
    head = header_lines(sl, lang)
    warning = demo_warning(sl.result, lang)
    out.paragraph(head[0], "B", SIZE + 4)
    for line in head[1:]:
        if line != warning:
            out.paragraph(line)
    d.ln(1)
    _legend(out)
    d.ln(2)
    out.paragraph(words["statutory_title"], "B", SIZE + 2)
    statutory = statutory_rows(sl, lang)
    if statutory:
        widths = [30.0, 30.0] + ([50.0] if sl.names is not None else []) + [0.0]
        widths[-1] = 277 - sum(widths)
        out.table(widths, statutory_header(sl, lang), statutory, compact=True)
    else:
        out.paragraph(words["statutory_none"])
    recs = records(sl, lang)
    if not recs:
        d.ln(2)
        out.paragraph(words["empty"], "B")
    widths = [float(w) for _, w in PRINTED_COLUMNS]
    heading = headings(lang)
    for group in sl.groups:
        rows = [r for r in recs if r["group"] == group]
        out.section = group_heading(group, lang)
        d.add_page()
        out.paragraph(group_heading(group, lang), "B", SIZE + 4)
        if sl.result.bands:  # every mentor's first page: a short legend, for the page handed to them alone
            out.paragraph(
                words["legend_short"].format(
                    high=percent(sl.result.bands["high"], lang), elevated=percent(sl.result.bands["elevated"], lang)
                )
            )
            d.ln(1)
        if rows:
            out.table(
                widths,
                heading,
                [_student_row(r, lang, words) for r in rows],
                MIN_ROW,
                write_in=frozenset({ACTION, WHO_WHEN}),
            )
        for note in group_notes(sl, lang, group):
            d.ln(2)
            out.paragraph(note)
    return bytes(d.output())


def _legend(out: _ListPdf) -> None:
    out.paragraph(texts(out.lang)["pdf"]["legend_title"], "B", SIZE + 2)
    for line in legend_lines(out.sl, out.lang):
        out.paragraph(line)
