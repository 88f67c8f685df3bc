"""Privacy guard: refuse files whose column names or values look like direct identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.errors import PrivacyError
from riskscreen.ingest.raw import RawTable
from riskscreen.ingest.sniff import normalise_header

# Normalised column names (see io.normalise_header) that are direct identifiers on their own.
IDENTIFIER_NAMES = {
    "naam": "a name", "name": "a name", "voornaam": "a first name", "voornamen": "a first name",
    "achternaam": "a surname", "roepnaam": "a first name", "tussenvoegsel": "part of a name",
    "voorletters": "initials", "initialen": "initials", "firstname": "a first name",
    "lastname": "a surname", "surname": "a surname", "fullname": "a name", "volledigenaam": "a name",
    "leerlingnaam": "a name", "studentname": "a name", "naamleerling": "a name", "achternaamleerling": "a surname",
    "adres": "an address", "address": "an address", "straat": "an address", "straatnaam": "an address",
    "street": "an address", "huisnummer": "an address", "postcode": "a postcode", "zipcode": "a postcode",
    "postalcode": "a postcode", "woonplaats": "a home town", "email": "an e-mail address",
    "emailadres": "an e-mail address", "mail": "an e-mail address", "mailadres": "an e-mail address",
    "telefoon": "a phone number", "telefoonnummer": "a phone number", "tel": "a phone number",
    "telnr": "a phone number", "mobiel": "a phone number", "mobielnummer": "a phone number",
    "phone": "a phone number", "phonenumber": "a phone number", "mobile": "a phone number",
    "gsm": "a phone number", "bsn": "a BSN", "burgerservicenummer": "a BSN", "sofinummer": "a BSN",
    "sofinr": "a BSN", "socialsecuritynumber": "a BSN", "geboortedatum": "a date of birth",
    "dateofbirth": "a date of birth", "birthdate": "a date of birth", "dob": "a date of birth",
    "gebdatum": "a date of birth", "geboortedag": "a date of birth", "geboorteplaats": "a place of birth",
    "pgn": "a BSN (persoonsgebonden nummer)", "onderwijsnummer": "a BSN-like education number",
}
# Parts that make a longer name an identifier ("e-mail ouder", "mobiel nummer"), unless it is a known safe name.
IDENTIFIER_PARTS = ("email", "telefoon", "mobiel", "geboortedatum", "burgerservicenummer", "voornaam",
                    "achternaam", "roepnaam", "postcode", "phone", "birth", "bsn", "adres", "address")
SAFE_NAME_ENDINGS = ("vaknaam", "klasnaam", "groepsnaam", "schoolnaam", "profielnaam", "lesnaam",
                     "cursusnaam", "vakname", "subjectname", "classname", "groupname", "coursename",
                     "schoolname", "sheetname", "filename", "bestandsnaam", "opleidingsnaam")

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)[\s\-]?(?:\(0\)[\s\-]?)?[1-9](?:[\s\-]?\d){8}(?!\d)")
BARE_NUMBER = re.compile(r"\d{8,9}")
NUMBER_IN_TEXT = re.compile(r"(?<!\d)\d{9}(?!\d)")
BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
# A column is a BSN column when this many of its 8/9-digit values pass the 11-check by chance is less likely.
BSN_CHANCE = 1 / 11
BSN_P_VALUE = 1e-4


@dataclass(frozen=True)
class Finding:
    """One identifier found: which column, why, and where (file rows, never the value)."""

    column: str
    reason: str
    lines: tuple[int, ...] = ()
    count: int = 0

    def describe(self) -> str:
        text = f"column '{self.column}': {self.reason}"
        if self.lines:
            shown = ", ".join(str(n) for n in self.lines[:5])
            more = f" and {self.count - 5} more" if self.count > 5 else ""
            text += f" (row{'s' if self.count > 1 else ''} {shown}{more})"
        return text


def column_name_reason(name: str) -> str | None:
    """Why a column name looks like a direct identifier, or None."""
    key = normalise_header(name)
    if key in IDENTIFIER_NAMES:
        return f"the column name suggests {IDENTIFIER_NAMES[key]}"
    if key.endswith(SAFE_NAME_ENDINGS):
        return None
    for part in IDENTIFIER_PARTS:
        if part in key:
            return f"the column name suggests {IDENTIFIER_NAMES.get(part, 'a direct identifier')}"
    if key.endswith(("naam", "name")) and len(key) > 4:
        return "the column name suggests a name"
    return None


def bsn_valid(numbers: Sequence[str]) -> np.ndarray:
    """Vectorised 11-check over 8- or 9-digit strings (8 digits are padded with a leading zero)."""
    if len(numbers) == 0:
        return np.zeros(0, dtype=bool)
    padded = np.array([s.zfill(9) for s in numbers], dtype="U9")
    digits = padded.view("U1").reshape(-1, 9).astype(np.int64)
    total = digits @ BSN_WEIGHTS
    return (total % 11 == 0) & (digits.sum(axis=1) > 0)


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


def scan_values(table: RawTable, column: str) -> list[Finding]:
    """Identifier-looking values in one column: e-mail addresses, Dutch phone numbers, BSNs."""
    series = table.frame[column]
    categories, codes = _categories(series)
    if len(categories) == 0:
        return []
    text = pd.Series(categories.astype(str), dtype=object).str.strip()
    findings: list[Finding] = []
    # Cheap tests first, so the patterns run only on values that could match (an e-mail holds '@'; a phone
    # number or a BSN has at least 8 characters): a column of short pseudonyms costs almost nothing.
    length = text.str.len().to_numpy()
    emails = np.zeros(len(text), dtype=bool)
    maybe_email = text.str.contains("@", regex=False).to_numpy(dtype=bool)
    if maybe_email.any():
        emails[maybe_email] = text[maybe_email].str.contains(EMAIL, regex=True).to_numpy(dtype=bool)
    if emails.any():
        lines, count = _lines_for(emails, codes, table)
        findings.append(Finding(column, "holds e-mail addresses", lines, count))
    long_enough = length >= 8
    candidates = text[long_enough]
    bare_digits = np.zeros(len(text), dtype=bool)
    bare_digits[long_enough] = candidates.str.isdigit().to_numpy(dtype=bool)
    phones = np.zeros(len(text), dtype=bool)
    if long_enough.any():
        phones[long_enough] = candidates.str.contains(PHONE, regex=True).to_numpy(dtype=bool)
    phones &= ~bare_digits
    phones |= bare_digits & (length == 10) & text.str.startswith("06").to_numpy(dtype=bool)
    if phones.any():
        lines, count = _lines_for(phones, codes, table)
        findings.append(Finding(column, "holds Dutch phone numbers", lines, count))
    bare = bare_digits & ((length == 8) | (length == 9))
    if bare.any():
        candidates_bsn = text[bare].tolist()
        passing = bsn_valid(candidates_bsn)
        k, n = int(passing.sum()), len(candidates_bsn)
        if k and binomial_tail(k, n, BSN_CHANCE) < BSN_P_VALUE:
            mask = np.zeros(len(text), dtype=bool)
            mask[np.flatnonzero(bare)[passing]] = True
            lines, count = _lines_for(mask, codes, table)
            findings.append(Finding(
                column, f"holds BSNs: {k} of its {n} 8- or 9-digit numbers pass the BSN 11-check, "
                        f"far more than the 1 in 11 that numeric pseudonyms pass by chance", lines, count))
    embedded = np.zeros(len(text), dtype=bool)
    if (long_enough & ~bare).any():
        maybe = long_enough & ~bare
        embedded[maybe] = text[maybe].str.contains(NUMBER_IN_TEXT, regex=True).to_numpy(dtype=bool)
    if embedded.any():
        positions = np.flatnonzero(embedded)
        hits = np.zeros(len(text), dtype=bool)
        for pos in positions:  # only the few text values that hold a 9-digit number
            numbers = NUMBER_IN_TEXT.findall(text.iloc[pos])
            hits[pos] = bool(bsn_valid(numbers).any())
        if hits.any():
            lines, count = _lines_for(hits, codes, table)
            findings.append(Finding(column, "holds a number that passes the BSN 11-check inside text",
                                    lines, count))
    return findings


def check_table(table: RawTable, *, allowed_columns: Iterable[str] = (),
                value_columns: Iterable[str] | None = None) -> list[Finding]:
    """All identifier findings in one read file."""
    allowed = {normalise_header(c) for c in allowed_columns}
    findings: list[Finding] = []
    for column in table.frame.columns:
        reason = column_name_reason(str(column))
        if reason and normalise_header(column) not in allowed:
            findings.append(Finding(str(column), reason))
    scan = list(table.frame.columns) if value_columns is None else list(value_columns)
    for column in scan:
        findings.extend(scan_values(table, column))
    return findings


def guard(table: RawTable, *, allowed_columns: Iterable[str] = ()) -> None:
    """Raise PrivacyError naming every identifier found in the file; values are never shown."""
    findings = check_table(table, allowed_columns=allowed_columns)
    if not findings:
        return
    lines = "\n".join(f"  - {f.describe()}" for f in findings)
    name_only = all(not f.lines for f in findings)
    hint = ("riskscreen works on pseudonymised data only: remove these columns from the export "
            "(or export again without them) and run again")
    if name_only:
        hint += ("; if a column name is a false alarm, say so with --allow-column NAME "
                 "(values are still checked)")
    raise PrivacyError(f"refused: the file holds what look like direct identifiers\n{lines}",
                       hint=hint, path=str(table.path))
