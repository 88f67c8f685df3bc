"""Validation problems, grouped by file, column and rule, with example rows a user can look up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from riskscreen.errors import msg
from riskscreen.i18n import date_text, identifier_in, texts
from riskscreen.identifiers import shorten
from riskscreen.ingest.clock import current_date

ERROR = "error"
WARNING = "warning"
EXAMPLES = 5


# A value that may identify someone is described in a report, never shown: nine digits however written, an
# e-mail sign, a phone-like run of digits, a name, text of several words in a column of pseudonyms, or a date
# further back than a school's registrations go (a birth date in the wrong column).
UNSAFE_VALUE = re.compile(r"\d(?:[\s.\-/()]?\d){8,}|@|\(at\)|\[at\]", re.IGNORECASE)
DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# how much of a value is searched for identifiers before its start is shown (40 characters and a margin)
SEARCHED = 200
# registrations cover a student's years at school; a date further back, in the years a student of up to 30
# (MBO) was born in, may be a birth date in the wrong column
YEARS_SHOWN = 6
OLDEST_STUDENT = 30


def shown_value(value: object, *, pseudonym: bool = False) -> str:
    """A cell as a report may show it: shortened, or described when it may identify someone. Only the start of
    the value can be shown, so only the start is searched (a cell of megabytes costs no more than a short one)."""
    text = str(value).strip()
    if DATE_LIKE.fullmatch(text):
        years = [int(y) for y in YEAR.findall(text)]
        if years and 0 < current_date().year - years[0] - YEARS_SHOWN <= OLDEST_STUDENT - YEARS_SHOWN:
            return msg("(a date in {year}, not shown)", year=years[0])
        return shorten(text)
    head = text[:SEARCHED]
    if UNSAFE_VALUE.search(head) or (pseudonym and " " in text) or identifier_in(head):
        digits = sum(ch.isdigit() for ch in text)
        if digits >= 8 and digits >= len(text) - 4:
            return msg("(a number of {count} digits, not shown)", count=digits)
        return msg("(text of {count} characters, not shown)", count=len(text))
    return shorten(text)


@dataclass(frozen=True)
class Problem:
    """One kind of defect in one column of one file, with how often and where it occurs."""

    severity: str
    table: str
    file: str
    column: str
    rule: str
    message: str
    fix: str
    count: int = 1
    rows: tuple[int, ...] = ()
    values: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "table": self.table,
            "file": self.file,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
            "fix": self.fix,
            "count": self.count,
            "rows": list(self.rows),
            "values": list(self.values),
        }


def problem_at(
    severity: str,
    table: str,
    file: str,
    column: str,
    rule: str,
    message: str,
    fix: str,
    rows: Sequence[int] | np.ndarray,
    values: Sequence[object] | np.ndarray = (),
    *,
    count: int | None = None,
) -> Problem:
    """Build a grouped problem from all the rows it concerns, keeping a few examples."""
    return Problem(
        severity,
        table,
        file,
        column,
        rule,
        message,
        fix,
        count=len(rows) if count is None else count,
        rows=tuple(int(r) for r in rows[:EXAMPLES]),
        values=tuple(shown_value(v, pseudonym=column == "student_id") for v in values[:EXAMPLES]),
    )


@dataclass(frozen=True)
class FileSummary:
    """What was read from one file."""

    table: str
    file: str
    rows: int
    encoding: str | None
    separator: str | None
    sheet: str | None
    notes: tuple[str, ...]
    ignored_columns: tuple[str, ...] = ()


@dataclass
class ValidationReport:
    """Everything validation found, plus what was read; valid when no problem is an error."""

    profile: str
    profile_detected: bool
    files: list[FileSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # riskscreen's own outputs found among the exports
    ignored: list[str] = field(default_factory=list)  # other files of the folder that are not exports
    students: int = 0
    first_date: str | None = None
    last_date: str | None = None
    as_of: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def counts_by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.problems:
            out[p.rule] = out.get(p.rule, 0) + p.count
        return out

    def summary_line(self, lang: str = "en") -> str:
        """The verdict in one line, in a language: files, rows, students, dates, problems by kind."""
        words = texts(lang)["validation"]
        rules = texts(lang).get("rules", {})
        span = (
            str(words["span"]).format(first=date_text(self.first_date, lang), last=date_text(self.last_date, lang))
            if self.first_date
            else str(words["no_dates"])
        )
        kinds = ", ".join(f"{rules.get(rule, rule)} {n}" for rule, n in sorted(self.counts_by_rule().items()))
        return str(words["summary"]).format(
            verdict=words["valid" if self.valid else "invalid"],
            files=len(self.files),
            rows=sum(f.rows for f in self.files),
            students=self.students,
            span=span,
            errors=len(self.errors),
            warnings=len(self.warnings),
            kinds=kinds or words["none"],
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "profile": self.profile,
            "profile_detected": self.profile_detected,
            "students": self.students,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "as_of": self.as_of,
            "files": [
                {
                    "table": f.table,
                    "file": f.file,
                    "rows": f.rows,
                    "encoding": f.encoding,
                    "separator": f.separator,
                    "sheet": f.sheet,
                    "notes": list(f.notes),
                    "ignored_columns": [str(shown_value(c)) for c in f.ignored_columns],
                }
                for f in self.files
            ],
            "problems": [p.as_dict() for p in self.problems],
            "skipped_own_outputs": list(self.skipped),
            "ignored_files": list(self.ignored),
        }
