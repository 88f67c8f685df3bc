"""The additive shape: monotone shapes that add up exactly, its choice by validation, its card, its round trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.ingest.pipeline import load_exports
from riskscreen.scoring.additive import AdditiveParameters, ramps
from riskscreen.scoring.model import contributions, direction, logits, predict
from riskscreen.training.additive_fit import fit_additive
from riskscreen.training.dataset import split, training_set
from riskscreen.training.shapes import choose_shape
from riskscreen.training.train import train

pytestmark = pytest.mark.usefixtures("english")
runner = CliRunner()


@pytest.fixture(scope="module")
def history(history_dir: Path):  # type: ignore[no-untyped-def]
    return training_set(load_exports(history_dir, require=("attendance", "grades", "outcomes")))


def test_ramps_rise_from_each_knot_to_the_next() -> None:
    knots = np.array([0.0, 2.0, 10.0])
    assert ramps(np.array([-1.0, 0.0, 1.0, 2.0, 6.0, 10.0, 50.0]), knots).tolist() == [
        [0.0, 0.0],
        [0.0, 0.0],
        [0.5, 0.0],
        [1.0, 0.0],
        [1.0, 0.5],
        [1.0, 1.0],
        [1.0, 1.0],
    ]


def test_shapes_are_monotone_in_their_direction_and_add_up_exactly(history) -> None:  # type: ignore[no-untyped-def]
    fitted = fit_additive(
        history.features,
        history.labels,
        feature_names=(
            "unauthorised_hours_4w",
            "authorised_hours_12w",
            "grade_mean_12w",
            "fails_12w",
            "repeated_years",
            "no_grades_12w",
        ),
        penalty=10.0,
        seed=0,
        groups=history.student_ids,
    )
    p = fitted.parameters
    assert isinstance(p, AdditiveParameters)
    parts = contributions(fitted, history.features)
    # the contributions and the intercept are the logit, to the last bit a float sum allows
    assert (parts.sum(axis=1).to_numpy() + p.intercept) == pytest.approx(logits(fitted, history.features), abs=1e-12)
    # centred: the average training student gets 0 from every feature
    assert parts.mean(axis=0).to_numpy() == pytest.approx(np.zeros(len(p.features)), abs=1e-9)
    for j, name in enumerate(p.features):
        grid = np.linspace(p.knots[j][0] - 1, p.knots[j][-1] + 1, 200)
        x = np.tile(p.medians, (grid.size, 1))
        x[:, j] = grid
        steps = np.diff(p.contributions(x)[:, j]) * direction(name)
        assert (steps >= -1e-12).all(), name  # never against the direction research and law give
    # a feature the data would give the wrong sign (authorised absence lowering risk here): the linear model
    # drops it, the additive one keeps it and holds its shape flat where the data would turn it around (the
    # bound is active: those pieces are exactly 0)
    from riskscreen.scoring.model import fit

    linear = fit(history.features, history.labels, feature_names=p.features, c=0.1, seed=0, groups=history.student_ids)
    assert linear.dropped == ["authorised_hours_12w"]
    j = p.features.index("authorised_hours_12w")
    assert np.all(p.slopes[j] >= 0) and (p.slopes[j] == 0).sum() >= 1


def test_missing_values_take_the_median_as_the_linear_model_does(history) -> None:  # type: ignore[no-untyped-def]
    fitted = fit_additive(
        history.features,
        history.labels,
        feature_names=("grade_mean_12w", "fails_12w"),
        penalty=10.0,
        seed=0,
        groups=history.student_ids,
    )
    p = fitted.parameters
    assert isinstance(p, AdditiveParameters)
    row = pd.DataFrame({"grade_mean_12w": [np.nan, p.medians[0]], "fails_12w": [2.0, 2.0]})
    assert predict(fitted, row)[0] == predict(fitted, row)[1]


def test_auto_keeps_the_linear_shape_where_the_world_is_linear() -> None:
    # risk grows in a straight line with hours and falls with the grade: a bend adds nothing but noise (the sample
    # history is no such world since #24 item 7: its outcome has a threshold and interactions)
    rng = np.random.default_rng(3)
    hours = rng.gamma(1.0, 8.0, 3000)
    grade = rng.normal(6.5, 1.0, 3000)
    chance = 1 / (1 + np.exp(-(-3.0 + 0.08 * hours - 0.5 * (grade - 6.5))))
    y = (rng.random(3000) < chance).astype(int)
    x = np.column_stack([hours, grade])
    names = ("unauthorised_hours_4w", "grade_mean_12w")
    choice = choose_shape(
        "auto", x, y, np.arange(3000).astype(str), directions=(1, -1), names=names, c=1.0, class_weight=None, seed=0
    )
    assert choice["chosen"] == "linear"
    assert choice["additive_auc"] <= choice["linear_auc"] + 0.005
    assert set(choice["additive_auc_by_penalty"]) == {"1.0", "10.0", "100.0"}


def test_auto_bends_where_risk_has_a_threshold() -> None:
    # risk jumps at 16 hours of unauthorised absence and does not grow further: a line cannot say that
    rng = np.random.default_rng(3)
    hours = rng.gamma(1.0, 8.0, 3000)
    grade = rng.normal(6.5, 1.0, 3000)
    chance = 1 / (1 + np.exp(-(-3.0 + 3.5 * (hours >= 16) - 0.3 * (grade - 6.5))))
    y = (rng.random(3000) < chance).astype(int)
    x = np.column_stack([hours, grade])
    names = ("unauthorised_hours_4w", "grade_mean_12w")
    choice = choose_shape(
        "auto", x, y, np.arange(3000).astype(str), directions=(1, -1), names=names, c=1.0, class_weight=None, seed=0
    )
    assert choice["chosen"] == "additive"
    assert choice["additive_auc"] > choice["linear_auc"] + 0.005


def test_an_additive_model_is_trained_recalibrated_saved_scored_and_evaluated(
    history_dir: Path, school_dir: Path, tmp_path: Path
) -> None:
    from riskscreen.scoring.store import load_model, load_pipeline

    out = tmp_path / "bent"
    trained = runner.invoke(
        app,
        [
            "train",
            str(history_dir),
            "--out",
            str(out),
            "--bootstrap",
            "20",
            "--C",
            "0.1",
            "--shape",
            "additief",
            "--recalibrate",
        ],
    )
    assert trained.exit_code == 0, trained.stderr
    card = json.loads((out / "card.json").read_text())
    assert card["recalibration"]["predicted_after"] == pytest.approx(card["recalibration"]["observed_rate"], abs=1e-6)
    assert card["parameters"]["shape"] == "additive" and card["scoring"]["kind"] == "additive"
    assert card["shape_choice"]["chosen"] == "additive"
    assert card["parameters"]["penalty"] == card["shape_choice"]["penalty"]
    assert all(row["shape"] and "coefficient_per_sd" not in row for row in card["features"])
    assert card["features_dropped"] == []
    assert "| feature | unit | mean | contribution at the knots (value: logit) |" in trained.stdout
    assert (
        "- shape: additive (a monotone shape per feature); mean ROC AUC in grouped cross-validation" in trained.stdout
    )
    # scoring builds the model from the card's numbers; the pickled estimator (allow-listed) says the same
    loaded = load_model(str(out))
    ts = training_set(load_exports(history_dir, require=("attendance", "grades", "outcomes")))
    estimator = load_pipeline(str(out))
    names = loaded.fitted.features
    assert estimator.predict_proba(ts.features.loc[:, names].to_numpy(dtype=float))[:, 1] == pytest.approx(  # type: ignore[attr-defined]
        predict(loaded.fitted, ts.features), rel=1e-12
    )
    listed = runner.invoke(app, ["shortlist", str(school_dir), "--model", str(out), "--format", "csv", "--lang", "en"])
    assert listed.exit_code == 0, listed.stderr
    evaluated = runner.invoke(
        app, ["evaluate", str(history_dir), "--model", str(out), "--format", "json", "--bootstrap", "20"]
    )
    assert evaluated.exit_code == 0, evaluated.stderr
    doc = json.loads(evaluated.stdout)
    assert "standard features, additive shape, C=0.1, penalty " in doc["like_for_like"]
    # drift is measured in the training sd, which the additive card states as the linear one does
    ts_hours = ts.features["unauthorised_hours_12w"].to_numpy(dtype=float)
    row = next(r for r in card["features"] if r["name"] == "unauthorised_hours_12w")
    assert row["sd"] == pytest.approx(float(np.nanstd(ts_hours)), abs=1e-4)
    drift = next(d for d in doc["drift"]["features"] if d["feature"] == "unauthorised_hours_12w")
    assert drift["shift_in_sd"] == pytest.approx((drift["mean"] - row["reference"]) / row["sd"], abs=1e-3)


@pytest.mark.parametrize("seed", [5, 11])
def test_the_transparent_model_is_as_good_as_a_plain_logistic_regression(seed: int, tmp_path: Path) -> None:
    """The issue's target: the transparent model's test AUC at least a plain logistic regression's on the same
    features and rows, within the transparent model's interval."""
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from riskscreen.demo import files as demo_files
    from riskscreen.demo import sample

    demo_files.write(sample.generate(800, seed=seed, history_years=3), tmp_path)
    exports = load_exports(tmp_path, require=("attendance", "grades", "outcomes"))
    result = train(exports, seed=0, n_boot=200)
    ts = training_set(exports)
    train_idx, test_idx, _ = split(ts, 0)
    names = list(result.fitted.features) + list(result.card.features_dropped)
    plain = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=5000))
    plain.fit(ts.features.iloc[train_idx][names].to_numpy(dtype=float), ts.labels[train_idx])
    plain_auc = roc_auc_score(
        ts.labels[test_idx], plain.predict_proba(ts.features.iloc[test_idx][names].to_numpy(dtype=float))[:, 1]
    )
    auc = result.card.metrics.roc_auc
    assert auc.value is not None and auc.high is not None
    assert plain_auc <= auc.high, (auc, plain_auc)


def test_explain_says_what_the_additive_base_is(tmp_path: Path, history_dir: Path, school_dir: Path) -> None:
    out = tmp_path / "bent"
    assert (
        runner.invoke(
            app,
            ["train", str(history_dir), "--out", str(out), "--bootstrap", "20", "--C", "0.1", "--shape", "additive"],
        ).exit_code
        == 0
    )
    student = sorted(p for p in (school_dir / "leerlingen.csv").read_text().splitlines()[1:])[0].split(";")[0]
    shown = runner.invoke(
        app, ["explain", str(school_dir), student, "--model", str(out), "--lang", "nl"], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.stderr
    assert "basis: de gemiddelde leerling uit de training" in shown.stdout
    assert "referentiewaarde" not in shown.stdout
