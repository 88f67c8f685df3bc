"""The aggregate as data: count tables with their margins, how cells relate, the JSON file that leaves the school."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from riskscreen.errors import InputError, msg
from riskscreen.files import read_regular

KIND = "riskscreen-aggregate"
FORMAT_VERSION = 2  # 2: what the counts rest on ("basis") and a region's ranges; version 1 is read too
DEFAULT_THRESHOLD = 10
LOWEST_THRESHOLD = 5
PERCENT_DENOMINATOR = 20  # a percentage only over at least this many
PRIMARY, SECONDARY = "primary", "secondary"  # below the threshold; suppressed so that another cannot be recovered
MERGED = "merged"  # a region's sum of which a school suppressed a part: not known

HEADLINES = ("reports:*:reported_in_time",)  # besides every table's grand total: hidden last


@dataclass(frozen=True)
class Span:
    """A region's sum known only to lie from `low` to `high` (both at least the threshold): a school published part
    of it as '<10' or hid it, and what that school published bounds what it hid."""

    low: int
    high: int


Value = int | str | Span | None  # a count; PRIMARY, SECONDARY, MERGED or a Span when not published as a number;
#                                  None where a table has no such cell


def is_hidden(value: Value) -> bool:
    """Whether a published value is not a plain count."""
    return isinstance(value, str | Span)


@dataclass(frozen=True)
class Table:
    """Counts of distinct students (or actions) by two dimensions, with the margins the table publishes."""

    key: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Value, ...], ...]
    row_totals: tuple[Value, ...] | None = None  # when each row is a partition of the row's units
    column_totals: tuple[Value, ...] | None = None  # when each column is a partition of the column's units
    total: Value = None

    def ids(self) -> dict[str, Value]:
        """Every published cell of the table by its id, with its value."""
        out: dict[str, Value] = {}
        for r, row in enumerate(self.rows):
            for c, column in enumerate(self.columns):
                out[f"{self.key}:{row}:{column}"] = self.cells[r][c]
            if self.row_totals is not None:
                out[f"{self.key}:{row}:*"] = self.row_totals[r]
        if self.column_totals is not None:
            for c, column in enumerate(self.columns):
                out[f"{self.key}:*:{column}"] = self.column_totals[c]
        if self.total is not None or (self.row_totals is not None and self.column_totals is not None):
            out[f"{self.key}:*:*"] = self.total
        return out

    def sums(self) -> list[tuple[str, list[str]]]:
        """The table's own additivity: (the total's id, the ids of its parts)."""
        out = []
        if self.row_totals is not None:
            out += [(f"{self.key}:{row}:*", [f"{self.key}:{row}:{c}" for c in self.columns]) for row in self.rows]
        if self.column_totals is not None:
            out += [(f"{self.key}:*:{c}", [f"{self.key}:{row}:{c}" for row in self.rows]) for c in self.columns]
        if f"{self.key}:*:*" in self.ids():
            if self.row_totals is not None:
                out.append((f"{self.key}:*:*", [f"{self.key}:{row}:*" for row in self.rows]))
            if self.column_totals is not None:
                out.append((f"{self.key}:*:*", [f"{self.key}:*:{c}" for c in self.columns]))
        return out

    def with_values(self, values: dict[str, Value]) -> Table:
        """The same table with the values of `values` (by id) in place of its own."""
        k = self.key
        cells = tuple(
            tuple(values.get(f"{k}:{r}:{c}", v) for c, v in zip(self.columns, row, strict=True))
            for r, row in zip(self.rows, self.cells, strict=True)
        )
        rows = (
            None
            if self.row_totals is None
            else tuple(values.get(f"{k}:{r}:*", v) for r, v in zip(self.rows, self.row_totals, strict=True))
        )
        columns = (
            None
            if self.column_totals is None
            else tuple(values.get(f"{k}:*:{c}", v) for c, v in zip(self.columns, self.column_totals, strict=True))
        )
        return replace(
            self, cells=cells, row_totals=rows, column_totals=columns, total=values.get(f"{k}:*:*", self.total)
        )


UNKNOWN = "unknown"


@dataclass(frozen=True)
class Basis:
    """What the counts rest on, as the period's weekly lists recorded it: every distinct value seen (a model
    changed mid-year shows both); UNKNOWN where a list predates the record."""

    models: tuple[str, ...] = ()
    demonstration: str = UNKNOWN  # "yes" when any list used the demonstration model, else "no" or UNKNOWN
    rules: tuple[str, ...] = ()  # the 16-hour rule as hours/lesson weeks: "16/4" is the law
    rmc_hours: tuple[str, ...] = ()  # the region's threshold of 18+ (RMC) reports
    hours: tuple[str, ...] = ()  # how hours were counted: lesuren, klokuren, export
    calendars: tuple[str, ...] = ()  # where lesson weeks came from: holidays (vakanties.csv), presence, every_week
    public_holidays: tuple[str, ...] = ()  # the package that knows the national holidays, with its version
    lists: int = 0  # weekly lists counted

    @classmethod
    def of(cls, records: list[dict[str, Any]], hours: set[str]) -> Basis:
        """From the lists' own records (an empty one for a list made before they were kept)."""

        def seen(key: str) -> tuple[str, ...]:
            return tuple(sorted({_text(r[key]) if key in r else UNKNOWN for r in records}))

        flags = {r.get("demonstration") for r in records}
        demonstration = "yes" if True in flags else UNKNOWN if None in flags or not records else "no"
        return cls(
            seen("model"),
            demonstration,
            seen("rules"),
            seen("rmc_hours"),
            tuple(sorted(hours)),
            seen("calendar"),
            seen("public_holidays"),
            len(records),
        )

    def merged(self, other: Basis) -> Basis:
        """A region's basis: every school's values."""

        def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(sorted({*a, *b}))

        flags = {self.demonstration, other.demonstration}
        return Basis(
            union(self.models, other.models),
            "yes" if "yes" in flags else UNKNOWN if UNKNOWN in flags else "no",
            union(self.rules, other.rules),
            union(self.rmc_hours, other.rmc_hours),
            union(self.hours, other.hours),
            union(self.calendars, other.calendars),
            union(self.public_holidays, other.public_holidays),
            self.lists + other.lists,
        )


