"""Rendering result objects as terminal tables, text formats and files; no computation happens here."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence

DEFAULT_WIDTH = 120
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_width() -> int:
    try:
        return max(60, int(os.environ.get("COLUMNS", DEFAULT_WIDTH)))
    except ValueError:
        return DEFAULT_WIDTH


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
        table.add_row(*("" if v is None else str(v) for v in r))
    return to_text(table)
