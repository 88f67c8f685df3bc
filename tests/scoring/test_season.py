"""A list outside the part of the school year the model was trained on says so (#24 item 2, its warning)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
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


def test_a_list_early_in_the_school_year_warns_that_the_model_was_not_measured_there(
    school_dir: Path, demo_model, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from tests.helpers import load

    from riskscreen.render.scores import result_notes
    from riskscreen.scoring.score import score

    november = demo_model.card.training_data.model_copy(update={"as_of_dates": list(TRAINED)})
    only_november = replace(demo_model, card=demo_model.card.model_copy(update={"training_data": november}))
    early = score(load(school_dir), only_november, as_of=pd.Timestamp("2026-09-15"))
    assert result_notes(early, "nl") == [
        "Let op: dit model is getraind op peildata van 25-11 tot en met 01-12 (dag-maand); deze lijst valt meer dan "
        "zes weken buiten die periode van het schooljaar, en hoe goed de kansen nu kloppen is niet gemeten."
    ]
    # the bundled model is trained on as-of dates from early October to mid-June: mid-September is within six weeks
    assert trained_span(demo_model.card.training_data.as_of_dates) == (dt.date(2025, 10, 3), dt.date(2023, 6, 16))
    # the constant moves with the list's season (#24 item 2): the same model, another shift in August than in November
    fitted = demo_model.fitted
    august = score(load(school_dir), demo_model, as_of=pd.Timestamp("2026-08-03"))
    assert august.base_logit == pytest.approx(fitted.intercept + fitted.season_shifts["summer"], abs=1e-12)
    november = score(load(school_dir), demo_model)
    assert november.base_logit == pytest.approx(fitted.intercept + fitted.season_shifts["autumn"], abs=1e-12)
    assert np.log(november.table["probability"] / (1 - november.table["probability"])).to_numpy() == pytest.approx(
        november.table["logit"].to_numpy()
    )
    september = run("score", school_dir, "--as-of", "2026-09-15", "--top", "1")
    assert september.exit_code == 0 and "getraind op peildata" not in september.stderr
    summer = run("score", school_dir, "--as-of", "2026-08-03", "--top", "1")
    assert summer.exit_code == 0, summer.stderr
    assert (
        "Let op: dit model is getraind op peildata van 03-10 tot en met 16-06 (dag-maand); deze lijst valt meer dan "
        "zes weken buiten die periode van het schooljaar"
    ) in summer.stderr
    usual = run("score", school_dir, "--top", "1")
    assert usual.exit_code == 0 and "getraind op peildata" not in usual.stderr
