"""Small-cell suppression that holds against arithmetic: primary suppression below the threshold, then further cells
until no suppressed count can be worked out from totals, other cells or other tables of the same report.

The attack it is checked against: a reader who knows every published number, every sum that links them, that a
"<10" cell lies from 0 to 9 and that another suppressed cell holds at least 10, and solves for the smallest and the
largest value each suppressed cell can have (linear programming). A cell is protected when that range holds at
least two whole numbers. Suppression adds the smallest publishable neighbour of an unprotected cell and asks again.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from riskscreen.aggregate.tables import PRIMARY, SECONDARY, Aggregate, Value


def suppress(aggregate: Aggregate) -> Aggregate:
    """The aggregate as it may be published."""
    if aggregate.too_small:
        return replace(aggregate, tables=(), suppressed=True)
    values = aggregate.values()
    true = {k: v for k, v in values.items() if isinstance(v, int)}
    # a count below the threshold is hidden; a cell hidden already (a school's, in a region) stays hidden
    shown: dict[str, Value] = {k: (PRIMARY if isinstance(v, int) and v < aggregate.threshold else v)
                               for k, v in values.items() if v is not None}
    constraints = aggregate.constraints()
    while True:
        exposed = recoverable(shown, constraints, aggregate.threshold)
        if not exposed:
            break
        shown[_next_to_suppress(exposed, shown, true, constraints)] = SECONDARY
    return replace(aggregate, tables=tuple(t.with_values(shown) for t in aggregate.tables), suppressed=True)


def recoverable(shown: dict[str, Value], constraints: list[tuple[str, list[str]]], threshold: int) -> list[str]:
    """The suppressed cells whose value a reader can work out exactly (see the module's docstring)."""
    hidden = sorted(k for k, v in shown.items() if isinstance(v, str))
    return [cell for cell in hidden if _range_width(cell, hidden, shown, constraints, threshold) < 1]


def value_range(cell: str, shown: dict[str, Value], constraints: list[tuple[str, list[str]]],
                threshold: int) -> tuple[float, float]:
    """The smallest and largest value a reader can give a suppressed cell (for the adversarial test)."""
    hidden = sorted(k for k, v in shown.items() if isinstance(v, str))
    return _solve(cell, hidden, shown, constraints, threshold)


def _range_width(cell: str, hidden: list[str], shown: dict[str, Value], constraints: list[tuple[str, list[str]]],
                 threshold: int) -> float:
    low, high = _solve(cell, hidden, shown, constraints, threshold)
    if math.isinf(high):
        return math.inf
    return math.floor(high + 1e-6) - math.ceil(low - 1e-6)


def _solve(cell: str, hidden: list[str], shown: dict[str, Value], constraints: list[tuple[str, list[str]]],
           threshold: int) -> tuple[float, float]:
    from scipy.optimize import linprog

    component = _connected(cell, hidden, constraints)
    index = {k: i for i, k in enumerate(component)}
    rows, rhs = [], []
    for total, parts in constraints:
        terms = [(total, 1.0), *((p, -1.0) for p in parts)]
        if not any(k in index for k, _ in terms):
            continue
        row = np.zeros(len(component))
        constant = 0.0
        for k, sign in terms:
            if k in index:
                row[index[k]] += sign
            else:
                value = shown.get(k)
                if isinstance(value, int):
                    constant -= sign * value
                else:
                    break  # a cell outside the component that is hidden: this relation says nothing here
        else:
            rows.append(row)
            rhs.append(constant)
    # what a reader knows of a hidden cell: "<10" is 0 to 9; a cell hidden to protect another is 10 or more; a
    # cell a school hid, summed in a region, is anything
    bounds = [(0, threshold - 1) if shown[k] == PRIMARY else (threshold, None) if shown[k] == SECONDARY
              else (0, None) for k in component]
    if not rows:
        floor, ceiling = bounds[index[cell]]
        return float(floor or 0), math.inf if ceiling is None else float(ceiling)
    objective = np.zeros(len(component))
    objective[index[cell]] = 1.0
    a, b = np.array(rows), np.array(rhs)
    lowest = linprog(objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
    highest = linprog(-objective, A_eq=a, b_eq=b, bounds=bounds, method="highs")
    smallest: float = float(lowest.fun) if lowest.status == 0 else 0.0
    largest: float = -float(highest.fun) if highest.status == 0 else math.inf
    return smallest, largest


def _connected(cell: str, hidden: list[str], constraints: list[tuple[str, list[str]]]) -> list[str]:
    """The hidden cells linked to `cell` through relations with other hidden cells."""
    hidden_set = set(hidden)
    found, todo = {cell}, [cell]
    while todo:
        current = todo.pop()
        for total, parts in constraints:
            members = [total, *parts]
            if current in members:
                for other in members:
                    if other in hidden_set and other not in found:
                        found.add(other)
                        todo.append(other)
    return sorted(found)


def _next_to_suppress(exposed: list[str], shown: dict[str, Value], true: dict[str, int],
                      constraints: list[tuple[str, list[str]]]) -> str:
    """The published cell to hide next: the smallest inner cell of a relation an exposed cell is in, else the
    smallest total there (totals are what readers need most, so they go last). An exposed cell pinned only by
    other hidden cells is protected through their relations in turn."""
    reach = set(exposed)
    for _ in range(len(constraints) + 1):
        candidates: set[str] = set()
        for total, parts in constraints:
            members = [total, *parts]
            if reach & set(members):
                candidates.update(m for m in members if isinstance(shown.get(m), int))
        inner = sorted(candidates - _all_totals(constraints), key=lambda k: (true[k], k))
        if inner or candidates:
            return (inner or sorted(candidates, key=lambda k: (true[k], k)))[0]
        grown = reach | {m for total, parts in constraints if reach & {total, *parts} for m in (total, *parts)}
        if grown == reach:
            break
        reach = grown
    raise RuntimeError(f"nothing left to suppress next to {exposed[0]}")


def _all_totals(constraints: list[tuple[str, list[str]]]) -> set[str]:
    return {total for total, _ in constraints} | {p for _, parts in constraints for p in parts if p.endswith(":*")}
