"""Privacy guard: refuse files whose column names or values look like direct identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.errors import Lines, PrivacyError, msg
from riskscreen.identifiers import BIRTH_DATE, EMAIL, NAME_IN_TEXT, bsn_valid, fold_text, name_in, phone_in
from riskscreen.ingest.clock import current_date
from riskscreen.ingest.privacy_names import column_name_reason
from riskscreen.ingest.raw import RawTable
from riskscreen.ingest.sniff import normalise_header

# Values are folded first (fold_text: full-width and look-alike letters, invisible characters), so the patterns
# of ingest.identifiers see "ｊ＠ｘ．ｎｌ" as "j@x.nl".
# Nine digits as a BSN is written: bare, 3-3-3 with one kind of separator, or 4.2.3.
NINE_DIGITS = re.compile(r"(?<![\d.\-])(?:\d{9}|\d{3}([ .\-])\d{3}\1\d{3}|\d{4}\.\d{2}\.\d{3})(?![\d])")
# A column is a BSN column when this many of its 8/9-digit values pass the 11-check by chance is less likely.
BSN_CHANCE = 1 / 11
# A date a student was born on lies this many years back: 8 (a margin below the youngest student, 10, the contract
# knows) to 30 (the oldest MBO student it knows). A column of dates mostly that far back holds birth dates.
BIRTH_YEARS_BACK = (8, 30)
DATE_VALUE = re.compile(
    r"(?:\d{1,2}[-/.]\d{1,2}[-/.]((?:19|20)\d{2})|((?:19|20)\d{2})[-/.]\d{1,2}[-/.]\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
BSN_P_VALUE = 1e-4


@dataclass(frozen=True)
class Finding:
    """One identifier found: which column, why, and where (file rows, never the value)."""

    column: str
    reason: str
    lines: tuple[int, ...] = ()
    count: int = 0

    def describe(self) -> str:
        if not self.lines:
            return msg("column '{column}': {reason}", column=self.column, reason=self.reason)
        shown = ", ".join(str(n) for n in self.lines[:5])
        if self.count > 5:
            return msg(
                "column '{column}': {reason} (rows {rows} and {more} more)",
                column=self.column,
                reason=self.reason,
                rows=shown,
                more=self.count - 5,
            )
        if self.count > 1:
            return msg("column '{column}': {reason} (rows {rows})", column=self.column, reason=self.reason, rows=shown)
        return msg("column '{column}': {reason} (row {rows})", column=self.column, reason=self.reason, rows=shown)


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly in log space (no scipy import on every read)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    log_factorial = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    i = np.arange(k, n + 1)
    log_pmf = log_factorial[n] - log_factorial[i] - log_factorial[n - i] + i * np.log(p) + (n - i) * np.log1p(-p)
    top = log_pmf.max()
    return float(min(1.0, np.exp(top) * np.exp(log_pmf - top).sum()))


def _categories(series: pd.Series) -> tuple[pd.Index, np.ndarray]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.categories, series.cat.codes.to_numpy()
    codes, uniques = pd.factorize(series)
    return pd.Index(uniques), codes


def _lines_for(mask: np.ndarray, codes: np.ndarray, table: RawTable, limit: int = 5) -> tuple[tuple[int, ...], int]:
    bad_codes = np.flatnonzero(mask)
    rows = np.flatnonzero(np.isin(codes, bad_codes))
    index = table.frame.index.to_numpy()
    return tuple(table.line_of(index[r]) for r in rows[:limit]), int(rows.size)


def _phones(text: pd.Series, bare: np.ndarray) -> np.ndarray:
    """Values holding a phone number however written (identifiers.phone_in), or bare as 06 and eight digits."""
    found = np.zeros(len(text), dtype=bool)
    maybe = text.str.contains(r"\d.*\d", regex=True).to_numpy(dtype=bool) & (text.str.len().to_numpy() >= 10)
    for pos in np.flatnonzero(maybe & ~bare):
        found[pos] = phone_in(text.iloc[pos])
    found |= bare & text.str.fullmatch(r"06\d{8}|00316\d{8}|316\d{8}").to_numpy(dtype=bool)
    return found


def _nine_digit_values(text: pd.Series) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Per value: whether it holds nine digits written as a BSN is; and by position, the numbers (digits only) of
    those that do (not a list per value: tens of thousands of empty lists cost a garbage collection)."""
    values = text.tolist()
    numbers: dict[int, list[str]] = {}
    holds = np.zeros(len(values), dtype=bool)
    for pos, value in enumerate(values):
        if NINE_DIGITS.search(value) is None:
            continue  # most values (short pseudonyms, dates): one search, nothing to pick apart
        numbers[pos] = [re.sub(r"\D", "", m.group(0)) for m in NINE_DIGITS.finditer(value)]
        holds[pos] = True
    return holds, numbers


