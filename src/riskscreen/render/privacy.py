"""The privacy papers a school needs before it uses riskscreen, filled in from the workspace's real settings and
the model card: a DPIA draft, an entry for the processing register (AVG art. 30), a text for students and
parents (AVG art. 13/14), an Algoritmeregister entry, and a checklist of what only the school can fill in.

Every filled-in value names where it came from (a workspace setting, the model card, riskscreen itself); what
riskscreen cannot know is left as "[in te vullen door de school]". Markdown from Jinja2 templates
(templates/privacy/*.md.j2); the PDF is the same text, set with fpdf2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2
from fpdf import FPDF

from riskscreen.i18n import texts
from riskscreen.render.shortlist_pdf import latin, register_font

PAPERS = ("dpia", "verwerkingsregister", "informatie", "algoritmeregister", "checklist")


@dataclass(frozen=True)
class PrivacyFacts:
    """What the papers say, each with its source; gathered by api.privacy_papers."""

    school: str
    retention_weeks: int | None
    referral_targets: tuple[str, ...]
    covenant: str | None  # "01-08-2026 t/m 31-07-2027", or None without [sharing]
    bases: dict[str, int]  # recorded bases per kind
    fields_read: dict[str, tuple[str, ...]]  # table -> the contract's columns riskscreen reads
    refused: tuple[str, ...]  # the kinds of identifiers the guard refuses
    model: str
    demonstration: bool
    model_created: str
    training_from: str | None
    training_to: str | None
    training_students: int
    training_leavers: int  # students who left, whatever the number of as-of dates they were seen at
    training_moments: int  # student-moments: a student at an as-of date
    roc_auc: str  # "0,91 (0,86-0,94)"
    test_moments: int
    test_positives: int  # held-out student-moments followed by leaving
    fairness: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> groups outside the range
    intended_use: str = ""
    limits: str = ""


def render_papers(facts: PrivacyFacts, lang: str) -> dict[str, str]:
    """Each paper's file name and its Markdown."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("riskscreen", "render/templates/privacy"),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    names = texts(lang)["privacy_files"]
    return {f"{names[key]}.md": environment.get_template(f"{key}.md.j2").render(f=facts, lang=lang) for key in PAPERS}


def paper_pdf(markdown: str) -> bytes:
    """A paper's Markdown set as an A4 PDF: headings, bullets and paragraphs (all the papers use)."""
    doc = FPDF(orientation="portrait", format="A4")
    doc.set_margins(20, 18, 20)
    doc.set_auto_page_break(True, 18)
    font, unicode = register_font(doc)
    doc.add_page()

    def text(value: str) -> str:
        plain = value.replace("**", "")
        return plain if unicode else latin(plain)

    for line in markdown.splitlines():
        if line.startswith("# "):
            doc.set_font(font, "B", 16)
            doc.multi_cell(0, 8, text(line[2:]), new_x="LMARGIN", new_y="NEXT")
            doc.ln(2)
        elif line.startswith("## "):
            doc.ln(2)
            doc.set_font(font, "B", 12)
            doc.multi_cell(0, 6, text(line[3:]), new_x="LMARGIN", new_y="NEXT")
        elif line.startswith(("- ", "* ")):
            doc.set_font(font, "", 10)
            doc.set_x(doc.l_margin + 4)
            doc.multi_cell(0, 5, text(("• " if unicode else "- ") + line[2:]), new_x="LMARGIN", new_y="NEXT")
        elif line.strip():
            doc.set_font(font, "", 10)
            doc.multi_cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
        else:
            doc.ln(2)
    return bytes(doc.output())
