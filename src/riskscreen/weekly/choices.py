"""The words a person writes on a list, in either language or as keys, to the keys they stand for."""

from __future__ import annotations

import re
import unicodedata

from riskscreen.i18n import LANGUAGES, texts
from riskscreen.ingest.sniff import normalise_header

COLUMN_WORDS = {
    "student_id": ("student",),
    "list_date": ("list_date",),
    "action": ("action",),
    "type": ("action_type",),
    "referral": ("referral",),
    "referral_state": ("referral_state",),
    "strengths": ("strengths",),
    "goal": ("goal",),
    "who": ("who",),
    "review": ("when",),
}


def heading_keys() -> dict[str, str]:
    """Every heading the list writes for an importable column, normalised, in every language -> column key."""
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        words = {**texts(lang)["shortlist"], **{"student": texts(lang)["labels"]["student"]}}
        for key, names in COLUMN_WORDS.items():
            for name in names:
                out[normalise_header(words[name])] = key
        out.update({normalise_header(key): key for key in COLUMN_WORDS})
    return out


def choice_words() -> dict[str, dict[str, str]]:
    """The words of each choice (type, role, a referral's state, a strength, a goal) in every language -> key."""
    out: dict[str, dict[str, str]] = {"type": {}, "who": {}, "referral_state": {}, "strengths": {}, "goal": {}}
    for lang in LANGUAGES:
        for field, table in (
            ("type", "action_types"),
            ("who", "roles"),
            ("referral_state", "referral_states"),
            ("strengths", "strengths"),
            ("goal", "goals"),
        ):
            for key, word in texts(lang)[table].items():
                out[field][fold_word(word)] = key
                out[field][fold_word(key)] = key
        for key, word in texts(lang)["role_aliases"].items():
            out["who"][fold_word(key)] = word
    return out


def own_view_keys(strengths: str | list[str], goal: str | None) -> tuple[tuple[str, ...], str | None]:
    """What goes well (several, in either language, or as keys; a text may list them with ',' or ';') and the
    student's goal, as keys; a word that is none of the choices stays as it is (make_action then refuses it:
    categories, never free text)."""
    words = choice_words()
    given = [strengths] if isinstance(strengths, str) else list(strengths)
    parts = [p.strip() for text in given for p in re.split(r"[,;]", text) if p.strip()]
    return (
        tuple(words["strengths"].get(fold_word(p), p) for p in parts),
        None if not goal or not goal.strip() else words["goal"].get(fold_word(goal), goal.strip()),
    )


def referral_state_key(text: str) -> str:
    """A referral's state as typed, in either language or as its key ('niet gelukt', 'niet-gelukt', 'failed');
    the text itself when it is none of them (set_state then refuses it)."""
    return choice_words()["referral_state"].get(fold_word(text), text)


def role_key(text: str) -> str:
    """A role as typed, in either language or as its key ('jongerenwerker', 'Zorgcoördinator', 'youth_worker');
    the text itself when it is none of them (make_action then refuses it)."""
    return choice_words()["who"].get(fold_word(text), text)


def fold_word(text: str) -> str:
    """A word compared without case, accents, spaces or punctuation ('Zorgcoördinator' = 'zorgcoordinator')."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", bare.lower())
