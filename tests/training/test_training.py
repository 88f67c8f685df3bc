"""Training and evaluation: honest splits, metrics, baselines, fairness, cards, and the bundled model's recipe."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.demo import files as demo_files
from riskscreen.demo import sample
from riskscreen.ingest.pipeline import load_exports
from riskscreen.render.card import card_markdown, evaluation_markdown
from riskscreen.training.dataset import split, training_set
from riskscreen.training.fairness import fairness
from riskscreen.training.metrics import calibration_deciles, metrics, rule_score, top_k_mask, unauthorised_score
from riskscreen.training.train import train

# These tests check what errors say, in English; tests/test_messages.py checks their Dutch.
pytestmark = pytest.mark.usefixtures("english")

runner = CliRunner()


@pytest.fixture(scope="module")
def history_exports(history_dir: Path):  # type: ignore[no-untyped-def]
    return load_exports(history_dir, require=("attendance", "grades", "outcomes"))


def test_training_set_has_features_at_each_as_of(history_exports) -> None:  # type: ignore[no-untyped-def]
    ts = training_set(history_exports)
    dates = sorted({str(pd.Timestamp(d).date()) for d in ts.as_of})
    assert dates == ["2023-12-01", "2024-11-29", "2025-11-28"]
    assert len(ts.labels) == 1800 and set(np.unique(ts.labels)) == {0, 1}
    assert list(ts.audit.columns) == ["level", "audit_gender"]  # level always (#24 item 6)
    assert set(ts.audit["level"]) == {"vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo"}


def test_temporal_split_never_puts_a_student_on_both_sides(history_exports) -> None:  # type: ignore[no-untyped-def]
    ts = training_set(history_exports)
    train_idx, test_idx, how = split(ts, seed=0)
    assert how.startswith("temporal and by student")
    assert set(ts.student_ids[train_idx]).isdisjoint(ts.student_ids[test_idx])
    assert (ts.as_of[test_idx] == ts.as_of.max()).all()
    assert (ts.as_of[train_idx] < ts.as_of.max()).all()


def test_group_split_when_there_is_one_as_of(history_exports) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    one_date = replace(
        history_exports,
        outcomes=history_exports.outcomes[history_exports.outcomes["as_of"] == history_exports.outcomes["as_of"].max()],
    )
    ts = training_set(one_date)
    train_idx, test_idx, how = split(ts, seed=0)
    assert how.startswith("by student")
    assert set(ts.student_ids[train_idx]).isdisjoint(ts.student_ids[test_idx])
    assert len(train_idx) + len(test_idx) == len(ts.labels)


def test_metrics_exact_on_a_small_case() -> None:
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05])
    m = metrics(y, p, capacity=3, n_boot=50)
    assert m["roc_auc"]["value"] == pytest.approx(0.9375)
    assert m["precision_at"]["10%"] == {**m["precision_at"]["10%"], "value": 1.0, "k": 1}
    assert m["recall_at"]["20%"]["value"] == 0.5
    assert m["precision_at"]["3"]["value"] == pytest.approx(0.6667, abs=1e-4)
    assert m["brier"]["value"] == pytest.approx(float(np.mean((p - y) ** 2)), abs=1e-4)
    assert "only 2 students left: every metric is very uncertain" in m["warnings"]
    assert [c["n"] for c in calibration_deciles(y, p)] == [1] * 10


def test_top_k_breaks_ties_by_position() -> None:
    assert top_k_mask(np.array([0.5, 0.5, 0.9, 0.5]), 2).tolist() == [True, False, True, False]


def test_the_abc_baseline_counts_the_published_indicators_on_a_hand_made_table() -> None:
    """#24 item 7: Attendance under 90%, Behaviour (a removal from class), Course performance (a core fail), as
    Balfanz, Herzog & Mac Iver (2007) publish them; a repeated year is not one of them."""
    features = pd.DataFrame(
        {
            "absence_rate_12w": [0.2, 0.05, 0.11, 0.0, 0.10],
            "removed_12w": [1, 0, np.nan, 3, 0],
            "core_fails_12w": [1, 0, 0, 2, 0],
            "repeated_years": [1, 2, 0, 0, 4],
            "unauthorised_hours_12w": [12.0, 0.0, 3.0, np.nan, 40.0],
        }
    )
    assert np.floor(rule_score(features)).tolist() == [3.0, 0.0, 1.0, 2.0, 0.0]
    assert np.floor(unauthorised_score(features)).tolist() == [12.0, 0.0, 3.0, 0.0, 40.0]
    assert np.argsort(-unauthorised_score(features)).tolist()[:2] == [4, 0]


def test_fairness_ratios_against_the_largest_group() -> None:
    groups = pd.DataFrame({"audit_gender": ["m"] * 6 + ["v"] * 4})
    y = np.array([1, 1, 0, 0, 0, 0, 1, 0, 0, 0])
    p = np.array([0.9, 0.2, 0.8, 0.1, 0.1, 0.1, 0.7, 0.6, 0.1, 0.1])
    audit = fairness(groups, y, p, fraction=0.3)  # flagged: the top 3 = rows 0, 2, 6
    m, v = audit["columns"]["audit_gender"]["groups"]
    assert audit["columns"]["audit_gender"]["reference_group"] == "m"
    assert (m["n"], m["prevalence"], m["recall"], m["false_positive_rate"], m["precision"]) == (
        6,
        0.3333,
        0.5,
        0.25,
        0.5,
    )
    assert (v["n"], v["prevalence"], v["recall"], v["false_positive_rate"], v["precision"]) == (4, 0.25, 1.0, 0.0, 1.0)
    assert v["ratio_to_largest"]["recall"] == 2.0
    assert v["calibration_in_the_large"] == 1.5 and m["calibration_in_the_large"] == 1.1
    # one or two leavers a group: too small to judge, so nothing is flagged however far the ratios lie
    assert (m["leavers"], v["leavers"], m["small_group"], v["small_group"]) == (2, 1, True, True)
    assert v["outside_range"] == [] and m["outside_range"] == []


def _audit_case(reference_hits: int, other_hits: int) -> dict:  # type: ignore[type-arg]
    """Two groups of 400 students with 40 leavers each; the top 10% (80 rows) holds `reference_hits` leavers of
    group a and `other_hits` of group b, filled up with stayers of a."""
    y = np.array(([1] * 40 + [0] * 360) * 2)
    group = np.array(["a"] * 400 + ["b"] * 400)
    p = np.full(800, 0.01)
    p[:reference_hits] = 0.9  # a's leavers on the list
    p[400 : 400 + other_hits] = 0.9  # b's leavers on the list
    p[40 : 40 + 80 - reference_hits - other_hits] = 0.8  # a's stayers fill the list
    return fairness(pd.DataFrame({"audit_x": group}), y, p, fraction=0.1, n_boot=300, seed=1)


def test_a_gap_the_data_support_is_flagged_and_one_they_do_not_is_not() -> None:
    """#24 item 6: intervals per group; (!) only where the ratio lies outside 0.8-1.25 and the interval leaves
    out the reference group's value."""
    a, b = _audit_case(30, 10)["columns"]["audit_x"]["groups"]
    assert (a["recall"], b["recall"], b["ratio_to_largest"]["recall"]) == (0.75, 0.25, 0.3333)
    low, high = b["intervals"]["recall"]
    assert low < 0.25 < high < 0.75  # b's recall is known to lie well below a's
    assert "recall" in b["outside_range"] and not b["small_group"] and b["leavers"] == 40
    close_a, close_b = _audit_case(20, 15)["columns"]["audit_x"]["groups"]
    assert close_b["ratio_to_largest"]["recall"] == 0.75  # outside 0.8-1.25 ...
    assert close_b["intervals"]["recall"][1] >= close_a["recall"]  # ... but the interval holds a's 0.5
    assert "recall" not in close_b["outside_range"]


