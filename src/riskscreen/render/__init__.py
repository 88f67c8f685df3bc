"""Rendering result objects as terminal tables, text formats and files; no computation happens here."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

DEFAULT_WIDTH = 120
DISPLAY_CHARS = 1000  # a longer cell (a 50 KB "class name") is cut for the terminal; files keep it whole
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # control characters; tab and newline stay
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|!~])")
# The format registry: what each kind of result can be rendered as, and which module renders it. Modules are
# imported only when used, so the CLI's start-up imports none of them.
REGISTRY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "validation": ("riskscreen.render.validation", "render_report", ("table", "json", "csv")),
    "scores": ("riskscreen.render.scores", "render_scores", ("table", "json", "csv")),
    "explanation": ("riskscreen.render.scores", "render_explanation", ("table", "json", "csv")),
    "shortlist": ("riskscreen.render.shortlist", "render", ("table", "md", "html", "csv", "xlsx")),
    "card": ("riskscreen.render.card", "render_card", ("table", "json")),
    "evaluation": ("riskscreen.render.card", "render_evaluation", ("table", "json")),
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formats(kind: str) -> tuple[str, ...]:
    """The formats a kind of result renders to."""
    return REGISTRY[kind][2]


def render(kind: str, fmt: str, *subject: object) -> str | bytes:
    """Render a result (validation report, scores, explanation, shortlist, card, evaluation) in a format."""
    import importlib

    from riskscreen.errors import UsageError

    module, function, known = REGISTRY[kind]
    if fmt not in known:
        raise UsageError(f"{kind} cannot be written as {fmt}", hint=f"choose one of: {', '.join(known)}")
    result: str | bytes = getattr(importlib.import_module(module), function)(*subject, fmt)
    return result


def render_width() -> int:
    try:
        return max(60, int(os.environ.get("COLUMNS", DEFAULT_WIDTH)))
    except ValueError:
        return DEFAULT_WIDTH


def plain(value: object, limit: int | None = None) -> str:
    """Text from the data as shown to a person: control characters (such as ESC) removed, cut at `limit`."""
    text = CONTROL.sub("", "" if value is None else str(value))
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def cell(value: object, limit: int = DISPLAY_CHARS) -> Text:
    """A terminal table cell that shows data literally: square brackets are never read as rich markup."""
    from rich.text import Text

    return Text(plain(value, limit))


def markdown_text(value: object) -> str:
    """Data as Markdown that stays data: HTML and Markdown characters escaped, one line."""
    import html

    text = plain(value).replace("\r", " ").replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def to_text(renderable: object, width: int | None = None) -> str:
    """A rich renderable as plain text of a fixed width (for files and golden tests)."""
    from rich.console import Console

    console = Console(file=io.StringIO(), width=width or render_width(), color_system=None,
                      force_terminal=False, record=True, legacy_windows=False)
    console.print(renderable)
    return console.export_text()


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with a quote; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # inline rather than neutralise() per cell: a school board's table has hundreds of thousands of cells
    writer.writerows([("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in row]
                     for row in rows)
    return buffer.getvalue()


def render_rows(header: list[str], rows: list[list[object]], fmt: str) -> str:
    """Plain rows as a terminal table, JSON records or CSV (for listings such as `history`)."""
    if fmt == "json":
        import json

        return json.dumps([dict(zip(header, r, strict=True)) for r in rows], indent=2) + "\n"
    if fmt == "csv":
        return csv_text(header, rows)
    from rich.table import Table

    table = Table(*header)
    for r in rows:
        table.add_row(*(cell(v) for v in r))
    return to_text(table)
