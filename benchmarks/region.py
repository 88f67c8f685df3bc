"""The municipal table at the sample region's size (issue #25): `make region`'s steps timed one by one, and the
suppression of each school's year against the counting it protects (a ratio in the same run; absolute times are
noisy). Run: `make bench`, or `python benchmarks/region.py [FOLDER]` to reuse a region made earlier."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

from riskscreen.aggregate.counts import count, load_workspace
from riskscreen.aggregate.merge import merge
from riskscreen.aggregate.suppress import suppress
from riskscreen.aggregate.tables import read_aggregate, to_json
from riskscreen.demo.region import SCHOOLS, write_region
from riskscreen.workspace import actions
from riskscreen.workspace.location import Workspace, read_settings

FIRST, LAST = "2026-08-01", "2027-07-31"


def main() -> None:
    given = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    folder = given or Path(tempfile.mkdtemp(prefix="riskscreen-region-"))
    try:
        made = 0.0
        if given is None or not (folder / "workspaces").exists():
            start = time.perf_counter()
            write_region(folder, schools=3, weeks=44, as_of=dt.date(2027, 7, 9), students=400)
            made = time.perf_counter() - start
        total_count = total_suppress = 0.0
        files = []
        for school in SCHOOLS:
            where = Workspace(folder / "workspaces", school, "benchmark")
            start = time.perf_counter()
            snapshots = load_workspace(where.snapshots)
            book = actions.load(where.actions_file)
            counted = count(school, snapshots, book, FIRST, LAST, 10, read_settings(where).referral_targets)
            counting = time.perf_counter() - start
            start = time.perf_counter()
            published = suppress(counted)
            suppressing = time.perf_counter() - start
            hidden = sum(isinstance(v, str) for v in published.values().values())
            print(
                f"{school}: {len(snapshots)} lists; counting {counting:.2f} s, suppression {suppressing:.2f} s "
                f"({suppressing / counting:.1f}x counting), {hidden} of {len(published.values())} cells hidden"
            )
            total_count += counting
            total_suppress += suppressing
            path = folder / f"{school}.json"
            path.write_text(to_json(published))
            files.append(path)
        start = time.perf_counter()
        merge([read_aggregate(p) for p in files])
        merging = time.perf_counter() - start
        print(f"sample region made in {made:.1f} s" if made else "sample region reused")
        print(f"3 aggregates: counting {total_count:.2f} s, suppression {total_suppress:.2f} s; merge {merging:.2f} s")
        print(
            f"make region's work: {made + total_count + total_suppress + merging:.1f} s (without the start of "
            "four processes)"
        )
    finally:
        if given is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
