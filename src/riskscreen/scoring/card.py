"""The typed model card and evaluation report (pydantic), and the one place that reads and writes them as JSON.

A card states what a model was trained on, how well it did on data it never saw, and the numbers it scores
with. `parse_card` and `card_json` are the only ways in and out: a field that is missing, misspelt or of the
wrong type is refused with the field's name, and what is written is exactly what was read.
"""

from __future__ import annotations

import json
import math
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from riskscreen.errors import ModelError, msg
from riskscreen.phrases import Phrase
from riskscreen.scoring.season import SEASONS


class Record(BaseModel):
    """A frozen record that refuses unknown fields and writes back only the fields it was given."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class Interval(Record):
    """A figure with its bootstrap 95% interval (None where it cannot be computed)."""

    value: float | None
    low: float | None = None
    high: float | None = None


class AtK(Interval):
    k: int


class CalibrationBin(Record):
    decile: int
    n: int
    mean_predicted: float
    observed: float


class Metrics(Record):
    """Metrics of one set of scores on one set of rows."""

    n_students: int
    n_positive: int
    roc_auc: Interval
    pr_auc: Interval
    brier: Interval | None
    precision_at: dict[str, AtK]
    recall_at: dict[str, AtK]
    calibration: list[CalibrationBin]
    warnings: list[str]


class Baseline(Metrics):
    description: str


class ComparisonRows(Record):
    """Where an evaluation compares the model with the baselines: the same held-out rows."""

    method: str
    rows: int
    model_on_these_rows: Metrics


class Baselines(Record):
    rule_count: Baseline  # the ABC indicators, counted (before #24: attendance, a core fail, a repeated year)
    gradient_boosting: Baseline
    unauthorised_hours: Baseline | None = None
    comparison_rows: ComparisonRows | None = None


class FairnessGroup(Record):
    group: str
    n: int
    prevalence: float | None
    recall: float | None
    false_positive_rate: float | None
    precision: float | None
    calibration_in_the_large: float | None
    ratio_to_largest: dict[str, float | None]
    outside_range: list[str]
    small_group: bool
    leavers: int | None = None  # cards before #24 judged a group small by its students
    intervals: dict[str, list[float]] = Field(default_factory=dict)  # 95% bootstrap, per metric


class FairnessColumn(Record):
    reference_group: str
    groups: list[FairnessGroup]


class Fairness(Record):
    """Per audit column and group, how the top of the list treats the group; a note when there is no column."""

    top_fraction: str | None = None
    range: list[float] | None = None
    columns: dict[str, FairnessColumn]
    note: str | None = None


class FileDigest(Record):
    table: str
    file: str
    sha256: str


class TrainingData(Record):
    files: list[FileDigest]
    sha256: str
    first_date: str | None
    last_date: str | None
    as_of_dates: list[str]
    rows: int
    students: int
    positives: int  # student-moments followed by leaving within the follow-up
    profile: str
    leavers: int | None = None  # students who left (a student is a positive at every as-of date before leaving)
    outcome: str | None = None  # "vsv": DUO's voortijdig schoolverlater (ingest.outcomes); None: as the school wrote it
    follow_up_months: int | None = None


class Validation(Record):
    method: str
    train_rows: int
    test_rows: int
    test_positives: int
    bootstrap_samples: int


class FinalFit(Record):
    """The saved model: fitted again on all labelled history after the validation measured its settings."""

    rows: int
    students: int
    positives: int
    features_dropped: list[str]
    out_of_fold_roc_auc: float | None = None  # the final fit's own cross-validation (its calibration's folds)


class Recalibration(Record):
    """The intercept moved so that the mean predicted chance on the latest cohort equals its rate of leaving."""

    as_of: str
    rows: int
    observed_rate: float
    predicted_before: float
    predicted_after: float
    shift: float


class Parameters(Record):
    c: float = Field(alias="C")
    class_weight: str | None
    feature_set: str
    seed: int
    capacity: int | None = None
    shape: str = "linear"  # "additive": a monotone shape per feature (scoring.additive)
    penalty: float | None = None  # the additive shape's L2 penalty


class ShapeChoice(Record):
    """How the model's shape was chosen: both shapes validated on the training rows, or the shape given."""

    chosen: str
    method: str
    penalty: float | None = None
    linear_auc: float | None = None
    additive_auc: float | None = None
    additive_auc_by_penalty: dict[str, float] | None = None


