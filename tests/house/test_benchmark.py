"""The benchmark measures the tested code: at a small size its timed paths compute the same features."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from riskscreen.ingest.pipeline import load_exports
from riskscreen.signals.feature_table import build_features

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
import pipeline


def test_generated_dataset_has_the_requested_size(tmp_path: Path) -> None:
    data = pipeline.dataset(tmp_path, students=120, attendance_rows=15_000, grade_rows=2_000)
    assert len(pd.read_csv(data / "attendance.csv")) == 15_000
    assert len(pd.read_csv(data / "grades.csv")) == 2_000
    assert len(pd.read_csv(data / "students.csv")) == 120
    assert pipeline.dataset(tmp_path, students=120, attendance_rows=15_000, grade_rows=2_000) == data


def test_timed_paths_compute_the_tested_features(tmp_path: Path) -> None:
    data = pipeline.dataset(tmp_path, students=120, attendance_rows=15_000, grade_rows=2_000)
    expected = pipeline.features_checksum(build_features(load_exports(data)))
    timed_features = pipeline.work("features", data)
    timed_score = pipeline.work("score", data)
    assert timed_features["checksum"] == expected
    assert timed_score["checksum"] == expected
    assert pipeline.work("score_streamed", data)["checksum"] == expected
    assert timed_features["students"] == 120
    assert pipeline.work("validate", data)["valid"] is True
    assert pipeline.work("floor", data)["seconds"] > 0
