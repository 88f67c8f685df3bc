"""Mapping a raw export onto a canonical table: which column is which, then each parsed by ingest.parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from riskscreen.errors import msg
from riskscreen.identifiers import fold_text, shorten
from riskscreen.ingest.parsing import Mapper, as_categorical, on_categories, spread, stripped_text
from riskscreen.ingest.problems import ERROR, WARNING, Problem, problem_at, shown_value
from riskscreen.ingest.profiles import (
    ATTENDANCE_CODES,
    CANONICAL_COLUMNS,
    LEERWEGEN,
    LEVELS,
    NO_VALUES,
    REQUIRED_COLUMNS,
    YES_VALUES,
    Profile,
    normalise_value,
)
from riskscreen.ingest.raw import RawTable
from riskscreen.ingest.sniff import normalise_header

TOTALS_WORDS = ("totaal", "total", "totalen", "som", "gemiddelde", "average", "subtotaal")
PASS_FAIL_GRADES = {
    "v": "voldoende",
    "o": "onvoldoende",
    "g": "goed",
    "zg": "zeer goed",
    "rv": "ruim voldoende",
    "voldoende": "voldoende",
    "onvoldoende": "onvoldoende",
    "goed": "goed",
    "zeer goed": "zeer goed",
    "ruim voldoende": "ruim voldoende",
    "matig": "matig",
    "slecht": "slecht",
}
GRADE_MARKERS = {"-", "inh", "vr", "ngd", "nvt", "n.v.t", "ziek", "afw", "x", "*", "inhalen", "vrijstelling"}


@dataclass
class MappedTable:
    """A canonical table and what mapping found; frame keeps the raw index so rows can be reported."""

    table: str
    raw: RawTable
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    parse_failed: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    duplicates: np.ndarray | None = None
    sources: dict[str, str] = field(default_factory=dict)  # canonical column -> the export's column
    date_formats: dict[str, str] = field(default_factory=dict)  # canonical column -> the format its dates had
    # attendance: how many registrations of presence the export held (they are not kept), and the days of all
    # registrations, presence included (for lesson weeks when the school gives no calendar)
    presence_rows: int = 0
    registration_days: np.ndarray | None = None


def _resolve_columns(raw: RawTable, table: str, profile: Profile) -> tuple[dict[str, str], list[str]]:
    aliases = profile.aliases(table)
    found: dict[str, str] = {}
    ignored: list[str] = []
    for column in raw.frame.columns:
        key = normalise_header(column)
        canonical = aliases.get(key)
        if canonical and canonical not in found:
            found[canonical] = str(column)
        elif table == "students" and key.startswith("audit"):
            found[audit_name(column)] = str(column)
        else:
            ignored.append(str(column))
    return found, ignored


def audit_name(column: object) -> str:
    """The canonical name of an audit column, keeping its words apart: 'audit_urban_rural', 'audit_group'."""
    words = re.sub(r"[\W_]+", "_", fold_text(column).strip().lower()).strip("_")
    rest = words[len("audit") :].lstrip("_")
    return f"audit_{rest or 'group'}"


def _drop_totals(mapper: Mapper, source: str) -> np.ndarray:
    """Rows whose id cell says 'Totaal' or the like: a spreadsheet's summary line, not a student."""

    series = as_categorical(mapper.raw.frame[source])
    lowered = stripped_text(series.cat.categories).str.lower()
    total_category = lowered.str.startswith(TOTALS_WORDS).to_numpy(dtype=bool)
    if not total_category.any():
        return np.zeros(len(series), dtype=bool)
    mask = spread(total_category, series.cat.codes.to_numpy(), False)
    if mask.any():
        mapper.problems.append(
            problem_at(
                WARNING,
                mapper.table,
                mapper.raw.name,
                "student_id",
                "totals row",
                msg("a totals or summary row; ignored"),
                msg("nothing to do; or remove summary rows from the export"),
                mapper.lines(mask),
                list(mapper.raw.frame[source].to_numpy()[mask][:5]),
            )
        )
    return mask