def _text(value: Any) -> str:
    """A recorded value as text: 16.0 hours as '16'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Aggregate:
    """One school's (or a region's) anonymous picture over a period, suppressed or not yet."""

    schools: tuple[str, ...]
    first_day: str
    last_day: str
    threshold: int
    tables: tuple[Table, ...]
    links: tuple[tuple[str, tuple[str, ...]], ...] = ()  # sums across tables: (total id, part ids)
    same: tuple[tuple[str, ...], ...] = ()  # ids that hold one and the same number
    too_small: bool = False  # fewer students than the threshold: nothing published
    suppressed: bool = False
    months: tuple[str, ...] = field(default=())
    basis: Basis = field(default_factory=Basis)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def values(self) -> dict[str, Value]:
        return {k: v for t in self.tables for k, v in t.ids().items()}

    def constraints(self) -> list[tuple[str, list[str]]]:
        """Every linear relation between published cells: sums within and across tables, and equal cells."""
        out = [s for t in self.tables for s in t.sums()] + [(total, list(parts)) for total, parts in self.links]
        out += [(group[0], [other]) for group in self.same for other in group[1:]]
        return out


def to_json(aggregate: Aggregate) -> str:
    doc = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "schools": list(aggregate.schools),
        "period": {"from": aggregate.first_day, "to": aggregate.last_day},
        "threshold": aggregate.threshold,
        "percent_denominator": PERCENT_DENOMINATOR,
        "too_small": aggregate.too_small,
        "months": list(aggregate.months),
        "tables": [
            {
                "key": t.key,
                "rows": list(t.rows),
                "columns": list(t.columns),
                "cells": [[_json(v) for v in r] for r in t.cells],
                "row_totals": None if t.row_totals is None else [_json(v) for v in t.row_totals],
                "column_totals": None if t.column_totals is None else [_json(v) for v in t.column_totals],
                "total": _json(t.total),
            }
            for t in aggregate.tables
        ],
        "links": [[total, list(parts)] for total, parts in aggregate.links],
        "same": [list(g) for g in aggregate.same],
        "basis": {
            f.name: (list(v) if isinstance(v := getattr(aggregate.basis, f.name), tuple) else v) for f in fields(Basis)
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _json(value: Value) -> Any:
    return {"from": value.low, "to": value.high} if isinstance(value, Span) else value


def read_aggregate(path: Path) -> Aggregate:
    """An aggregate file, checked: a file of another kind, or one with a published count from 1 to below its
    threshold (an edit by hand), is refused."""
    raw = read_regular(path, limit=16 << 20, error=InputError, what=msg("riskscreen aggregate file"))
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise InputError(
            msg("is not an aggregate of riskscreen (a shortlist, a snapshot or another file)"),
            hint=msg("give the JSON files that `riskscreen aggregate -o FILE.json` wrote"),
            path=str(path),
        )
    if doc.get("format_version", 1) not in (1, FORMAT_VERSION):
        raise InputError(
            msg(
                "is an aggregate of format version {version}; this riskscreen reads versions 1 and {format_version}",
                version=str(doc.get("format_version")),
                format_version=FORMAT_VERSION,
            ),
            hint=msg("update riskscreen, or write the file again with this version"),
            path=str(path),
        )
    try:
        aggregate = _from_doc(doc)
    except (KeyError, TypeError, ValueError, StopIteration):
        raise InputError(
            msg("is an aggregate file that cannot be read (damaged or edited)"),
            hint=msg("write it again with `riskscreen aggregate`"),
            path=str(path),
        ) from None
    _check_sums(aggregate, path)
    low = sorted(
        k
        for k, v in aggregate.values().items()
        if (isinstance(v, int) and 0 < v < aggregate.threshold) or (isinstance(v, Span) and v.low < aggregate.threshold)
    )
    if low or aggregate.threshold < LOWEST_THRESHOLD:
        raise InputError(
            msg(
                "holds counts below its threshold of {threshold} ({cells}): edited by hand, so refused",
                threshold=aggregate.threshold,
                cells=", ".join(low[:5]) or "threshold",
            ),
            hint=msg("write it again with `riskscreen aggregate`"),
            path=str(path),
        )
    return aggregate


MAX_COUNT = 10_000_000  # more students (or actions) than a country's schools hold: an edited file
FULL_MARGINS = (
    "screened_by_level",
    "screened_by_year",
    "reports",
    "reports_by_month",
    "report_types_by_month",
    "sick",
    "actions",
    "referrals",
    "after_action",
    "left",
)  # tables that always publish every total
SCHOOL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def _check_sums(aggregate: Aggregate, path: Path) -> None:
    """Refuse a file whose published numbers no longer add up, or whose tables lost their totals: an edit by
    hand (or a damaged file) that would make a region's sums, and the suppression built on them, wrong."""
    values = aggregate.values()
    for t in aggregate.tables:
        if t.key in FULL_MARGINS and t.rows and (t.row_totals is None or t.column_totals is None or t.total is None):
            raise InputError(
                msg("has a table without its totals ({table}): edited by hand, so refused", table=t.key),
                hint=msg("write it again with `riskscreen aggregate`"),
                path=str(path),
            )
    for total, parts in aggregate.constraints():
        numbers = [values.get(k) for k in (total, *parts)]
        if all(isinstance(v, int) for v in numbers) and numbers[0] != sum(numbers[1:]):  # type: ignore[arg-type]
            raise InputError(
                msg("holds counts that no longer add up ({cell}): edited by hand, so refused", cell=total),
                hint=msg("write it again with `riskscreen aggregate`"),
                path=str(path),
            )


