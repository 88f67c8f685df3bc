"""A regional picture from schools' aggregates: their published cells added up, suppression applied again."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from riskscreen.aggregate.suppress import Relations, suppress, value_ranges
from riskscreen.aggregate.tables import MERGED, Aggregate, Span, Table, Value, is_hidden
from riskscreen.errors import Message, UsageError, msg
from riskscreen.ingest.profiles import LEVELS


def merge(aggregates: list[Aggregate]) -> tuple[Aggregate, list[Message]]:
    """The region's aggregate, and notes on what was aligned (a higher threshold applied to all)."""
    if len(aggregates) < 2:
        raise UsageError(msg("a regional picture needs the aggregates of two or more schools"))
    periods = {(a.first_day, a.last_day) for a in aggregates}
    if len(periods) > 1:
        raise UsageError(
            msg(
                "the aggregates cover different periods ({periods}): a region adds up one period",
                periods="; ".join(f"{f} - {t}" for f, t in sorted(periods)),
            ),
            hint=msg("make every school's aggregate with the same `first` and `last`"),
        )
    schools = [s for a in aggregates for s in a.schools]
    if len({s.upper() for s in schools}) < len(schools):  # "04ab" is 04AB
        raise UsageError(msg("a school is in more than one aggregate ({schools})", schools=", ".join(schools)))
    threshold = max(a.threshold for a in aggregates)
    notes: list[Message] = (
        [
            msg(
                "thresholds differ ({thresholds}): the region's cells are suppressed at {threshold}",
                thresholds=", ".join(str(a.threshold) for a in aggregates),
                threshold=threshold,
            )
        ]
        if len({a.threshold for a in aggregates}) > 1
        else []
    )
    published = [a for a in aggregates if not a.too_small]
    notes += [
        msg("{school} was too small to publish: it adds nothing to the region", school=s)
        for a in aggregates
        if a.too_small
        for s in a.schools
    ]
    first, last = periods.pop()
    if not published:
        return Aggregate(tuple(schools), first, last, threshold, (), too_small=True), notes
    keys = [t.key for t in published[0].tables]
    known = [_known(a) for a in published]

    def add(values: Sequence[Value | tuple[float, float]]) -> Value:
        return _sum(values, threshold)

    tables = [
        _added(
            [
                (a.table(k), bounds)
                for a, bounds in zip(published, known, strict=True)
                if k in {t.key for t in a.tables}
            ],
            add,
        )
        for k in keys
    ]
    tables.append(_by_school(published, add))
    months = tuple(sorted({m for a in published for m in a.months}))
    basis = published[0].basis
    for a in published[1:]:
        basis = basis.merged(a.basis)
    region = Aggregate(
        tuple(schools),
        first,
        last,
        threshold,
        tuple(tables),
        published[0].links,
        (
            *published[0].same,
            ("schools:*:*", "screened_by_level:*:*"),
            *((f"schools:*:{b}", f"screened_by_level:*:{b}") for b in tables[-1].columns),
        ),
        months=months,
        basis=basis,
    )
    return suppress_merged(region), notes


Bounds = dict[str, tuple[float, float]]


def _known(aggregate: Aggregate) -> Bounds:
    """What a school's own file tells of each cell it did not publish as a number: the least and the most it can
    be, worked out as a reader of that file would (so a region's range says nothing the schools' files do not)."""
    values = aggregate.values()
    hidden = sorted(k for k, v in values.items() if is_hidden(v))
    return {k: (float(v), float(v)) for k, v in values.items() if isinstance(v, int)} | value_ranges(
        hidden, values, Relations(aggregate.constraints()), aggregate.threshold
    )


def _added(tables: list[tuple[Table, Bounds]], add: Callable[[Sequence[Value | tuple[float, float]]], Value]) -> Table:
    seen = list(dict.fromkeys(r for t, _ in tables for r in t.rows))
    rows = tuple(sorted(seen, key=lambda r: _row_order(r, seen.index(r))))
    first = tables[0][0]
    k = first.key

    def summed(cell: str, row: str | None) -> Value:
        return add(
            [
                bounds.get(f"{k}:{cell}", (0.0, 0.0)) if row is None or row in t.rows else (0.0, 0.0)
                for t, bounds in tables
            ]
        )

    cells = tuple(tuple(summed(f"{r}:{c}", r) for c in first.columns) for r in rows)
    row_totals = None if first.row_totals is None else tuple(summed(f"{r}:*", r) for r in rows)
    column_totals = None if first.column_totals is None else tuple(summed(f"*:{c}", None) for c in first.columns)
    total = summed("*:*", None) if first.total is not None else None
    return Table(k, rows, first.columns, cells, row_totals, column_totals, total)


def _row_order(key: str, first_seen: int) -> tuple[int, str]:
    """Levels in the order of the contract, years and months in their own order, other rows (types of report,
    referral targets) in the schools' order, 'unknown' last."""
    if key in LEVELS:
        return (0, f"{LEVELS.index(key):02d}")
    if key == "unknown":
        return (3, key)
    return (1, key.zfill(8)) if key.replace("-", "").isdigit() else (2, f"{first_seen:04d}")


def _by_school(aggregates: list[Aggregate], add: Callable[[Sequence[Value | tuple[float, float]]], Value]) -> Table:
    """Students screened per school and band: each school's own published totals."""
    rows, cells, totals = [], [], []
    for a in aggregates:
        t = a.table("screened_by_level")
        rows.append(a.schools[0])
        cells.append(tuple(add([v]) for v in (t.column_totals or ())))
        totals.append(add([t.total]))
    columns = aggregates[0].table("screened_by_level").columns
    column_totals = tuple(add([c[i] for c in cells]) for i in range(len(columns)))
    return Table("schools", tuple(rows), columns, tuple(cells), tuple(totals), column_totals, add(totals))


def _sum(values: Sequence[Value | tuple[float, float]], threshold: int) -> Value:
    """The region's sum of the schools' values (a count, or the least and the most a hidden one can be): the
    number when every part is known; a range when the parts bound it at or above the threshold; else not known."""
    low = high = 0.0
    for v in values:
        if isinstance(v, tuple):
            low, high = low + v[0], high + v[1]
        elif isinstance(v, Span):
            low, high = low + v.low, high + v.high
        elif isinstance(v, int):
            low, high = low + v, high + v
        elif v is not None:
            return MERGED
    if high - low < 0.5:  # a school's bounds come from a solver, exact to about 1e-9
        return round(low)
    if math.isinf(high) or low < threshold:
        return MERGED
    return Span(math.ceil(low - 1e-6), math.floor(high + 1e-6))


def suppress_merged(region: Aggregate) -> Aggregate:
    """Suppression again over the region's sums: cells a school hid stay hidden (with what they hide unknown)."""
    return suppress(region)
