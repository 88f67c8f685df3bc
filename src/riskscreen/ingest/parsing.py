"""Parsing one raw export's text columns into typed values, one distinct value at a time, recording problems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd

from riskscreen.dates import DATE_FORMATS, FIRST_YEAR, FORMAT_LABEL, LAST_YEAR
from riskscreen.errors import msg
from riskscreen.ingest.problems import ERROR, WARNING, Problem, problem_at, shown_value
from riskscreen.ingest.profiles import Profile, normalise_value
from riskscreen.ingest.raw import RawTable

TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
FIRST_DATE = pd.Timestamp(FIRST_YEAR, 1, 1)  # the plausible range of a school's registrations, grades and rosters
LAST_DATE = pd.Timestamp(LAST_YEAR, 12, 31)
TOTALS_WORDS = ("totaal", "total", "totalen", "som", "gemiddelde", "average", "subtotaal")


def as_categorical(series: pd.Series) -> pd.Series:
    return series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")


def on_categories(series: pd.Series, convert: Callable[[pd.Index], np.ndarray], fill: object) -> np.ndarray:
    """Apply a conversion to each distinct value once and spread the result over the rows."""
    series = as_categorical(series)
    categories = series.cat.categories
    converted = convert(categories) if len(categories) else np.array([], dtype=object)
    return spread(converted, series.cat.codes.to_numpy(), fill)


def spread(per_category: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
    """Each row's value from its category's value; rows with no value (code -1) get `fill`.

    The fill is appended last, so code -1 picks it by numpy's negative indexing: no temporary arrays.
    """
    filler = np.array([fill]) if per_category.size == 0 else np.array([fill], dtype=per_category.dtype)
    table = np.concatenate([per_category.astype(filler.dtype, copy=False), filler])
    return table[codes]


def _visible(text: str) -> str:
    """Text without Unicode format characters (category Cf: bidi overrides and isolates, zero-width marks). ASCII
    holds none, and nearly every cell of an export is ASCII: those are returned as they are, unread."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def stripped_text(categories: pd.Index) -> pd.Series:
    return pd.Series(categories.astype(str), dtype=object).str.strip()


