"""The attacker the suppression is checked against, written apart from the code under test: a reader who knows
every published number and every sum the report states, and solves for the smallest and largest value of each
hidden cell (linear programming)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
from scipy.optimize import linprog

from riskscreen.aggregate.tables import PRIMARY, SECONDARY, Aggregate, to_json

Cells = dict[str, object]
Sums = list[tuple[str, list[str]]]


def attack(aggregate: Aggregate | dict) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    """What a reader can work out: for every hidden cell the smallest and largest value consistent with every
    published number and every sum the report states (written here apart from the code under test)."""
    doc = aggregate if isinstance(aggregate, dict) else json.loads(to_json(aggregate))
    cells, sums = _system(doc)
    return _solve(cells, sums, doc["threshold"])


def attack_releases(older: dict, newer: dict) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    """What a reader with two releases of one school can work out: both systems at once, and a month's counts
    equal in both wherever that month lies wholly inside both periods (a month that is over does not change)."""
    first, second = _system(older, "1/"), _system(newer, "2/")
    cells, sums = {**first[0], **second[0]}, first[1] + second[1]
    both = (max(older["period"]["from"], newer["period"]["from"]), min(older["period"]["to"], newer["period"]["to"]))
    for key in first[0]:
        table, month, _ = key[2:].split(":")
        whole = (
            re.fullmatch(r"\d{4}-\d{2}", month) is not None
            and both[0] <= f"{month}-01"
            and _month_end(month) <= both[1]
        )
        if table.endswith("by_month") and whole and f"2/{key[2:]}" in cells:
            sums.append((key, [f"2/{key[2:]}"]))
    return _solve(cells, sums, older["threshold"])


def _month_end(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    following = f"{year + number // 12}-{number % 12 + 1:02d}-01"
    return str(np.datetime64(following) - np.timedelta64(1, "D"))


def _system(doc: dict, prefix: str = "") -> tuple[Cells, Sums]:  # type: ignore[type-arg]
    """Every cell of a published aggregate (a number, or how it is hidden) and every sum it states."""
    cells: Cells = {}
    sums: Sums = []
    for t in doc["tables"]:
        k = prefix + t["key"]
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
    sums += [(prefix + total, [prefix + p for p in parts]) for total, parts in doc["links"]]
    sums += [(prefix + group[0], [prefix + other]) for group in doc["same"] for other in group[1:]]
    return cells, sums


def _solve(cells: Cells, sums: Sums, threshold: int) -> dict[str, tuple[float, float]]:
    """The smallest and largest value of every hidden cell under the published numbers and sums."""
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
    bounds = [
        (0, threshold - 1)
        if cells[k] == PRIMARY
        else (threshold, None)
        if cells[k] == SECONDARY
        else (cells[k]["from"], cells[k]["to"])
        if isinstance(cells[k], dict)  # type: ignore[index]
        else (0, None)
        for k in hidden
    ]
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
