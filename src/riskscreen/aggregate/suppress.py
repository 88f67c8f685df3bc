"""Small-cell suppression that holds against arithmetic: primary suppression below the threshold, then further cells
until no suppressed count can be worked out from totals, other cells or other tables of the same report.

The attack it is checked against: a reader who knows every published number, every sum that links them, that a
"<10" cell lies from 0 to 9 and that another suppressed cell holds at least 10, and solves for the smallest and the
largest value each suppressed cell can have (linear programming). A cell is protected when that range holds at
least two whole numbers. Suppression adds the smallest publishable neighbour of an unprotected cell and asks again.

Totals are what a municipality steers on: inner cells are hidden instead (the smallest first, further out when the
nearest are hidden already). A total of at least the threshold is hidden only to protect a count that is not 0 and
that hiding every inner cell around leaves exposed (a degenerate table; the sample region has none), a headline (a
table's grand total, the reports made in time) after every other total. A 0 that only a total could protect ("no
luxe verzuim was reported" when the other types add up to all reports) is published as 0: hiding the total would
hide what a municipality steers on and protect no student.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from riskscreen.aggregate.tables import HEADLINES, PRIMARY, SECONDARY, Aggregate, Span, Value, is_hidden


def suppress(aggregate: Aggregate) -> Aggregate:
    """The aggregate as it may be published (see the module's docstring for what is hidden, and in what order)."""
    if aggregate.too_small:
        return replace(aggregate, tables=(), suppressed=True)
    values = aggregate.values()
    true = {k: v for k, v in values.items() if isinstance(v, int)}
    # a count below the threshold is hidden; a cell hidden already (a school's, in a region) stays hidden
    shown: dict[str, Value] = {
        k: (PRIMARY if isinstance(v, int) and v < aggregate.threshold else v)
        for k, v in values.items()
        if v is not None
    }
    relations = Relations(aggregate.constraints())
    protected: set[str] = set()  # hiding more cells only widens a range: a protected cell stays protected
    exposed: list[str] = []
    partners: set[str] = set()
    while True:
        # an exposed cell whose linked hidden cells gained no partner is exposed still: no need to ask again
        hidden = {k for k, v in shown.items() if is_hidden(v)}
        components = _components(hidden, relations)
        unchanged = {c for c in exposed if partners.isdisjoint(components[c])}
        # a range a region publishes lies at or above the threshold: it needs no protection, it only bounds others
        unknown = sorted(
            k for k in hidden if k not in protected and k not in unchanged and not isinstance(shown[k], Span)
        )
        found = unprotected(unknown, shown, relations, aggregate.threshold, true)
        protected.update(set(unknown) - set(found))
        exposed = sorted({*found, *unchanged})
        chosen = (
            _next_to_suppress(group, shown, true, relations, aggregate.threshold)
            for group in _groups(exposed, components)
        )
        partners = {p for p in chosen if p is not None}
        if not partners:
            break
        shown.update(dict.fromkeys(partners, SECONDARY))
    # what is left can be worked out from headlines alone, and is 0 (a non-zero count would have hidden the
    # headline): published as the 0 it is, rather than pretend to hide it
    shown.update({cell: 0 for cell in exposed if true.get(cell) == 0})
    shown = _released(shown, true, relations, aggregate.threshold)
    return replace(aggregate, tables=tuple(t.with_values(shown) for t in aggregate.tables), suppressed=True)


def _released(shown: dict[str, Value], true: dict[str, int], relations: Relations, threshold: int) -> dict[str, Value]:
    """Publish again each cell hidden to protect another whose return leaves every hidden cell it touches
    protected: headlines first, then other totals, then inner cells, the largest first, each with the cells that
    hold the same number in other tables. Choosing partners one at a time overshoots (a 3x3 table with one small
    cell got 7 hidden where a rectangle of 4 does; 6 after this pass)."""
    candidates = sorted(
        (k for k, v in shown.items() if v == SECONDARY and k in true),
        key=lambda k: (not is_headline(k, true[k], threshold), k not in relations.totals, -true[k], k),
    )
    for cell in candidates:
        if shown[cell] != SECONDARY:
            continue
        together = {c for c in relations.equal.get(cell, {cell}) if shown.get(c) == SECONDARY and c in true}
        trial = {**shown, **{c: true[c] for c in together | {cell}}}
        hidden = {k for k, v in trial.items() if is_hidden(v)}
        touched: set[str] = set()
        for member in relations.around(together | {cell}) & hidden:
            if member not in touched:
                touched.update(_connected(member, hidden, relations))
        check = sorted(k for k in touched if not isinstance(trial[k], Span))
        if not unprotected(check, trial, relations, threshold, true):
            shown = trial
    return shown


def _groups(cells: list[str], components: dict[str, frozenset[str]]) -> list[list[str]]:
    """The cells by the connected hidden cells they lie in: one partner is hidden per group and round (hiding one
    for every exposed cell at once hides a third more than needed; checking again is cheap)."""
    groups: dict[frozenset[str], list[str]] = {}
    for cell in cells:
        groups.setdefault(components[cell], []).append(cell)
    return list(groups.values())


def _components(hidden: set[str], relations: Relations) -> dict[str, frozenset[str]]:
    """Every hidden cell's connected hidden cells (see _connected), each group found once."""
    out: dict[str, frozenset[str]] = {}
    for cell in sorted(hidden):
        if cell not in out:
            component = frozenset(_connected(cell, hidden, relations))
            out.update(dict.fromkeys(component, component))
    return out


class Relations:
    """The report's linear relations, indexed by the cells in them (a cell is in a handful of the thousands)."""

    def __init__(self, constraints: list[tuple[str, list[str]]]) -> None:
        self.all = constraints
        self.totals = {total for total, _ in constraints} | {
            p for _, parts in constraints for p in parts if p.endswith(":*")
        }
        self.of: dict[str, list[int]] = {}
        for i, (total, parts) in enumerate(constraints):
            for member in (total, *parts):
                self.of.setdefault(member, []).append(i)
        # cells that hold one and the same number (a total shown in two tables): published or hidden together
        self.equal: dict[str, set[str]] = {}
        for total, parts in constraints:
            if len(parts) == 1:
                group = self.equal.get(total, {total}) | self.equal.get(parts[0], {parts[0]})
                for member in group:
                    self.equal[member] = group

    def members(self, i: int) -> list[str]:
        total, parts = self.all[i]
        return [total, *parts]

    def around(self, cells: set[str]) -> set[str]:
        """Every cell in a relation with one of `cells`."""
        return {m for c in cells for i in self.of.get(c, ()) for m in self.members(i)}


def unprotected(
    cells: list[str], shown: dict[str, Value], relations: Relations, threshold: int, true: dict[str, int] | None = None
) -> list[str]:
    """Those of the hidden `cells` whose value a reader can work out exactly (see the module's docstring). Cells
    that the sums pin by plain reasoning (bound propagation: "these four add up to 0") need no linear program; with
    the true counts, a cell that can be 1 more than its count is protected without asking how small it can be."""
    hidden = {k for k, v in shown.items() if is_hidden(v)}
    scope: set[str] = set()
    for cell in cells:  # the cells' connected hidden cells: no sum reaches beyond them
        if cell not in scope:
            scope.update(_connected(cell, hidden, relations))
    outer = _propagated(shown, relations, threshold, scope)
    open_ = [c for c in cells if _whole_numbers(*outer[c]) >= 2]
    truth = true or {}
    moved = _moved([c for c in open_ if c in truth], shown, relations, threshold, truth)
    open_ = [c for c in open_ if c not in moved]
    highs = extremes(open_, -1.0, shown, relations, threshold)
    unsure = [c for c in open_ if c not in truth or highs[c] < truth[c] + 1 - 1e-6]
    lows = extremes(unsure, 1.0, shown, relations, threshold)
    return [
        c for c in cells if c not in moved and (c not in highs or (c in lows and _whole_numbers(lows[c], highs[c]) < 2))
    ]


def _moved(
    cells: list[str], shown: dict[str, Value], relations: Relations, threshold: int, true: dict[str, int]
) -> set[str]:
    """The cells shown protected by a few readings of the whole table at once: the true counts are one reading a
    reader cannot rule out; a second reading (a solution of the sums that pushes every cell still in question away
    from its count, up where it can go up, then down) in which a cell differs by 1 or more proves the cell can be
    two whole numbers. What this does not prove is asked cell by cell (extremes)."""
    hidden = {k for k, v in shown.items() if is_hidden(v)}
    proven: set[str] = set()
    done: set[str] = set()
    for cell in cells:
        if cell in done:
            continue
        component = _connected(cell, hidden, relations)
        done.update(component)
        a, b = _equations(component, shown, relations)
        limits = [_bounds(shown[k], threshold) for k in component]
        todo = [c for c in component if c in true and c in cells]
        if a.shape[0] == 0:
            continue
        for upward in (True, False, True):
            goal = np.zeros(len(component))
            for i, k in enumerate(component):
                if k in todo and k not in proven:
                    can_rise = limits[i][1] >= true[k] + 1
                    goal[i] = -1.0 if can_rise == upward or limits[i][0] > true[k] - 1 else 1.0
            if not goal.any():
                break
            solved = linprog(goal, A_eq=a, b_eq=b, bounds=limits, method="highs")
            if solved.status != 0:
                break
            proven.update(k for i, k in enumerate(component) if k in todo and abs(solved.x[i] - true[k]) >= 1 - 1e-6)
    return proven


def _propagated(
    shown: dict[str, Value], relations: Relations, threshold: int, scope: set[str]
) -> dict[str, tuple[float, float]]:
    """Bounds on the hidden cells of `scope` (whole groups of connected hidden cells) from each sum in turn, until
    nothing narrows: never narrower than the true range (so a cell pinned here is pinned), often wider (so a cell
    not pinned here goes to the linear program)."""
    bounds = {k: _bounds(shown[k], threshold) for k in scope}
    sums = []
    for i in sorted({i for k in scope for i in relations.of.get(k, ())}):
        total, parts = relations.all[i]
        terms = [(k, sign) for k, sign in [(total, 1.0), *((p, -1.0) for p in parts)]]
        if any(k in bounds for k, _ in terms) and all(k in bounds or isinstance(shown.get(k), int) for k, _ in terms):
            constant = -sum(sign * float(str(shown[k])) for k, sign in terms if k not in bounds)
            sums.append(([(k, sign) for k, sign in terms if k in bounds], constant))
    for _ in range(PROPAGATION_ROUNDS):
        narrowed = False
        for terms, constant in sums:  # sum of sign * x = constant
            for k, sign in terms:
                low, high = float(constant), float(constant)
                for other, other_sign in terms:
                    if other != k:
                        lo, hi = bounds[other]
                        low -= max(other_sign * lo, other_sign * hi)
                        high -= min(other_sign * lo, other_sign * hi)
                new_lo, new_hi = (low, high) if sign > 0 else (-high, -low)
                lo, hi = bounds[k]
                if new_lo > lo + 1e-9 or new_hi < hi - 1e-9:
                    bounds[k] = (max(lo, new_lo), min(hi, new_hi))
                    narrowed = True
        if not narrowed:
            break
    return bounds


PROPAGATION_ROUNDS = 20


def _whole_numbers(low: float, high: float) -> float:
    """How many whole numbers lie from low to high (the solver's answers are exact to about 1e-9)."""
    return math.inf if math.isinf(high) else math.floor(high + 1e-6) - math.ceil(low - 1e-6) + 1


def value_ranges(
    cells: list[str], shown: dict[str, Value], relations: Relations, threshold: int
) -> dict[str, tuple[float, float]]:
    """The smallest and largest value a reader can give each of the hidden `cells`."""
    lows, highs = extremes(cells, 1.0, shown, relations, threshold), extremes(cells, -1.0, shown, relations, threshold)
    return {c: (lows[c], highs[c]) for c in cells}


def extremes(
    cells: list[str], sense: float, shown: dict[str, Value], relations: Relations, threshold: int
) -> dict[str, float]:
    """The smallest (sense 1) or largest (sense -1) value a reader can give each of the hidden `cells`.

    One linear program answers for all of them: a copy of each cell's connected hidden cells per cell, side by side
    with nothing linking the copies, so that optimising their sum optimises each copy (hundreds of small programs
    cost seconds in call overhead; one block-diagonal program costs a fraction of that).
    """
    hidden = {k for k, v in shown.items() if is_hidden(v)}
    systems: dict[str, tuple[list[str], sparse.csr_matrix, np.ndarray]] = {}
    out: dict[str, float] = {}
    blocks, objectives, bounds, rhs, where = [], [], [], [], {}
    offset = 0
    for cell in cells:
        if cell not in systems:
            component = _connected(cell, hidden, relations)
            system = (component, *_equations(component, shown, relations))
            systems.update(dict.fromkeys(component, system))
        component, a, b = systems[cell]
        limits = [_bounds(shown[k], threshold) for k in component]
        position = component.index(cell)
        if a.shape[0] == 0:  # no sum holds the cell: the reader knows its bounds only
            out[cell] = limits[position][0 if sense > 0 else 1]
            continue
        goal = np.zeros(len(component))
        goal[position] = sense
        blocks.append(a)
        objectives.append(goal)
        bounds += limits
        rhs.append(b)
        where[cell] = offset + position
        offset += len(component)
    if blocks:
        solved = linprog(
            np.concatenate(objectives),
            A_eq=sparse.block_diag(blocks, format="csr"),
            b_eq=np.concatenate(rhs),
            bounds=bounds,
            method="highs",
        )
        if solved.status != 0:  # the true counts are a solution: only a damaged input gets here
            raise ValueError(f"the published counts contradict each other ({solved.message})")
        out.update({cell: float(solved.x[i]) for cell, i in where.items()})
    return {c: math.inf if v >= UNBOUNDED - 1 else v for c, v in out.items()}


UNBOUNDED = 1e9  # a hidden cell no sum bounds from above: larger than any count of students


def _bounds(value: Value, threshold: int) -> tuple[float, float]:
    """What a reader knows of a hidden cell: "<10" is 0 to 9; a cell hidden to protect another is 10 or more; a
    cell a school hid, summed in a region, is anything unless the region publishes its range."""
    if isinstance(value, Span):
        return float(value.low), float(value.high)
    if value == PRIMARY:
        return 0.0, float(threshold - 1)
    return (float(threshold) if value == SECONDARY else 0.0), UNBOUNDED


def _equations(
    component: list[str], shown: dict[str, Value], relations: Relations
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The sums that hold the component's cells, as A x = b over the component (published cells moved to b)."""
    index = {k: i for i, k in enumerate(component)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for i in sorted({i for k in component for i in relations.of.get(k, ())}):
        total, parts = relations.all[i]
        row = np.zeros(len(component))
        constant = 0.0
        for k, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
            value = shown.get(k)
            if k in index:
                row[index[k]] += sign
            elif isinstance(value, int):
                constant -= sign * value
            else:
                break  # a hidden cell outside the component (a cell with no value): the sum says nothing here
        else:
            rows.append(row)
            rhs.append(constant)
    matrix = sparse.csr_matrix(np.array(rows)) if rows else sparse.csr_matrix((0, len(component)))
    return matrix, np.array(rhs)


def _connected(cell: str, hidden: set[str], relations: Relations) -> list[str]:
    """The hidden cells linked to `cell` through relations with other hidden cells."""
    found, todo = {cell}, [cell]
    while todo:
        current = todo.pop()
        for i in relations.of.get(current, ()):
            for other in relations.members(i):
                if other in hidden and other not in found:
                    found.add(other)
                    todo.append(other)
    return sorted(found)


def _next_to_suppress(
    exposed: list[str], shown: dict[str, Value], true: dict[str, int], relations: Relations, threshold: int
) -> str | None:
    """The published cell to hide next: the smallest inner cell of a relation an exposed cell is in, else of the
    relations around those, and so on; a total only to protect a count that is not 0 when no inner cell is left
    to hide, a headline last (a cell a school hid, in a region, counts as not 0)."""

    def inner(k: str) -> bool:
        return k not in relations.totals

    def plain_total(k: str) -> bool:
        return not is_headline(k, true[k], threshold)

    tiers = [inner]
    if any(true.get(c, 1) != 0 for c in exposed):
        tiers += [plain_total, lambda k: True]
    for allowed in tiers:
        reach = set(exposed)
        while True:
            candidates = sorted(
                (k for k in relations.around(reach) if isinstance(shown.get(k), int) and allowed(k)),
                key=lambda k: (true[k], k),
            )
            if candidates:
                return candidates[0]
            grown = reach | relations.around(reach)
            if grown == reach:
                break
            reach = grown
    return None


def is_headline(cell: str, value: int, threshold: int) -> bool:
    """A table's grand total, or a figure the summary leads with, of at least the threshold."""
    return value >= threshold and (cell.endswith(":*:*") or cell in HEADLINES)
