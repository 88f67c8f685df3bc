"""pandera models of the data contract's canonical tables, and their failures as grouped problems."""

from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from riskscreen.errors import Message, msg
from riskscreen.i18n import decimal
from riskscreen.ingest.mapping import MappedTable
from riskscreen.ingest.problems import ERROR, Problem, problem_at
from riskscreen.ingest.profiles import ATTENDANCE_CODES, LEERWEGEN, LEVELS

PSEUDONYM = r"[A-Za-z0-9_\-]{1,64}"


def _words(expected: str, fix: str, *, decimals: int = 0) -> dict[str, object]:
    """A field's words for its problems; {bounds} is filled in from the field's own checks (ge, gt, le, isin)."""
    return {"expected": expected, "fix": fix, "decimals": decimals}


def _pseudonym_ok(series: pd.Series) -> pd.Series:
    ok = np.asarray(series.cat.categories.astype(str).str.fullmatch(PSEUDONYM), dtype=bool)
    codes = series.cat.codes.to_numpy()
    # An empty id is reported by the not-null rule, not twice.
    return pd.Series(np.where(codes >= 0, ok[np.clip(codes, 0, None)] if ok.size else True, True), index=series.index)


class _Keyed(pa.DataFrameModel):
    """Every table: a pseudonymised student id; other columns are allowed (and reported as ignored)."""

    student_id: Series[pd.CategoricalDtype] = pa.Field(nullable=False)

    @pa.check("student_id", name="pseudonym")
    def pseudonym(cls, series: pd.Series) -> pd.Series:
        return _pseudonym_ok(series)

    class Config:
        strict = False


class Attendance(_Keyed):
    """One registration of one lesson."""

    date: Series[pa.DateTime] = pa.Field(nullable=False)
    period: Optional[Series[float]] = pa.Field(
        ge=1,
        le=12,
        nullable=True,
        metadata=_words("a lesson hour {bounds}", "write the lesson hour as a whole number {bounds}"),
    )
    hours: Series[float] = pa.Field(
        gt=0,
        le=12,
        nullable=False,
        metadata=_words("{bounds} hours", "write the hours this row covers, such as 1 or 0,75"),
    )
    code: Series[pd.CategoricalDtype] = pa.Field(
        nullable=False,
        isin=list(ATTENDANCE_CODES),
        metadata=_words("a known absence code", "map the code in the profile"),
    )


class Grades(_Keyed):
    """One grade entered."""

    subject: Series[pd.CategoricalDtype] = pa.Field(nullable=False)
    date: Series[pa.DateTime] = pa.Field(nullable=False)
    grade: Series[float] = pa.Field(
        ge=1.0,
        le=10.0,
        nullable=False,
        metadata=_words(
            "a grade {bounds}", "use the Dutch 1-10 scale; a 100-point scale must be divided by 10 first", decimals=1
        ),
    )
    weight: Series[float] = pa.Field(
        gt=0,
        le=100,
        nullable=False,
        metadata=_words("a weight {bounds}", "write the weight as a positive number, such as 1 or 2"),
    )


class Students(_Keyed):
    """One student of the roster."""

    level: Optional[Series[pd.CategoricalDtype]] = pa.Field(
        nullable=True,
        isin=list(LEVELS),
        metadata=_words("a known level", "map the level in the profile's [codes.level]"),
    )
    year: Optional[Series[float]] = pa.Field(
        ge=1, le=6, nullable=True, metadata=_words("a leerjaar {bounds}", "write the school year {bounds}")
    )
    age: Optional[Series[float]] = pa.Field(
        ge=10, le=30, nullable=True, metadata=_words("an age {bounds}", "write the age in whole years")
    )
    repeated_years: Optional[Series[float]] = pa.Field(
        ge=0, le=10, nullable=True, metadata=_words("{bounds} years repeated", "write the number of repeated years")
    )
    moved_down: Optional[Series[float]] = pa.Field(
        ge=0, le=10, nullable=True, metadata=_words("{bounds} moves down", "write the number of moves to a lower level")
    )
    as_of: Optional[Series[pa.DateTime]] = pa.Field(nullable=False)
    enrolled_from: Optional[Series[pa.DateTime]] = pa.Field(nullable=True)
    # a documented extension: 1 with a startkwalificatie, 0 without, blank not known (counted as without)
    startkwalificatie: Optional[Series[float]] = pa.Field(
        isin=[0.0, 1.0],
        nullable=True,
        metadata=_words("{bounds}", "write Ja or Nee (or 1 or 0); leave it blank when it is not known"),
    )
    leerweg: Optional[Series[pd.CategoricalDtype]] = pa.Field(
        nullable=True,
        isin=list(LEERWEGEN),
        metadata=_words("BOL or BBL", "write BOL or BBL, or map the value in the profile's [codes.leerweg]"),
    )


class Outcomes(_Keyed):
    """One student at one moment, with whether they left without a startkwalificatie."""

    as_of: Series[pa.DateTime] = pa.Field(nullable=False)
    left_without_qualification: Series[float] = pa.Field(
        isin=[0.0, 1.0],
        nullable=False,
        metadata=_words("{bounds}", "write 1 if the student left without a startkwalificatie, else 0"),
    )
    enrolled_elsewhere: Optional[Series[float]] = pa.Field(
        isin=[0.0, 1.0],
        nullable=True,
        metadata=_words("{bounds}", "write 1 if the student is enrolled at another school or institution, else 0"),
    )
    left_on: Optional[Series[pa.DateTime]] = pa.Field(nullable=True)  # the day the student left (uitschrijfdatum)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "attendance": Attendance,
    "grades": Grades,
    "students": Students,
    "outcomes": Outcomes,
}

