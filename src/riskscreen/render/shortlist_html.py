"""The weekly shortlist as an HTML page from a Jinja2 template: the PDF's content and columns, for screen and print."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import jinja2

from riskscreen.i18n import group_heading, texts
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

if TYPE_CHECKING:
    import jinja2

    from riskscreen.weekly.shortlist import Shortlist


@functools.cache
def template_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("riskscreen.render", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def html_document(sl: Shortlist, lang: str) -> str:
    words = words_of(lang)
    head = header_lines(sl, lang)
    warning = demo_warning(sl.result, lang)
    recs = [
        {
            **r,
            "student_lines": printed_student(r, lang),
            "reason_lines": printed_reasons(r, words),
            "flag_lines": printed_flags(r, words),
        }
        for r in records(sl, lang)
    ]
    groups = [
        {
            "heading": group_heading(group, lang),
            "rows": [r for r in recs if r["group"] == group],
            "notes": group_notes(sl, lang, group),
        }
        for group in sl.groups
    ]
    total = sum(w for _, w in PRINTED_COLUMNS)
    return (
        template_environment()
        .get_template("shortlist.html.j2")
        .render(
            lang=lang,
            title=head[0],
            warning=warning,
            lines=[line for line in head[1:] if line != warning],
            empty=words["empty"],
            groups=groups,
            names=sl.names is not None,
            widths=[f"{100 * w / total:.1f}%" for _, w in PRINTED_COLUMNS],
            columns=headings(lang),
            who=words["who"],
            when=words["when"],
            confidential=texts(lang)["pdf"]["confidential"],
            legend_title=texts(lang)["pdf"]["legend_title"],
            legend=legend_lines(sl, lang),
            model=model_label(sl.result, lang),
            statutory_title=words["statutory_title"],
            statutory_none=words["statutory_none"],
            statutory_header=statutory_header(sl, lang),
            statutory=statutory_rows(sl, lang),
        )
    )
