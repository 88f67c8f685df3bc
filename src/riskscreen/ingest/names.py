"""The coordinator's own pseudonym -> name file, read only to print names on a list (never stored anywhere)."""

from __future__ import annotations

from pathlib import Path

from riskscreen.errors import InputError, msg
from riskscreen.files import read_regular, small_text, text_rows

MAX_NAMES_BYTES = 16 << 20
MAX_NAME_CHARS = 200  # a name as a list prints it; anything longer is not a name


def read_names(path: Path) -> dict[str, str]:
    """Two columns, pseudonym then name, separated by ';', ',' or a tab; a header row is allowed. The names go to
    the printed list only: never to history, actions, logs or a model."""
    what = msg("names file")
    text = small_text(
        read_regular(path, limit=MAX_NAMES_BYTES, error=InputError, what=what),
        path,
        what=what,
        hint=msg("give a text file of two columns: pseudonym;name"),
    )
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    names: dict[str, str] = {}
    for number, row in text_rows(text, delimiter, path, error=InputError):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InputError(
                msg("line {number} does not have a pseudonym and a name", number=number),
                path=str(path),
                hint=msg("write each line as: pseudonym;name"),
            )
        if number == 1 and not any(ch.isdigit() for ch in cells[0]):
            continue  # a header row
        if len(cells[1]) > MAX_NAME_CHARS:
            raise InputError(
                msg(
                    "line {number}: the name is {count} characters, more than {limit}",
                    number=number,
                    count=len(cells[1]),
                    limit=MAX_NAME_CHARS,
                ),
                path=str(path),
                hint=msg("write each line as: pseudonym;name"),
            )
        names[cells[0]] = cells[1]
    if not names:
        raise InputError(msg("holds no names"), path=str(path), hint=msg("write each line as: pseudonym;name"))
    return names
