"""The attacker the suppression is checked against, written apart from the code under test: a reader who knows
every published number and every sum the report states, and solves for the smallest and largest value of each
hidden cell (linear programming)."""

from __future__ import annotations

import json
import math

import numpy as np
from scipy.optimize import linprog

from riskscreen.aggregate.tables import PRIMARY, SECONDARY, Aggregate, to_json


def attack(aggregate: Aggregate | dict) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    """What a reader can work out: for every hidden cell the smallest and largest value consistent with every
    published number and every sum the report states (written here apart from the code under test)."""
    doc = aggregate if isinstance(aggregate, dict) else json.loads(to_json(aggregate))
    threshold = doc["threshold"]
    cells: dict[str, object] = {}
    sums: list[tuple[str, list[str]]] = []
    for t in doc["tables"]:
        k = t["key"]
        for r, row in enumerate(t["rows"]):
            for c, column in enumerate(t["columns"]):
                cells[f"{k}:{row}:{column}"] = t["cells"][r][c]
        if t["row_totals"] is not None:
            for r, row in enumerate(t["rows"]):
                cells[f"{k}:{row}:*"] = t["row_totals"][r]
                sums.append((f"{k}:{row}:*", [f"{k}:{row}:{c}" for c in t["columns"]]))
        if t["column_totals"] is not None:
            for c, column in enumerate(t["columns"]):
                cells[f"{k}:*:{column}"] = t["column_totals"][c]
                sums.append((f"{k}:*:{column}", [f"{k}:{row}:{column}" for row in t["rows"]]))
        if t["total"] is not None:
            cells[f"{k}:*:*"] = t["total"]
            if t["row_totals"] is not None:
                sums.append((f"{k}:*:*", [f"{k}:{row}:*" for row in t["rows"]]))
            if t["column_totals"] is not None:
                sums.append((f"{k}:*:*", [f"{k}:*:{c}" for c in t["columns"]]))
    sums += [(total, parts) for total, parts in doc["links"]]
    sums += [(group[0], [other]) for group in doc["same"] for other in group[1:]]
    hidden = sorted(k for k, v in cells.items() if isinstance(v, str | dict))
    index = {k: i for i, k in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in sums:
        row, constant = np.zeros(len(hidden)), 0.0
        for key, sign in [(total, 1.0), *((p, -1.0) for p in parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * int(cells[key])  # type: ignore[call-overload]
        if row.any():
            a_eq.append(row)
            b_eq.append(constant)
        else:
            assert abs(constant) < 1e-9, f"published numbers contradict {total}"
    bounds = [(0, threshold - 1) if cells[k] == PRIMARY else (threshold, None) if cells[k] == SECONDARY
              else (cells[k]["from"], cells[k]["to"]) if isinstance(cells[k], dict)  # type: ignore[index]
              else (0, None) for k in hidden]
    ranges = {}
    for k in hidden:
        if isinstance(cells[k], dict):  # a region's range lies at or above the threshold: it only bounds others
            continue
        goal = np.zeros(len(hidden))
        goal[index[k]] = 1
        args = {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq)} if a_eq else {}
        low = linprog(goal, bounds=bounds, method="highs", **args)
        high = linprog(-goal, bounds=bounds, method="highs", **args)
        ranges[k] = (low.fun, -high.fun if high.status == 0 else math.inf)
    return ranges


def assert_nothing_recoverable(aggregate: Aggregate | dict) -> int:  # type: ignore[type-arg]
    """Every hidden cell can be at least two whole numbers; returns how many hidden cells were attacked."""
    ranges = attack(aggregate)
    for cell, (low, high) in ranges.items():
        assert math.isinf(high) or math.floor(high + 1e-6) - math.ceil(low - 1e-6) >= 1, f"{cell}: [{low}, {high}]"
    return len(ranges)
