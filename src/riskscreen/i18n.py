"""Words and number formats per language: the catalogues in text/LANG.toml; data carry keys, this translates."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import tomllib
from pathlib import Path
from typing import Any

LANGUAGES = ("nl", "en")
# the catalogues, files of the installed package (importlib.resources would cost --help 2 ms to import)
TEXT = Path(__file__).parent / "text"
NO_GROUP = "none"
OVERFLOW = "overflow:"  # the coordinator's page of band-high students beyond their mentor's capacity


@functools.cache
def texts(lang: str) -> dict[str, Any]:
    """The catalogue of a language (src/riskscreen/text/LANG.toml)."""
    if lang not in LANGUAGES:  # settings.language() refuses it for a person first
        raise LookupError(f"no catalogue for the language {lang!r}")
    path = TEXT / f"{lang}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def message_catalogue(lang: str) -> dict[str, str]:
    """English message templates (errors, problems, help) and their words in `lang`
    (src/riskscreen/text/LANG-messages.toml); empty for English, whose words are the templates."""
    path = TEXT / f"{lang}-messages.toml"
    if lang == "en" or not path.exists():
        return {}
    catalogue: dict[str, str] = {}
    for table in tomllib.loads(path.read_text(encoding="utf-8")).values():
        catalogue.update(table)
    return catalogue


def message(key: str, lang: str, **params: object) -> str:
    """A message of the command line (text/LANG.toml [cli]) with its values filled in."""
    return str(texts(lang)["cli"][key]).format(**params)


def decimal(value: float, lang: str, spec: str = ".1f") -> str:
    """A number formatted by `spec` as the reader's language writes it: the one place of the Dutch decimal comma."""
    text = format(value, spec)
    return text.replace(".", ",") if lang == "nl" else text


def number(value: float | None, lang: str) -> str:
    """A figure as a person writes it: whole numbers bare, else one decimal; decimal comma in Dutch."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    rounded = round(float(value), 1)
    return str(round(rounded)) if abs(rounded - round(rounded)) < 1e-9 else decimal(rounded, lang)


def percent(p: float, lang: str) -> str:
    return number(100 * p, lang) + "%"


# A student's chance claims no more precision than the model has (#24 item 3): whole percents, the ends open.
CHANCE_FLOOR, CHANCE_CEILING = 0.01, 0.95


def chance(p: float, lang: str) -> str:
    """A student's chance as a person should read it: whole percents, "<1%" below one, ">95%" above 95."""
    if p < CHANCE_FLOOR:
        return "<1%"
    if p > CHANCE_CEILING:
        return ">95%"
    return f"{round(100 * p)}%"


def signed(value: float, lang: str) -> str:
    """A logit contribution with its sign and three decimals."""
    return decimal(value, lang, "+.3f")


def date_text(iso: object, lang: str) -> str:
    """A day (a date, or YYYY-MM-DD) as the reader's language writes it; empty for none."""
    if isinstance(iso, dt.date):
        iso = iso.isoformat()
    if not isinstance(iso, str) or not iso:  # None, or a missing value of a frame (NaN)
        return ""
    year, month, day = str(iso)[:10].split("-")
    return f"{day}-{month}-{year}" if lang == "nl" else f"{year}-{month}-{day}"


def label(key: str, lang: str) -> str:
    return str(texts(lang)["labels"][key])


def band_label(band: str, lang: str) -> str:
    return str(texts(lang)["bands"][band])


def group_label(key: str, lang: str) -> str:
    """A group as a list shows it: the mentor code, 'Klas 3B', or '(geen mentor bekend)'."""
    words = texts(lang)["shortlist"]
    kind, _, name = key.partition(":")
    if kind == "mentor":
        return name
    if kind == "class":
        return f"{words['class_group']} {name}"
    if kind == "worker":
        return name or str(words["no_worker"])
    if key == OVERFLOW:
        return str(words["overflow_group"])
    return str(words["no_mentor"])


def group_heading(key: str, lang: str) -> str:
    """A group's heading: 'Mentor: MNT01' for a mentor, the plain label otherwise."""
    words = texts(lang)["shortlist"]
    shown = group_label(key, lang)
    if key.startswith("mentor:"):
        return f"{words['for_mentor']}: {shown}"
    if key.startswith("worker:") and key != "worker:":
        return f"{words['for_worker']}: {shown}"
    return shown


def choice_label(table: str, key: str, lang: str) -> str:
    """A choice by its key (action_types, roles, referrals); a school's own referral target as it is written."""
    return str(texts(lang)[table].get(key, key))


def prompt_text(key: str, lang: str) -> str:
    """A conversation prompt by its key, 'kind.index' (text/LANG.toml [prompts])."""
    kind, _, index = key.partition(".")
    return str(texts(lang)["prompts"][kind][int(index)])


def change_text(kind: str, points: float | None, lang: str) -> str:
    """A change since the last list: new, up or down by points, about the same; nothing for no comparison."""
    words = texts(lang)["shortlist"]
    if kind == "none":
        return ""
    if kind in {"up", "down"} and points is not None:
        # whole points, as the chances themselves are shown (#24 item 3); under half a point: "<1"
        size = abs(points)
        return str(words[kind]).format(points="<1" if size < 0.5 else str(int(size + 0.5)))
    return str(words[kind])


