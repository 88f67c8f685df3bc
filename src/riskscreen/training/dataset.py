"""The rows a model learns from and is tested on: features at each as-of date with their outcome, the split, C."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import cross_val_score

from riskscreen.errors import Day, ModelError, UsageError, msg
from riskscreen.ingest.outcomes import FOLLOW_UP_MONTHS, check_follow_up, left_early, seasonal_moments
from riskscreen.ingest.pipeline import Exports
from riskscreen.scoring.model import (
    fold_count,
    grouped_folds,
    make_pipeline,
)
from riskscreen.signals.context import roster_at
from riskscreen.signals.feature_table import LEVEL_COLUMNS, build_features
from riskscreen.signals.features import SPEC
from riskscreen.training.resampling import side_by_side

Progress = Callable[[str], None]
C_GRID = (0.01, 0.1, 1.0, 10.0)


TEST_SHARE = 0.5
TEST_MONTHS_DAYS = 330  # eleven months: a year's seasons, never last year's date of the same season


@dataclass(frozen=True)
class TrainingSet:
    """Features of each student at each as-of date of the outcomes table, with the label and audit groups."""

    features: pd.DataFrame
    labels: np.ndarray
    student_ids: np.ndarray
    as_of: np.ndarray
    audit: pd.DataFrame

    def as_of_dates(self) -> list[str]:
        """The as-of dates among the rows, ISO-formatted and sorted (each once: a row per student would take long)."""
        return [str(pd.Timestamp(d).date()) for d in np.unique(np.asarray(self.as_of, dtype="datetime64[ns]"))]


def training_set(exports: Exports, progress: Progress | None = None, follow_up: int = FOLLOW_UP_MONTHS) -> TrainingSet:
    """Features at each as-of date of the outcomes table with the outcome as DUO counts it (ingest.outcomes);
    refused while an as-of date's `follow_up` months are not over in the data."""
    if exports.outcomes is None or exports.outcomes.empty:
        raise UsageError(
            msg("training and evaluation need an outcomes table"),
            hint=msg("add uitstroom.csv / outcomes.csv, or name it with `outcomes` PATH"),
        )
    say = progress or (lambda _m: None)
    outcomes = exports.outcomes.assign(left_early=left_early(exports.outcomes))
    last = exports.report.last_date
    check_follow_up(
        sorted({pd.Timestamp(d).date() for d in outcomes["as_of"].unique()}),
        None if last is None else dt.date.fromisoformat(last),
        follow_up,
    )
    # a student who left on or before an as-of date (outcomes.left_on) is not there at it
    there = outcomes[~(outcomes["left_on"] <= outcomes["as_of"])] if "left_on" in outcomes else outcomes
    moments = {
        pd.Timestamp(as_of): rows.groupby(rows["student_id"].astype(str), observed=True)["left_early"].max()
        for as_of, rows in there.groupby("as_of", observed=True)
    }
    if last is not None:
        moments |= seasonal_moments(outcomes, dt.date.fromisoformat(last), follow_up, set(moments))
    frames, labels, ids, dates = [], [], [], []
    for as_of in sorted(moments):
        label = moments[as_of]
        universe = pd.Index(sorted(label.index), dtype=object, name="student_id")
        say(
            msg(
                "features as of {as_of} for {count} students",
                as_of=Day(pd.Timestamp(as_of).date().isoformat()),
                count=len(universe),
            )
        )
        feats = build_features(exports, pd.Timestamp(as_of), universe=universe)
        frames.append(feats.reset_index(drop=True))
        labels.append(label.reindex(universe).to_numpy(dtype=int))
        ids.append(universe.to_numpy())
        dates.append(np.full(len(universe), pd.Timestamp(as_of).to_datetime64()))
    features = pd.concat(frames, ignore_index=True)
    student_ids = np.concatenate(ids)
    audit = pd.DataFrame(index=features.index)
    # Unequal opportunity runs along level and leerweg: the audit always looks there, by each row's own level
    levels = _level_of(features)
    if pd.notna(levels).any():
        audit["level"] = levels
    roster = roster_at(exports.students, pd.Timestamp(outcomes["as_of"].max()))
    if roster is not None:
        if "leerweg" in roster:
            known = pd.Series(roster["leerweg"].astype(object).to_numpy(), index=roster["student_id"].astype(str))
            audit["leerweg"] = known.reindex(student_ids).to_numpy()
        for column in [c for c in roster.columns if str(c).startswith("audit_")]:
            values = pd.Series(
                roster[column].astype(object).to_numpy(), index=roster["student_id"].astype(str).to_numpy()
            )
            audit[column] = values.reindex(student_ids).to_numpy()
    return TrainingSet(features, np.concatenate(labels), student_ids, np.concatenate(dates), audit)


