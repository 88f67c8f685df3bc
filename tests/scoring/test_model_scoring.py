"""The transparent model, safe loading, scoring and explanation (golden files in both languages)."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.helpers import load

from riskscreen.errors import ModelError, UsageError
from riskscreen.render.scores import render_explanation, render_scores
from riskscreen.scoring.model import contributions, fit, logits
from riskscreen.scoring.score import explain, score, select
from riskscreen.scoring.store import MODEL_FILE, card_digest, load_model, load_pipeline, sha256_of
from riskscreen.signals.feature_table import build_features


@pytest.fixture(scope="module")
def exports(school_dir: Path):  # type: ignore[no-untyped-def]
    return load(school_dir)


def test_contributions_sum_to_the_logit_for_every_student(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    features = build_features(exports)
    parts = contributions(demo_model.fitted, features)
    total = demo_model.fitted.intercept + parts.sum(axis=1).to_numpy()
    np.testing.assert_allclose(total, logits(demo_model.fitted, features), rtol=0, atol=1e-9)
    result = score(exports, demo_model)
    np.testing.assert_allclose(result.table["probability"], 1 / (1 + np.exp(-result.table["logit"])), atol=1e-12)


def test_more_unauthorised_hours_never_lower_the_score(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    features = build_features(exports)
    base = logits(demo_model.fitted, features)
    for column in ("unauthorised_hours_4w", "unauthorised_hours_12w"):
        for extra in (1.0, 8.0, 40.0):
            more = features.assign(**{column: features[column] + extra})
            assert (logits(demo_model.fitted, more) >= base - 1e-12).all()
    for name in ("unauthorised_hours_4w", "unauthorised_hours_12w", "fails_12w", "repeated_years"):
        if name in demo_model.fitted.features:
            assert demo_model.fitted.coefficients[demo_model.fitted.features.index(name)] >= 0


def test_wrong_signed_features_are_dropped() -> None:
    rng = np.random.default_rng(1)
    n = 3000
    a = rng.normal(size=n)
    features = pd.DataFrame(
        {
            "unauthorised_hours_4w": a + rng.normal(0, 0.2, n),
            "unauthorised_hours_12w": a + rng.normal(0, 0.2, n) - 0.8 * rng.normal(size=n),
            "late_4w": rng.normal(size=n),
        }
    )
    # the label follows the 4-week figure and *against* the 12-week noise: an unconstrained fit would give
    # unauthorised_hours_12w a negative weight
    logit = (
        -2
        + 2 * features["unauthorised_hours_4w"]
        - 1.5 * features["unauthorised_hours_12w"]
        + 0.5 * features["late_4w"]
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    fitted = fit(features, y.to_numpy(), feature_names=list(features.columns), c=10.0)
    assert fitted.dropped == ["unauthorised_hours_12w"]
    assert (fitted.coefficients >= 0).all()


def test_fit_refuses_a_single_class() -> None:
    with pytest.raises(ModelError, match="only one class"):
        fit(pd.DataFrame({"late_4w": [1.0, 2.0]}), np.array([0, 0]), feature_names=["late_4w"])


def test_score_ranks_and_selects(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    result = score(exports, demo_model)
    table = result.table
    assert table["rank"].tolist() == list(range(1, 161))
    assert (np.diff(table["probability"].to_numpy()) <= 0).all()
    assert set(table["band"]) <= {"high", "elevated", "low"}
    mentor = str(table["mentor"].iloc[0])
    assert (select(result, mentor=mentor)["mentor"] == mentor).all()
    assert len(select(result, top=7)) == 7
    with pytest.raises(UsageError, match="no student has mentor 'NOPE'"):
        select(result, mentor="NOPE")


def test_reasons_are_data_and_the_renderer_words_them_in_either_language(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    """#24 item 9: scoring gives reason keys with their values; the words are made in render.reason_words."""
    from riskscreen.render.reason_words import reason_texts
    from riskscreen.scoring.reasons import Reason

    result = score(exports, demo_model)
    first = result.table.iloc[0]
    assert all(isinstance(r, Reason) for r in first["reasons"]) and first["reason_features"]
    assert not hasattr(result, "lang")  # the data do not depend on a language: renderers take it
    assert ";".join(r.feature for r in first["reasons"]) == first["reason_features"]
    assert "reason_1" not in result.table.columns
    said_nl, said_en = reason_texts(first["reasons"], "nl"), reason_texts(first["reasons"], "en")
    assert "lesweken" in said_nl[0] and "lesson weeks" in said_en[0]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_score_golden(exports, demo_model, golden, lang: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = score(exports, demo_model)
    text = render_scores(result, select(result, top=8), fmt, lang=lang, width=120)
    golden(f"score_{lang}.{'txt' if fmt == 'table' else fmt}", text)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_explain_golden(exports, demo_model, golden, lang: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    top = str(score(exports, demo_model).table["student_id"].iloc[0])
    ex = explain(exports, demo_model, top)
    total = ex.base_logit + ex.breakdown["contribution"].sum()
    assert total == pytest.approx(float(ex.row["logit"]), abs=1e-9)
    golden(f"explain_{lang}.{'txt' if fmt == 'table' else fmt}", render_explanation(ex, fmt, lang=lang, width=120))


def test_explain_unknown_student(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="student 'NOBODY' is not in these exports"):
        explain(exports, demo_model, "NOBODY")


# ------------------------------------------------------------------------------------------ safe loading
@pytest.fixture
def model_copy(tmp_path: Path, demo_model) -> Path:  # type: ignore[no-untyped-def]
    target = tmp_path / "m"
    shutil.copytree(demo_model.path, target)
    return target


def test_a_copied_model_loads(model_copy: Path) -> None:
    assert load_model(str(model_copy)).is_demonstration


def test_a_changed_model_file_is_refused(model_copy: Path) -> None:
    data = bytearray((model_copy / MODEL_FILE).read_bytes())
    data[-5] ^= 1
    (model_copy / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="does not match the SHA-256 in its card: refused before loading"):
        load_model(str(model_copy))
    with pytest.raises(ModelError, match="does not match the SHA-256 in its card: refused before loading"):
        load_pipeline(str(model_copy))


def test_an_edited_card_is_refused(model_copy: Path) -> None:
    card = json.loads((model_copy / "card.json").read_text())
    card["bands"]["high"] = 0.01
    (model_copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"card of .* was changed after training"):
        load_model(str(model_copy))


def test_a_missing_card_is_refused(model_copy: Path) -> None:
    (model_copy / "card.json").unlink()
    with pytest.raises(ModelError, match=r"has no card\.json: refused"):
        load_model(str(model_copy))


def test_another_format_version_is_refused(model_copy: Path) -> None:
    card = json.loads((model_copy / "card.json").read_text())
    card["format_version"] = 2
    card["card_sha256"] = card_digest(card)
    (model_copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="has format version 2; this riskscreen reads version 1"):
        load_model(str(model_copy))


class _Evil:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.write_text, (Path(self.path), "pwned"))


def test_a_pickle_that_would_run_code_is_refused_before_it_runs(model_copy: Path, tmp_path: Path) -> None:
    victim = tmp_path / "written-by-the-pickle.txt"
    payload = pickle.dumps(_Evil(str(victim)))
    (model_copy / MODEL_FILE).write_bytes(payload)
    card = json.loads((model_copy / "card.json").read_text())
    card["model_sha256"] = sha256_of(payload)  # an attacker who also rewrote the card and its checksum
    card["card_sha256"] = card_digest(card)
    (model_copy / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=r"refers to 'pathlib\..*', which a riskscreen model never needs"):
        load_pipeline(str(model_copy))
    assert not victim.exists()
    load_model(str(model_copy))  # scoring reads the card's numbers and never unpickles
    assert not victim.exists()


def test_the_card_numbers_score_exactly_as_the_pipeline(exports, demo_model) -> None:  # type: ignore[no-untyped-def]
    pipeline = load_pipeline("demo")
    features = build_features(exports)
    x = features.loc[:, demo_model.fitted.features].to_numpy(dtype=float)
    np.testing.assert_allclose(
        logits(demo_model.fitted, features),
        pipeline.decision_function(x),  # type: ignore[attr-defined]
        rtol=0,
        atol=1e-12,
    )


def test_unknown_model_name() -> None:
    with pytest.raises(UsageError, match="no model named 'nope'"):
        load_model("nope")


def test_reasons_are_the_largest_contributions_that_are_warning_signs() -> None:
    from riskscreen.render.reason_words import reason_texts
    from riskscreen.scoring.reasons import Reason, reasons

    index = pd.Index(["S1", "S2", "S3", "S4"], name="student_id")
    columns = ["fails_12w", "absence_trend", "grade_trend", "repeated_years"]
    parts = pd.DataFrame(
        [
            [0.9, 0.5, 0.2, 0.04],  # all three largest are reasons
            [0.9, 0.8, 0.7, 0.6],  # the trend is falling absence: not a warning, so the
            [0.01, 0.02, 0.03, 0.04],  # next contribution that is a reason takes its place
            [0.3, 0.2, 0.4, 0.1],  # a rise of 1 hour a week is under the norm of 2, however large its part
        ],  # NaN value: no reason
        index=index,
        columns=columns,
    )
    features = pd.DataFrame(
        [[6.0, 2.0, -1.5, 1.0], [8.0, -1.0, -0.5, 2.0], [1.0, 0.1, -0.1, 0.0], [4.0, 1.0, np.nan, 1.0]],
        index=index,
        columns=columns,
    )
    out = reasons(parts, features)
    assert out["reason_features"].tolist() == [
        "fails_12w;absence_trend;grade_trend",
        "fails_12w;grade_trend;repeated_years",
        "",
        "fails_12w;repeated_years",
    ]
    assert reason_texts(out.loc["S2", "reasons"], "en") == [
        "8 failing grades in the last 12 lesson weeks (a signal from 3)",
        "grades falling: 0.5 points lower than the 8 weeks before (a signal from 0.5 points lower)",
        "repeated 2 school year(s)",
    ]
    assert reason_texts(out.loc["S1", "reasons"], "en")[1] == (
        "absence rising: 2 hours a week more than the 8 weeks before (a signal from 2 hours a week more)"
    )
    assert out.loc["S3"].tolist() == [(), ""]
    assert out.loc["S2", "reasons"][0] == Reason("fails_12w", 8.0)  # the key and the value, no words


def test_reasons_name_distinct_signals() -> None:
    from riskscreen.render.reason_words import reason_texts
    from riskscreen.scoring.reasons import reasons

    index = pd.Index(["S1"], name="student_id")
    columns = ["unauthorised_hours_12w", "unauthorised_hours_4w", "core_fails_12w", "fails_12w", "removed_12w"]
    parts = pd.DataFrame([[0.9, 0.8, 0.7, 0.6, 0.3]], index=index, columns=columns)
    features = pd.DataFrame([[40.0, 16.0, 3.0, 5.0, 2.0]], index=index, columns=columns)
    out = reasons(parts, features)
    # the 4-week hours lie inside the 12-week hours, core-subject fails inside all fails: one reason each
    assert out.loc["S1", "reason_features"] == "unauthorised_hours_12w;core_fails_12w;removed_12w"
    assert reason_texts(out.loc["S1", "reasons"], "nl")[2] == "2 keer uit de les gestuurd in de laatste 12 lesweken"


def test_a_card_with_absurd_scoring_numbers_is_refused_even_with_its_checksum_recomputed(
    school_dir: Path, tmp_path: Path
) -> None:
    """Issue #26 item 16: coefficients of 1e308 (checksum recomputed) scored every student "1,0 hoog" with exit 0
    and numpy warnings naming source paths."""
    import json
    import shutil

    from typer.testing import CliRunner

    from riskscreen.cli import app
    from riskscreen.scoring.store import card_digest

    folder = tmp_path / "edited"
    shutil.copytree(Path(__file__).parents[2] / "models" / "demo", folder)
    card = json.loads((folder / "card.json").read_text())
    card["scoring"]["coefficients"][0] = 1e308
    card["card_sha256"] = card_digest(card)
    (folder / "card.json").write_text(json.dumps(card))
    result = CliRunner().invoke(app, ["score", str(school_dir), "--model", str(folder), "--lang", "en"])
    assert result.exit_code == 1, result.stdout
    assert (
        "is not a valid model card: scoring: value error, a scoring number is not finite, or beyond 10000"
        in result.stderr
    )
    assert "Warning" not in result.stderr and result.stdout == ""


def test_equal_reasons_compare_equal_the_care_line_too() -> None:
    from riskscreen.scoring.reasons import CARE_SIGNAL, Reason

    assert Reason(CARE_SIGNAL) == Reason(CARE_SIGNAL) and hash(Reason(CARE_SIGNAL)) == hash(Reason(CARE_SIGNAL))
    assert (Reason("fails_12w", 8.0),) == (Reason("fails_12w", 8.0),)
