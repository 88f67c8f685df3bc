"""Use case: the privacy papers of a school's workspace (`riskscreen privacy`), filled in from its settings and the
model card."""

from __future__ import annotations

import tempfile
from pathlib import Path

from riskscreen.api.models import model_card
from riskscreen.errors import localised, msg
from riskscreen.i18n import choice_label, date_text, decimal
from riskscreen.ingest.privacy_names import IDENTIFIER_NAMES
from riskscreen.ingest.profiles import REQUIRED_COLUMNS
from riskscreen.render.privacy import PrivacyFacts, paper_pdf, render_papers
from riskscreen.scoring.card import ModelCard
from riskscreen.workspace import sharing
from riskscreen.workspace.location import SETTINGS_NAME, Workspace, read_settings

# what riskscreen reads beyond the contract's required columns (docs/data-contract.md)
READ_ALSO = {
    "attendance": ("period", "hours"),
    "grades": ("weight",),
    "students": ("level", "year", "age", "repeated_years", "moved_down", "mentor", "class"),
    "outcomes": (),
}


def privacy_facts(where: Workspace, card: ModelCard, lang: str) -> PrivacyFacts:
    """What the papers say: the workspace's settings and bases, the contract's fields, the model card."""
    settings = read_settings(where)
    recorded, school = sharing.of_workspace(where)
    bases: dict[str, int] = {}
    for basis in recorded:
        label = choice_label("sharing_bases", basis.basis, lang)
        bases[label] = bases.get(label, 0) + 1
    until = "t/m" if lang == "nl" else "to"
    covenant = (
        None
        if school is None
        else (f"{date_text(school.on, lang)} {until} {date_text(school.until, lang) if school.until else '…'}")
    )
    auc = card.metrics.roc_auc
    interval = f" ({_two(auc.low, lang)}-{_two(auc.high, lang)})" if auc.low is not None else ""
    return PrivacyFacts(
        school=where.school,
        retention_weeks=settings.retention_weeks,
        referral_targets=settings.referral_targets,
        covenant=covenant,
        bases=dict(sorted(bases.items())),
        fields_read={t: (*REQUIRED_COLUMNS[t], *READ_ALSO[t]) for t in REQUIRED_COLUMNS},
        refused=tuple(sorted({localised(msg(v), lang) for v in IDENTIFIER_NAMES.values()})),
        model=card.name,
        demonstration=card.demonstration,
        model_created=date_text(card.created[:10], lang),
        training_from=card.training_data.first_date,
        training_to=card.training_data.last_date,
        training_students=card.training_data.students,
        training_leavers=card.training_data.leavers
        if card.training_data.leavers is not None
        else card.training_data.positives,
        training_moments=card.training_data.rows,
        roc_auc=f"{_two(auc.value, lang)}{interval}",
        test_moments=card.metrics.n_students,
        test_positives=card.metrics.n_positive,
        fairness={
            c: tuple(g.group for g in column.groups if g.outside_range) for c, column in card.fairness.columns.items()
        },
        intended_use=card.intended_use,
        limits=card.limits,
    )


def privacy_papers(where: Workspace, *, model: str | None = None, lang: str = "nl") -> dict[str, str | bytes]:
    """Each paper as Markdown and as PDF, by file name: a DPIA draft, the processing-register entry, the text for
    students and parents, the Algoritmeregister entry and the school's checklist, from the workspace's settings and
    the card of `model` (default: the bundled one).

    Parameters
    ----------
    where
        The school's workspace (`workspace()`); None, where allowed: the one `workspace()` finds.
    model
        The model whose card the papers describe; None: the bundled one.
    lang
        The papers' language: 'nl' or 'en'.
    """
    papers = render_papers(privacy_facts(where, model_card(model), lang), lang)
    out: dict[str, str | bytes] = {}
    for name, markdown in papers.items():
        out[name] = markdown
        out[name.removesuffix(".md") + ".pdf"] = paper_pdf(markdown)
    return out


def _two(value: float | None, lang: str) -> str:
    """An AUC as a reader writes it: two decimals, a decimal comma in Dutch."""
    if value is None:
        return "-"
    return decimal(value, lang, ".2f")


SAMPLE_SETTINGS = """retention_weeks = 52

[sharing]
basis = "convenant"
on = 2026-08-01
until = 2027-07-31
"""


def sample_papers(lang: str) -> dict[str, str]:
    """The papers of a sample school (04AB: retention 52 weeks, a covenant with youth work for the school year,
    the bundled model), as Markdown: what docs/privacy/ shows (`make docs`; tests/render/test_privacy_papers.py)."""
    with tempfile.TemporaryDirectory() as home:
        where = Workspace(Path(home), "04AB", "--workspace")
        where.folder.mkdir()
        (where.folder / SETTINGS_NAME).write_text(SAMPLE_SETTINGS, encoding="utf-8")
        return render_papers(privacy_facts(where, model_card(None), lang), lang)


def write_sample_papers(folder: Path) -> list[Path]:
    """docs/privacy/LANG/*.md for every language (`make docs`)."""
    written = []
    for lang in ("nl", "en"):
        (folder / lang).mkdir(parents=True, exist_ok=True)
        for name, text in sample_papers(lang).items():
            (folder / lang / name).write_text(text, encoding="utf-8")
            written.append(folder / lang / name)
    return written
