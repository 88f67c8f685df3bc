"""The weekly shortlist in a terminal: a table when the terminal is wide, a block per student when it is not."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from riskscreen.i18n import group_heading, label
from riskscreen.render import DISPLAY_CHARS, cell, plain
from riskscreen.render.shortlist_printed import because_lines
from riskscreen.render.shortlist_records import (
    group_notes,
    header_lines,
    lines_of,
    records,
    statutory_header,
    statutory_rows,
    value_of,
    words_of,
)
from riskscreen.weekly.shortlist import Shortlist

# Below this width the ten columns of the table would fold every cell into a few letters per line, so each
# student becomes a block of labelled lines instead.
TABLE_WIDTH = 160
BAND_STYLES = {"high": "bold red", "elevated": "yellow", "low": "green"}


def terminal_renderable(sl: Shortlist, lang: str, width: int, columns: list[tuple[str, str]]) -> Group:
    """The header, the school-wide statutory signals, then per group its students and notes."""
    words = words_of(lang)
    parts: list[Any] = [Text(line) for line in header_lines(sl, lang)]
    parts.append(Rule(Text(words["statutory_title"]), align="left"))
    parts.append(_statutory(sl, lang, width))
    recs = records(sl, lang)
    if not recs:
        parts.append(Text(words["empty"]))
    for group in sl.groups:
        parts.append(Rule(Text(plain(group_heading(group, lang), DISPLAY_CHARS), style="bold"), align="left"))
        rows = [r for r in recs if r["group"] == group]
        if rows and width >= TABLE_WIDTH:
            parts.append(_table(rows, columns))
        else:
            for r in rows:
                parts += _block(r, lang)
        parts += [Text(note) for note in group_notes(sl, lang, group)]
    return Group(*parts)


def _statutory(sl: Shortlist, lang: str, width: int) -> Any:
    rows = statutory_rows(sl, lang)
    if not rows:
        return Text(words_of(lang)["statutory_none"])
    if width >= TABLE_WIDTH // 2:
        overview = Table(show_lines=False, expand=False)
        for title in statutory_header(sl, lang):
            overview.add_column(title, overflow="fold")
        for row in rows:
            overview.add_row(*(cell(v) for v in row))
        return overview
    return Group(*(Text(" ".join(plain(v) for v in row)) for row in rows))


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> Table:
    table = Table(show_lines=True, expand=False)
    for _key, title in columns:
        table.add_column(title, overflow="fold")
    for r in rows:
        table.add_row(*(_styled(r, key, lines_of(value_of(r, key), key)) for key, _ in columns))
    return table


def _styled(r: dict[str, Any], key: str, text: str) -> Text:
    shown = cell(text)
    if key == "band":
        shown.stylize(BAND_STYLES.get(r["band_key"], ""))
    return shown


def _block(r: dict[str, Any], lang: str) -> list[Any]:
    """One student: a line with rank, pseudonym, class, band, chance and change; then labelled lines."""
    words = words_of(lang)
    head = Text(f"{r['priority']:>3}  ")
    head.append(plain(r["student_id"], 40), style="bold")
    if r["name"]:
        head.append(f"  {plain(r['name'], 60)}")
    if r["class"]:
        head.append(f"  {label('class', lang)} {plain(r['class'], 20)}")
    head.append("  ")
    head.append(r["band"], style=BAND_STYLES.get(r["band_key"], ""))
    head.append(f" {r['probability']}")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=5)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    fields = [
        (words["change"], [x for x in (r["change"], *r["moved"]) if x]),
        (label("reasons", lang), [*r["reasons"], *because_lines(r, words)]),
        (label("flags", lang), [r["flags"]] if r["flags"] else []),
        (words["prompts"], r["prompts"]),
        (words["open_action"], r["open_action"]),
    ]
    for title, values in fields:
        for i, value in enumerate(values):
            bullet = "- " if title == words["prompts"] else ""
            grid.add_row("", f"{title}:" if i == 0 else "", cell(bullet + value))
    return [head, grid, Text("")]