class ShapePoint(Record):
    """An additive feature's contribution (logit) at one of its knots; straight in between, flat beyond."""

    value: float
    contribution: float


class FeatureRow(Record):
    name: str
    description: str
    unit: str
    coefficient_per_sd: float | None = None  # the linear shape's numbers; an additive feature has `shape`
    odds_ratio_per_sd: float | None = None
    coefficient_per_unit: float | None = None
    odds_ratio_per_unit: float | None = None
    points_per_unit: float | None = None
    shape: list[ShapePoint] | None = None
    reference: float
    sd: float


MAX_WEIGHT = 1e4  # a logit contribution per unit; trained models stay far below (the bundled one below 10)
MAX_VALUE = 1e9  # a feature's median, mean, scale or knot: hours, counts, grades


class Scoring(Record):
    """The numbers a model scores with (full precision): scoring needs these, not the pickled pipeline."""

    kind: str = "linear"
    features: list[str]
    medians: list[float]
    means: list[float]
    scales: list[float] = []
    coefficients: list[float] = []
    knots: list[list[float]] | None = None
    slopes: list[list[float]] | None = None
    offsets: list[float] | None = None
    intercept: float

    @model_validator(mode="after")
    def _usable(self) -> Scoring:
        weights = [
            self.intercept,
            *self.coefficients,
            *(self.offsets or []),
            *(w for s in self.slopes or [] for w in s),
        ]
        values = [*self.medians, *self.means, *self.scales, *(k for ks in self.knots or [] for k in ks)]
        # a weight of 1e308 scores every student "1,0 hoog" with numpy's overflow warnings: not a model, an edit
        if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for w in weights) or not all(
            math.isfinite(v) and abs(v) <= MAX_VALUE for v in values
        ):
            raise ValueError(
                f"a scoring number is not finite, or beyond {MAX_WEIGHT:g} (a weight) or "
                f"{MAX_VALUE:g} (a feature's value)"
            )
        n = len(self.features)
        if self.kind == "additive":
            per_feature = (self.medians, self.means, self.knots or [], self.slopes or [], self.offsets or [])
            if (
                not n
                or any(len(v) != n for v in per_feature)
                or any(
                    len(k) < 2 or len(s) != len(k) - 1 or any(b <= a for a, b in pairwise(k))
                    for k, s in zip(self.knots or [], self.slopes or [], strict=True)
                )
            ):
                raise ValueError("the scoring numbers do not match the features")
            return self
        if self.kind != "linear":
            raise ValueError(f"unknown model kind '{self.kind}'")
        if not n or any(len(v) != n for v in (self.medians, self.means, self.scales, self.coefficients)):
            raise ValueError("the scoring numbers do not match the features")
        if any(s <= 0 for s in self.scales):
            raise ValueError("a scale is zero or negative")
        return self


class BandChoice(Record):
    """How the bands' chances were chosen at training (training.bands): fixed chances, not shares."""

    capacity: int | None  # students the school can talk with on one list date, as given to `train`
    capacity_share: float | None  # without a capacity: this share of the students per list date
    base_rate: float  # the share who left in the training history
    elevated_times_base: float
    held_out_share: dict[str, float]  # the share of held-out rows in each band at these chances


class SeasonCalibration(Record):
    """The held-out chances against who left, in one season of the school year (training.seasons)."""

    season: str
    rows: int
    leavers: int
    mean_predicted: float | None
    observed: float | None


class Uncertainty(Record):
    """The final fit repeated on bootstrap samples of the students (training.uncertainty): `explain`'s interval."""

    method: str
    samples: int
    coefficients: list[list[float]]  # per refit, per feature of `scoring`, per sd, calibrated
    intercepts: list[float]

    @model_validator(mode="after")
    def _matching(self) -> Uncertainty:
        widths = {len(c) for c in self.coefficients}
        if len(self.coefficients) != len(self.intercepts) or len(widths) > 1 or self.samples != len(self.intercepts):
            raise ValueError("the refits' coefficients and intercepts do not match")
        if not all(math.isfinite(w) and abs(w) <= MAX_WEIGHT for c in self.coefficients for w in c):
            raise ValueError(f"a refit's weight is not finite or beyond {MAX_WEIGHT:g}")
        return self


