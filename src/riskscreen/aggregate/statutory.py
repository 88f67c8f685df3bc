"""The statutory picture a leerplichtambtenaar steers on: the school's reports to DUO in the period, by type and
by month, and what became of them (reported in time, reported late, not reported past the deadline, still due).

A report is counted once, in the month it was reached (its end date), with the state it had on the period's last
list. The entries come from the snapshots (the reports each weekly list knew), the states from the school's recorded
reports, by the same rule the weekly list uses (signals.statutory.states).
"""

from __future__ import annotations

import datetime as dt

from riskscreen.aggregate.tables import Table
from riskscreen.signals.statutory.states import DUE, LATE, REPORTED, REPORTED_LATE, with_states
from riskscreen.workspace.actions import ActionBook
from riskscreen.workspace.snapshots import Snapshot

REPORT_TYPES = ("16u", "vervolgmelding", "lrv", "luxe", "rmc18")  # rmc18: 18-22 without a startkwalificatie
REPORT_STATES = ("reported_in_time", "reported_late", "not_reported", "due")
REPORT_TABLES = ("reports", "reports_by_month", "report_types_by_month")
STATE_KEYS = {REPORTED: "reported_in_time", REPORTED_LATE: "reported_late", LATE: "not_reported", DUE: "due"}


def report_type(entry: dict[str, object]) -> str:
    """The row a report counts in: a 16-hour report after the first of the school year is a vervolgmelding."""
    return "vervolgmelding" if entry["type"] == "16u" and entry.get("follow_up") else str(entry["type"])


def period_reports(
    snapshots: list[Snapshot], book: ActionBook, first: dt.date, last: dt.date
) -> list[tuple[str, str, str]]:
    """(type, month reached, state) of every compulsory report reached in the period, as on its last list."""
    known: dict[str, dict[tuple[str, str], dict[str, object]]] = {}
    for snapshot in snapshots:  # oldest first: a later list's copy of a report replaces an earlier one
        if "statutory" not in snapshot.students:
            continue
        for sid in snapshot.students.index:
            for entry in snapshot.reports(str(sid)):
                if entry.get("compulsory") and entry.get("deadline"):
                    known.setdefault(str(sid), {})[(str(entry["type"]), str(entry["end"]))] = entry
    as_of = snapshots[-1].as_of if snapshots else last
    out = []
    for sid, entries in known.items():
        recorded = [r.recorded() for r in book.reports_of(sid, "verzuim_16u") if r.on <= as_of]
        for entry in with_states(list(entries.values()), recorded, as_of.isoformat()):  # signals keep ISO days
            reached = dt.date.fromisoformat(str(entry["reached"]))
            if first <= reached <= last and entry["state"] is not None:
                out.append((report_type(entry), f"{reached:%Y-%m}", STATE_KEYS[str(entry["state"])]))
    return out


def report_tables(
    reports: list[tuple[str, str, str]], months: tuple[str, ...]
) -> tuple[list[Table], list[tuple[str, ...]]]:
    """Three two-way tables of one set of reports (by type and state, by month and state, by month and type) and the
    cells they share. A three-way table (type by month by state) has cells too small to publish at any school of
    fewer than a few thousand students: every cell would be hidden."""
    all_months = tuple(sorted({*months, *(m for _, m, _ in reports)}))
    by_type = _table("reports", [(t, s) for t, _, s in reports], REPORT_TYPES, REPORT_STATES)
    by_month = _table("reports_by_month", [(m, s) for _, m, s in reports], all_months, REPORT_STATES)
    types = _table("report_types_by_month", [(m, t) for t, m, _ in reports], all_months, REPORT_TYPES)
    same: list[tuple[str, ...]] = [("reports:*:*", "reports_by_month:*:*", "report_types_by_month:*:*")]
    same += [(f"reports:*:{s}", f"reports_by_month:*:{s}") for s in REPORT_STATES]
    same += [(f"reports:{t}:*", f"report_types_by_month:*:{t}") for t in REPORT_TYPES]
    same += [(f"reports_by_month:{m}:*", f"report_types_by_month:{m}:*") for m in all_months]
    return [by_type, by_month, types], same


def _table(key: str, pairs: list[tuple[str, str]], rows: tuple[str, ...], columns: tuple[str, ...]) -> Table:
    """Counts by row and column, with every margin."""
    cells = tuple(tuple(sum(1 for r, c in pairs if r == row and c == column) for column in columns) for row in rows)
    return Table(
        key,
        rows,
        columns,
        cells,
        tuple(sum(r) for r in cells),
        tuple(sum(r[c] for r in cells) for c in range(len(columns))),
        len(pairs),
    )
