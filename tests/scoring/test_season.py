"""A list outside the part of the school year the model was trained on says so (#24 item 2, its warning)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.helpers import run

from riskscreen.scoring.season import day_of_school_year, outside_seasons, trained_span

TRAINED = ("2022-11-25", "2023-12-01", "2024-11-29", "2025-11-28")  # the bundled model's as-of dates


def test_a_day_is_in_season_within_six_weeks_of_a_trained_as_of_date_in_any_year() -> None:
    assert day_of_school_year(dt.date(2026, 8, 1)) == 0 and day_of_school_year(dt.date(2027, 7, 31)) == 364
    assert not outside_seasons(dt.date(2026, 11, 27), TRAINED)
    assert not outside_seasons(dt.date(2027, 1, 12), TRAINED)  # 42 days after 1 December
    assert outside_seasons(dt.date(2027, 1, 13), TRAINED)
    assert outside_seasons(dt.date(2027, 4, 16), TRAINED) and outside_seasons(dt.date(2026, 9, 15), TRAINED)
    assert not outside_seasons(dt.date(2027, 4, 16), ())  # a card without as-of dates: nothing to say
    assert trained_span(TRAINED) == (dt.date(2022, 11, 25), dt.date(2023, 12, 1))


def test_a_list_early_in_the_school_year_warns_that_the_model_was_not_measured_there(school_dir: Path) -> None:
    early = run("score", school_dir, "--as-of", "2026-09-15", "--top", "1")
    assert early.exit_code == 0, early.stderr
    assert (
        "Let op: dit model is getraind op peildata van 25-11 tot en met 01-12 (dag-maand); deze lijst valt meer dan "
        "zes weken buiten die periode van het schooljaar, en hoe goed de kansen nu kloppen is niet gemeten."
    ) in early.stderr
    usual = run("score", school_dir, "--top", "1")
    assert usual.exit_code == 0 and "getraind op peildata" not in usual.stderr
