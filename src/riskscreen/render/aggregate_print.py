"""The municipality's report to read and to pass on: a PDF and an HTML page (a one-page summary with the key figures
and a chart per month, then the tables) and an XLSX workbook of the tables; Dutch unless asked otherwise."""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from riskscreen.aggregate.tables import Aggregate, Span, Table, Value, to_json
from riskscreen.i18n import band_label, texts
from riskscreen.render import neutralise
from riskscreen.render.aggregate import (
    csv_document,
    figures,
    header_lines,
    label,
    legend_text,
    markdown,
    ordered_tables,
    readable_tables,
    shown,
    trend,
)
from riskscreen.render.shortlist_html import template_environment

if TYPE_CHECKING:
    from fpdf import FPDF

SIZE, LINE = 10, 4.6
CHART_HEIGHT = 60.0  # mm


def _columns(t: Table, lang: str) -> list[str]:
    kind = "band" if t.columns == ("high", "elevated", "low") else "key"
    return [band_label(c, lang) if kind == "band" else label("key", c, lang) for c in t.columns]


def table_rows(t: Table, aggregate: Aggregate, lang: str) -> tuple[list[str], list[list[str]]]:
    """A table as a heading and rows of text, with its totals as a last column and row where it has them."""
    words = texts(lang)["aggregate"]
    heading = [str(words["tables"][t.key]["row"]), *_columns(t, lang)]
    if t.row_totals is not None:
        heading.append(str(words["total"]))
    rows = []
    for i, row in enumerate(t.rows):
        cells = [shown(v, aggregate.threshold) for v in t.cells[i]]
        if t.row_totals is not None:
            cells.append(shown(t.row_totals[i], aggregate.threshold))
        rows.append([label("key", row, lang), *cells])
    if t.column_totals is not None:
        totals = [shown(v, aggregate.threshold) for v in t.column_totals]
        if t.row_totals is not None:
            totals.append(shown(t.total, aggregate.threshold))
        rows.append([str(words["total"]), *totals])
    return heading, rows


# --------------------------------------------------------------------------------------------------- PDF
def pdf_document(aggregate: Aggregate, lang: str) -> bytes:
    words = texts(lang)["aggregate"]
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(dt.datetime.fromisoformat(aggregate.first_day).replace(tzinfo=dt.UTC))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    head = header_lines(aggregate, lang)
    _text(pdf, head[0], "B", 16)
    for line in head[1:]:
        _text(pdf, line)
    pdf.ln(3)
    for name, value in figures(aggregate, lang):
        pdf.set_font("Helvetica", "", SIZE + 2)
        pdf.cell(120, 8, _latin(name))
        pdf.set_font("Helvetica", "B", SIZE + 4)
        pdf.cell(60, 8, _latin(value), align="R", new_x="LMARGIN", new_y="NEXT")
    months = trend(aggregate, lang)
    if months:
        pdf.ln(4)
        _text(pdf, words["figures"]["trend"], "B", 12)
        _chart(pdf, months, aggregate.threshold, lang)
    _text(pdf, legend_text(aggregate, lang))
    if aggregate.tables:
        pdf.add_page()
        _text(pdf, words["figures"]["tables_title"], "B", 14)
    tables, not_shown = readable_tables(aggregate, lang)
    for t in tables:
        heading, rows = table_rows(t, aggregate, lang)
        if pdf.get_y() + (len(rows) + 3) * 6.5 > 282:
            pdf.add_page()
        pdf.ln(2)
        _text(pdf, words["tables"][t.key]["title"], "B", SIZE + 1)
        pdf.set_font("Helvetica", "", SIZE)
        pdf.set_fill_color(255, 255, 255)
        with pdf.table(
            col_widths=_widths(pdf, heading, rows),
            text_align="LEFT",
            line_height=5.5,
            first_row_as_headings=True,
            cell_fill_mode="NONE",
        ) as table:
            for values in [heading, *rows]:
                row = table.row()
                for value in values:
                    row.cell(_latin(value))
        note = words["tables"][t.key].get("note")
        if note:
            _text(pdf, note)
    if not_shown:
        pdf.ln(2)
        _text(pdf, not_shown)
    if tables:  # the marks explained where the tables are read, not only on page 1
        pdf.ln(2)
        _text(pdf, legend_text(aggregate, lang))
    return bytes(pdf.output())