class Mapper:
    """Parses columns of one raw export. Every cell is checked; only the rows in `take` are materialised."""

    def __init__(self, raw: RawTable, table: str, profile: Profile) -> None:
        self.raw = raw
        self.table = table
        self.profile = profile
        self.problems: list[Problem] = []
        self.parse_failed: dict[str, np.ndarray] = {}  # per raw row, until `finish`
        self.notes: list[str] = []
        self.date_formats: dict[str, str] = {}
        self.all_dates: dict[str, np.ndarray] = {}  # column -> the distinct days of every row, kept or not
        # Positions of the raw rows the canonical frame keeps (None: all). Attendance keeps only absences, a
        # tenth of a school's registrations: building the other nine tenths would cost time and memory.
        self.take: np.ndarray | None = None

    @property
    def out_index(self) -> pd.Index:
        return self.raw.frame.index if self.take is None else self.raw.frame.index[self.take]

    def keep_only(self, mask: np.ndarray) -> None:
        self.take = np.flatnonzero(mask)

    def out(self, per_category: np.ndarray, codes: np.ndarray, fill: object) -> np.ndarray:
        """Each kept row's value from its category's value."""
        return spread(per_category, codes if self.take is None else codes[self.take], fill)

    def series(self, values: object, column: str) -> pd.Series:
        return pd.Series(values, index=self.out_index, name=column, copy=False)

    def finish(self) -> dict[str, np.ndarray]:
        """parse_failed in the rows of the canonical frame."""
        if self.take is None:
            return self.parse_failed
        return {k: v[self.take] for k, v in self.parse_failed.items()}

    def lines(self, mask: np.ndarray) -> np.ndarray:
        return np.asarray(self.raw.frame.index[np.flatnonzero(mask)]) + self.raw.header_line + 1

    def problem(
        self,
        severity: str,
        column: str,
        rule: str,
        message: str,
        fix: str,
        mask: np.ndarray,
        values: str | list[object] | None = None,
    ) -> None:
        """values: the raw column whose cells at the failing rows are shown, or the values themselves."""
        rows = self.lines(mask)
        shown: list[object]
        if isinstance(values, str):
            shown = [str(v).strip() for v in self.raw.frame[values].to_numpy()[np.flatnonzero(mask)[:5]]]
        else:
            shown = list(values or [])
        self.problems.append(
            problem_at(
                severity, self.table, self.raw.name, column, rule, message, fix, rows, shown, count=int(mask.sum())
            )
        )
        if severity == ERROR:
            self.parse_failed[column] = self.parse_failed.get(column, np.zeros(len(mask), bool)) | mask

    # ------------------------------------------------------------------------------------- value parsers
    def dates(self, source: str, column: str, *, blank_ok: bool = False) -> pd.Series:
        series = as_categorical(self.raw.frame[source])
        categories = stripped_text(series.cat.categories).str.replace(TIME_SUFFIX, "", regex=True)
        fmt = self.profile.date_format
        parsed: pd.Series
        if fmt == "auto":
            parsed, fmt = _detect_dates(categories)
        else:
            parsed = pd.to_datetime(categories, format=fmt, errors="coerce")
        self.date_formats[column] = fmt
        if fmt == "excel":
            self.notes.append(msg("column '{column}' holds Excel serial numbers; read them as dates", column=source))
        elif fmt in {"%d-%m-%y", "%d/%m/%y", "%d.%m.%y"}:
            self.notes.append(msg("column '{column}' has two-digit years; read 00-68 as 2000-2068", column=source))
        # Outside the school years riskscreen reads, a date is a typo (9999, 1900) or a placeholder; beyond
        # 1677-2262 it would not even fit a nanosecond timestamp, and converting it would wrap silently.
        parsed = pd.Series(pd.to_datetime(parsed, errors="coerce"))
        implausible = (parsed.notna() & ((parsed < FIRST_DATE) | (parsed > LAST_DATE))).to_numpy(dtype=bool)
        values = parsed.where(~implausible).to_numpy(dtype="datetime64[ns]")
        codes = series.cat.codes.to_numpy()
        used = values[np.unique(codes[codes >= 0])] if values.size else values
        self.all_dates[column] = np.unique(used[~np.isnat(used)].astype("datetime64[D]"))
        outside = spread(implausible, codes, False)
        if outside.any():
            self.problem(
                ERROR,
                column,
                "date",
                msg(
                    "a date before {first} or after {last}, outside any school year riskscreen reads",
                    first=FIRST_DATE.year,
                    last=LAST_DATE.year,
                ),
                msg("correct the date; a typo in the year is the usual cause"),
                outside,
                source,
            )
        unreadable = np.isnat(values) & ~(blank_ok & (categories == "").to_numpy(dtype=bool))
        bad = spread(unreadable, codes, False) & ~outside
        if bad.any():
            label = FORMAT_LABEL.get(fmt, fmt)
            self.problem(
                ERROR,
                column,
                "date",
                msg("not a valid date (the column's dates are {label})", label=label),
                msg("write the date as DD-MM-YYYY or YYYY-MM-DD, or set date_format in the profile"),
                bad,
                source,
            )
        return self.series(self.out(values, codes, np.datetime64("NaT", "ns")), column)

    def numbers(self, source: str, column: str, *, integer: bool = False) -> pd.Series:
        series = as_categorical(self.raw.frame[source])
        codes = series.cat.codes.to_numpy()
        text = stripped_text(series.cat.categories).str.replace(",", ".", regex=False)
        values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float) if len(text) else np.zeros(0)
        bad_value = np.isnan(values)
        if integer:
            bad_value |= values != np.round(values)
        bad = spread(bad_value, codes, False)
        if bad.any():
            if integer:
                self.problem(
                    ERROR,
                    column,
                    "number",
                    msg("not a whole number"),
                    msg("write a whole number, such as 3"),
                    bad,
                    source,
                )
            else:
                self.problem(
                    ERROR, column, "number", msg("not a number"), msg("write a number, such as 7,5 or 7.5"), bad, source
                )
            values = np.where(bad_value, np.nan, values)
        return self.series(self.out(values, codes, np.nan), column)

    def codes(
        self, source: str, column: str, mapping: dict[str, str], valid: tuple[str, ...], *, what: str, blank_ok: bool
    ) -> pd.Series:
        series = as_categorical(self.raw.frame[source])
        normalised = stripped_text(series.cat.categories).map(normalise_value)
        target = {code: i for i, code in enumerate(valid)}
        # each distinct source value -> the index of its canonical code (-1 unknown), spread by integer codes
        per_category = normalised.map(mapping).map(target).fillna(-1).to_numpy(dtype=np.int64)
        codes = series.cat.codes.to_numpy()
        unknown = spread(per_category < 0, codes, False)
        if unknown.any():
            counts = pd.Series(self.raw.frame[source].to_numpy()[unknown]).astype(str).str.strip().value_counts()
            table_name = {"absence code": "attendance", "leerweg": "leerweg"}.get(what, "level")
            listing = ", ".join(f"'{shown_value(v)}' ({n}x)" for v, n in counts.head(10).items())
            more = msg(" and {count} more", count=len(counts) - 10) if len(counts) > 10 else ""
            example = str(shown_value(counts.index[0])).replace('"', "'")
            self.problem(
                ERROR,
                column,
                "unknown code",
                msg("unknown {what}: {listing}{more}", what=msg(what), listing=listing, more=more),
                msg(
                    'add a line such as `"{example}" = "{first}"` under [codes.{table_name}] in your '
                    "profile, mapping each to one of {join}",
                    example=example,
                    first={"absence code": "unauthorised"}.get(what, valid[0]),
                    table_name=table_name,
                    join=", ".join(f"'{v}'" for v in valid),
                ),
                unknown,
                source,
            )
        if not blank_ok:
            blank = codes < 0
            if blank.any():
                self.problem(
                    ERROR,
                    column,
                    "missing value",
                    msg("{what} is empty", what=msg(what)),
                    msg("fill in the {what}, or remove the row", what=msg(what)),
                    blank,
                )
        new_codes = self.out(per_category.astype(np.int8 if len(valid) < 127 else np.int64), codes, -1)
        return self.series(pd.Categorical.from_codes(new_codes, categories=list(valid)), column)

    def text(self, source: str, column: str) -> pd.Series:
        """A name as text (mentor, class): invisible direction and format characters (U+202E and its kin, which
        turn how a name reads on every list) are removed, with a warning for the rows that held them."""
        series = as_categorical(self.raw.frame[source])
        raw = stripped_text(series.cat.categories)
        stripped = raw.map(_visible).str.strip()
        codes = series.cat.codes.to_numpy()
        touched = (stripped != raw).to_numpy()
        if touched.any():
            mask = (codes >= 0) & touched[np.maximum(codes, 0)]
            self.problem(
                WARNING,
                column,
                "invisible characters",
                msg("held invisible direction or format characters; they were removed"),
                msg("correct the name in the administration system"),
                mask,
            )
        uniques: np.ndarray = np.array([], dtype=str)
        inverse: np.ndarray = np.array([], dtype=np.int32)
        if len(stripped):
            uniques, inverse = np.unique(stripped.to_numpy(dtype=str), return_inverse=True)
        new_codes = self.out(inverse.astype(np.int32), codes, -1)
        cat = pd.Categorical.from_codes(new_codes, categories=pd.Index(uniques, dtype=object).astype(str))
        return self.series(cat, column)


def _detect_dates(categories: pd.Series) -> tuple[pd.Series, str]:
    """Parse distinct date texts with the one format that fits most of them (Dutch day-first, never US)."""
    sample = categories.iloc[: min(len(categories), 5000)]
    if len(sample) and sample.str.fullmatch(r"\d{5}(?:\.0+)?").all():
        serial = pd.to_numeric(categories, errors="coerce")
        in_range = serial.between(20000, 80000)
        parsed = pd.to_datetime(np.where(in_range, serial, np.nan), unit="D", origin=EXCEL_EPOCH, errors="coerce")
        return pd.Series(parsed), "excel"
    best_fmt, best_ok = DATE_FORMATS[0], -1
    for fmt in DATE_FORMATS:
        ok = int(pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum())
        if ok > best_ok:
            best_fmt, best_ok = fmt, ok
        if ok == len(sample):
            break
    return pd.Series(pd.to_datetime(categories, format=best_fmt, errors="coerce")), best_fmt