def map_table(raw: RawTable, table: str, profile: Profile) -> MappedTable:
    """Rename, parse and recode one raw export into the canonical form of `table`."""
    mapper = Mapper(raw, table, profile)
    found, ignored = _resolve_columns(raw, table, profile)
    required = set(REQUIRED_COLUMNS[table])
    if table == "attendance" and "authorised" in found:
        required.discard("code")
    missing = [c for c in REQUIRED_COLUMNS[table] if c in required and c not in found]
    if missing:
        for column in missing:
            names = sorted({n for n in profile.columns.get(table, {}).get(column, ())} | {column})
            mapper.problems.append(
                Problem(
                    ERROR,
                    table,
                    raw.name,
                    column,
                    "missing column",
                    f"required column '{column}' is missing (headers found: "
                    f"{', '.join(shorten(c) for c in raw.frame.columns)})",
                    (
                        "the file has a single column: save it with ';', ',' or tab between the columns"
                        if raw.frame.shape[1] == 1
                        else f"add it, or rename the header to one of: {', '.join(names)}; or use another --profile"
                    ),
                )
            )
        return MappedTable(
            table, raw, pd.DataFrame(index=raw.frame.index), mapper.problems, tuple(ignored), notes=mapper.notes
        )
    totals = _drop_totals(mapper, found["student_id"])
    if totals.any():
        # Summary lines are set aside before parsing, so their cells raise no errors of their own.
        raw = replace(raw, frame=raw.frame.loc[~totals])
        problems = mapper.problems
        mapper = Mapper(raw, table, profile)
        mapper.problems = problems
    columns: dict[str, pd.Series] = {}
    presence_rows = 0
    if table == "attendance":
        # The code decides which rows are kept (absences), so it is parsed first; its problems are reported
        # after the other columns', in the order of the canonical table.
        before = len(mapper.problems)
        code = _attendance_code(mapper, found)
        code_problems = mapper.problems[before:]
        del mapper.problems[before:]
        absent = code.cat.codes.to_numpy() != ATTENDANCE_CODES.index("present")
        presence_rows = int((~absent).sum())
        if not absent.all():
            mapper.keep_only(absent)
            code = mapper.series(code.array[mapper.take], "code")
        columns["student_id"] = mapper.text(found["student_id"], "student_id")
        columns["date"] = mapper.dates(found["date"], "date")
        if "period" in found:
            columns["period"] = mapper.numbers(found["period"], "period", integer=True)
        else:
            mapper.notes.append(
                msg("no lesson-number column: every row counts as one lesson, also rows that look the same")
            )
        if "hours" in found:
            hours = mapper.numbers(found["hours"], "hours")
            blank = ~mapper.raw.frame[found["hours"]].notna().to_numpy()
            if blank.any():  # never a silent default: the 16-hour rule counts these hours
                mapper.problem(
                    ERROR,
                    "hours",
                    "missing value",
                    msg("no hours given: the 16-hour rule cannot count this registration"),
                    msg(
                        "fill in the hours, or leave the hours column out of the export (then every row "
                        "counts as one lesson)"
                    ),
                    blank,
                )
            columns["hours"] = hours.fillna(profile.lesson_hours)
        else:
            columns["hours"] = mapper.series(np.full(len(mapper.out_index), profile.lesson_hours, float), "hours")
        columns["code"] = code
        mapper.problems.extend(code_problems)
    else:
        columns["student_id"] = mapper.text(found["student_id"], "student_id")
    if table == "grades":
        columns["subject"] = mapper.text(found["subject"], "subject")
        columns["date"] = mapper.dates(found["date"], "date")
        columns["grade"] = _grades(mapper, found["grade"])
        if "weight" in found:
            columns["weight"] = mapper.numbers(found["weight"], "weight").fillna(1.0)
        else:
            columns["weight"] = mapper.series(np.ones(len(mapper.out_index)), "weight")
    elif table == "students":
        for name in ("year", "age", "repeated_years", "moved_down"):
            if name in found:
                columns[name] = mapper.numbers(found[name], name, integer=True)
        if "level" in found:
            columns["level"] = mapper.codes(
                found["level"], "level", profile.code_map("level"), LEVELS, what="level", blank_ok=True
            )
        if "as_of" in found:
            columns["as_of"] = mapper.dates(found["as_of"], "as_of")
        if "startkwalificatie" in found:  # blank: not known, which the statutory rules read as "without"
            values = _yes_no_values(mapper, found["startkwalificatie"], "startkwalificatie")
            columns["startkwalificatie"] = mapper.series(
                values if mapper.take is None else values[mapper.take], "startkwalificatie"
            )
        if "leerweg" in found:
            columns["leerweg"] = mapper.codes(
                found["leerweg"], "leerweg", profile.code_map("leerweg"), LEERWEGEN, what="leerweg", blank_ok=True
            )
        if "enrolled_from" in found:  # blank: not known, the student counts as enrolled all along
            columns["enrolled_from"] = mapper.dates(found["enrolled_from"], "enrolled_from", blank_ok=True)
        for name in ("mentor", "class"):
            if name in found:
                columns[name] = mapper.text(found[name], name)
        for name, source in found.items():
            if name.startswith("audit_"):
                columns[name] = mapper.text(source, name)
    elif table == "outcomes":
        columns["as_of"] = mapper.dates(found["as_of"], "as_of")
        columns["left_without_qualification"] = _yes_no(
            mapper, found["left_without_qualification"], "left_without_qualification"
        )
        if "enrolled_elsewhere" in found:  # blank: not known elsewhere
            values = _yes_no_values(mapper, found["enrolled_elsewhere"], "enrolled_elsewhere")
            columns["enrolled_elsewhere"] = mapper.series(
                values if mapper.take is None else values[mapper.take], "enrolled_elsewhere"
            )
        if "left_on" in found:  # blank: the student did not leave, or the school did not write when
            columns["left_on"] = mapper.dates(found["left_on"], "left_on", blank_ok=True)
    frame = pd.DataFrame(columns, index=mapper.out_index)
    parse_failed = mapper.finish()
    if "grade" in frame.columns:
        keep = frame["grade"].notna().to_numpy() | parse_failed.get("grade", np.zeros(len(frame), bool))
        if not keep.all():
            frame = frame.loc[keep]
            parse_failed = {k: v[keep] for k, v in parse_failed.items()}
    return MappedTable(
        table,
        raw,
        frame,
        mapper.problems,
        tuple(ignored),
        parse_failed,
        mapper.notes,
        sources=found,
        date_formats=mapper.date_formats,
        presence_rows=presence_rows,
        registration_days=mapper.all_dates.get("date"),
    )


