"""Messages kept in a stored document, so that it can be read in another language than it was made in.

A model card and an evaluation report hold sentences made with values (how the rows were split, why a figure is
uncertain, that the evaluation data are the training data). Their JSON keeps each as English text, as analysts'
scripts read it; beside them the document keeps `phrases`: per English text, the message's template and values
(`Phrase`). A renderer says a text through its phrase in the reader's language (`said`); a text without one (a
card made before phrases were kept) is shown as written.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from riskscreen.i18n import Message


class Phrase(BaseModel):
    """A message as data: its English template (the catalogue's key) and its values, themselves phrases or plain."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    params: dict[str, Phrase | int | float | str] = {}

    @model_validator(mode="after")
    def _values_match(self) -> Phrase:
        # a template asking for a value the phrase lacks could not be said: refused when the card is read
        wanted = {name for _, name, _, _ in string.Formatter().parse(self.template) if name}
        if wanted != set(self.params):
            raise ValueError("a phrase's values do not match its template")
        return self


def phrase(message: Message) -> Phrase:
    """The message as data (a value that is a message becomes a phrase; any other text is kept as it reads)."""
    return Phrase(
        template=message.template,
        params={
            name: phrase(value) if isinstance(value, Message) else _plain(value)
            for name, value in message.params.items()
        },
    )


def _plain(value: object) -> int | float | str:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def message(kept: Phrase) -> Message:
    """The message a phrase was made from: the same English text, and said in any language the catalogue has."""
    return Message(
        kept.template,
        **{name: message(value) if isinstance(value, Phrase) else value for name, value in kept.params.items()},
    )


def phrases_in(data: Any) -> dict[str, Phrase]:
    """Every message in a document's data (nested dicts and lists, before validation makes them plain text), by its
    English text."""
    found: dict[str, Phrase] = {}

    def walk(value: Any) -> None:
        if isinstance(value, Message):
            if value.params:  # a text without values is its own key in the catalogue (`said`)
                found[str(value)] = phrase(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(data)
    return found


def with_phrases(data: dict[str, Any]) -> dict[str, Any]:
    """A document's data with the `phrases` of its messages (none: as it is, so older documents read the same)."""
    found = phrases_in(data)
    return {**data, "phrases": found} if found else data


def said(text: str, phrases: Mapping[str, Phrase], lang: str) -> str:
    """A document's text in `lang`: through its phrase, or as a template of its own (a text without values); as
    written where the catalogue has neither (a card made before phrases were kept)."""
    kept = phrases.get(text)
    return (Message(text) if kept is None else message(kept)).localised(lang)
