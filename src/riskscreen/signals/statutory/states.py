"""The state of each report: due, late, reported or reported late, from the reports the school recorded.

A recorded report names its type and end date, or names neither: then it is the oldest report of the student
still open on the day it was made (of its type, when given). A report never found open stays due until its
deadline and late after it, whatever newer reports come in; a report made after its deadline is reported late.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from riskscreen.signals.statutory.reports import REPORTABLE

DUE, LATE, REPORTED, REPORTED_LATE = "due", "late", "reported", "reported_late"
OPEN_STATES = (DUE, LATE)


@dataclass(frozen=True)
class Recorded:
    """A report the school made: on a date, of a type and an end date where the school named them."""

    on: str
    type: str | None = None
    end: str | None = None


def with_states(
    entries: Sequence[dict[str, object]], recorded: Iterable[Recorded], as_of: str
) -> list[dict[str, object]]:
    """The entries with `state` and `reported_on` set (None for entries nothing is to be reported of)."""
    out = [{**e, "state": None, "reported_on": None} for e in entries]
    reportable = [e for e in out if e["compulsory"] and e["type"] in REPORTABLE]
    for record in sorted(recorded, key=lambda r: (r.on, r.end or "", r.type or "")):
        target = _target(reportable, record)
        if target is not None:
            target["reported_on"] = record.on
            target["state"] = REPORTED if record.on <= str(target["deadline"]) else REPORTED_LATE
    for entry in reportable:
        if entry["state"] is None:
            entry["state"] = LATE if as_of > str(entry["deadline"]) else DUE
    return out


def _target(reportable: list[dict[str, object]], record: Recorded) -> dict[str, object] | None:
    candidates = [
        e
        for e in reportable
        if e["reported_on"] is None
        and str(e["reached"]) <= record.on
        and (record.type is None or e["type"] == record.type)
    ]
    if record.end is not None:
        candidates = [e for e in candidates if e["end"] == record.end]
    return min(candidates, key=lambda e: (str(e["reached"]), str(e["type"]))) if candidates else None


def headline(entries: Sequence[dict[str, object]]) -> dict[str, object] | None:
    """The report a list shows first: the open one with the nearest deadline, else the last one reported."""
    open_ = [e for e in entries if e["state"] in OPEN_STATES]
    if open_:
        return min(open_, key=lambda e: (str(e["deadline"]), str(e["reached"])))
    done = [e for e in entries if e["state"] in (REPORTED, REPORTED_LATE)]
    return max(done, key=lambda e: str(e["reached"])) if done else None
