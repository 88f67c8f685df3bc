"""The weekly shortlist as a printable HTML page (A4 landscape, one section per mentor), from a Jinja2 template."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from riskscreen.i18n import group_heading

if TYPE_CHECKING:
    import jinja2

    from riskscreen.weekly.shortlist import Shortlist

HTML_WIDTHS = ("3%", "7%", "4%", "7%", "5%", "9%", "18%", "11%", "17%", "9%", "5%", "5%")


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("riskscreen.render", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def html_document(sl: Shortlist) -> str:
    from riskscreen.render.scores import demo_warning
    from riskscreen.render.shortlist import _columns, _left_lines, _words, header_lines, records

    lang = sl.result.lang
    words = _words(sl)
    head = header_lines(sl)
    warning = demo_warning(sl.result)
    recs = records(sl)
    groups = [{"heading": group_heading(group, lang), "rows": [r for r in recs if r["group"] == group]}
              for group in sl.groups]
    return _environment().get_template("shortlist.html.j2").render(
        lang=lang, title=head[0], warning=warning, lines=[line for line in head[1:] if line != warning],
        empty=words["empty"], groups=groups, widths=HTML_WIDTHS, columns=[t for _, t in _columns(lang, words)],
        left_title=words["left"], left="; ".join(_left_lines(sl)) if len(sl.left) else "")
