"""Rendering result objects as terminal tables, text formats and files; no computation happens here."""

from __future__ import annotations

import csv
import datetime as dt
import html
import importlib
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from riskscreen.errors import UsageError, msg
from riskscreen.i18n import LANGUAGES, texts

if TYPE_CHECKING:
    from rich.text import Text

DEFAULT_WIDTH = 120
MAX_WIDTH = 200
DISPLAY_CHARS = 1000  # a longer cell (a 50 KB "class name") is cut for the terminal; files keep it whole
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters; tab and newline stay
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|!~])")
# The format registry: what each kind of result can be rendered as, and which module renders it. Modules are
# imported only when used, so the CLI's start-up imports none of them.
REGISTRY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "validation": ("riskscreen.render.validation", "render_report", ("table", "json", "csv")),
    "scores": ("riskscreen.render.scores", "render_scores", ("table", "json", "csv")),
    "explanation": ("riskscreen.render.scores", "render_explanation", ("table", "json", "csv")),
    "shortlist": ("riskscreen.render.shortlist", "render", ("table", "md", "html", "pdf", "csv", "xlsx", "json")),
    "card": ("riskscreen.render.card", "render_card", ("table", "json")),
    "evaluation": ("riskscreen.render.card", "render_evaluation", ("table", "json")),
    "aggregate": (
        "riskscreen.render.aggregate_print",
        "render_aggregate",
        ("table", "md", "pdf", "html", "xlsx", "json", "csv"),
    ),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# How a CSV file is written: for Dutch Excel (semicolons, decimal commas, a byte-order mark so that Excel reads
# UTF-8) or plain RFC 4180 (commas, decimal points, no mark). The default follows the output's language.
CSV_DIALECTS = ("excel-nl", "rfc4180")
BOM = "\ufeff"


def json_text(document: object) -> str:
    """A document as every JSON output writes it: indented, unescaped letters, days as YYYY-MM-DD."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=_json_value) + "\n"


def _json_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def csv_dialect_for(lang: str, dialect: str | None = None) -> str:
    """The dialect asked for, else Dutch Excel's for Dutch output and RFC 4180 for English."""
    if dialect is not None:
        if dialect not in CSV_DIALECTS:
            raise UsageError(
                msg("unknown CSV dialect '{dialect}'", dialect=dialect), hint=msg("use excel-nl or rfc4180")
            )
        return dialect
    return "excel-nl" if lang == "nl" else "rfc4180"


# A file's extension names its format where no --format is given; PDF and XLSX are files, never terminal text.
EXTENSIONS = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
    ".json": "json",
    ".txt": "table",
}
BINARY_FORMATS = ("pdf", "xlsx")


def output_format(kind: str, fmt: str | None, output: Path | None) -> str:
    """The format to write a kind of result in: --format wins; otherwise the output file's extension (one the kind
    renders to); otherwise the terminal table. A PDF or XLSX needs an output file."""
    if not fmt and output is not None:
        known = {suffix: f for suffix, f in EXTENSIONS.items() if f in formats(kind)}
        if output.suffix.lower() not in known:
            raise UsageError(
                msg("cannot tell the format from '{name}'", name=output.name),
                hint=msg("use {extensions}, or give `fmt`", extensions=", ".join(known)),
            )
        fmt = known[output.suffix.lower()]
    fmt = fmt or "table"
    if fmt in BINARY_FORMATS and output is None:
        raise UsageError(
            msg("a {format} file cannot be printed to the terminal", format=fmt.upper()),
            hint=msg("add `output` list.{extension}", extension=fmt),
        )
    return fmt


def formats(kind: str) -> tuple[str, ...]:
    """The formats a kind of result renders to."""
    return REGISTRY[kind][2]


