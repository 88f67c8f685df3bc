"""Calibration per season of the school year (#24 item 2): the card says where its chances were measured."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from riskscreen.render.card import card_markdown
from riskscreen.scoring.store import load_model
from riskscreen.training.seasons import calibration_by_season, season_of

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


def test_the_bundled_card_shows_autumn_and_names_the_seasons_it_never_saw() -> None:
    card = load_model("demo").card
    assert card.calibration_by_season is not None
    autumn = card.calibration_by_season[0]
    assert (autumn.season, autumn.rows, autumn.leavers) == ("autumn", card.validation.test_rows, 65)
    assert [s.rows for s in card.calibration_by_season[1:]] == [0, 0, 0]
    text = card_markdown(card, "nl")
    assert "| herfst (sep-nov) | 1509 | 65 | 0,034 | 0,043 |" in text
    assert "Niet gemeten in: winter (dec-feb), voorjaar (mrt-mei), zomer (jun-aug)." in text


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