def _level_of(features: pd.DataFrame) -> np.ndarray:
    """Each row's level from the feature table's level columns (as the roster had it at that as-of date)."""
    levels = np.full(len(features), None, dtype=object)
    for column in LEVEL_COLUMNS:
        levels[(features[column] == 1.0).to_numpy()] = column.removeprefix("level_")
    return levels


def split(ts: TrainingSet, seed: int = 0) -> tuple[np.ndarray, np.ndarray, str]:
    """Temporal where possible (test on the as-of dates of the last eleven months, so that a season of each kind is
    tested where the data give them; the latest as-of date alone when there is nothing before those months), else by
    student; never a student on both sides."""
    dates = np.unique(ts.as_of)
    if dates.size >= 2:
        # Students are split at random first, so neither side is a selection (such as only those who left);
        # then the training side uses the earlier as-of dates and the test side the latest: those of the last
        # eleven months (one as-of a year: the latest alone), so that each season given is tested
        test_dates = dates[dates > dates[-1] - np.timedelta64(TEST_MONTHS_DAYS, "D")]
        if test_dates.size == dates.size:
            test_dates = dates[-1:]
        # on integer codes: isin over text pseudonyms is quadratic-slow for a school board's rows
        students, codes = np.unique(ts.student_ids, return_inverse=True)
        rng = np.random.default_rng(seed)
        test_students = rng.choice(students.size, size=round(students.size * TEST_SHARE), replace=False)
        in_test_group = np.isin(codes, test_students)
        test = np.isin(ts.as_of, test_dates) & in_test_group
        train = (ts.as_of < test_dates[0]) & ~in_test_group
        description = msg(
            "temporal and by student: {share}% of students drawn at random for testing on as-of {test_dates}; "
            "the others' rows of {train_dates} for training",
            share=round(TEST_SHARE * 100),
            test_dates=", ".join(str(pd.Timestamp(d).date()) for d in test_dates),
            train_dates=", ".join(str(pd.Timestamp(d).date()) for d in dates[dates < test_dates[0]]),
        )
        if ts.labels[train].sum() >= 5 and ts.labels[test].sum() >= 1:
            return np.flatnonzero(train), np.flatnonzero(test), description
    folds = min(4, int(ts.labels.sum()), int((1 - ts.labels).sum()))
    if folds < 2:
        raise ModelError(
            msg("too few students who left (or stayed) to hold any out for testing"),
            hint=msg("add more history: at least a few students who left"),
        )
    splitter = grouped_folds(ts.labels, ts.student_ids, folds, seed)
    pairs = splitter.split(ts.features, ts.labels, groups=ts.student_ids) if hasattr(splitter, "split") else splitter
    train, test = next(iter(pairs))
    return (
        train,
        test,
        msg("by student: {share}% of students held out (stratified, grouped by student)", share=100 // folds),
    )


def choose_c(
    ts: TrainingSet, train: np.ndarray, names: tuple[str, ...], class_weight: str | None, seed: int
) -> tuple[float, float | None]:
    """Regularisation strength by grouped cross-validated ROC AUC on the training part, and that AUC."""
    y = ts.labels[train]
    folds = fold_count(y, ts.student_ids[train])
    if folds < 2:
        return 1.0, None
    x = ts.features.iloc[train].loc[:, list(names)].to_numpy(dtype=float)
    splitter = grouped_folds(y, ts.student_ids[train], folds, seed)
    pairs = list(splitter.split(x, y, ts.student_ids[train]) if hasattr(splitter, "split") else splitter)

    def mean_auc(c: float) -> Callable[[], float]:
        pipeline = make_pipeline(c, class_weight, seed)
        return lambda: float(np.mean(cross_val_score(pipeline, x, y, cv=pairs, scoring="roc_auc")))

    # each strength on the same folds, two at a time (resampling.side_by_side): the figures are those of one by one
    scores = dict(zip(C_GRID, side_by_side(*(mean_auc(c) for c in C_GRID)), strict=True))
    chosen = max(scores, key=lambda c: (round(scores[c], 4), -c))
    return chosen, round(scores[chosen], 4)


def roster_leakage(exports: Exports, names: tuple[str, ...]) -> str | None:
    """A warning when roster features of past as-of dates come from a roster of today (no as_of column)."""
    if exports.students is None or "as_of" in exports.students or exports.outcomes is None:
        return None
    affected = [n for n in names if (n in SPEC and SPEC[n].group == "roster") or n.startswith("level_")]
    dates = sorted({pd.Timestamp(d).date() for d in exports.outcomes["as_of"].unique()})
    if not affected or len(dates) < 2:
        return None
    return msg(
        "the roster has no as_of (Peildatum) column, so its values as they are now are used for the as-of dates "
        "{dates}: {features} then know of repeats and moves down that came later. Add a roster per moment (a "
        "Peildatum column), or train with --feature-set no-roster",
        dates=", ".join(str(d) for d in dates[:-1]),
        features=", ".join(affected),
    )
