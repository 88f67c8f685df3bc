"""Writers grow linearly: the XLSX shortlist in rows, terminal tables in the length of a value.

    python benchmarks/writers.py

A hand-made scored school of N students in N/25 mentor groups is rendered as XLSX at 2,000 and 20,000 rows,
and a score table with one cell of 5 KB and of 50 KB. Each ratio is printed next to the ratio of the sizes: a
linear writer's time ratio stays near the size ratio (10x), a quadratic one near its square (100x).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from riskscreen.render import render
from riskscreen.scoring.score import ScoreResult
from riskscreen.weekly.shortlist import build


def school(n: int, long_class: int = 0) -> ScoreResult:
    rng = np.random.default_rng(1)
    p = np.sort(rng.random(n))[::-1]
    table = pd.DataFrame(
        {
            "student_id": [f"S{i}" for i in range(n)],
            "mentor": [f"M{i % (n // 25)}" for i in range(n)],
            "class": ["3B"] * n,
            "probability": p,
            "band": np.where(p > 0.5, "high", "elevated"),
            "verzuim_16u": False,
        }
    )
    if long_class:
        table.loc[0, "class"] = "X" * long_class
    table.insert(0, "rank", range(1, n + 1))
    table = table.assign(ziekteverzuim=False, reason_features="", reason_1="", reason_2="", reason_3="", flags="")
    table.index = pd.Index(table["student_id"].tolist())
    empty = pd.DataFrame(index=table.index)
    return ScoreResult(table, empty, empty, empty, 0.0, pd.Timestamp("2026-11-27"), "bench", False)


def seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    small, large = (
        build(school(2_000), capacity=10**6, min_band="low"),
        build(school(20_000), capacity=10**6, min_band="low"),
    )
    xlsx = [seconds(lambda sl=sl: render("shortlist", "xlsx", sl, lang="nl")) for sl in (small, large)]
    print(
        f"XLSX shortlist: 2,000 rows {xlsx[0]:.2f} s, 20,000 rows {xlsx[1]:.2f} s: x{xlsx[1] / xlsx[0]:.1f} "
        "for 10x the rows (linear: about 10)"
    )
    from riskscreen.scoring.score import select

    tables = []
    for length in (5_000, 50_000):
        result = school(200, long_class=length)
        tables.append(seconds(lambda r=result: render("scores", "table", r, select(r), lang="nl")))
    print(
        f"terminal score table with a 5 KB cell {tables[0]:.2f} s, with a 50 KB cell {tables[1]:.2f} s: "
        f"x{tables[1] / tables[0]:.1f} (cells are cut at 1,000 characters for the terminal: about 1)"
    )


if __name__ == "__main__":
    main()
