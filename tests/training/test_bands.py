"""Bands as fixed chances (#24 item 4): chosen once on the held-out history, stored in the card, stated as chances."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from riskscreen.ingest.pipeline import load_exports
from riskscreen.render.card import card_markdown
from riskscreen.scoring.model import band_of
from riskscreen.training.bands import fixed_bands, whole_percent
from riskscreen.training.train import train

pytestmark = pytest.mark.usefixtures("english")


def _two_list_dates() -> tuple[np.ndarray, np.ndarray]:
    """100 students on each of two list dates; on the first the 5th largest chance is 0.234, on the second 0.181."""
    first = np.r_[[0.61, 0.45, 0.30, 0.25, 0.234, 0.19], np.full(94, 0.02)]
    second = np.r_[[0.52, 0.33, 0.28, 0.22, 0.181, 0.17], np.full(94, 0.01)]
    days = np.r_[np.full(100, "2024-11-22"), np.full(100, "2025-11-21")]
    return np.r_[first, second], days


def test_high_fills_the_capacity_and_elevated_is_twice_the_rate_of_leaving() -> None:
    scores, days = _two_list_dates()
    bands, choice = fixed_bands(scores, days, base_rate=0.043, capacity=None)
    # 5% of 100 = the 5th largest per date: 0.234 and 0.181, median 0.2075, down to a whole percent
    assert bands == {"high": 0.20, "elevated": 0.08}
    assert choice == {
        "capacity": None,
        "capacity_share": 0.05,
        "base_rate": 0.043,
        "elevated_times_base": 2.0,
        "held_out_share": {"high": 0.045, "elevated": 0.015},  # 9 and 3 of 200
    }
    # a stated capacity of 2 per list date: the 2nd largest, 0.45 and 0.33, median 0.39
    assert fixed_bands(scores, days, base_rate=0.043, capacity=2)[0] == {"high": 0.39, "elevated": 0.08}


def test_elevated_stays_below_high_and_chances_round_down_to_whole_percents() -> None:
    scores, days = _two_list_dates()
    assert fixed_bands(scores, days, base_rate=0.30, capacity=None)[0] == {"high": 0.20, "elevated": 0.19}
    assert [whole_percent(p) for p in (0.149999, 0.15, 0.29, 0.004)] == [0.14, 0.15, 0.29, 0.01]
    assert fixed_bands(np.full(10, 0.001), np.full(10, "d"), base_rate=0.001, capacity=None)[0] == {
        "high": 0.02,
        "elevated": 0.01,
    }


def test_the_share_per_band_differs_between_schools_because_a_band_is_a_chance() -> None:
    bands = {"high": 0.20, "elevated": 0.08}
    calm = band_of(np.r_[np.full(95, 0.02), np.full(5, 0.3)], bands)
    troubled = band_of(np.r_[np.full(70, 0.02), np.full(20, 0.1), np.full(10, 0.3)], bands)
    assert [int((calm == b).sum()) for b in ("high", "elevated")] == [5, 0]
    assert [int((troubled == b).sum()) for b in ("high", "elevated")] == [10, 20]


def test_training_stores_the_bands_chosen_on_the_held_out_scores(history_dir: Path) -> None:
    exports = load_exports(history_dir, require=("attendance", "grades", "outcomes"))
    result = train(exports, seed=0, n_boot=20, c=0.1)
    card = result.card
    assert card.band_choice is not None and card.band_choice.capacity_share == 0.05
    assert result.fitted.bands == card.bands
    assert all(round(v * 100, 6).is_integer() for v in card.bands.values())
    held_out = result.test_scores["model"]
    share = card.band_choice.held_out_share
    assert share["high"] == pytest.approx(np.mean(held_out >= card.bands["high"]), abs=1e-4)
    markdown = card_markdown(card)
    assert f"- high: a chance of {round(card.bands['high'] * 100)}% or more: on the held-out history" in markdown
    assert "Bands are fixed chances: how many students fall in each differs between schools and weeks." in markdown