def _shape(value: str) -> str:
    """The form of a pseudonym: a number by its length; hexadecimal digits (hashes, UUIDs) as one kind."""
    if value.isdigit():
        return "9" * len(value)
    return re.sub(r"[g-zG-Z]", "a", re.sub(r"[0-9a-fA-F]", "x", value))


def scan_values(table: RawTable, column: str, *, pseudonyms: bool = False, check_names: bool = True) -> list[Finding]:
    """Identifier-looking values in one column: e-mail addresses, Dutch phone numbers, BSNs, birth dates.

    pseudonyms: the column holds the student's pseudonym (its role in the mapping, or declared): a scheme of
    hashes, UUIDs or long numbers is then no phone number; such a column is checked for BSNs only.
    """
    series = table.frame[column]
    categories, codes = _categories(series)
    if len(categories) == 0:
        return []
    # folding is for the few values outside ASCII; plain ones (nearly all) are only stripped
    text = pd.Series(
        [(c if c.isascii() else fold_text(c)).strip() for c in categories.astype(str).tolist()], dtype=object
    )
    findings: list[Finding] = []
    length = text.str.len().to_numpy()
    bare_digits = text.str.isdigit().to_numpy(dtype=bool)
    if not pseudonyms:
        emails = np.zeros(len(text), dtype=bool)
        maybe_email = text.str.contains(r"@|\bat\b", regex=True).to_numpy(dtype=bool)
        if maybe_email.any():
            emails[maybe_email] = text[maybe_email].str.contains(EMAIL, regex=True).to_numpy(dtype=bool)
        if emails.any():
            findings.append(Finding(column, msg("holds e-mail addresses"), *_lines_for(emails, codes, table)))
        phones = _phones(text, bare_digits)
        if phones.any():
            findings.append(Finding(column, msg("holds Dutch phone numbers"), *_lines_for(phones, codes, table)))
        spaced = text.str.contains(" ", regex=False).to_numpy(dtype=bool) & check_names
        names = np.zeros(len(text), dtype=bool)
        if spaced.any():
            names[spaced] = text[spaced].str.contains(NAME_IN_TEXT, regex=True).to_numpy(dtype=bool)
            for pos in np.flatnonzero(spaced & ~names):  # a first name and a surname: "Jan Jansen belde af"
                names[pos] = name_in(text.iloc[pos])
        if names.any():
            findings.append(
                Finding(column, msg("holds what look like names in text"), *_lines_for(names, codes, table))
            )
        births = text.str.contains(BIRTH_DATE, regex=True).to_numpy(dtype=bool)
        if births.any():
            findings.append(Finding(column, msg("holds dates of birth in text"), *_lines_for(births, codes, table)))
        if check_names:
            findings += _birth_date_column(table, column, text, codes)
    findings += _bsn_findings(table, column, text, codes, bare_digits & ((length == 8) | (length == 9)), pseudonyms)
    return findings


def _birth_date_column(table: RawTable, column: str, text: pd.Series, codes: np.ndarray) -> list[Finding]:
    """A column the mapping does not use whose values are mostly dates from the years students are born in."""
    years = text.str.extract(DATE_VALUE)
    year = pd.to_numeric(years[0].fillna(years[1]), errors="coerce").to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(text))
    dated = ~np.isnan(year)
    if counts[dated].sum() < 0.5 * counts.sum() or not dated.any():
        return []
    back = current_date().year - year
    born = dated & (back >= BIRTH_YEARS_BACK[0]) & (back <= BIRTH_YEARS_BACK[1])
    if counts[born].sum() < 0.5 * counts[dated].sum():
        return []
    return [
        Finding(
            column,
            msg(
                "holds what look like dates of birth: most of its dates lie {low} to {high} years back",
                low=BIRTH_YEARS_BACK[0],
                high=BIRTH_YEARS_BACK[1],
            ),
            *_lines_for(born, codes, table),
        )
    ]


