"""What a school has published to the municipality: the record that keeps suppression sound across releases.

Two releases over overlapping periods let a reader subtract one from the other and solve the small cells that
each hid on its own (a month's closed actions stays the same while other cells grow). So a school publishes
periods that never overlap: each release is recorded here (its period and a checksum of its numbers, never a
student), and a new one that overlaps an earlier one is refused, unless it is that same release again (the
same period and the same numbers, in another format).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from riskscreen.errors import Day, PrivacyError, msg
from riskscreen.workspace.store import read_records, unreadable, write_document

KIND = "riskscreen-releases"


@dataclass(frozen=True)
class Release:
    """One published aggregate: its period, when it was made, and a checksum of what it showed."""

    first: dt.date
    last: dt.date
    made: dt.date
    checksum: str

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return self.first <= last and first <= self.last


def checksum(published: str) -> str:
    """The checksum of an aggregate as published (its JSON: every shown number, every range, the threshold)."""
    return hashlib.sha256(published.encode("utf-8")).hexdigest()


def load(path: Path) -> list[Release]:
    """The school's releases, oldest first; none when nothing was published yet."""
    what = msg("record of published aggregates")
    hint = msg("restore it from a backup; without it riskscreen cannot tell which periods were published")
    records = read_records(path, kind=KIND, field="releases", what=what, hint=hint)
    try:
        return sorted(
            (
                Release(
                    dt.date.fromisoformat(r["from"]),
                    dt.date.fromisoformat(r["to"]),
                    dt.date.fromisoformat(r["made"]),
                    str(r["checksum"]),
                )
                for r in records
            ),
            key=lambda r: (r.first, r.last),
        )
    except (KeyError, TypeError, ValueError):
        raise unreadable(path, what, hint) from None


def save(path: Path, releases: list[Release]) -> None:
    write_document(
        path,
        {
            "kind": KIND,
            "releases": [
                {
                    "from": r.first.isoformat(),
                    "to": r.last.isoformat(),
                    "made": r.made.isoformat(),
                    "checksum": r.checksum,
                }
                for r in releases
            ],
        },
    )


def next_first(releases: list[Release], start: dt.date, last: dt.date) -> dt.date:
    """Where a period should begin by default: the school year's start, or the day after the last release in it."""
    ends = [r.last for r in releases if start <= r.last < last]
    return max(ends) + dt.timedelta(days=1) if ends else start


def check(releases: list[Release], first: dt.date, last: dt.date, published: str) -> bool:
    """Whether this release may be published: True when it is new (to be recorded), False when it is an earlier
    release again. Raises PrivacyError when its period overlaps an earlier release with other numbers."""
    sum_ = checksum(published)
    for earlier in releases:
        if not earlier.overlaps(first, last):
            continue
        if (earlier.first, earlier.last, earlier.checksum) == (first, last, sum_):
            return False
        raise PrivacyError(
            msg(
                "the period {first} to {last} overlaps the aggregate published on {made} over {earlier_first} to "
                "{earlier_last}; together the two would give away the small counts each of them hides",
                first=Day(first.isoformat()),
                last=Day(last.isoformat()),
                made=Day(earlier.made.isoformat()),
                earlier_first=Day(earlier.first.isoformat()),
                earlier_last=Day(earlier.last.isoformat()),
            ),
            hint=msg(
                "publish a period that begins after {earlier_last} (`first` {next_day}); or publish that same "
                "period again only while its numbers are unchanged",
                earlier_last=Day(earlier.last.isoformat()),
                next_day=Day((earlier.last + dt.timedelta(days=1)).isoformat()),
            ),
        )
    return True