class ModelCard(Record):
    name: str
    demonstration: bool
    notice: str | None
    created: str
    intended_use: str
    limits: str
    training_data: TrainingData
    validation: Validation
    final_fit: FinalFit | None = None
    recalibration: Recalibration | None = None
    parameters: Parameters
    shape_choice: ShapeChoice | None = None
    features_used: list[str]
    features_dropped: list[str]
    features: list[FeatureRow]
    intercept: float
    calibration: list[float]
    bands: dict[str, float]
    band_choice: BandChoice | None = None  # cards before #24 item 4: bands were quantiles of the training rows
    calibration_by_season: list[SeasonCalibration] | None = None  # cards since #24 item 2
    # the constant's move per season, learnt at training when the as-of dates span several (#24 item 2)
    season_shifts: dict[str, float] | None = None
    metrics: Metrics

    @field_validator("season_shifts")
    @classmethod
    def _season_shifts(cls, shifts: dict[str, float] | None) -> dict[str, float] | None:
        if shifts is not None and (not set(shifts) <= set(SEASONS) or not all(abs(v) <= 5 for v in shifts.values())):
            raise ValueError("season shifts must be of the seasons autumn, winter, spring, summer, from -5 to 5")
        return shifts

    @field_validator("bands")
    @classmethod
    def _bands(cls, bands: dict[str, float]) -> dict[str, float]:
        if set(bands) != {"high", "elevated"} or not all(0 <= v <= 1 for v in bands.values()):
            raise ValueError("bands must be high and elevated, probabilities from 0 to 1")
        return bands

    baselines: Baselines
    price_of_transparency: dict[str, float | None]
    price_of_transparency_interval: dict[str, Interval] | None = None  # paired bootstrap, same rows
    fairness: Fairness
    versions: dict[str, str]
    training_warnings: list[str] = Field(default_factory=list)
    phrases: dict[str, Phrase] = Field(default_factory=dict)  # its sentences' messages, for other languages
    scoring: Scoring | None = None
    uncertainty: Uncertainty | None = None  # linear models trained since #24 item 3
    format_version: int | None = None
    model_sha256: str | None = None
    card_sha256: str | None = None


class FeatureDrift(Record):
    feature: str
    reference: float
    mean: float | None
    shift_in_sd: float | None
    marked: bool


class Drift(Record):
    """These data against the training data of the card."""

    features: list[FeatureDrift]
    leaving_rate: float | None
    training_leaving_rate: float | None
    mark_at_sd: float


class EvaluationReport(Metrics):
    """What `evaluate` measured of a model on labelled data: its metrics on the held-out rows (where the
    baselines are measured too), then on all rows, the comparison, fairness and drift."""

    model: str
    demonstration: bool
    n_rows: int
    all_rows: Metrics | None = None
    baselines: Baselines
    price_of_transparency: dict[str, float | None]
    price_of_transparency_interval: dict[str, Interval] | None = None
    like_for_like: str | None = None  # how the price was measured
    fairness: Fairness
    drift: Drift | None = None
    phrases: dict[str, Phrase] = Field(default_factory=dict)  # its sentences' messages, for other languages


def parse_card(data: object, *, source: str) -> ModelCard:
    """A card from its JSON data; a card that does not fit the format is refused, naming the first bad field."""
    try:
        return ModelCard.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(the card)"
        raise ModelError(
            msg(
                "the card {source} is not a valid model card: {where}: {first}; refused",
                source=source,
                where=where,
                first=first["msg"].lower(),
            ),
            hint=msg("train the model again, or restore the card from where the model came from"),
        ) from None


def card_json(card: ModelCard) -> str:
    return json.dumps(card.as_dict(), indent=2, ensure_ascii=False) + "\n"


def evaluation_json(report: EvaluationReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