def _bsn_findings(
    table: RawTable, column: str, text: pd.Series, codes: np.ndarray, bare: np.ndarray, pseudonyms: bool
) -> list[Finding]:
    """BSNs: a column whose numbers pass the 11-check more often than chance (or mostly), and any BSN-valid
    nine digits in a value of another shape (written with separators, inside text, or one 9-digit number
    among pseudonyms of another form)."""
    holds, numbers = _nine_digit_values(text)
    if not (bare.any() or holds.any()):
        return []  # no nine digits anywhere (dates, codes, short ids): nothing to count
    counts = np.bincount(codes[codes >= 0], minlength=len(text))
    # The column's numbers: its bare 8- or 9-digit values; in a pseudonym column also the nine digits of a
    # scheme such as S-123456789.
    one_number = np.zeros(len(text), dtype=bool)
    one_number[[pos for pos, found in numbers.items() if len(found) == 1]] = True
    core = bare | (holds & one_number) if pseudonyms else bare
    if core.any():
        values = text.tolist()
        digits = [values[i] if bare[i] else numbers[i][0] for i in np.flatnonzero(core).tolist()]
        passing = bsn_valid(digits)
        k, n = int(passing.sum()), len(digits)
        # Far more than chance passes, or every one of two or more: a small roster of BSNs is refused too.
        if (
            k
            and counts[core].sum() >= 0.5 * counts.sum()
            and (binomial_tail(k, n, BSN_CHANCE) < BSN_P_VALUE or k == n >= (2 if pseudonyms else 1))
        ):
            mask = np.zeros(len(text), dtype=bool)
            mask[np.flatnonzero(core)[passing]] = True
            return [
                Finding(
                    column,
                    msg(
                        "holds BSNs: {passing} of its {numbers} 8- or 9-digit numbers pass the BSN "
                        "11-check, far more than the 1 in 11 that numeric pseudonyms pass by chance",
                        passing=k,
                        numbers=n,
                    ),
                    *_lines_for(mask, codes, table),
                )
            ]
    if pseudonyms:
        # in a pseudonym column only a value of another shape than the column's own can be a BSN
        shapes = pd.Series([_shape(t) for t in text.tolist()])
        usual = pd.Series(counts, index=shapes.to_numpy()).groupby(level=0).sum().idxmax() if counts.sum() else ""
        holds &= (shapes != usual).to_numpy()
    elif counts[bare].sum() >= 0.5 * counts.sum():
        holds &= ~bare  # a column of numbers that passes the 11-check only by chance
    hits = np.zeros(len(text), dtype=bool)
    for pos in np.flatnonzero(holds).tolist():
        hits[pos] = bool(bsn_valid(numbers[pos]).any())
    if not hits.any():
        return []
    return [
        Finding(
            column,
            msg("holds a number that passes the BSN 11-check (written bare, with separators or inside text)"),
            *_lines_for(hits, codes, table),
        )
    ]


def check_table(
    table: RawTable,
    *,
    allowed_columns: Iterable[str] = (),
    value_columns: Iterable[str] | None = None,
    pseudonym_columns: Iterable[str] = (),
    mapped_columns: Iterable[str] = (),
) -> list[Finding]:
    """All identifier findings in one read file. pseudonym_columns: columns that hold the student's pseudonym
    (by their role in the mapping, or declared with --pseudonym-column), checked for BSNs only. mapped_columns:
    the columns the profile maps to the contract (codes, subjects, mentors who may be named "mevr. de Vries"):
    not checked for names in text, which are looked for in the others (remarks)."""
    allowed = {normalise_header(c) for c in allowed_columns}
    pseudonymous = {normalise_header(c) for c in pseudonym_columns}
    mapped = {normalise_header(c) for c in mapped_columns}
    findings: list[Finding] = []
    for column in table.frame.columns:
        reason = column_name_reason(str(column))
        if reason and normalise_header(column) not in allowed:
            findings.append(Finding(str(column), reason))
    scan = list(table.frame.columns) if value_columns is None else list(value_columns)
    for column in scan:
        key = normalise_header(column)
        findings.extend(scan_values(table, column, pseudonyms=key in pseudonymous, check_names=key not in mapped))
    return findings


def guard(
    table: RawTable,
    *,
    allowed_columns: Iterable[str] = (),
    pseudonym_columns: Iterable[str] = (),
    mapped_columns: Iterable[str] = (),
) -> None:
    """Raise PrivacyError naming every identifier found in the file; values are never shown."""
    findings = check_table(
        table, allowed_columns=allowed_columns, pseudonym_columns=pseudonym_columns, mapped_columns=mapped_columns
    )
    if not findings:
        return
    lines = Lines([f.describe() for f in findings], prefix="  - ")
    name_only = all(not f.lines for f in findings)
    hint = msg(
        "riskscreen works on pseudonymised data only: remove these columns from the export (or export again "
        "without them) and run again"
    )
    if name_only:
        hint = msg(
            "riskscreen works on pseudonymised data only: remove these columns from the export (or export "
            "again without them) and run again; if a column name is a false alarm, say so with --allow-column "
            "NAME (values are still checked)"
        )
    raise PrivacyError(
        msg("refused: the file holds what look like direct identifiers\n{lines}", lines=lines),
        hint=hint,
        path=str(table.path),
    )
