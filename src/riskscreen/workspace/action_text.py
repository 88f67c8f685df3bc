"""What a person writes on an action, checked before it is kept: no identifying details, no control characters."""

from __future__ import annotations

import re

from riskscreen.errors import UsageError, msg
from riskscreen.i18n import identifier_in

MAX_TEXT = 500


WORKER_PATTERN = re.compile(r"^[\w][\w .'-]{0,39}$")


def check_text(text: str, what: str) -> str:
    """Free text of an action: one line, not too long, nothing identifying."""
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise UsageError(msg("the {what} is empty", what=what), hint=msg("write the {what} in a few words", what=what))
    if len(cleaned) > MAX_TEXT:
        raise UsageError(
            msg(
                "the {what} is {count} characters, more than {max_text}",
                what=what,
                count=len(cleaned),
                max_text=MAX_TEXT,
            ),
            hint=msg("write it shorter"),
        )
    found = identifier_in(cleaned)
    if found:
        raise UsageError(
            msg(
                "the {what} holds {found}; actions are stored without anything that identifies a person",
                what=what,
                found=found,
            ),
            hint=msg("write the role instead ('moeder', 'de huisarts') and leave out names and numbers"),
        )
    return cleaned


def check_worker(worker: str | None) -> str | None:
    """Who follows an action up, as the school writes them: a short name or code, never a number or an address."""
    if worker is None or not worker.strip():
        return None
    cleaned = " ".join(worker.split())
    found = identifier_in(cleaned, person=True) if len(cleaned) <= MAX_TEXT else None
    if found:
        raise UsageError(
            msg(
                "the name of who follows up holds {found}; actions are stored without anything that "
                "identifies a person",
                found=found,
            ),
            hint=msg("name the youth worker by a short name or code, such as 'JW-Noord' or 'Sanne'"),
        )
    if not WORKER_PATTERN.match(cleaned):
        raise UsageError(
            msg("the name of who follows up ({count} characters) cannot be used", count=len(cleaned)),
            hint=msg("use a short name or code of letters, digits, spaces, '.', '-' (up to 40)"),
        )
    return cleaned
