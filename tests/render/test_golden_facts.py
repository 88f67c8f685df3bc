"""The numbers the golden files hold, asserted directly: re-blessing a golden cannot hide a changed number.

Same inputs as the golden tests (the 160-student sample school, seed 11, the bundled model). Probabilities
are compared within 5e-6 (the goldens round them to 6 decimals), contributions within 1e-6.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from tests.helpers import load, magister_school

from riskscreen.ingest.pipeline import read_exports
from riskscreen.render.reason_words import reason_texts
from riskscreen.render.scores import flag_texts, model_label, render_scores
from riskscreen.scoring.score import explain, score, select
from riskscreen.weekly.shortlist import build, snapshot

TOP_8 = [
    ("111069", 0.999982),
    ("111123", 0.767515),
    ("111081", 0.737512),
    ("111090", 0.633047),
    ("111124", 0.471681),
    ("111040", 0.376599),
    ("111098", 0.342189),
    ("111156", 0.299798),
]


@pytest.fixture(scope="module")
def scored(school_dir: Path, demo_model):  # type: ignore[no-untyped-def]
    return score(load(school_dir), demo_model)


def test_score_facts(scored) -> None:  # type: ignore[no-untyped-def]
    top = select(scored, top=8)
    assert top["student_id"].tolist() == [s for s, _ in TOP_8]
    assert top["probability"].tolist() == pytest.approx([p for _, p in TOP_8], abs=5e-6)
    assert set(top["band"]) == {"high"}
    assert scored.table["band"].value_counts().to_dict() == {"low": 132, "elevated": 12, "high": 16}
    assert scored.table.loc[scored.table["verzuim_16u"], "student_id"].tolist() == ["111069", "111081"]
    assert [reason_texts(r, "nl")[0] for r in top["reasons"].tolist()[:4]] == [
        "141 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "29 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "34 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "2 keer blijven zitten",
    ]
    # DUO's reports: the latest of the student's eight this school year (18 or older without a startkwalificatie:
    # RMC), from its first absence day to the day the threshold was reached, past its deadline; the earlier seven are
    # counted; and the M@ZL signal of four sick reports
    assert flag_texts(scored, top, "nl")[0] == (
        "18+ verzuim (RMC): 24 lesuren ongeoorloofd, 05-11-2026 t/m 11-11-2026; TE LAAT: had uiterlijk 18-11-2026 "
        "gemeld moeten zijn; volgens de regionale afspraak; en nog 7 eerdere melding(en) dit schooljaar | zorgelijk "
        "ziekteverzuim (M@ZL): 4 ziekmeldingen, 14-09-2026 t/m 19-11-2026; eerste stap: gesprek met de jongere, "
        "daarna de jeugdarts"
    )


def test_score_json_carries_the_same_numbers(scored) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(render_scores(scored, select(scored, top=8), "json", lang="nl"))
    assert [(s["student_id"], s["probability"]) for s in doc["students"]] == [(s, round(p, 6)) for s, p in TOP_8]
    assert doc["model"]["demonstration"] is True and doc["as_of"] == "2026-11-27"


def test_explain_facts(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    ex = explain(load(school_dir), demo_model, "111069")
    head = ex.breakdown.head(5)
    assert head["feature"].tolist() == [
        "unauthorised_hours_12w",
        "repeated_years",
        "unauthorised_hours_4w",
        "grade_mean_12w",
        "late_4w",
    ]
    assert head["value"].tolist() == pytest.approx([141.0, 3.0, 45.0, 4.579487, 7.0], abs=1e-6)
    assert head["contribution"].tolist() == pytest.approx([8.636761, 1.828531, 1.077032, 0.943557, 0.805716], abs=1e-6)
    # the constant of a list in November: the model's intercept moved by its autumn shift (#24 item 2)
    assert ex.base_logit == pytest.approx(-3.980213, abs=1e-6)
    assert ex.base_logit == pytest.approx(demo_model.fitted.intercept + demo_model.fitted.season_shifts["autumn"])
    assert len(ex.registrations) == 217


def test_shortlist_facts(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    exports = load(school_dir)
    week1 = score(exports, demo_model, as_of=pd.Timestamp("2026-11-20"))
    result = score(exports, demo_model)
    mentors = sorted(result.table["mentor"].dropna().unique())[:3]
    small = result.table[result.table["mentor"].isin(mentors) | result.table["verzuim_16u"]]
    listing = build(replace(result, table=small), capacity=2, previous=snapshot(build(week1, capacity=2)))
    entries = listing.entries
    assert entries["student_id"].tolist() == ["111122", "111025", "111140", "111069", "111081"]
    assert entries["group"].tolist() == [
        "mentor:MNT02",
        "mentor:MNT02",
        "mentor:MNT03",
        "mentor:MNT11",
        "mentor:MNT15",
    ]
    assert entries["change"].tolist() == ["same", "new", "down", "same", "up"]
    assert entries["change_points"].round(1).tolist()[2:] == pytest.approx([-1.6, -0.0, 3.3], abs=1e-9)
    assert entries["change_points"].round(1).iloc[0] == -0.5 and pd.isna(entries["change_points"].iloc[1])
    assert entries["statutory"].tolist() == [False, False, False, True, True]
    assert len(listing.left) == 20 and listing.left["student_id"].iloc[0] == "111003"


def test_validation_report_facts(tmp_path: Path) -> None:
    attendance = (
        "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;Ziek\n1001;31-02-2026;1;Ziek\n"
        "1002;03-09-2026;14;Kwijt\n1002;03-09-2026;2;Kwijt\n9999;03-09-2026;2;Ziek\n"
    )
    _, report = read_exports(magister_school(tmp_path / "SCHOOL", attendance=attendance))
    found = sorted((p.severity, p.column, p.rule, p.count, p.rows, p.values) for p in report.problems)
    assert found == [
        ("error", "code", "unknown code", 2, (4, 5), ("Kwijt", "Kwijt")),
        ("error", "date", "date", 1, (3,), ("31-02-2026",)),
        ("error", "period", "out of range", 1, (4,), ("14",)),
        ("warning", "student_id", "not in roster", 1, (6,), ("9999",)),
    ]
    assert [f.rows for f in report.files] == [5, 2, 2]
    assert (report.valid, report.students, report.first_date, report.last_date) == (
        False,
        3,
        "2026-09-02",
        "2026-09-03",
    )


def test_every_output_says_where_the_model_came_from(scored, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from riskscreen.scoring.store import bundled_dir, load_model

    assert (scored.model_source, model_label(scored, "nl")) == ("bundled", "demo (meegeleverd)")
    csv = render_scores(scored, select(scored, top=1), "csv", lang="nl")
    assert csv.splitlines()[1].endswith(";demo (meegeleverd) [demonstratiemodel, synthetische gegevens]")
    english = render_scores(scored, select(scored, top=1), "csv", lang="en")
    assert english.splitlines()[1].endswith(',"demo (bundled) [demonstration model, synthetic data]"')
    shutil.copytree(bundled_dir() / "demo", tmp_path / "ours")
    assert load_model(str(tmp_path / "ours")).source == str(tmp_path / "ours")


def test_the_bundled_card_md_is_its_card_rendered(demo_model) -> None:  # type: ignore[no-untyped-def]
    """models/demo/card.md is what `train` writes for the bundled card (rebuilt with it, never edited by hand); its
    versions and the moment it was made are one sentence, not a line starting with a semicolon."""
    from riskscreen.render.card import card_markdown

    written = (Path(__file__).parents[2] / "models" / "demo" / "card.md").read_text(encoding="utf-8")
    assert written == card_markdown(demo_model.card)
    versions = ", ".join(f"{k} {v}" for k, v in demo_model.card.versions.items())
    assert f"\n{versions}; created {demo_model.card.created}.\n" in written
