"""The chance as a range (#24 item 3): the final fit refitted on bootstrap samples of the students, stored in the
card, and `explain`'s interval from it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from tests.helpers import load

from riskscreen.ingest.pipeline import load_exports
from riskscreen.render.scores import render_explanation
from riskscreen.scoring.card import Uncertainty
from riskscreen.scoring.model import logits, standardised
from riskscreen.scoring.score import explain
from riskscreen.training.dataset import training_set
from riskscreen.training.train import train
from riskscreen.training.uncertainty import bootstrap_fits

pytestmark = pytest.mark.usefixtures("english")


def test_the_refits_scatter_around_the_final_model_and_are_reproducible(history_dir: Path) -> None:
    exports = load_exports(history_dir, require=("attendance", "grades", "outcomes"))
    result = train(exports, seed=0, n_boot=20, c=0.1, shape="linear")
    refits = result.card.uncertainty
    assert refits is not None and refits.samples == 100 and refits.method == "bootstrap_of_the_fit"
    coefficients = np.asarray(refits.coefficients)
    assert coefficients.shape == (100, len(result.fitted.features))
    # the refits' median is the final fit's coefficient give or take the bootstrap's own noise; they do differ
    assert np.median(coefficients, axis=0) == pytest.approx(result.fitted.coefficients, abs=0.1)
    moving = result.fitted.coefficients != 0  # a feature constant in these data (no_grades_12w here) stays at 0
    assert (coefficients.std(axis=0)[moving] > 0).all() and (coefficients[:, ~moving] == 0).all()
    # calibrated as the final model: the refits' median logit of a student is the final logit, near enough
    ts = training_set(exports)
    x = standardised(result.fitted, ts.features.iloc[:50])
    refit_logits = x @ coefficients.T + np.asarray(refits.intercepts)
    assert np.median(refit_logits, axis=1) == pytest.approx(logits(result.fitted, ts.features.iloc[:50]), abs=0.25)
    again = bootstrap_fits(result.fitted, ts.features, ts.labels, ts.student_ids, c=0.1, class_weight=None, seed=0)
    assert again is not None and again["coefficients"] == refits.coefficients


def test_explain_gives_the_chance_with_the_models_uncertainty(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    ex = explain(load(school_dir), demo_model, "111025")
    assert ex.interval is not None and ex.refits == 100
    low, high = ex.interval
    chance = float(ex.row["probability"])
    assert low < chance < high and high - low < 0.2
    text = render_explanation(ex, "table", lang="nl", width=200)
    assert (
        f"kans {round(chance * 100)}% (onzekerheid van het model {round(low * 100)}% tot {round(high * 100)}%)" in text
    )
    assert "Het interval is het middelste 95% van deze kans over 100 herschattingen van het model" in text
    doc = render_explanation(ex, "json", lang="nl")
    assert f'"probability_interval": [\n    {round(low, 6)},\n    {round(high, 6)}\n  ]' in doc


def test_a_card_without_refits_says_there_is_no_interval(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    older = replace(demo_model, card=demo_model.card.model_copy(update={"uncertainty": None}))
    ex = explain(load(school_dir), older, "111025")
    assert ex.interval is None
    text = render_explanation(ex, "table", lang="en", width=200)
    assert "No interval for this chance: the model card holds no refits" in text
    assert "uncertainty" not in text.split("\n")[3]


def test_refits_that_do_not_match_are_refused() -> None:
    with pytest.raises(ValidationError, match="the refits' coefficients and intercepts do not match"):
        Uncertainty(method="bootstrap_of_the_fit", samples=2, coefficients=[[0.1, 0.2], [0.1]], intercepts=[0.0, 0.0])
    with pytest.raises(ValidationError, match="finite number"):
        Uncertainty(method="bootstrap_of_the_fit", samples=1, coefficients=[[float("inf")]], intercepts=[0.0])
