"""The results section of docs/performance.md, from benchmarks/results/pipeline.json.

python benchmarks/to_markdown.py [results.json]     # prints Markdown to paste between the headings
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pipeline import TARGETS

NAMES = {
    "floor": "plain `pandas.read_csv` of the 3 files (the floor)",
    "validate": "`validate` (read, guard, map, check)",
    "features": "feature building alone",
    "score": "`score` end to end, in process",
    "score_cli": "`score` end to end, CLI subprocess (imports included)",
    "score_streamed": "`score`, every file read in 64 MB blocks (the larger-than-memory path)",
}


def markdown(results: dict[str, Any]) -> str:
    machine, m = results["machine"], results["measurements"]
    out = [
        f"Measured on {machine.get('cpu', '?')}, {machine['cpus']} cores, {machine.get('memory_gb', '?')} GB, "
        f"Python {machine['python']}, pandas {machine['pandas']}, numpy {machine['numpy']}, pyarrow "
        f"{machine['pyarrow']}; median of {results['repeat']} runs, each in a fresh process (every run is in "
        "`benchmarks/results/pipeline.json`). In-process timings leave the imports out; the CLI timing has "
        "everything a user waits for.",
        "",
        "| measurement | median | runs | x floor | target | met | peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, row in m.items():
        target = TARGETS.get(kind)
        met = "" if target is None else ("yes" if row["ratio_to_floor"] <= target else "**no**")
        runs = ", ".join(f"{r:.2f}" for r in row["runs"])
        out.append(
            f"| {NAMES[kind]} | {row['seconds']:.2f} s | {runs} | {row['ratio_to_floor']:.2f} | "
            f"{'' if target is None else f'<= {target:g}x'} | {met} | {row['peak_mb']:.0f} MB |"
        )
    s = results["startup"]
    out += [
        "",
        f"- `riskscreen --help`: {s['riskscreen_help']:.3f} s against {s['import_typer_rich']:.3f} s for "
        f'`python -c "import typer, rich"`: **{s["ratio"]:.2f}x** (target 1.5x, '
        f"{'met' if s['ratio'] <= 1.5 else 'not met'}; {s['runs']} alternating runs).",
    ]
    peak = max(m["score"]["peak_mb"], m["score_cli"]["peak_mb"])
    out.append(f"- Peak memory of `score`: {peak:.0f} MB (target < 3 GB).")
    if "score_streamed" in m:
        same = m["score_streamed"]["checksum"] == m["score"]["checksum"]
        out.append(
            f"- Read in blocks: {m['score_streamed']['seconds']:.2f} s and {m['score_streamed']['peak_mb']:.0f} "
            f"MB at peak, against {m['score']['peak_mb']:.0f} MB read whole; the features are "
            f"{'identical (same checksum)' if same else 'DIFFERENT'}."
        )
    if "scaling" in results:
        sc = results["scaling"]
        out.append(
            f"- Scaling: `score` takes {sc['small_score_seconds']:.2f} s at {sc['small_rows']:,} registrations "
            f"and {m['score']['seconds']:.2f} s at {results['dataset']['attendance_rows']:,}: "
            f"{sc['seconds_per_million_rows_small']:.2f} s per million rows, then "
            f"{sc['seconds_per_million_rows_big']:.2f} s (ratio {sc['per_row_ratio']:.2f}; target: at most "
            f"1.3). Each further million registrations adds {sc['marginal_seconds_per_million_rows']:.2f} s."
        )
        if "small_streamed_peak_mb" in sc:
            out.append(
                f"- Peak memory from {sc['small_rows']:,} to {results['dataset']['attendance_rows']:,} "
                f"registrations: read whole {sc['small_score_peak_mb']:.0f} -> {m['score']['peak_mb']:.0f} MB; "
                f"read in blocks {sc['small_streamed_peak_mb']:.0f} -> {m['score_streamed']['peak_mb']:.0f} MB."
            )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "results" / "pipeline.json"
    print(markdown(json.loads(path.read_text())), end="")