def render(kind: str, fmt: str, *subject: object, **options: object) -> str | bytes:
    """Render a result (validation report, scores, explanation, shortlist, card, evaluation) in a format;
    options (csv_dialect, width) go to the renderers that take them."""
    module, function, known = REGISTRY[kind]
    if fmt not in known:
        raise UsageError(
            msg("{kind} cannot be written as {fmt}", kind=kind, fmt=fmt),
            hint=msg("choose one of: {join}", join=", ".join(known)),
        )
    options = {k: v for k, v in options.items() if v is not None}
    result: str | bytes = getattr(importlib.import_module(module), function)(*subject, fmt, **options)
    return result


def render_width() -> int:
    """The width to render for: $COLUMNS, else the terminal's own width, else 120 (a file or a pipe); kept
    between 60 and 200 columns, because lines longer than 200 characters are hard to read."""
    try:
        if "COLUMNS" in os.environ:
            return min(MAX_WIDTH, max(60, int(os.environ["COLUMNS"])))
    except ValueError:
        return DEFAULT_WIDTH
    if sys.stdout is not None and sys.stdout.isatty():
        return min(MAX_WIDTH, max(60, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns))
    return DEFAULT_WIDTH


def plain(value: object, limit: int | None = None) -> str:
    """Text from the data as shown to a person: control characters (such as ESC) removed, cut at `limit`."""
    text = CONTROL.sub("", "" if value is None else str(value))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def cell(value: object, limit: int = DISPLAY_CHARS) -> Text:
    """A terminal table cell that shows data literally: square brackets are never read as rich markup."""
    return Text(plain(value, limit))


def markdown_text(value: object) -> str:
    """Data as Markdown that stays data: HTML and Markdown characters escaped, one line."""
    text = plain(value).replace("\r", " ").replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def to_text(renderable: object, width: int | None = None, color: bool = False) -> str:
    """A rich renderable as text of a fixed width: plain for files and golden tests, with ANSI colours for a
    terminal that shows them."""
    console = Console(
        file=io.StringIO(),
        width=width or render_width(),
        color_system="standard" if color else None,
        force_terminal=color,
        record=True,
        legacy_windows=False,
        no_color=False,
    )
    console.print(renderable)
    # rich pads every cell to its column's width; a line's trailing spaces only make files and diffs noisy
    return "\n".join(line.rstrip() for line in console.export_text(styles=color).split("\n"))


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], dialect: str = "rfc4180") -> str:
    """A CSV document in a dialect (CSV_DIALECTS); text that a spreadsheet would run as a formula neutralised."""
    buffer = io.StringIO()
    dutch = dialect == "excel-nl"
    writer = csv.writer(buffer, lineterminator="\n", delimiter=";" if dutch else ",")
    writer.writerow(header)
    # inline rather than neutralise() and i18n.decimal per cell: a school board's table has hundreds of thousands
    # of cells, and a float is written as Python writes it, only with a decimal comma
    if dutch:
        writer.writerows(
            [
                ("'" + v)
                if isinstance(v, str) and v.startswith(FORMULA_START)
                else str(v).replace(".", ",")
                if isinstance(v, float)
                else v
                for v in row
            ]
            for row in rows
        )
        return BOM + buffer.getvalue()
    writer.writerows(
        [("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in row] for row in rows
    )
    return buffer.getvalue()


def render_rows(
    header: list[str], rows: list[list[object]], fmt: str, lang: str = "en", csv_dialect: str | None = None
) -> str:
    """Plain rows as a terminal table, JSON records (keyed by `header`) or CSV (for listings such as
    `history`); tables and CSV head their columns with the language's words."""
    if fmt == "json":
        return json_text([dict(zip(header, r, strict=True)) for r in rows])
    words = texts(lang).get("csv_columns", {}) if lang in LANGUAGES else {}
    shown = [str(words.get(key, key)) for key in header]  # Dutch words; the keys themselves in English
    if fmt == "csv":
        return csv_text(shown, rows, csv_dialect_for(lang, csv_dialect))
    table = Table(*shown)
    for r in rows:
        table.add_row(*(cell(v) for v in r))
    return to_text(table)
