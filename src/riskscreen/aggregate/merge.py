"""A regional picture from schools' aggregates: their published cells added up, suppression applied again."""

from __future__ import annotations

from riskscreen.aggregate.suppress import suppress
from riskscreen.aggregate.tables import MERGED, PRIMARY, SECONDARY, Aggregate, Table, Value
from riskscreen.errors import Message, UsageError, msg


def merge(aggregates: list[Aggregate]) -> tuple[Aggregate, list[Message]]:
    """The region's aggregate, and notes on what was aligned (a higher threshold applied to all)."""
    if len(aggregates) < 2:
        raise UsageError(msg("a regional picture needs the aggregates of two or more schools"))
    periods = {(a.first_day, a.last_day) for a in aggregates}
    if len(periods) > 1:
        raise UsageError(msg("the aggregates cover different periods ({periods}): a region adds up one period",
                             periods="; ".join(f"{f} - {t}" for f, t in sorted(periods))),
                         hint=msg("make every school's aggregate with the same --from and --to"))
    schools = [s for a in aggregates for s in a.schools]
    if len(set(schools)) < len(schools):
        raise UsageError(msg("a school is in more than one aggregate ({schools})", schools=", ".join(schools)))
    threshold = max(a.threshold for a in aggregates)
    notes: list[Message] = [msg("thresholds differ ({thresholds}): the region's cells are suppressed at {threshold}",
                 thresholds=", ".join(str(a.threshold) for a in aggregates), threshold=threshold)] \
        if len({a.threshold for a in aggregates}) > 1 else []
    published = [a for a in aggregates if not a.too_small]
    notes += [msg("{school} was too small to publish: it adds nothing to the region", school=s)
              for a in aggregates if a.too_small for s in a.schools]
    first, last = periods.pop()
    if not published:
        return Aggregate(tuple(schools), first, last, threshold, (), too_small=True), notes
    keys = [t.key for t in published[0].tables]
    tables = [_added([a.table(k) for a in published if k in {t.key for t in a.tables}]) for k in keys]
    tables.append(_by_school(published))
    months = tuple(sorted({m for a in published for m in a.months}))
    region = Aggregate(tuple(schools), first, last, threshold, tuple(tables), published[0].links,
                       (*published[0].same, ("schools:*:*", "screened_by_level:*:*"),
                        *((f"schools:*:{b}", f"screened_by_level:*:{b}") for b in tables[-1].columns)),
                       months=months)
    return suppress_merged(region), notes


def _added(tables: list[Table]) -> Table:
    seen = list(dict.fromkeys(r for t in tables for r in t.rows))
    rows = tuple(sorted(seen, key=lambda r: _row_order(r, seen.index(r))))
    first = tables[0]

    def cell(t: Table, r: str, c: int) -> Value:
        return t.cells[t.rows.index(r)][c] if r in t.rows else 0

    cells = tuple(tuple(_sum([cell(t, r, c) for t in tables]) for c in range(len(first.columns))) for r in rows)
    row_totals = None if first.row_totals is None else tuple(
        _sum([t.row_totals[t.rows.index(r)] if r in t.rows and t.row_totals else 0 for t in tables]) for r in rows)
    column_totals = None if first.column_totals is None else tuple(
        _sum([t.column_totals[c] if t.column_totals else 0 for t in tables]) for c in range(len(first.columns)))
    total = _sum([t.total for t in tables]) if first.total is not None else None
    return Table(first.key, rows, first.columns, cells, row_totals, column_totals, total)


def _row_order(key: str, first_seen: int) -> tuple[int, str]:
    """Levels in the order of the contract, years and months in their own order, other rows (types of report,
    referral targets) in the schools' order, 'unknown' last."""
    from riskscreen.ingest.profiles import LEVELS

    if key in LEVELS:
        return (0, f"{LEVELS.index(key):02d}")
    if key == "unknown":
        return (3, key)
    return (1, key.zfill(8)) if key.replace("-", "").isdigit() else (2, f"{first_seen:04d}")


def _by_school(aggregates: list[Aggregate]) -> Table:
    """Students screened per school and band: each school's own published totals."""
    rows, cells, totals = [], [], []
    for a in aggregates:
        t = a.table("screened_by_level")
        rows.append(a.schools[0])
        cells.append(tuple(_sum([v]) for v in (t.column_totals or ())))
        totals.append(_sum([t.total]))
    columns = aggregates[0].table("screened_by_level").columns
    column_totals = tuple(_sum([c[i] for c in cells]) for i in range(len(columns)))
    return Table("schools", tuple(rows), columns, tuple(cells), tuple(totals), column_totals, _sum(totals))


def _sum(values: list[Value]) -> Value:
    if any(v in (PRIMARY, SECONDARY, MERGED) for v in values):
        return MERGED
    return sum(int(v) for v in values if v is not None)


def suppress_merged(region: Aggregate) -> Aggregate:
    """Suppression again over the region's sums: cells a school hid stay hidden (with what they hide unknown)."""
    return suppress(region)