def test_train_reports_baselines_on_the_same_rows(history_exports) -> None:  # type: ignore[no-untyped-def]
    result = train(history_exports, seed=0, n_boot=50, c=0.1, shape="linear")
    card = result.card
    assert card.validation.test_rows == len(result.test_y)
    for name in ("model", "rule_count", "gradient_boosting"):
        assert len(result.test_scores[name]) == len(result.test_y)
    assert card.baselines.rule_count.n_students == card.metrics.n_students
    auc = card.metrics.roc_auc.value
    assert auc is not None and card.baselines.gradient_boosting.roc_auc.value is not None
    assert card.price_of_transparency["roc_auc"] == pytest.approx(
        auc - card.baselines.gradient_boosting.roc_auc.value, abs=1e-4
    )
    assert 0.7 < auc <= 1.0
    assert {f.name for f in card.features} == set(card.features_used)
    for f in card.features:
        assert f.odds_ratio_per_sd == pytest.approx(np.exp(f.coefficient_per_sd), rel=1e-3)


def test_train_and_evaluate_from_the_command_line(history_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "models" / "ours"
    result = runner.invoke(
        app, ["train", str(history_dir), "--out", str(out), "--bootstrap", "40", "--C", "0.1", "--capacity", "25"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Model card: ours")
    assert sorted(p.name for p in out.iterdir()) == ["card.json", "card.md", "model.pkl"]
    card = json.loads((out / "card.json").read_text())
    assert card["demonstration"] is False and "25" in card["metrics"]["precision_at"]
    again = runner.invoke(app, ["train", str(history_dir), "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.stderr
    plots = tmp_path / "plots"
    evaluated = runner.invoke(
        app,
        [
            "evaluate",
            str(history_dir),
            "--model",
            str(out),
            "--format",
            "json",
            "--bootstrap",
            "40",
            "--plots",
            str(plots),
        ],
    )
    assert evaluated.exit_code == 0, evaluated.stderr
    doc = json.loads(evaluated.stdout)
    assert {
        "roc_auc",
        "pr_auc",
        "brier",
        "precision_at",
        "recall_at",
        "n_students",
        "n_positive",
        "baselines",
        "fairness",
    } <= set(doc)
    assert set(doc["precision_at"]) == {"5%", "10%", "20%"}
    assert set(doc["baselines"]) >= {"rule_count", "gradient_boosting"}
    for name in ("roc.png", "precision_at_k.png", "calibration.png"):
        assert (plots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = runner.invoke(app, ["evaluate", str(history_dir), "--model", str(out), "--bootstrap", "40"])
    assert table.stdout.startswith("# Evaluation of model ours")


def test_training_needs_outcomes(school_dir: Path) -> None:
    result = runner.invoke(app, ["train", str(school_dir), "--out", "/tmp/never"])
    assert result.exit_code == 2
    assert "no file found for the table(s) outcomes" in result.stderr


@pytest.mark.slow
def test_the_bundled_model_is_reproduced_by_its_recipe(tmp_path: Path) -> None:
    from riskscreen.demo.model import build
    from riskscreen.scoring.store import load_model

    bundled = load_model("demo").card.as_dict()
    result = build(tmp_path)
    rebuilt = result.card.as_dict()
    # Fitted numbers differ in the last digits where another machine's BLAS kernel sums in another order, and
    # a figure rounded to 4 decimals can then land one unit away: compare with that tolerance, not exactly.
    for key in (
        "training_data",
        "validation",
        "parameters",
        "features_used",
        "features_dropped",
        "features",
        "intercept",
        "calibration",
        "bands",
        "band_choice",
        "metrics",
        "baselines",
        "price_of_transparency",
        "fairness",
        "shape_choice",
        "calibration_by_season",
        "season_shifts",
    ):
        assert_close(rebuilt[key], bundled[key], rel=1e-6, abs_=1.5e-4, where=key)
    assert_close(result.fitted.parameters.as_dict(), bundled["scoring"], rel=1e-6, abs_=1e-9, where="scoring")
    # the refits stop at L-BFGS's tolerance, each warm-started from the last: close, not to the last digit
    assert_close(rebuilt["uncertainty"], bundled["uncertainty"], rel=1e-3, abs_=5e-3, where="uncertainty")


def test_training_without_a_roster(history_dir: Path, tmp_path: Path) -> None:
    for name in ("absenties.csv", "cijfers.csv", "uitstroom.csv"):
        (tmp_path / name).write_bytes((history_dir / name).read_bytes())
    exports = load_exports(tmp_path, require=("attendance", "grades", "outcomes"))
    result = train(exports, seed=0, n_boot=30, c=0.1, shape="linear")
    assert result.card.fairness.as_dict() == {"columns": {}, "note": "no audit_* columns in the roster"}
    repeated = {f.name: f for f in result.card.features}["repeated_years"]
    assert repeated.coefficient_per_sd == 0.0  # all missing: imputed to one value, so it carries no weight
    auc = result.card.metrics.roc_auc.value
    assert auc is not None and 0.6 < auc <= 1.0


def assert_close(a: object, b: object, *, rel: float, abs_: float, where: str) -> None:
    """Nested JSON-like values equal, numbers within the tolerance (pytest.approx does not nest)."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert set(a) == set(b), where
        for key in a:
            assert_close(a[key], b[key], rel=rel, abs_=abs_, where=f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, rel=rel, abs_=abs_, where=f"{where}[{i}]")
    elif isinstance(a, float | int) and not isinstance(a, bool) and isinstance(b, float | int):
        assert a == pytest.approx(b, rel=rel, abs=abs_), where
    else:
        assert a == b, where


def test_a_roster_of_today_used_for_past_years_is_warned_about(history_dir: Path, tmp_path: Path) -> None:
    import pandas as pd

    for name in ("absenties.csv", "cijfers.csv", "uitstroom.csv"):
        (tmp_path / name).write_bytes((history_dir / name).read_bytes())
    roster = pd.read_csv(history_dir / "leerlingen.csv", sep=";", dtype=str)
    latest = roster.sort_values("Peildatum").drop_duplicates("Stamnummer", keep="last").drop(columns="Peildatum")
    latest.to_csv(tmp_path / "leerlingen.csv", sep=";", index=False)
    result = train(load_exports(tmp_path, require=("attendance", "grades", "outcomes")), seed=0, n_boot=20, c=0.1)
    (warning,) = result.card.training_warnings
    assert warning.startswith("the roster has no as_of (Peildatum) column, so its values as they are now are used")
    assert "repeated_years, moved_down, over_age then know of repeats and moves down that came later" in warning
    assert f"Warning: {warning}" in card_markdown(result.card)
    from riskscreen.render.card import training_warnings

    (dutch,) = training_warnings(result.card, "nl")  # what `train` says on stderr, and the Dutch card
    assert dutch.startswith("de leerlingenlijst heeft geen kolom as_of (Peildatum), dus worden haar waarden zoals ze")
    assert "repeated_years, moved_down, over_age weten dan al van zittenblijven en afstromen" in dutch
    assert f"Waarschuwing: {dutch}" in card_markdown(result.card, "nl")
    clean = train(load_exports(history_dir, require=("attendance", "grades", "outcomes")), seed=0, n_boot=20, c=0.1)
    assert clean.card.training_warnings == [] and "training_warnings" not in clean.card.as_dict()


def test_the_vectorised_bootstrap_equals_resample_by_resample() -> None:
    from riskscreen.training import metrics as m
    from riskscreen.training import resampling as r

    rng = np.random.default_rng(4)
    y = (rng.random(300) < 0.1).astype(int)
    p = np.round(rng.random(300) * 0.5 + y * 0.2, 2)  # many ties
    boots = rng.integers(0, 300, size=(60, 300))
    samples = r.resampled(y, p, r._as_counts(boots), [30])
    assert samples["auc"] == pytest.approx([m._auc(y[i], p[i]) for i in boots], abs=1e-12, nan_ok=True)
    expected = np.array([m._topk_stats(y[i], p[i], 30) for i in boots])
    assert samples["precision@30"].tolist() == expected[:, 0].tolist()
    assert samples["recall@30"] == pytest.approx(expected[:, 1].tolist(), nan_ok=True)
    assert samples["brier"] == pytest.approx([m._brier(y[i], p[i]) for i in boots], abs=1e-12)
    assert samples["ap"] == pytest.approx([m._pr_auc(y[i], p[i]) for i in boots], abs=1e-12)


def test_evaluating_on_the_training_data_is_warned_about_loudly(history_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ours"
    trained = runner.invoke(app, ["train", str(history_dir), "--out", str(out), "--bootstrap", "20", "--C", "0.1"])
    assert trained.exit_code == 0, trained.stderr
    evaluated = runner.invoke(
        app, ["evaluate", str(history_dir), "--model", str(out), "--bootstrap", "20", "-f", "json"]
    )
    assert evaluated.exit_code == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    first = report["warnings"][0]
    assert first == (
        "THE EVALUATION DATA OVERLAP THE TRAINING DATA: absenties.csv, cijfers.csv, uitstroom.csv, leerlingen.csv "
        "are the files model ours was trained on, so these figures flatter it; evaluate on a later school year"
    )
    # the JSON keeps the English text, and beside it the message, so that a report is said in Dutch too
    assert report["phrases"][first]["params"] == {
        "files": "absenties.csv, cijfers.csv, uitstroom.csv, leerlingen.csv",
        "model": "ours",
    }
    dutch = runner.invoke(app, ["evaluate", str(history_dir), "--model", str(out), "--bootstrap", "20", "--lang", "nl"])
    assert dutch.exit_code == 0, dutch.stderr
    assert (
        "Waarschuwing: DE EVALUATIEGEGEVENS OVERLAPPEN MET DE TRAININGSGEGEVENS: absenties.csv, cijfers.csv, "
        "uitstroom.csv, leerlingen.csv zijn de bestanden waarop model ours is getraind, dus deze cijfers zijn te "
        "gunstig; evalueer op een later schooljaar"
    ) in dutch.stdout
    assert "OVERLAP THE TRAINING" not in dutch.stdout and "the figures flatter" not in dutch.stdout
    assert report["like_for_like"].startswith(
        "the transparent method (standard features, additive shape, C=0.1, penalty 100.0) and the black box"
    )
    like_for_like = (
        "(de transparante methode (kenmerkenset standard, vorm additief, C=0.1, straf 100.0) en de black box"
    )
    assert like_for_like + " getraind op dezelfde " in dutch.stdout


def test_evaluate_reports_drift_against_the_card(history_exports) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.store import load_model
    from riskscreen.training.evaluate import evaluate

    loaded = load_model("demo")
    report = evaluate(history_exports, loaded, n_boot=20).report
    assert report.drift is not None
    rows = {f.feature: f for f in report.drift.features}
    assert set(rows) == set(loaded.card.features_used)
    for row in loaded.card.features:
        mean = float(np.nanmean(build_mean(history_exports, row.name)))
        assert rows[row.name].shift_in_sd == pytest.approx((mean - row.reference) / row.sd, abs=2e-3)
        assert rows[row.name].marked == (abs(rows[row.name].shift_in_sd or 0) >= 0.5)
    trained = loaded.card.training_data
    assert report.drift.training_leaving_rate == pytest.approx(trained.positives / trained.rows, abs=1e-4)
    assert "## Drift against the training data" in evaluation_markdown(report)


def build_mean(exports, name: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    from riskscreen.training.dataset import training_set

    return training_set(exports).features[name].to_numpy(dtype=float)


def test_the_saved_model_is_refitted_on_all_labelled_history(history_exports) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.model import fit
    from riskscreen.training.dataset import training_set

    result = train(history_exports, seed=0, n_boot=20, c=0.1, shape="linear")
    card, ts = result.card, training_set(history_exports)
    assert card.final_fit is not None
    assert (card.final_fit.rows, card.final_fit.positives) == (len(ts.labels), int(ts.labels.sum()))
    assert card.validation.train_rows + card.validation.test_rows < card.final_fit.rows
    # the saved numbers are those of a fit on every row, not on the training part
    everything = fit(ts.features, ts.labels, c=0.1, seed=0, groups=ts.student_ids)
    assert result.fitted.coefficients == pytest.approx(everything.coefficients, rel=1e-9, abs=1e-12)
    # rows followed by leaving, not students who left: a student is a positive at every as-of date before leaving
    assert (
        f"fitted again with these settings on all {card.final_fit.rows} labelled rows ({card.final_fit.students} "
        f"students; {card.final_fit.positives} rows followed by leaving)"
    ) in card_markdown(card)
    # and it states what the final fit scores on rows it did not see: its own grouped cross-validation
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import cross_val_predict

    from riskscreen.scoring.model import fold_count, grouped_folds, make_pipeline

    x = ts.features.loc[:, list(everything.features)].to_numpy(dtype=float)
    folds = grouped_folds(ts.labels, ts.student_ids, fold_count(ts.labels, ts.student_ids), 0)
    oof = cross_val_predict(
        make_pipeline(0.1, None, 0), x, ts.labels, cv=folds, groups=ts.student_ids, method="decision_function"
    )
    # train runs with one BLAS thread, this check with the default: equal to the rounding, not to the last bit
    assert card.final_fit.out_of_fold_roc_auc == pytest.approx(roc_auc_score(ts.labels, oof), abs=1e-4)
    assert (
        f"- the saved model's own cross-validation on all labelled rows (out-of-fold, a student's rows in one "
        f"fold): ROC AUC {card.final_fit.out_of_fold_roc_auc:.4f}"
    ) in card_markdown(card)


def test_the_price_of_transparency_is_like_for_like_with_a_paired_interval(history_exports) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.store import load_model
    from riskscreen.training.evaluate import evaluate
    from riskscreen.training.metrics import paired_difference

    same = paired_difference(
        np.array([0, 1, 0, 1, 1, 0] * 20), np.linspace(0, 1, 120), np.linspace(0, 1, 120), n_boot=50, seed=0
    )
    assert same["roc_auc"] == {"value": 0.0, "low": 0.0, "high": 0.0}
    report = evaluate(history_exports, load_model("demo"), n_boot=40).report
    assert report.like_for_like is not None and "fitted on the same" in report.like_for_like
    interval = report.price_of_transparency_interval
    assert interval is not None
    auc = interval["roc_auc"]
    assert auc.low is not None and auc.high is not None and auc.value is not None
    assert auc.low <= auc.value <= auc.high
    assert report.price_of_transparency["roc_auc"] == pytest.approx(auc.value, abs=1e-4)
    assert "Price of transparency, like for like (the transparent method" in evaluation_markdown(report)


def test_evaluate_heads_with_the_held_out_rows(history_exports) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.store import load_model
    from riskscreen.training.evaluate import evaluate

    report = evaluate(history_exports, load_model("demo"), n_boot=20).report
    comp = report.baselines.comparison_rows
    assert comp is not None and report.all_rows is not None
    assert report.roc_auc == comp.model_on_these_rows.roc_auc  # the headline is the held-out rows
    assert (report.n_students, report.all_rows.n_students) == (comp.rows, report.n_rows)
    text = evaluation_markdown(report)
    assert text.index("## On held-out rows, beside the baselines") < text.index("## On all ")


def test_the_bootstrap_resamples_students_with_all_their_rows() -> None:
    """Ten students with twenty identical rows each: resampling rows would pretend to 200 independent students and
    give a narrow interval; resampling students gives the width of ten."""
    from riskscreen.training.metrics import metrics
    from riskscreen.training.resampling import _cluster_counts, row_counts

    rng = np.random.default_rng(3)
    per_student = rng.random(10)
    y_student = (rng.random(10) < per_student).astype(int)
    y_student[:2] = (1, 0)  # both outcomes present
    y, score = np.repeat(y_student, 20), np.repeat(per_student, 20)
    groups = np.repeat(np.arange(10), 20)
    rows = metrics(y, score, n_boot=400, seed=1)
    students = metrics(y, score, n_boot=400, seed=1, groups=groups)
    assert rows["roc_auc"]["value"] == students["roc_auc"]["value"]  # the same figure, another interval
    width = students["roc_auc"]["high"] - students["roc_auc"]["low"]
    assert width > 2 * (rows["roc_auc"]["high"] - rows["roc_auc"]["low"])
    # a resample draws whole students: every row of a student has the same count
    counts = row_counts(_cluster_counts(groups, 50, np.random.default_rng(0)))
    assert counts.shape == (50, 200) and (counts.reshape(50, 10, 20).std(axis=2) == 0).all()
    assert (counts.reshape(50, 10, 20)[:, :, 0].sum(axis=1) == 10).all()
    # unique students: the plain row bootstrap, figure for figure
    unique = metrics(y_student, per_student, n_boot=400, seed=1, groups=np.arange(10))
    assert unique == metrics(y_student, per_student, n_boot=400, seed=1)


def test_the_vectorised_pr_auc_is_scikit_learns_average_precision() -> None:
    from sklearn.metrics import average_precision_score

    from riskscreen.training.resampling import _as_counts, resampled

    rng = np.random.default_rng(0)
    for _ in range(20):
        n = int(rng.integers(5, 200))
        y = (rng.random(n) < 0.2).astype(int)
        y[0] = 1
        p = np.round(rng.random(n), int(rng.integers(1, 4)))  # with ties
        boots = rng.integers(0, n, size=(25, n))
        fast = resampled(y, p, _as_counts(boots), [1])["ap"]
        for resample, value in zip(boots, fast, strict=True):
            if y[resample].sum():
                assert value == pytest.approx(average_precision_score(y[resample], p[resample]), abs=1e-12)
            else:
                assert np.isnan(value)


def test_folds_for_a_school_board_keep_students_together_and_spread_the_leavers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riskscreen.scoring import model

    monkeypatch.setattr(model, "LARGE_GROUPS", 50)  # a "board" of 200 students, each with 3 rows
    groups = np.repeat(np.arange(200), 3)
    y = np.repeat((np.arange(200) % 10 == 0).astype(int), 3)  # 20 students left
    folds = model.grouped_folds(y, groups, 4, seed=0)
    assert isinstance(folds, list) and len(folds) == 4
    seen = np.zeros(len(y), dtype=int)
    for fitted_on, held_out in folds:
        assert not set(groups[fitted_on]) & set(groups[held_out])  # a student on one side only
        assert y[held_out].sum() == 15  # 5 of the 20 leavers (3 rows each) in every fold
        seen[held_out] += 1
    assert (seen == 1).all()
    monkeypatch.setattr(model, "LARGE_GROUPS", 10_000)
    assert type(model.grouped_folds(y, groups, 4, seed=0)).__name__ == "StratifiedGroupKFold"


def test_recalibration_moves_only_the_intercept_to_the_latest_cohorts_rate(history_exports, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.model import predict
    from riskscreen.scoring.store import load_model, load_pipeline, save_model

    plain = train(history_exports, seed=0, n_boot=20, c=0.1, shape="linear")
    moved = train(history_exports, seed=0, n_boot=20, c=0.1, recalibrate=True, shape="linear")
    ts = training_set(history_exports)
    latest = ts.as_of == ts.as_of.max()
    observed = float(ts.labels[latest].mean())
    dates = ts.as_of[latest]  # the chances as a list of that date gives them: with its season's shift
    assert float(predict(moved.fitted, ts.features[latest], dates).mean()) == pytest.approx(observed, abs=1e-9)
    r = moved.card.recalibration
    assert r is not None and plain.card.recalibration is None
    assert (r.as_of, r.rows) == (str(pd.Timestamp(ts.as_of.max()).date()), int(latest.sum()))
    assert r.observed_rate == pytest.approx(observed, abs=1e-6)
    assert r.predicted_before == pytest.approx(
        float(predict(plain.fitted, ts.features[latest], dates).mean()), abs=1e-6
    )
    assert r.shift == pytest.approx(moved.fitted.intercept - plain.fitted.intercept, abs=1e-6)
    # contributions and the bands' chances stay as they were; only the constant moved
    assert moved.fitted.coefficients == pytest.approx(plain.fitted.coefficients, rel=1e-12)
    assert moved.fitted.bands == plain.fitted.bands == moved.card.bands
    assert "recalibrated on the latest cohort (as-of " in card_markdown(moved.card)
    # the saved model scores as the recalibrated one
    save_model(moved.fitted, moved.card, tmp_path / "m", markdown=card_markdown(moved.card))
    loaded = load_model(str(tmp_path / "m"))
    assert predict(loaded.fitted, ts.features) == pytest.approx(predict(moved.fitted, ts.features), rel=1e-12)
    # and so does the pickled pipeline an analyst loads (model.pkl), not the model before it moved
    pipeline = load_pipeline(str(tmp_path / "m"))
    x = ts.features.loc[:, moved.fitted.features].to_numpy(dtype=float)
    assert pipeline.predict_proba(x)[:, 1] == pytest.approx(predict(moved.fitted, ts.features), rel=1e-9)  # type: ignore[attr-defined]


def test_a_wide_gap_on_the_latest_cohort_is_reported_without_recalibration(history_exports) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from riskscreen.scoring.model import fit, predict
    from riskscreen.training.train import _latest_cohort

    ts = training_set(history_exports)
    fitted = fit(ts.features, ts.labels, c=0.1, seed=0, groups=ts.student_ids)
    latest = ts.as_of == ts.as_of.max()
    # the school's latest cohort left at twice the rate: the highest-scored students of it leave too
    labels = ts.labels.copy()
    chance = predict(fitted, ts.features)
    order = np.argsort(-np.where(latest, chance, -1))[: 2 * int(labels[latest].sum())]
    labels[order] = 1
    shifted = replace(ts, labels=labels)
    same, recalibration, warning = _latest_cohort(shifted, fitted, recalibrate=False)
    assert same is fitted and recalibration is None and warning is not None
    before, observed = chance[latest].mean(), labels[latest].mean()
    assert str(warning) == (
        f"on the latest cohort (as-of {pd.Timestamp(ts.as_of.max()).date()}) the model predicts {before:.1%} on "
        f"average where {observed:.1%} left; `riskscreen train --recalibrate` moves its intercept to match"
    )
    # the training data as they are: no gap wide enough to warn about
    assert _latest_cohort(ts, fitted, recalibrate=False)[2] is None


def test_train_recalibrate_from_the_command_line(history_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ours"
    result = runner.invoke(
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
            "--recalibrate",
            "--lang",
            "nl",
        ],
    )
    assert result.exit_code == 0, result.stderr
    card = json.loads((out / "card.json").read_text())
    recalibration = card["recalibration"]
    assert recalibration["predicted_after"] == pytest.approx(recalibration["observed_rate"], abs=1e-6)
    day = ".".join(reversed(recalibration["as_of"].split("-"))).replace(".", "-")
    assert f"- opnieuw gekalibreerd op het laatste cohort (peildatum {day}" in result.stdout


@pytest.mark.parametrize("ties", [False, True])
def test_the_student_bootstrap_equals_weighting_each_resample(ties: bool) -> None:
    """Students drawn whole, spread over their rows inside the pass: the same AUC, AP and Brier as weighting every
    row of a resample by how often its student was drawn."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    from riskscreen.training import resampling as r

    rng = np.random.default_rng(8)
    groups = np.repeat(np.arange(120), 3)
    y = (rng.random(360) < 0.15).astype(int)
    p = rng.random(360) * 0.6 + y * 0.2
    p = np.round(p, 2) if ties else p
    chunks = r._cluster_counts(groups, 40, np.random.default_rng(0))
    samples = r.resampled(y, p, chunks, [36])
    weights = r.row_counts(chunks)
    assert samples["auc"] == pytest.approx([roc_auc_score(y, p, sample_weight=w) for w in weights], abs=1e-12)
    assert samples["ap"] == pytest.approx([average_precision_score(y, p, sample_weight=w) for w in weights], abs=1e-12)
    assert samples["brier"] == pytest.approx([np.average((p - y) ** 2, weights=w) for w in weights], abs=1e-12)


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("clustered", [False, True])
def test_the_top_k_of_a_resample_is_its_first_k_drawn_rows_by_score(ties: bool, clustered: bool) -> None:
    """Precision and recall in the top k, read off running totals at the positives only, equal writing out each
    resample (every row as often as drawn, highest score first, ties by position) and counting the positives among
    its first k; k from one row to more than a resample holds."""
    from riskscreen.training import resampling as r

    rng = np.random.default_rng(11)
    groups = np.repeat(np.arange(100), 3)
    y = (rng.random(300) < 0.1).astype(int)
    p = rng.random(300) * 0.6 + y * 0.2
    p = np.round(p, 1) if ties else p
    chunks = (
        r._cluster_counts(groups, 30, np.random.default_rng(0))
        if clustered
        else r._as_counts(rng.integers(0, 300, size=(30, 300)))
    )
    ks = [1, 7, 30, 299, 400]
    samples = r.resampled(y, p, chunks, ks)
    order = np.argsort(-p, kind="stable")
    for i, weights in enumerate(r.row_counts(chunks)):
        written_out = np.repeat(y[order], weights[order])
        for k in ks:
            hits = written_out[:k].sum()
            assert samples[f"precision@{k}"][i] == hits / k
            assert samples[f"recall@{k}"][i] == hits / written_out.sum()


def test_a_bootstrap_pass_without_positives_or_rows_gives_no_auc() -> None:
    from riskscreen.training import resampling as r

    none = r.resampled(np.zeros(5, dtype=int), np.linspace(0, 1, 5), r._as_counts(np.zeros((2, 5), int)), [2])
    assert np.isnan(none["auc"]).all() and np.isnan(none["ap"]).all() and np.isnan(none["recall@2"]).all()
    assert none["precision@2"].tolist() == [0.0, 0.0]
    assert none["brier"].tolist() == pytest.approx([0.0, 0.0])  # every draw is row 0, score 0 and outcome 0
    assert {key: value.size for key, value in r.resampled(np.zeros(0), np.zeros(0), [], [3]).items()} == {
        "auc": 0,
        "ap": 0,
        "brier": 0,
        "precision@3": 0,
        "recall@3": 0,
    }


@pytest.mark.parametrize(
    ("students", "years", "seasons"),
    [(1500, 3, False), (800, 2, True)],
    ids=["november-as-of-dates", "as-of-dates-through-the-year"],
)
def test_the_transparent_model_is_as_good_as_a_plain_logistic_regression_on_the_same_rows(
    tmp_path: Path, students: int, years: int, seasons: bool
) -> None:
    """#24's done-when: on the sample histories (whose outcome has a threshold and interactions the transparent model
    cannot express), the card's held-out ROC AUC interval holds a plain scikit-learn logistic regression's AUC on
    the same training and test rows and the same features: the sign constraints, the calibration and the season
    shifts cost nothing the data can show. Histories with 37 and 127 held-out leavers: on fewer (the 600-student
    history holds 8) an interval says little either way."""
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline

    from riskscreen.signals.features import FEATURE_NAMES

    demo_files.write(sample.generate(students, seed=5, history_years=years, seasons=seasons), tmp_path)
    exports = load_exports(tmp_path, require=("attendance", "grades", "outcomes"))
    result = train(exports, seed=0, n_boot=200)
    ts = training_set(exports)
    train_idx, test_idx, _ = split(ts, 0)
    x = ts.features.loc[:, list(FEATURE_NAMES)].to_numpy(dtype=float)
    plain = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=2000))
    plain.fit(x[train_idx], ts.labels[train_idx])
    plain_auc = roc_auc_score(ts.labels[test_idx], plain.predict_proba(x[test_idx])[:, 1])
    interval = result.card.metrics.roc_auc
    assert interval.low is not None and interval.high is not None
    assert interval.low <= plain_auc <= interval.high, (interval, plain_auc)


def test_train_with_evaluate_measures_as_the_evaluate_command_does_in_one_run(
    history_dir: Path, tmp_path: Path
) -> None:
    """#24 item 10: `train --evaluate FOLDER` evaluates the saved model in the same run; on the training folder it
    reuses the files, features and labels already made, elsewhere it reads that folder. Either way its report is the
    one `riskscreen evaluate` writes."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(history_dir, copy)
    out = tmp_path / "ours"
    both = runner.invoke(
        app,
        [
            "train",
            str(history_dir),
            "--out",
            str(out),
            "--bootstrap",
            "40",
            "--C",
            "0.1",
            "--evaluate",
            str(history_dir),
        ],
    )
    assert both.exit_code == 0, both.stderr
    card_text, evaluation_text = both.stdout.split("# Evaluation of model ours", 1)
    assert card_text.startswith("# Model card: ours")
    alone = runner.invoke(app, ["evaluate", str(history_dir), "--model", str(out), "--bootstrap", "40"])
    assert alone.exit_code == 0, alone.stderr
    assert "# Evaluation of model ours" + evaluation_text == alone.stdout
    assert "THE EVALUATION DATA OVERLAP THE TRAINING DATA" in evaluation_text  # it says what it is measured on
    elsewhere = runner.invoke(
        app,
        [
            "train",
            str(history_dir),
            "--out",
            str(out),
            "--force",
            "--bootstrap",
            "40",
            "--C",
            "0.1",
            "--evaluate",
            str(copy),
        ],
    )
    assert elsewhere.exit_code == 0, elsewhere.stderr
    assert elsewhere.stdout.split("# Evaluation of model ours", 1)[1] == evaluation_text


def test_train_with_evaluate_refuses_a_bad_folder_before_it_trains(
    history_dir: Path, school_dir: Path, tmp_path: Path
) -> None:
    """The evaluation's exports are read and checked before training: a folder that is not there, or one without
    outcomes, is refused (exit 1 and 2, as evaluate refuses them) and no model is written (not minutes later,
    after a model was saved)."""
    out = tmp_path / "ours"
    missing = runner.invoke(app, ["train", str(history_dir), "--out", str(out), "--evaluate", str(tmp_path / "nope")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"error: {tmp_path / 'nope'}: folder not found\n")
    unlabelled = runner.invoke(app, ["train", str(history_dir), "--out", str(out), "--evaluate", str(school_dir)])
    assert unlabelled.exit_code == 2  # a table to give, as for evaluate itself
    assert f"error: no file found for the table(s) outcomes in {school_dir}\n" in unlabelled.stderr
    assert "fitting" not in unlabelled.stderr and not out.exists()