RULE_TEXT: dict[str, tuple[str, Message, Message]] = {
    # pandera check name -> (rule, message, how to fix)
    "not_nullable": ("missing value", msg("empty where a value is required"), msg("fill it in, or remove the row")),
    "pseudonym": (
        "pseudonym",
        msg("not a valid pseudonym (1-64 letters, digits, '-' or '_')"),
        msg("use the pseudonymised student number, without spaces or other characters"),
    ),
}


def warm_up() -> None:
    """Make pandera load its backends and built-in checks now (tenths of a second), not in the first validate."""
    frame = pd.DataFrame(
        {
            "student_id": pd.Categorical(["a"]),
            "as_of": pd.to_datetime(["2026-01-01"]),
            "left_without_qualification": [0.0],
        }
    )
    Outcomes.validate(frame, lazy=True)


def validate_table(mapped: MappedTable) -> list[Problem]:
    """Run the table's pandera model lazily and turn every failure into a grouped problem."""
    if mapped.frame.empty and len(mapped.frame.columns) == 0:
        return []
    model = MODELS[mapped.table]
    try:
        model.validate(mapped.frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _problems_from(mapped, exc.failure_cases)
    return []


def _problems_from(mapped: MappedTable, failures: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    failures = failures[failures["index"].notna()]
    position = pd.Series(np.arange(len(mapped.frame)), index=mapped.frame.index)
    for (column, check), group in failures.groupby(["column", "check"], sort=False):
        index = group["index"].to_numpy()
        failed = mapped.parse_failed.get(str(column))
        if failed is not None:
            # Values that could not be parsed were reported already; don't report them again as missing.
            keep = ~failed[position.reindex(index).to_numpy(dtype=int)]
            index, group = index[keep], group[keep]
        if len(index) == 0:
            continue
        lines = np.asarray(index, dtype=np.int64) + mapped.raw.header_line + 1
        order = np.argsort(lines, kind="stable")
        lines = lines[order]
        values = group["failure_case"].to_numpy()[order]
        source = mapped.sources.get(str(column))
        if source is not None and source in mapped.raw.frame:
            # show the cell as the user wrote it ("13", "8,5"), not as it was parsed (13.0)
            raw = mapped.raw.frame[source]
            at = raw.index.get_indexer(np.asarray(index, dtype=np.int64)[order][:5])
            values = np.array([str(v).strip() for v in raw.to_numpy()[at[at >= 0]] if not pd.isna(v)], dtype=object)
        check = str(check)
        if check in RULE_TEXT:
            rule, message, fix = RULE_TEXT[check]
        else:
            expected, fix = range_text(mapped.table, str(column))
            rule, message = "out of range", msg("not {expected}", expected=expected)
        problems.append(
            problem_at(ERROR, mapped.table, mapped.raw.name, str(column), rule, message, fix, lines, list(values))
        )
    return problems


def range_text(table: str, column: str) -> tuple[Message, Message]:
    """What a column's values must be and how to fix one that is not, from the field's checks and words (the
    field's templates, with {bounds} filled in: tests/shared/test_messages.py holds their Dutch to account too)."""
    schema = MODELS[table].to_schema()
    field = schema.columns.get(column)
    words = (field.metadata or {}) if field is not None else {}
    if not words:
        return msg("an allowed value"), msg("correct the value")
    bounds = _bounds(field.checks, int(words.get("decimals", 0)))  # type: ignore[union-attr]
    return msg(str(words["expected"]), bounds=bounds), msg(str(words["fix"]), bounds=bounds)


def _bounds(checks: list[pa.Check], decimals: int) -> Message:
    """'from 1 to 12', 'more than 0 and at most 12', '0 or 1': the checks of a field in words."""

    def shown(value: object) -> str:
        number = float(value)  # type: ignore[arg-type]
        return decimal(number, "nl", f".{decimals}f")  # the contract's bounds as the Dutch exports write them

    stats: dict[str, dict[str, object]] = {str(c.name): dict(c.statistics or {}) for c in checks}
    low_incl = stats.get("greater_than_or_equal_to", {}).get("min_value")
    low_excl = stats.get("greater_than", {}).get("min_value")
    high = stats.get("less_than_or_equal_to", {}).get("max_value")
    allowed = stats.get("isin", {}).get("allowed_values")
    if isinstance(allowed, list | tuple):
        values = [shown(v) if isinstance(v, int | float) else str(v) for v in allowed]
        return (
            msg("{first} or {second}", first=", ".join(values[:-1]), second=values[-1])
            if len(values) > 1
            else msg("{value}", value=values[0] if values else "")
        )
    if low_incl is not None and high is not None:
        return msg("from {low} to {high}", low=shown(low_incl), high=shown(high))
    if low_excl is not None and high is not None:
        return msg("more than {low} and at most {high}", low=shown(low_excl), high=shown(high))
    if low_incl is not None:
        return msg("{low} or more", low=shown(low_incl))
    if low_excl is not None:
        return msg("above {low}", low=shown(low_excl))
    return msg("at most {high}", high=shown(high)) if high is not None else msg("{value}", value="")
