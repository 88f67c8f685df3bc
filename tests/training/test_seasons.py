"""Calibration per season of the school year (#24 item 2): the card says where its chances were measured."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from riskscreen.render.card import card_markdown
from riskscreen.scoring.season import season_of
from riskscreen.scoring.store import load_model
from riskscreen.training.seasons import calibration_by_season

pytestmark = pytest.mark.usefixtures("english")


def test_each_season_is_measured_on_its_own_rows_and_an_empty_one_says_so() -> None:
    days = np.array(["2025-11-28"] * 4 + ["2026-03-13"] * 2, dtype="datetime64[D]")
    y = np.array([1, 0, 0, 0, 1, 1])
    p = np.array([0.5, 0.1, 0.1, 0.1, 0.2, 0.4])
    assert calibration_by_season(y, p, days) == [
        {"season": "autumn", "rows": 4, "leavers": 1, "mean_predicted": 0.2, "observed": 0.25},
        {"season": "winter", "rows": 0, "leavers": 0, "mean_predicted": None, "observed": None},
        {"season": "spring", "rows": 2, "leavers": 2, "mean_predicted": 0.3, "observed": 1.0},
        {"season": "summer", "rows": 0, "leavers": 0, "mean_predicted": None, "observed": None},
    ]
    assert [season_of(dt.date(2026, m, 1)) for m in (8, 9, 11, 12, 2, 3, 5, 6)] == [
        "summer",
        "autumn",
        "autumn",
        "winter",
        "winter",
        "spring",
        "spring",
        "summer",
    ]


def test_the_bundled_card_is_calibrated_in_every_season_with_a_shift_per_season() -> None:
    """The bundled model is trained on as-of dates every four weeks from October to June (the seasonal sample
    history): every season is tested, and after its season's shift the mean chance is within a fifth of the rate of
    leaving in each; without the shifts autumn would be under-predicted and summer over-predicted."""
    card = load_model("demo").card
    assert card.calibration_by_season is not None and card.season_shifts is not None
    rows = {s.season: s for s in card.calibration_by_season}
    assert [rows[s].rows for s in ("autumn", "winter", "spring", "summer")] == [4456, 2940, 4383, 1453]
    assert sum(s.rows for s in rows.values()) == card.validation.test_rows
    for season in rows.values():
        assert season.leavers >= 20
        assert abs(season.mean_predicted - season.observed) <= 0.2 * season.observed, season
    shifts = card.season_shifts
    assert shifts["autumn"] > shifts["winter"] > shifts["spring"] > shifts["summer"]  # signals build up in a year
    text = card_markdown(card, "nl")
    assert "| herfst (sep-nov) | 4456 | 155 | 0,038 | 0,035 |" in text
    assert "herfst (sep-nov) +0,465, winter (dec-feb) +0,072, voorjaar (mrt-mei) -0,379, zomer (jun-aug) -0,651" in text
    assert "Niet gemeten in" not in text and "Wel op getraind, niet op getest" not in text


def test_with_several_as_of_dates_a_year_the_whole_latest_school_year_is_tested() -> None:
    """Seasonal as-of dates (docs/data-contract.md): the temporal split tests every as-of date of the latest school
    year, so that each season of it is measured, and trains on the earlier school years."""
    import pandas as pd

    from riskscreen.training.dataset import TrainingSet, split

    dates = np.array(["2024-11-22", "2025-03-14", "2025-11-21", "2026-03-13"], dtype="datetime64[ns]")
    students = np.array([f"S{i}" for i in range(40)])
    ids = np.tile(students, 4)
    as_of = np.repeat(dates, 40)
    labels = np.tile(np.r_[np.ones(8, int), np.zeros(32, int)], 4)
    ts = TrainingSet(pd.DataFrame(index=range(160)), labels, ids, as_of, pd.DataFrame(index=range(160)))
    train, test, how = split(ts, 0)
    assert set(as_of[test].astype("datetime64[D]").astype(str)) == {"2025-11-21", "2026-03-13"}
    assert set(as_of[train].astype("datetime64[D]").astype(str)) == {"2024-11-22", "2025-03-14"}
    assert not set(ids[train]) & set(ids[test])
    assert "testing on as-of 2025-11-21, 2026-03-13; the others' rows of 2024-11-22, 2025-03-14 for training" in how


def test_a_leaving_date_gives_outcomes_at_as_of_dates_across_the_school_year(school_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """#24 item 2: with each leaver's day of leaving (`left_on`, Magister `Uitschrijfdatum`), training also takes
    as-of dates every four weeks from October, those whose follow-up is over, each with the students still there
    and whether they left early within the follow-up after it."""
    import shutil

    from riskscreen.ingest.outcomes import seasonal_dates
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.training.dataset import training_set

    folder = tmp_path / "school"
    shutil.copytree(school_dir, folder)
    (folder / "uitstroom.csv").write_text(
        "Stamnummer;Peildatum;VSV;Uitschrijfdatum\n"
        "111000;04-09-2026;1;15-10-2026\n"  # leaves in October
        "111001;04-09-2026;1;20-11-2026\n"  # leaves in November
        "111002;04-09-2026;1;\n"  # left, but when is not written: the school's own date only
        "111003;04-09-2026;0;\n"  # stays
        "111004;04-09-2026;0;10-10-2026\n",  # leaves with a diploma or for another school: not early
        encoding="utf-8",
    )
    exports = load_exports(folder, require=("attendance", "grades", "outcomes"))
    # data to 27 November 2026; a month's follow-up: 2 and 30 October (to 30 November, within the week's grace)
    assert seasonal_dates(2026, dt.date(2026, 11, 27), 1) == [dt.date(2026, 10, 2), dt.date(2026, 10, 30)]
    ts = training_set(exports, follow_up=1)
    rows = {
        (str(d)[:10], s): int(y)
        for d, s, y in zip(ts.as_of.astype("datetime64[D]"), ts.student_ids, ts.labels, strict=True)
    }
    assert rows == {
        ("2026-09-04", "111000"): 1,
        ("2026-09-04", "111001"): 1,
        ("2026-09-04", "111002"): 1,
        ("2026-09-04", "111003"): 0,
        ("2026-09-04", "111004"): 0,
        ("2026-10-02", "111000"): 1,  # leaves 15 October, within the month after 2 October
        ("2026-10-02", "111001"): 0,  # leaves 20 November, after the month
        ("2026-10-02", "111003"): 0,
        ("2026-10-02", "111004"): 0,
        ("2026-10-30", "111001"): 1,  # 111000 and 111004 have gone
        ("2026-10-30", "111003"): 0,
    }


def test_a_history_with_leaving_days_is_trained_and_measured_across_the_school_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The sample generator's seasonal history (whole school years, a leaving day for each leaver) trains a model
    whose card has as-of dates from October to June and held-out rows in every season."""
    from riskscreen.demo import files as demo_files
    from riskscreen.demo import sample
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.training.train import train

    demo_files.write(sample.generate(400, seed=5, history_years=2, seasons=True), tmp_path)
    assert (
        (tmp_path / "uitstroom.csv")
        .read_text(encoding="utf-8")
        .startswith("Stamnummer;Peildatum;VSV;Uitschrijfdatum\n")
    )
    card = train(load_exports(tmp_path, require=("attendance", "grades", "outcomes")), n_boot=20, c=0.1).card
    months = {int(d[5:7]) for d in card.training_data.as_of_dates}
    assert {10, 11, 12, 1, 2, 3, 4, 5, 6} <= months
    assert card.calibration_by_season is not None
    assert [(s.season, s.rows > 0) for s in card.calibration_by_season] == [
        ("autumn", True),
        ("winter", True),
        ("spring", True),
        ("summer", True),
    ]
    assert "Not measured in" not in card_markdown(card) and "not tested in" not in card_markdown(card)


def test_a_season_shift_makes_the_seasons_mean_chance_its_rate_of_leaving() -> None:
    """A hand-made table: every row at chance 0.5; autumn 25 of 100 left (shift log(25/75)), spring 50 of 100 (no
    shift), winter 10 of 100 (under 20 leavers: kept at the model's constant)."""
    from riskscreen.training.seasons import season_shifts

    dates = np.repeat(np.array(["2025-10-03", "2026-01-23", "2026-04-17"], dtype="datetime64[ns]"), 100)
    left = np.r_[np.ones(25), np.zeros(75), np.ones(10), np.zeros(90), np.ones(50), np.zeros(50)]
    shifts = season_shifts(np.zeros(300), left, dates)
    assert set(shifts) == {"autumn", "spring"}
    assert shifts["autumn"] == pytest.approx(np.log(25 / 75), abs=1e-4)
    assert shifts["spring"] == pytest.approx(0, abs=1e-4)
    assert season_shifts(np.zeros(100), left[:100], dates[:100]) == {}  # one season: the constant is its own
