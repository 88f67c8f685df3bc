"""Identifying details in text a person typed: one guard for every free text riskscreen reads or stores.

The same patterns serve an action's fields (what was agreed, its outcome, who follows it up) and the values of an
export's columns. Text is folded first (fold_text: full-width and look-alike letters, invisible characters), and
the letters o, O, l and I written among digits are read as the digits they stand for ("o6-12345678").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources

import numpy as np

# Letters of other scripts that look like Latin ones (Cyrillic, Greek): a header spelt with them must still be
# recognised, by the mapping and by the privacy guard alike.
CONFUSABLES = str.maketrans(
    "авеіјкмнорстухѕԁһӏаеоруАВЕІЈКМНОРСТУХЅΑΒΕΗΙΚΜΝΟΡΤΥΧαοριν",
    "abeijkmhopctyxsdhlaeopyABEIJKMHOPCTYXSABEHIKMNOPTYXaopiv",
)


def fold_text(text: object) -> str:
    """Text as a person reads it: Unicode NFKC (full-width letters become plain), invisible format characters
    (zero-width spaces, direction marks) removed, look-alike letters of other scripts made Latin."""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return folded.translate(CONFUSABLES)


# An e-mail address in any of its disguises: "@", "(at)", "[at]", " at ", "apenstaartje"; "." as "[dot]", " dot ",
# "(punt)". Written out, "at" and "dot" need the rest of an address around them to count.
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*(?:at|apenstaartje)\s*[)\]}>]\s*|\s+(?:at|apenstaartje)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|punt)\s*[)\]}>]\s*|\s+(?:dot|punt)\s+)"
EMAIL = re.compile(
    r"(?<![\w.%+\-])[^\W_][\w.%+\-]*+" + _AT + r"[^\W_][\w\-]*(?:" + _DOT + r"[\w\-]+)*" + _DOT + r"[^\W\d_]{2,}\b",
    re.IGNORECASE,
)
# "pjansen@gmail" without a domain ending, and "@piet_j": an address or an account all the same
HANDLE = re.compile(r"[\w.]\s*@\s*[^\W_]|(?<![\w@])@[A-Za-z0-9_.]{3,}")
_LOOKALIKE_DIGITS = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1"})
# a word of digits and letters that look like them, at least one of them a real digit: "o6-l2345678", "o6"
_DIGITLIKE_WORD = re.compile(r"(?<!\S)[+(]?(?=[^\s\d]*\d)[\doOlI][\doOlI().\-/]*(?!\S)")
# Digits written as a number is: groups of digits apart by a space, dot, hyphen, slash or bracket.
NUMBER_RUN = re.compile(
    r"(?<!\d)(?<!\d[().\-/ ])(?<!\d[().\-/ ]{2})(?<!\d[().\-/ ]{3})"
    r"(?:\+\s*)?\(?\d(?:[().\-/ ]{0,3}\d)*+"
)
# A day, a moment or a school year inside a run is not part of a number: "01-09-2026 08:30", "2026-2027".
DATE_IN_RUN = re.compile(
    r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b|\b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b"
    r"|\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:uur|u\b)|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b(?P<first>(?:19|20)\d{2})\s*[-/]\s*(?P<next>(?:19|20)?\d{2})\b"
)
DUTCH_PHONE = re.compile(r"(?:\+31|0031|31|0)[1-9]\d{8}")
_GROUP = re.compile(r"\+?\d+")
_PLUS_SPACE = re.compile(r"\+\s+")
FOREIGN_PHONE = re.compile(r"(?:\+|00)[1-9]\d{8,13}")
BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
# Names as Dutch remarks write them: a relation or a form of address before a capitalised word or a name in
# brackets ("moeder Jansen belde", "stiefvader De Boer", "vader (Mohammed) komt", "dhr. de Vries"), or a first
# name, a tussenvoegsel and a surname ("Jan de Vries").
_NAME_WORD = r"[A-ZÀ-Ý][a-zà-ÿ'-]{1,}"
_TUSSENVOEGSEL = r"(?:(?:van|de|der|den|het|ter|ten|te|in 't|op|la|le|du|da|di|el|al|ben|bin)\s+)"
_RELATIONS = (
    r"moeder|vader|ouders?|mama|papa|mam|pap|oma|opa|grootmoeder|grootvader|broer(?:tje)?|zus(?:je)?|"
    r"zuster|tante|oom|neef|nicht|voogd|buurman|buurvrouw|vriend(?:in)?|partner|verzorger|gezinsvoogd|"
    r"mevrouw|mevr\.?|meneer|dhr\.?|heer|mw\.?|juf|meester|mother|father|mum|mom|dad|brother|sister|"
    r"aunt|uncle|cousin|guardian|grandma|grandpa|grandmother|grandfather|mr\.?|mrs\.?|ms\.?|miss"
)
_PREFIXES = r"(?:stief|pleeg|schoon|half|groot|over|bonus|step|foster|half-|step-)?"
RELATION_NAME = re.compile(
    r"(?<![\w-])(?i:"
    + _PREFIXES
    + r"(?:"
    + _RELATIONS
    + r"))(?:\s+|\s*:\s*)"
    + r"(?:"
    + _TUSSENVOEGSEL
    + "*"
    + _NAME_WORD
    + r"|[(\[]\s*"
    + _TUSSENVOEGSEL
    + "*"
    + _NAME_WORD
    + r")"
)
FULL_NAME = re.compile(r"\b" + _NAME_WORD + r"\s+" + _TUSSENVOEGSEL + "+" + _NAME_WORD)
NAME_IN_TEXT = re.compile(RELATION_NAME.pattern + "|" + FULL_NAME.pattern)
BIRTH_DATE = re.compile(
    r"(?:\bgeb(?:oren)?\b\.?|geboortedatum|\bborn\b|\bdob\b|date of birth)\s*(?:op\s*|on\s*)?:?\s*"
    r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}",
    re.IGNORECASE,
)
_WORD = re.compile(r"(?<![\w'-])([A-ZÀ-Ý][a-zà-ÿ'-]+|[A-ZÀ-Ý]{2,})(?![\w'-])")


@cache
def first_names() -> frozenset[str]:
    """The common first names of text/first_names.txt, lower case."""
    text = resources.files("riskscreen").joinpath("text/first_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def bsn_valid(numbers: Sequence[str]) -> np.ndarray:
    """Vectorised 11-check over 8- or 9-digit strings (8 digits are padded with a leading zero)."""
    if len(numbers) == 0:
        return np.zeros(0, dtype=bool)
    padded = np.array([s.zfill(9) for s in numbers], dtype="U9")
    digits = padded.view("U1").reshape(-1, 9).astype(np.int64)
    total = digits @ BSN_WEIGHTS
    return (total % 11 == 0) & (digits.sum(axis=1) > 0)


def digit_groups(text: str) -> Iterator[list[str]]:
    """The numbers of a text as runs of digit groups ("+31 (0)6 1234 5678" -> ["+31", "6", "1234", "5678"]), with
    letters that stand for digits read as digits, and days, moments and school years left out."""
    text = _DIGITLIKE_WORD.sub(lambda m: m.group(0).translate(_LOOKALIKE_DIGITS), text)
    text = DATE_IN_RUN.sub(_not_a_number, text).replace("(0)", " ")
    for run in NUMBER_RUN.finditer(text):
        groups = _GROUP.findall(_PLUS_SPACE.sub("+", run.group(0)))
        if groups:
            yield groups


def _not_a_number(found: re.Match[str]) -> str:
    """A day or a moment leaves the run; so does a school year, but only one whose second year follows the first
    ("2026-2027", "2026-27"): "0600-2000-00" is a phone number, not the school year 2000-00."""
    first, following = found.group("first"), found.group("next")
    if first is not None and int(following[-2:]) != (int(first) + 1) % 100:
        return found.group(0)
    return " ; "


def _spelled(groups: list[str], *, starts: str = "", length: int = 0) -> Iterator[str]:
    """The numbers of at most 15 digits (the longest phone number) that consecutive groups of one run spell, one
    at a time: only those starting with one of `starts` (when given), only those of `length` digits (when given).
    One at a time, and each start at most 16 groups on, so a cell of a million digits costs time, not memory."""
    for i, first in enumerate(groups):
        if starts and first[0] not in starts:
            continue
        spelled = ""
        for group in groups[i : i + 16]:
            spelled += group
            digits = len(spelled) - spelled.startswith("+")
            if digits > (length or 15):
                break
            if not length or digits == length:
                yield spelled


def phone_in(text: str) -> bool:
    """Whether the text holds a phone number, however written."""
    return any(
        DUTCH_PHONE.fullmatch(number) or FOREIGN_PHONE.fullmatch(number)
        for groups in digit_groups(text)
        for number in _spelled(groups, starts="+03")
    )


def bsns_in(text: str) -> list[str]:
    """The nine-digit numbers in a text that pass the BSN 11-check, however their digits are grouped."""
    found: list[str] = []
    for groups in digit_groups(text):
        nine = [n.lstrip("+") for n in _spelled(groups, length=9)]
        found += [n for n, ok in zip(nine, bsn_valid(nine), strict=True) if ok]
    return found


def name_in(text: str, *, first_name_alone: bool = False) -> bool:
    """Whether the text names a person: a relation or form of address before a name, a first name and a surname,
    or (first_name_alone, for an action's text) a common first name written with a capital."""
    if NAME_IN_TEXT.search(text):
        return True
    names = first_names()
    words = [m.group(1) for m in _WORD.finditer(text)]
    for i, word in enumerate(words):
        if word.lower() in names and (first_name_alone or (i + 1 < len(words) and _follows(text, word, words[i + 1]))):
            return True
    return False


def _follows(text: str, first: str, second: str) -> bool:
    return re.search(re.escape(first) + r"\s+" + re.escape(second) + r"(?![\w'-])", text) is not None


def identifier_kind(text: str, *, person: bool = False) -> str | None:
    """What identifying detail a free text holds, as a key (`email` for an address or an account, `phone`, `bsn`,
    `birth_date`, `name`), or None. person: the text names a member of staff on purpose (who follows an action
    up), so a name is allowed there unless a relation word marks it as family. i18n.identifier_in words it."""
    folded = fold_text(text)
    if EMAIL.search(folded) or HANDLE.search(folded):
        return "email"
    if phone_in(folded):
        return "phone"
    if bsns_in(folded):
        return "bsn"
    if BIRTH_DATE.search(folded):
        return "birth_date"
    if RELATION_NAME.search(folded) if person else name_in(folded, first_name_alone=True):
        return "name"
    return None


MAX_SHOWN = 40
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shorten(value: object) -> str:
    """Text as a message may repeat it: on one line, control characters removed, cut to 40 characters."""
    text = " ".join(CONTROL.sub(" ", fold_text(value)).split())
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
