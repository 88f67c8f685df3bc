"""Speed and memory of riskscreen at school-board scale, against the floor of just reading the same files.

    python benchmarks/pipeline.py                       # 20,000 students, 10M registrations, 1M grades
    python benchmarks/pipeline.py --attendance-rows 1000000 --no-scaling --repeat 1   # quicker

Every measurement runs in a fresh process (so peak resident memory is its own); the median of --repeat runs
is reported with its ratio to the floor measured in the same run. Results go to stdout and to JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2026, 6, 26)  # the last whole school year of registrations
TODAY = None  # validation checks dates against the real today, as the CLI does
TARGETS = {"validate": 4.0, "features": 2.0, "score": 6.0, "score_cli": 6.0}
STARTUP_RUNS = 25


def dataset(folder: Path, students: int, attendance_rows: int, grade_rows: int, seed: int = 1) -> Path:
    """Generate once, deterministically, with the sample generator (canonical profile, CSV)."""
    target = folder / f"s{students}-a{attendance_rows}-g{grade_rows}-seed{seed}-{AS_OF}"
    if (target / "attendance.csv").exists():
        return target
    from riskscreen.demo import files as demo_files
    from riskscreen.demo import sample

    school = sample.generate(
        students, seed=seed, as_of=AS_OF, profile="canonical", attendance_rows=attendance_rows, grade_rows=grade_rows
    )
    staging = target.with_name(target.name + ".partial")
    demo_files.write(school, staging, force=True)
    staging.rename(target)
    return target


def features_checksum(features: Any) -> str:
    """A digest of the feature table, rounded so that it compares across runs and machines."""
    text = features.round(9).to_csv(lineterminator="\n")
    return hashlib.sha256(text.encode()).hexdigest()


def work(kind: str, data: Path) -> dict[str, Any]:
    """One measurement in this process: seconds for the timed part, and a checksum where it applies."""
    out: dict[str, Any] = {}
    if kind != "score_cli":
        import riskscreen.ingest.schema  # noqa: F401  in-process timings leave imports out; the CLI timing has them
    if kind == "floor":
        import pandas as pd

        start = time.perf_counter()
        for name in ("attendance.csv", "grades.csv", "students.csv"):
            pd.read_csv(data / name)
        out["seconds"] = time.perf_counter() - start
    elif kind == "validate":
        from riskscreen.ingest.pipeline import read_exports

        start = time.perf_counter()
        exports, report = read_exports(data, today=TODAY)
        out["seconds"] = time.perf_counter() - start
        out["valid"] = report.valid
    elif kind == "features":
        from riskscreen.ingest.pipeline import load_exports
        from riskscreen.signals.feature_table import build_features

        exports = load_exports(data, today=TODAY)
        start = time.perf_counter()
        features = build_features(exports)
        out["seconds"] = time.perf_counter() - start
        out["checksum"] = features_checksum(features)
        out["students"] = len(features)
    elif kind in {"score", "score_streamed"}:
        from riskscreen.files import write_output
        from riskscreen.ingest.pipeline import load_exports
        from riskscreen.render.scores import render_scores
        from riskscreen.scoring.score import score
        from riskscreen.scoring.store import load_model

        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            model = load_model("demo")
            # score_streamed: every file read block by block, as a file too large for memory would be
            exports = load_exports(data, today=TODAY, stream_above=0 if kind == "score_streamed" else None)
            result = score(exports, model)
            write_output(Path(tmp) / "scores.csv", render_scores(result, result.table, "csv", lang="nl"))
            out["seconds"] = time.perf_counter() - start
        out["checksum"] = features_checksum(result.features)
    elif kind == "score_cli":
        with tempfile.TemporaryDirectory() as tmp:
            command = [
                sys.executable,
                "-m",
                "riskscreen",
                "score",
                str(data),
                "--format",
                "csv",
                "--output",
                str(Path(tmp) / "scores.csv"),
            ]
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, text=True)
            out["seconds"] = time.perf_counter() - start
        # this worker is small and has no other children: their peak is the command's own
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        return out
    else:
        raise SystemExit(f"unknown measurement {kind}")
    out["peak_mb"] = peak_mb()
    return out


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM); ru_maxrss would carry the parent's over fork and exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, data: Path, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", kind, "--data", str(data)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    result = dict(runs[-1])
    result["seconds"] = statistics.median(r["seconds"] for r in runs)
    result["peak_mb"] = max(r["peak_mb"] for r in runs)
    result["runs"] = [round(r["seconds"], 3) for r in runs]
    return result


def startup(repeat: int) -> dict[str, float]:
    """`riskscreen --help` against `python -c "import typer, rich"`, alternating the two so drift hits both."""

    def once(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start

    base: list[float] = []
    helped: list[float] = []
    for _ in range(repeat):
        base.append(once([sys.executable, "-c", "import typer, rich"]))
        helped.append(once([sys.executable, "-m", "riskscreen", "--help"]))
    b, h = statistics.median(base), statistics.median(helped)
    return {"import_typer_rich": b, "riskscreen_help": h, "ratio": h / b, "runs": repeat}


def machine() -> dict[str, Any]:
    import numpy
    import pandas

    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
    }
    try:
        import pyarrow

        info["pyarrow"] = pyarrow.__version__
    except ImportError:
        info["pyarrow"] = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--attendance-rows", type=int, default=10_000_000)
    parser.add_argument("--grade-rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--json", type=Path, default=HERE / "results" / "pipeline.json")
    parser.add_argument("--no-scaling", action="store_true", help="skip the 1M-row run for the scaling check")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(work(args.worker, args.data)))
        return

    say = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    say(f"dataset: {args.students} students, {args.attendance_rows:,} registrations, {args.grade_rows:,} grades")
    data = dataset(args.data_dir, args.students, args.attendance_rows, args.grade_rows)
    size_mb = sum(p.stat().st_size for p in data.glob("*.csv")) / 1e6
    results: dict[str, Any] = {
        "machine": machine(),
        "dataset": {
            "students": args.students,
            "attendance_rows": args.attendance_rows,
            "grade_rows": args.grade_rows,
            "csv_mb": round(size_mb, 1),
        },
        "repeat": args.repeat,
        "measurements": {},
    }
    for kind in ("floor", "validate", "features", "score", "score_cli", "score_streamed"):
        say(f"measuring {kind} ...")
        results["measurements"][kind] = measure(kind, data, args.repeat)
    floor = results["measurements"]["floor"]["seconds"]
    for m in results["measurements"].values():
        m["ratio_to_floor"] = m["seconds"] / floor
    say("measuring start-up ...")
    results["startup"] = startup(STARTUP_RUNS)
    if not args.no_scaling:
        small_rows = max(args.attendance_rows // 10, 1)
        say(f"scaling: {small_rows:,} registrations ...")
        small = dataset(args.data_dir, args.students, small_rows, args.grade_rows)
        small_score = measure("score", small, args.repeat)
        small_floor = measure("floor", small, args.repeat)
        small_streamed = measure("score_streamed", small, 1)
        big_score = results["measurements"]["score"]
        results["scaling"] = {
            "small_rows": small_rows,
            "small_score_seconds": small_score["seconds"],
            "small_floor_seconds": small_floor["seconds"],
            "small_streamed_peak_mb": small_streamed["peak_mb"],
            "small_score_peak_mb": small_score["peak_mb"],
            # the time added by 9x more registrations, per registration, against the whole time per row
            "marginal_seconds_per_million_rows": (big_score["seconds"] - small_score["seconds"])
            / ((args.attendance_rows - small_rows) / 1e6),
            "seconds_per_million_rows_small": small_score["seconds"] / (small_rows / 1e6),
            "seconds_per_million_rows_big": big_score["seconds"] / (args.attendance_rows / 1e6),
        }
        results["scaling"]["per_row_ratio"] = (
            results["scaling"]["seconds_per_million_rows_big"] / results["scaling"]["seconds_per_million_rows_small"]
        )
    report(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    say(f"wrote {args.json}")


def report(results: dict[str, Any]) -> None:
    m = results["measurements"]
    print(f"\n{'measurement':<34}{'median s':>10}{'x floor':>10}{'peak MB':>10}{'target':>10}  met")
    names = {
        "floor": "pandas.read_csv of the 3 files",
        "validate": "validate (read, guard, map, check)",
        "features": "feature building alone",
        "score": "score end to end, in process",
        "score_cli": "score end to end, CLI subprocess",
        "score_streamed": "score, files read in blocks",
    }
    for kind, row in m.items():
        target = TARGETS.get(kind)
        met = "" if target is None else ("yes" if row["ratio_to_floor"] <= target else "NO")
        print(
            f"{names[kind]:<34}{row['seconds']:>10.2f}{row['ratio_to_floor']:>10.2f}{row['peak_mb']:>10.0f}"
            f"{'' if target is None else f'<= {target:g}x':>10}  {met}"
        )
    s = results["startup"]
    print(
        f"\n--help {s['riskscreen_help']:.3f} s vs `import typer, rich` {s['import_typer_rich']:.3f} s: "
        f"{s['ratio']:.2f}x (target <= 1.5x: {'yes' if s['ratio'] <= 1.5 else 'NO'})"
    )
    peak = max(m["score"]["peak_mb"], m["score_cli"]["peak_mb"])
    print(f"score peak memory {peak:.0f} MB (target < 3000 MB: {'yes' if peak < 3000 else 'NO'})")
    same = m["score_streamed"]["checksum"] == m["score"]["checksum"]
    print(
        f"read in blocks (the path for files larger than memory): peak {m['score_streamed']['peak_mb']:.0f} MB "
        f"against {m['score']['peak_mb']:.0f} MB read whole; same features: {'yes' if same else 'NO'}"
    )
    if "scaling" in results:
        sc = results["scaling"]
        print(
            f"scaling: score {sc['small_score_seconds']:.2f} s at {sc['small_rows']:,} rows, "
            f"{m['score']['seconds']:.2f} s at 10x as many: cost per million rows "
            f"{sc['seconds_per_million_rows_small']:.3f} s -> {sc['seconds_per_million_rows_big']:.3f} s, ratio "
            f"{sc['per_row_ratio']:.2f} (target <= 1.3: {'yes' if sc['per_row_ratio'] <= 1.3 else 'NO'}); "
            f"each further million rows costs {sc['marginal_seconds_per_million_rows']:.3f} s"
        )
        print(
            f"peak memory at {sc['small_rows']:,} and 10x as many rows: read whole {sc['small_score_peak_mb']:.0f} "
            f"-> {m['score']['peak_mb']:.0f} MB; read in blocks {sc['small_streamed_peak_mb']:.0f} -> "
            f"{m['score_streamed']['peak_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
