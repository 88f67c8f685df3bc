"""Scores and reasons: features through the model, contributions into reasons, flags beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from riskscreen.errors import UsageError, msg
from riskscreen.ingest.pipeline import Exports
from riskscreen.scoring.model import band_of, contributions, logits, season_offsets, standardised
from riskscreen.scoring.reasons import reasons
from riskscreen.scoring.store import LoadedModel
from riskscreen.signals.attendance import attendance_rows, calendar_basis, calendar_for, student_universe
from riskscreen.signals.calendar import day_numbers
from riskscreen.signals.context import roster_at
from riskscreen.signals.feature_table import build_features
from riskscreen.signals.features import SPEC
from riskscreen.signals.flags import FlagRules, flags_from_rows
from riskscreen.signals.statutory.engine import student_facts


@dataclass(frozen=True)
class ScoreResult:
    """Every student ranked by risk, with reasons and flags; features and contributions for explanation."""

    table: pd.DataFrame  # one row per student, ranked, the columns renderers show
    features: pd.DataFrame
    contributions: pd.DataFrame
    flags: pd.DataFrame
    base_logit: float
    as_of: pd.Timestamp
    model_name: str
    demonstration: bool
    rules: FlagRules = field(default_factory=FlagRules)
    model_source: str = "bundled"  # "bundled", or the folder the model was read from
    bands: dict[str, float] = field(default_factory=dict)  # the model's band thresholds (probabilities)
    calendar_basis: str = "holidays"  # where lesson weeks came from (signals.attendance.calendar_basis)
    statutory_undetermined: str | None = None  # why the 16-hour rule cannot be determined (a key), or None
    trained_as_of: tuple[str, ...] = ()  # the model card's as-of dates: the part of the school year it knows
    season_shift: float = 0.0  # the move of the model's constant for the list's season (in base_logit already)

    @property
    def day(self) -> dt.date:
        """The list's day: the as-of date as every stage after the signals keeps it."""
        return dt.date(self.as_of.year, self.as_of.month, self.as_of.day)


def score(
    exports: Exports,
    model: LoadedModel,
    *,
    as_of: pd.Timestamp | None = None,
    rules: FlagRules | None = None,
) -> ScoreResult:
    """Score every student of the exports as of a date; rank by probability, flags never hidden."""
    as_of = pd.Timestamp(as_of if as_of is not None else exports.as_of)
    universe = student_universe(exports, as_of)
    calendar = calendar_for(exports, as_of)
    rows = attendance_rows(exports, universe, calendar)
    features = build_features(exports, as_of, universe=universe, precomputed=(calendar, rows))
    rules = rules or FlagRules.from_profile(exports.profile.flags)
    flags = flags_from_rows(rows, calendar, universe, rules, student_facts(exports, universe, as_of))
    fitted = model.fitted
    # the constant moves with the list's season when the model learnt one per season (#24 item 2)
    shift = float(season_offsets(fitted.season_shifts, np.array([as_of.to_datetime64()]))[0])
    logit = logits(fitted, features) + shift
    parts = contributions(fitted, features)
    probability = 1.0 / (1.0 + np.exp(-logit))
    table = pd.DataFrame({"student_id": universe.to_numpy()}, index=universe.rename(None))
    roster = roster_at(exports.students, as_of)
    for column in ("mentor", "class", "level", "year"):
        if roster is not None and column in roster:
            values = pd.Series(
                roster[column].astype(object).to_numpy(), index=roster["student_id"].astype(str).to_numpy()
            )
            table[column] = values.reindex(universe).to_numpy()
        else:
            table[column] = None
    for column in [c for c in (roster.columns if roster is not None else []) if str(c).startswith("audit_")]:
        values = pd.Series(roster[column].astype(object).to_numpy(), index=roster["student_id"].astype(str).to_numpy())  # type: ignore[index]
        table[column] = values.reindex(universe).to_numpy()
    table["probability"] = probability
    table["logit"] = logit
    table["band"] = band_of(probability, fitted.bands)
    table = table.join(reasons(parts, features))
    table["verzuim_16u"] = flags["verzuim_16u"].to_numpy()
    table["ziekteverzuim"] = flags["ziekteverzuim"].to_numpy()
    order = np.lexsort((table["student_id"].to_numpy(), -table["probability"].to_numpy()))
    table = table.iloc[order]
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return ScoreResult(
        table=table,
        features=features,
        contributions=parts,
        flags=flags,
        base_logit=fitted.intercept + shift,
        as_of=as_of,
        model_name=model.name,
        demonstration=model.is_demonstration,
        rules=rules,
        model_source=model.source,
        bands=dict(fitted.bands),
        calendar_basis=calendar_basis(exports),
        statutory_undetermined=undetermined(exports),
        trained_as_of=tuple(model.card.training_data.as_of_dates),
        season_shift=shift,
    )


ABSENCES = {"authorised", "sick", "unauthorised", "luxe"}


