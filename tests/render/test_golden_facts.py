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
    ("111069", 1.0),
    ("111090", 0.997983),
    ("111081", 0.992892),
    ("111021", 0.679080),
    ("111124", 0.558604),
    ("111013", 0.435118),
    ("111016", 0.304310),
    ("111033", 0.268471),
]


@pytest.fixture(scope="module")
def scored(school_dir: Path, demo_model):  # type: ignore[no-untyped-def]
    return score(load(school_dir), demo_model)


def test_score_facts(scored) -> None:  # type: ignore[no-untyped-def]
    top = select(scored, top=8)
    assert top["student_id"].tolist() == [s for s, _ in TOP_8]
    assert top["probability"].tolist() == pytest.approx([p for _, p in TOP_8], abs=5e-6)
    assert set(top["band"]) == {"high"}
    assert scored.table["band"].value_counts().to_dict() == {"low": 140, "elevated": 7, "high": 13}
    assert scored.table.loc[scored.table["verzuim_16u"], "student_id"].tolist() == ["111069", "111090", "111081"]
    assert [reason_texts(r, "nl")[0] for r in top["reasons"].tolist()[:4]] == [
        "128 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "46 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "50 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "24 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
    ]
    # DUO's reports: the latest of the student's seven this school year (18 or older without a startkwalificatie:
    # RMC), from its first absence day to the day the threshold was reached; the earlier six are counted
    assert flag_texts(scored, top, "nl")[0] == (
        "18+ verzuim (RMC): 18 lesuren ongeoorloofd, 09-11-2026 t/m 23-11-2026; melden bij DUO uiterlijk "
        "30-11-2026; volgens de regionale afspraak; en nog 6 eerdere melding(en) dit schooljaar"
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
        "fails_12w",
        "grade_mean_12w",
        "removed_12w",
    ]
    assert head["value"].tolist() == pytest.approx([128.0, 3.0, 12.0, 2.963158, 9.0], abs=1e-6)
    assert head["contribution"].tolist() == pytest.approx([18.958169, 1.489725, 1.174277, 0.726304, 0.264788], abs=1e-6)
    assert ex.base_logit == pytest.approx(-4.300656, abs=1e-6)
    assert len(ex.registrations) == 184


def test_shortlist_facts(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    exports = load(school_dir)
    week1 = score(exports, demo_model, as_of=pd.Timestamp("2026-11-20"))
    result = score(exports, demo_model)
    mentors = sorted(result.table["mentor"].dropna().unique())[:3]
    small = result.table[result.table["mentor"].isin(mentors) | result.table["verzuim_16u"]]
    listing = build(replace(result, table=small), capacity=2, previous=snapshot(build(week1, capacity=2)))
    entries = listing.entries
    assert entries["student_id"].tolist() == ["111016", "111025", "111090", "111069", "111081"]
    assert entries["group"].tolist() == [
        "mentor:MNT02",
        "mentor:MNT02",
        "mentor:MNT08",
        "mentor:MNT11",
        "mentor:MNT15",
    ]
    assert entries["change"].tolist() == ["up", "up", "same", "same", "same"]
    assert entries["change_points"].tolist() == pytest.approx([10.4, 3.2, 0.1, -0.0, 0.1], abs=1e-9)
    assert entries["statutory"].tolist() == [False, False, True, True, True]
    assert len(listing.left) == 14 and listing.left["student_id"].iloc[0] == "111003"


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