def _from_doc(doc: dict[str, Any]) -> Aggregate:
    def value(v: Any) -> Value:
        if v is None or v in (PRIMARY, SECONDARY, MERGED):
            return v
        if isinstance(v, int) and not isinstance(v, bool) and v > MAX_COUNT:
            raise ValueError("not a count of students")
        if isinstance(v, dict):
            low, high = value(v["from"]), value(v["to"])
            if not isinstance(low, int) or not isinstance(high, int) or not low < high:
                raise ValueError("not a range of counts")
            return Span(low, high)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise ValueError("not a count")
        return v

    def values(items: Any) -> tuple[Value, ...] | None:
        return None if items is None else tuple(value(v) for v in items)

    tables = tuple(
        Table(
            str(t["key"]),
            tuple(map(str, t["rows"])),
            tuple(map(str, t["columns"])),
            tuple(tuple(value(v) for v in row) for row in t["cells"]),
            values(t["row_totals"]),
            values(t["column_totals"]),
            value(t["total"]),
        )
        for t in doc["tables"]
    )
    for t in tables:
        if len(t.cells) != len(t.rows) or any(len(r) != len(t.columns) for r in t.cells):
            raise ValueError("cells do not fit the rows and columns")
    schools = tuple(str(s).strip() for s in doc["schools"])
    if not schools or not all(SCHOOL_CODE.match(s) for s in schools):
        raise ValueError("not a school's code")
    return Aggregate(
        schools,
        str(doc["period"]["from"]),
        str(doc["period"]["to"]),
        int(doc["threshold"]),
        tables,
        tuple((str(a), tuple(map(str, b))) for a, b in doc["links"]),
        tuple(tuple(map(str, g)) for g in doc["same"]),
        bool(doc["too_small"]),
        True,
        tuple(map(str, doc.get("months", []))),
        _basis(doc.get("basis")),
    )


def _basis(doc: Any) -> Basis:
    """The basis as written (version 2), or not known (a file of version 1)."""
    if doc is None:
        return Basis()
    values: dict[str, Any] = {}
    for f in fields(Basis):
        value = doc[f.name]
        if f.name == "lists":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError("not a number of lists")
        elif f.name == "demonstration":
            if value not in ("yes", "no", UNKNOWN):
                raise ValueError("not a demonstration flag")
        elif isinstance(value, list):
            value = tuple(_text(v) for v in value)
        else:
            raise ValueError("not a list of values")
        values[f.name] = value
    return Basis(**values)
