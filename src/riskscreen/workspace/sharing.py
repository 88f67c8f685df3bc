"""Why a student's signals may be shared with the youth worker: the recorded basis, per student and per school.

A youth worker usually works for another organisation than the school, so the school shares a student's signals
with them only on a basis it has recorded: the student's (or parents') consent, a covenant between school and
youth work that covers the student, or the student being known to the youth worker already. A basis holds from
a day, until a day or until it is ended; the youth worker's view of the list (#22) shows a student only on a day
a basis covers. The workspace's `[sharing]` setting is the school's default basis: a covenant for every student.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from riskscreen.errors import Day, UsageError, WorkspaceError, msg
from riskscreen.workspace.location import SETTINGS_NAME, Workspace, read_settings
from riskscreen.workspace.store import read_records, unreadable, write_document

BASES = ("consent", "covenant", "known")
# the words a coordinator types, in either language, for each basis
BASIS_WORDS = {
    "consent": "consent",
    "toestemming": "consent",
    "covenant": "covenant",
    "convenant": "covenant",
    "known": "known",
    "bekend": "known",
}
KIND = "riskscreen-sharing"
MAX_YEARS = 5  # a basis recorded for longer than this is a typing error (a covenant runs a few school years)


@dataclass(frozen=True)
class Basis:
    """One recorded basis for sharing a student's signals with the youth worker."""

    student_id: str
    basis: str  # BASES
    on: dt.date  # the day it holds from
    until: dt.date | None = None  # the day it holds to (inclusive), or open
    ended: dt.date | None = None  # the day it was ended (it holds no longer from that day)

    def covers(self, day: dt.date) -> bool:
        return self.on <= day and (self.until is None or day <= self.until) and (self.ended is None or day < self.ended)


@dataclass(frozen=True)
class SchoolBasis:
    """The workspace's default: a basis that covers every student of the school (a covenant)."""

    basis: str
    on: dt.date
    until: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.on <= day and (self.until is None or day <= self.until)


def school_basis(section: dict[str, object] | None, path: Path) -> SchoolBasis | None:
    """The workspace's [sharing] default, checked: a known basis, a first day, and a last day not before it."""
    if section is None:
        return None
    basis, on, until = section.get("basis"), section.get("on"), section.get("until")
    if not isinstance(basis, str) or basis_key(basis) != "covenant":
        raise WorkspaceError(
            msg('[sharing] basis must be "convenant": only a covenant covers every student'),
            path=str(path),
            hint=msg("record consent or 'known' per student with `riskscreen sharing set`"),
        )
    if (
        not isinstance(on, dt.date)
        or isinstance(on, dt.datetime)
        or (until is not None and (not isinstance(until, dt.date) or until < on))
    ):
        raise WorkspaceError(
            msg("[sharing] needs on = the first day of the covenant, and until (if given) not before it"),
            path=str(path),
            hint=msg("for example on = 2026-08-01 and until = 2027-07-31, dates without quotes"),
        )
    return SchoolBasis("covenant", on, until)


def basis_key(word: str) -> str:
    """The basis a coordinator typed, in Dutch or English, as its key."""
    key = BASIS_WORDS.get(str(word).strip().lower())
    if key is None:
        raise UsageError(
            msg("'{word}' is not a basis for sharing", word=word),
            hint=msg("use toestemming, convenant or bekend (consent, covenant, known)"),
        )
    return key


def load(path: Path) -> list[Basis]:
    """The school's recorded bases, in the order they were recorded; none when nothing was recorded."""
    what = msg("record of the bases for sharing")
    hint = msg("restore it from a backup, or move it away to start again")
    try:
        records = [
            Basis(
                str(r["student_id"]),
                str(r["basis"]),
                _day(r["on"]),
                _day_or_none(r.get("until")),
                _day_or_none(r.get("ended")),
            )
            for r in read_records(path, kind=KIND, field="bases", what=what, hint=hint)
        ]
    except (KeyError, TypeError, ValueError):
        raise unreadable(path, what, hint) from None
    if any(r.basis not in BASES for r in records):
        raise unreadable(path, what, hint)
    return records


def _day(value: object) -> dt.date:
    """An ISO date of the record, checked (a record that compared a number with a date would fail later)."""
    if not isinstance(value, str):
        raise TypeError(value)
    return dt.date.fromisoformat(value)


def _day_or_none(value: object) -> dt.date | None:
    return None if value is None else _day(value)


def of_workspace(where: Workspace) -> tuple[list[Basis], SchoolBasis | None]:
    """A workspace's recorded bases and its school-wide default ([sharing] in its settings)."""
    return load(where.sharing_file), school_basis(read_settings(where).sharing, where.folder / SETTINGS_NAME)


def save(path: Path, records: list[Basis]) -> None:
    write_document(
        path,
        {
            "kind": KIND,
            "bases": [
                {
                    "student_id": r.student_id,
                    "basis": r.basis,
                    "on": r.on.isoformat(),
                    "until": None if r.until is None else r.until.isoformat(),
                    "ended": None if r.ended is None else r.ended.isoformat(),
                }
                for r in records
            ],
        },
    )


def record(
    records: list[Basis], student_id: str, basis: str, on: dt.date, until: dt.date | None, today: dt.date
) -> list[Basis]:
    """The records with a new basis for a student, checked: a known basis, not from a day after today, not
    ending before it starts, not for longer than MAX_YEARS."""
    key = basis_key(basis)
    if on > today:
        raise UsageError(
            msg(
                "the basis cannot hold from {on}, after today ({today})",
                on=Day(on.isoformat()),
                today=Day(today.isoformat()),
            ),
            hint=msg("record a basis on or after the day it was agreed, with that day as `on`"),
        )
    if until is not None and until < on:
        raise UsageError(
            msg("`until` {until} is before `on` {on}", until=Day(until.isoformat()), on=Day(on.isoformat()))
        )
    if until is not None and (until - on).days > MAX_YEARS * 366:
        raise UsageError(
            msg("a basis of more than {years} years is not what a school records", years=MAX_YEARS),
            hint=msg("give the last day the consent or covenant holds"),
        )
    return [*records, Basis(student_id, key, on, until)]


def end(records: list[Basis], student_id: str, on: dt.date) -> tuple[list[Basis], int]:
    """The records with every basis of the student that still holds on `on` ended that day; and how many."""
    day = on
    ended = 0
    out = []
    for r in records:
        if r.student_id == student_id and r.ended is None and (r.until is None or r.until >= day):
            r = replace(r, ended=max(day, r.on))
            ended += 1
        out.append(r)
    if not ended:
        raise UsageError(
            msg(
                "student '{student_id}' has no basis for sharing that holds on {on}", student_id=student_id, on=Day(day)
            ),
            hint=msg("`riskscreen sharing list` shows the recorded bases"),
        )
    return out, ended


def covered(records: list[Basis], school: SchoolBasis | None, student_id: str, day: dt.date) -> str | None:
    """The basis that lets the youth worker see this student on `day`, or None: the student's own first, then the
    school's default."""
    for r in records:
        if r.student_id == student_id and r.covers(day):
            return r.basis
    return school.basis if school is not None and school.covers(day) else None


def prune(records: list[Basis], before: dt.date) -> list[Basis]:
    """The records without those that ended (or ran out) before `before`: the workspace's retention."""
    return [r for r in records if not ((r.ended or r.until or dt.date.max) < before)]