TABLE_WIDTH, CELL_PADDING = 180.0, 3.0


def _widths(pdf: FPDF, heading: list[str], rows: list[list[str]]) -> tuple[float, ...]:
    """Column widths that break a heading only between words: each column at least as wide as its longest word
    (headings in bold) and its widest value, the first as wide as its labels; what is left is shared equally
    among the other columns."""

    def width(text: str, style: str = "") -> float:
        pdf.set_font("Helvetica", style, SIZE)
        return pdf.get_string_width(_latin(text)) + CELL_PADDING

    least = [
        max([width(w, "B") for w in str(h).split()] + [width(str(r[i])) for r in rows if i < len(r)])
        for i, h in enumerate(heading)
    ]
    least[0] = max(least[0], min(60.0, max(width(str(r[0])) for r in rows) if rows else 0.0))
    pdf.set_font("Helvetica", "", SIZE)
    spare = TABLE_WIDTH - sum(least)
    if spare <= 0 or len(least) == 1:  # too many columns for a portrait page: in proportion to what they need
        return tuple(TABLE_WIDTH * w / sum(least) for w in least)
    share = spare / (len(least) - 1)
    return (least[0], *(w + share for w in least[1:]))


def _text(pdf: FPDF, text: str, style: str = "", size: int = SIZE) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, LINE + (size - SIZE) / 2, _latin(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _latin(text: object) -> str:
    return str(text).replace("→", "->").encode("cp1252", "replace").decode("cp1252")


def _chart(pdf: FPDF, months: list[tuple[str, Value, Value]], threshold: int, lang: str) -> None:
    """Bars per month for the students on the list and the actions agreed; a region's range is a solid bar to its
    least value and an open box to its most; a hidden count is only its mark."""
    words = texts(lang)["aggregate"]["figures"]
    top = pdf.get_y() + 8
    base = top + CHART_HEIGHT
    largest = max([r[1] for _, a, b in months for v in (a, b) if (r := _reach(v))] or [1.0])
    slot = 180 / max(len(months), 1)
    width = min(slot / 3, 14)
    pdf.set_font("Helvetica", "", 9)
    for i, (name, listed, agreed) in enumerate(months):
        x = 15 + i * slot + (slot - 2 * width) / 2
        for j, value in enumerate((listed, agreed)):
            shade = (70, 110, 160) if j == 0 else (200, 140, 60)
            left = x + j * width
            reach = _reach(value)
            if reach is not None:
                low, high = (CHART_HEIGHT * v / largest for v in reach)
                pdf.set_fill_color(*shade)
                pdf.rect(left, base - low, width - 1, low, style="F")
                if high > low:
                    pdf.set_draw_color(*shade)
                    pdf.rect(left, base - high, width - 1, high - low, style="D")
                pdf.set_xy(left - 2, base - high - 5)
            else:
                pdf.set_xy(left - 2, base - 5)
            pdf.cell(width + 3, 4, _latin(shown(value, threshold)), align="C")
        pdf.set_xy(15 + i * slot, base + 1)
        pdf.cell(slot, 4, _latin(name), align="C")
    pdf.set_draw_color(120)
    pdf.line(15, base, 195, base)
    pdf.set_xy(15, base + 7)
    for j, key in enumerate(("chart_listed", "chart_actions")):
        pdf.set_fill_color(*((70, 110, 160) if j == 0 else (200, 140, 60)))
        pdf.rect(pdf.get_x(), pdf.get_y() + 1, 4, 3, style="F")
        pdf.set_x(pdf.get_x() + 5)
        pdf.cell(50, 5, _latin(words[key]))
    pdf.set_xy(15, base + 14)


# -------------------------------------------------------------------------------------------------- HTML
def _reach(value: Value) -> tuple[float, float] | None:
    """How far a bar reaches: a count, or the least and most of a region's range; None for a hidden count."""
    if isinstance(value, int):
        return float(value), float(value)
    if isinstance(value, Span):
        return float(value.low), float(value.high)
    return None


def html_document(aggregate: Aggregate, lang: str) -> str:
    words = texts(lang)["aggregate"]
    months = trend(aggregate, lang)
    largest = max([r[1] for _, a, b in months for v in (a, b) if (r := _reach(v))] or [1.0])
    bars = [
        {
            "name": name,
            "values": [
                {
                    "text": shown(v, aggregate.threshold),
                    "height": round(100 * r[0] / largest, 1) if (r := _reach(v)) else 0,
                }
                for v in (listed, agreed)
            ],
        }
        for name, listed, agreed in months
    ]
    tables = []
    shown_tables, not_shown = readable_tables(aggregate, lang)
    for t in shown_tables:
        heading, rows = table_rows(t, aggregate, lang)
        tables.append(
            {
                "title": words["tables"][t.key]["title"],
                "heading": heading,
                "rows": rows,
                "note": words["tables"][t.key].get("note"),
                "totals": t.column_totals is not None,
            }
        )
    head = header_lines(aggregate, lang)
    return (
        template_environment()
        .get_template("aggregate.html.j2")
        .render(
            lang=lang,
            title=head[0],
            lines=head[1:],
            figures=figures(aggregate, lang),
            bars=bars,
            trend_title=words["figures"]["trend"],
            series=[words["figures"]["chart_listed"], words["figures"]["chart_actions"]],
            tables=tables,
            tables_title=words["figures"]["tables_title"],
            legend=" ".join(filter(None, [not_shown, legend_text(aggregate, lang)])),
        )
    )


# -------------------------------------------------------------------------------------------------- XLSX
def xlsx_document(aggregate: Aggregate, lang: str) -> bytes:
    words = texts(lang)["aggregate"]
    wb = Workbook()
    wb.properties.creator = "riskscreen"
    summary = wb.active
    summary.title = str(words["figures"]["tables_title"])[:31]
    for line in header_lines(aggregate, lang):
        summary.append([line])
    summary.append([])
    for name, value in figures(aggregate, lang):
        summary.append([name, _number(value)])
    summary.column_dimensions["A"].width = 60
    for t in ordered_tables(aggregate):
        ws = wb.create_sheet(str(words["tables"][t.key]["short"])[:31])
        heading, rows = table_rows(t, aggregate, lang)
        ws.append([str(words["tables"][t.key]["title"])])
        ws.append(heading)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([neutralise(row[0]), *(_number(v) for v in row[1:])])  # a target is never a formula
        ws.column_dimensions["A"].width = 30
        ws.freeze_panes = "B3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _number(text: str) -> Any:
    """A published count as a number Excel can add; '<10', 'x' and percentages stay text."""
    return int(text) if text.isdigit() else text


def render_aggregate(aggregate: Aggregate, fmt: str, lang: str = "nl", csv_dialect: str | None = None) -> str | bytes:
    """The aggregate in a format: the printed ones here, the plain ones (json, csv, md, table) from render.aggregate."""
    if fmt == "pdf":
        return pdf_document(aggregate, lang)
    if fmt == "html":
        return html_document(aggregate, lang)
    if fmt == "xlsx":
        return xlsx_document(aggregate, lang)
    if fmt == "json":
        return to_json(aggregate)
    if fmt == "csv":
        return csv_document(aggregate, lang, csv_dialect)
    return markdown(aggregate, lang)