def demo_warning(lang: str) -> str:
    return str(texts(lang)["messages"]["demo_warning"])


class Message(str):
    """English text that keeps its template and values, so that it can also be said in another language.

    The template is the key of the translation (gettext's model): text/LANG-messages.toml maps each English
    template to its words in LANG. A Message is a str, so code that only shows it needs nothing else.

    A value a person typed is written in quotes in the template ('{worker}'). Such a value is never repeated as
    it is: it is cut to 40 characters, and described instead ("a text of 10 characters that holds a phone
    number") when it could identify a person (quoted, with the patterns of riskscreen.identifiers). Every
    message gets this, so no call site can forget it.
    """

    template: str
    params: dict[str, object]
    guarded: frozenset[str]

    def __new__(cls, template: str, **params: object) -> Message:
        guarded = _typed_values(template, params)
        params = _guarded(params, guarded)
        made = super().__new__(cls, _unquoted(template, guarded).format(**params) if params else template)
        made.template = template
        made.params = params
        made.guarded = guarded
        return made

    def localised(self, lang: str) -> str:
        """The message in `lang`: the catalogue's template filled in (values that are Messages too), or the
        English text when the catalogue has no entry."""
        if lang == "en":
            return str(self)
        template = message_catalogue(lang).get(self.template)
        if template is None:
            return str(self)
        values = {k: localised(v, lang) if hasattr(v, "localised") else v for k, v in self.params.items()}
        return _unquoted(template, self.guarded).format(**values) if values else template


QUOTED_VALUE = re.compile(r"'\{(\w+)\}'")


def _typed_values(template: str, params: dict[str, object]) -> frozenset[str]:
    """The names of the values the template quotes that are text (a value a person typed), not a message."""
    return frozenset(
        name
        for name in QUOTED_VALUE.findall(template)
        if isinstance(params.get(name), str) and not isinstance(params.get(name), (Message, Day, Lines))
    )


def _guarded(params: dict[str, object], names: frozenset[str]) -> dict[str, object]:
    """The params, with each typed value as a message may repeat it."""
    if not names:
        return params
    return {k: quoted(v) if k in names else v for k, v in params.items()}


def _unquoted(template: str, names: frozenset[str]) -> str:
    """The template with the quotes around typed values taken out: quoted() puts them back, or describes."""
    if not names:
        return template
    return QUOTED_VALUE.sub(lambda m: "{" + m.group(1) + "}" if m.group(1) in names else m.group(0), template)


def msg(template: str, **params: object) -> Message:
    """A message to show a person: English here, other languages through the catalogue (Message)."""
    return Message(template, **params)


class Day(str):
    """A date in a message (a date, or YYYY-MM-DD), written the way the reader's language writes dates."""

    def __new__(cls, day: str | dt.date | None) -> Day:
        return super().__new__(cls, day.isoformat() if isinstance(day, dt.date) else str(day))

    def localised(self, lang: str) -> str:
        return date_text(str(self), lang)


class Lines(str):
    """Messages shown one under another (each after `prefix`), said in any language line by line."""

    items: list[str]
    prefix: str

    def __new__(cls, items: list[str], prefix: str = "") -> Lines:
        made = super().__new__(cls, "\n".join(prefix + str(i) for i in items))
        made.items = list(items)
        made.prefix = prefix
        return made

    def localised(self, lang: str) -> str:
        return "\n".join(self.prefix + localised(i, lang) for i in self.items)


def localised(text: object, lang: str) -> str:
    """Any text in `lang`: a Message, Lines or Day through the catalogue, anything else as it is."""
    return text.localised(lang) if isinstance(text, Message | Lines | Day) else str(text)


IDENTIFIER_WORDS = {
    "email": msg("an e-mail address"),
    "phone": msg("a phone number"),
    "bsn": msg("a BSN"),
    "birth_date": msg("a birth date"),
    "name": msg("a name"),
}


def identifier_in(text: str, *, person: bool = False) -> Message | None:
    """What identifying detail a free text holds (identifiers.identifier_kind), as a phrase for a message."""
    from riskscreen.identifiers import identifier_kind  # numpy and the patterns: not at `riskscreen --help`

    kind = identifier_kind(text, person=person)
    return IDENTIFIER_WORDS[kind] if kind else None


def quoted(value: object) -> str:
    """A value a person wrote, as a message repeats it: in quotes and cut to 40 characters, or described (its
    length and what it holds) when it could identify a person. Every message that names a user's value uses it."""
    from riskscreen.identifiers import CONTROL, fold_text, shorten  # numpy and the patterns: not at `--help`

    text = " ".join(CONTROL.sub(" ", fold_text(value)).split())
    found = identifier_in(text[:200])  # only the start is shown, so only the start is searched
    if found:
        return msg("a text of {count} characters that holds {found} (not repeated here)", count=len(text), found=found)
    return f"'{shorten(text)}'"