def undetermined(exports: Exports) -> str | None:
    """Why the 16-hour rule cannot be determined from these exports: "no_absences" when the attendance export
    registers no absence at all (only lateness, removals or presence); None when it can."""
    code = exports.attendance["code"]
    used = code.cat.categories[np.unique(code.cat.codes.to_numpy()[code.cat.codes.to_numpy() >= 0])]
    return None if set(map(str, used)) & ABSENCES else "no_absences"


def select(
    result: ScoreResult, *, top: int | None = None, mentor: str | None = None, class_: str | None = None
) -> pd.DataFrame:
    """The rows a listing asks for: one mentor's or class's students, the first N by rank."""
    table = result.table
    if mentor is not None:
        table = table[table["mentor"].astype(str) == mentor]
        if table.empty:
            raise UsageError(
                msg("no student has mentor '{mentor}'", mentor=mentor), hint=msg("check the mentor code in the roster")
            )
    if class_ is not None:
        table = table[table["class"].astype(str) == class_]
        if table.empty:
            raise UsageError(
                msg("no student is in class '{class_name}'", class_name=class_),
                hint=msg("check the class code in the roster"),
            )
    if top is not None:
        if top < 1:
            raise UsageError(msg("`top` must be 1 or more"))
        table = table.head(top)
    return table


@dataclass(frozen=True)
class Explanation:
    """One student's full breakdown."""

    student_id: str
    row: pd.Series
    breakdown: pd.DataFrame  # feature, value, reference, contribution, used
    base_logit: float
    flags: pd.Series
    registrations: pd.DataFrame  # the student's registrations of the last 14 calendar weeks (12 lesson weeks and a
    #                               holiday's margin: the window of the 12-week signals, whatever the calendar)
    result: ScoreResult
    shape: str = "linear"  # additive: the base is the average training student, not one at every mean
    enrolled_weeks: int | None = None  # of the last 12 lesson weeks, when fewer: counts were scaled (features.py)
    interval: tuple[float, float] | None = None  # 95% of the chance over the model's refits (training.uncertainty)
    refits: int = 0  # how many refits the interval rests on


def explain(
    exports: Exports,
    model: LoadedModel,
    student_id: str,
    *,
    as_of: pd.Timestamp | None = None,
    rules: FlagRules | None = None,
) -> Explanation:
    result = score(exports, model, as_of=as_of, rules=rules)
    if student_id not in result.table.index:
        raise UsageError(
            msg("student '{student_id}' is not in these exports", student_id=student_id),
            hint=msg("check the pseudonym; `riskscreen score` lists every student"),
        )
    fitted = model.fitted
    values = result.features.loc[student_id]
    reference = dict(zip(fitted.features, fitted.reference, strict=True))
    parts = result.contributions.loc[student_id]
    rows = []
    for name, spec in SPEC.items():
        used = name in fitted.features
        rows.append(
            {
                "feature": name,
                "description": spec.description,
                "value": float(values[name]),
                "reference": reference.get(name, np.nan),
                "contribution": float(parts[name]) if used else 0.0,
                "used": used,
            }
        )
    breakdown = pd.DataFrame(rows).sort_values("contribution", ascending=False, kind="stable").reset_index(drop=True)
    att = exports.attendance
    mine = att[(att["student_id"].astype(str) == student_id)]
    as_of_ts = result.as_of
    days = day_numbers(mine["date"].to_numpy())
    start = as_of_ts - pd.Timedelta(weeks=14)
    keep = (days <= day_numbers(np.array([as_of_ts.to_datetime64()]))[0]) & (mine["date"] >= start).to_numpy()
    registrations = mine.loc[keep].sort_values(["date", *(["period"] if "period" in mine else [])])
    scaled = values.get("enrolment_scale_12w", 1.0) != 1.0 or values.get("enrolment_scale_4w", 1.0) != 1.0
    return Explanation(
        student_id,
        result.table.loc[student_id],
        breakdown,
        result.base_logit,
        result.flags.loc[student_id],
        registrations.reset_index(drop=True),
        result,
        fitted.kind,
        int(values["enrolled_weeks_12w"]) if scaled else None,
        chance_interval(model, result.features.loc[[student_id]], result.season_shift),
        model.card.uncertainty.samples if model.card.uncertainty else 0,
    )


def chance_interval(model: LoadedModel, features: pd.DataFrame, shift: float = 0.0) -> tuple[float, float] | None:
    """The middle 95% of one student's chance over the model's bootstrap refits (each moved by the list's season
    `shift`, as the chance is): the model's own uncertainty. None for a model whose card has no refits (an additive
    model, or one trained before #24)."""
    refits = model.card.uncertainty
    if refits is None or model.fitted.kind != "linear" or not refits.intercepts:
        return None
    coefficients = np.asarray(refits.coefficients, dtype=float)
    if coefficients.shape[1] != len(model.fitted.features):
        return None
    intercepts = np.asarray(refits.intercepts, dtype=float) + shift
    logit = standardised(model.fitted, features)[0] @ coefficients.T + intercepts
    chances = 1.0 / (1.0 + np.exp(-logit))
    return float(np.percentile(chances, 2.5)), float(np.percentile(chances, 97.5))