def _attendance_code(mapper: Mapper, found: dict[str, str]) -> pd.Series:
    mapping = mapper.profile.code_map("attendance")
    if "authorised" not in found:
        return mapper.codes(found["code"], "code", mapping, ATTENDANCE_CODES, what="absence code", blank_ok=False)
    flag = _yes_no_values(mapper, found["authorised"], "authorised")
    n = len(mapper.raw.frame)
    reason: np.ndarray
    if "code" in found:
        reason_series = as_categorical(mapper.raw.frame[found["code"]])
        normalised = stripped_text(reason_series.cat.categories).map(normalise_value)
        mapped = normalised.map(mapping).to_numpy(dtype=object)
        rc = reason_series.cat.codes.to_numpy()
        picked = mapped[np.clip(rc, 0, None)] if len(mapped) else None
        reason = np.asarray(np.where(rc >= 0, picked, None), dtype=object)
    else:
        reason = np.full(n, None, dtype=object)
    # A Ja/Nee "geoorloofd" column decides between authorised and unauthorised for reasons that are not
    # sickness, lateness or removal, and for free-text reasons the profile does not know.
    decided_by_flag = pd.isna(reason) | np.isin(reason, ["authorised", "unauthorised"])
    code = np.where(
        decided_by_flag & (flag == 1), "authorised", np.where(decided_by_flag & (flag == 0), "unauthorised", reason)
    )
    unknown = pd.isna(code)
    if unknown.any():
        source = found.get("code", found["authorised"])
        counts = pd.Series(mapper.raw.frame[source].to_numpy()[unknown]).value_counts(dropna=False)
        listing = ", ".join(f"'{shown_value(v)}' ({n}x)" for v, n in counts.head(10).items())
        mapper.problem(
            ERROR,
            "code",
            "unknown code",
            msg(
                "absence reason is unknown and '{found}' does not say Ja or Nee: {listing}",
                found=found["authorised"],
                listing=listing,
            ),
            msg("fill in Ja/Nee, or map the reason in the profile's [codes.attendance] table"),
            unknown,
            source,
        )
    return pd.Series(pd.Categorical(code, categories=list(ATTENDANCE_CODES)), index=mapper.raw.frame.index, name="code")


