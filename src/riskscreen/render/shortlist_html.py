"""The weekly shortlist as a printable HTML page (A4 landscape, one section per mentor), from a Jinja2 template."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from riskscreen.i18n import group_heading

if TYPE_CHECKING:
    import jinja2

    from riskscreen.weekly.shortlist import Shortlist

WIDTHS = {"priority": 3, "student_id": 6, "name": 9, "class": 4, "band": 6, "probability": 5, "change": 10,
          "reasons": 15, "flags": 11, "prompts": 13, "open_action": 10, "action": 9, "who": 4, "when": 4}


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("riskscreen.render", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def html_document(sl: Shortlist) -> str:
    from riskscreen.render.scores import demo_warning
    from riskscreen.render.shortlist import change_cell, columns
    from riskscreen.render.shortlist_records import (
        group_notes,
        header_lines,
        records,
        statutory_header,
        statutory_rows,
        words_of,
    )

    lang = sl.result.lang
    words = words_of(sl)
    head = header_lines(sl)
    warning = demo_warning(sl.result)
    recs = [{**r, "change_lines": change_cell(r)} for r in records(sl)]
    groups = [{"heading": group_heading(group, lang), "rows": [r for r in recs if r["group"] == group],
               "notes": group_notes(sl, group)} for group in sl.groups]
    cols = columns(sl)
    total = sum(WIDTHS[k] for k, _ in cols)
    return _environment().get_template("shortlist.html.j2").render(
        lang=lang, title=head[0], warning=warning, lines=[line for line in head[1:] if line != warning],
        empty=words["empty"], groups=groups, names=sl.names is not None,
        widths=[f"{100 * WIDTHS[k] / total:.1f}%" for k, _ in cols], columns=[t for _, t in cols],
        statutory_title=words["statutory_title"], statutory_none=words["statutory_none"],
        statutory_header=statutory_header(sl), statutory=statutory_rows(sl))