def _yes_no_values(mapper: Mapper, source: str, column: str) -> np.ndarray:
    def convert(categories: pd.Index) -> np.ndarray:
        text = stripped_text(categories).map(normalise_value)
        return np.where(text.isin(YES_VALUES), 1.0, np.where(text.isin(NO_VALUES), 0.0, np.nan))

    values = on_categories(mapper.raw.frame[source], convert, np.nan).astype(float)
    present = mapper.raw.frame[source].notna().to_numpy()
    bad = present & np.isnan(values)
    if bad.any():
        mapper.problem(
            ERROR, column, "yes/no", msg("not a yes/no value"), msg("write 1 or 0 (or Ja or Nee)"), bad, source
        )
    return values


def _yes_no(mapper: Mapper, source: str, column: str) -> pd.Series:
    values = _yes_no_values(mapper, source, column)
    blank = ~mapper.raw.frame[source].notna().to_numpy()
    if blank.any():
        mapper.problem(ERROR, column, "missing value", msg("the outcome is empty"), msg("fill in 1 or 0"), blank)
    return mapper.series(values if mapper.take is None else values[mapper.take], column)


def _grades(mapper: Mapper, source: str) -> pd.Series:
    """Numeric grades; pass/fail words (V, O, G) and markers (inh, vr) are reported and set aside."""
    series = mapper.raw.frame[source]

    def convert(categories: pd.Index) -> np.ndarray:
        cleaned = stripped_text(categories).str.replace(",", ".", regex=False)
        return pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)

    values = on_categories(series, convert, np.nan).astype(float)
    present = series.notna().to_numpy()
    non_numeric = present & np.isnan(values)
    if non_numeric.any():
        lowered = pd.Series(series.to_numpy()[non_numeric]).astype(str).map(normalise_value)
        words = lowered.isin(list(PASS_FAIL_GRADES)).to_numpy() | lowered.isin(list(GRADE_MARKERS)).to_numpy()
        word_mask = np.zeros(len(values), dtype=bool)
        word_mask[np.flatnonzero(non_numeric)[words]] = True
        if word_mask.any():
            mapper.problem(
                WARNING,
                "grade",
                "not a number",
                msg("a word or mark instead of a number (such as V, O, G or inh); not used in grade features"),
                msg("nothing to do; riskscreen uses numeric grades only"),
                word_mask,
                source,
            )
        rest = non_numeric & ~word_mask
        if rest.any():
            mapper.problem(
                ERROR,
                "grade",
                "number",
                msg("not a grade"),
                msg("write a grade from 1,0 to 10,0 such as 6,5"),
                rest,
                source,
            )
    blank = ~present
    if blank.any():
        mapper.problems.append(
            problem_at(
                WARNING,
                mapper.table,
                mapper.raw.name,
                "grade",
                "missing value",
                msg("no grade entered; row ignored"),
                msg("nothing to do"),
                mapper.lines(blank),
            )
        )
    return mapper.series(values if mapper.take is None else values[mapper.take], "grade")


__all__ = ["CANONICAL_COLUMNS", "MappedTable", "map_table"]
