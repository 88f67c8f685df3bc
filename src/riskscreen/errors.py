"""The one error hierarchy: every failure a user can meet, with its exit code and a hint how to fix it."""

from __future__ import annotations

import re

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3


class Message(str):
    """English text that keeps its template and values, so that it can also be said in another language.

    The template is the key of the translation (gettext's model): text/LANG-messages.toml maps each English
    template to its words in LANG. A Message is a str, so code that only shows it needs nothing else.

    A value a person typed is written in quotes in the template ('{worker}'). Such a value is never repeated as
    it is: it is cut to 40 characters, and described instead ("a text of 10 characters that holds a phone
    number") when it could identify a person (ingest.identifiers.quoted). Every message gets this, so no call
    site can forget it.
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
        from riskscreen.i18n import message_catalogue

        template = message_catalogue(lang).get(self.template)
        if template is None:
            return str(self)
        values = {k: localised(v, lang) if hasattr(v, "localised") else v for k, v in self.params.items()}
        return _unquoted(template, self.guarded).format(**values) if values else template


QUOTED_VALUE = re.compile(r"'\{(\w+)\}'")


def _typed_values(template: str, params: dict[str, object]) -> frozenset[str]:
    """The names of the values the template quotes that are text (a value a person typed), not a message."""
    return frozenset(name for name in QUOTED_VALUE.findall(template)
                     if isinstance(params.get(name), str) and not isinstance(params.get(name), (Message, Day, Lines)))


def _guarded(params: dict[str, object], names: frozenset[str]) -> dict[str, object]:
    """The params, with each typed value as a message may repeat it."""
    if not names:
        return params
    # a lazy import: the guard's patterns live in the ingest stage, which needs this module first
    from riskscreen.ingest.identifiers import quoted

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
    """A date (YYYY-MM-DD) in a message, written the way the reader's language writes dates (27-11-2026)."""

    def localised(self, lang: str) -> str:
        from riskscreen.i18n import date_text

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


class RiskscreenError(Exception):
    """A failure with a message a non-programmer can act on; never carries student rows."""

    exit_code = EXIT_INVALID
    kind = "error"

    def __init__(self, message: str, *, hint: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path

    def __str__(self) -> str:
        return self.localised("en")

    def localised(self, lang: str) -> str:
        """The message and its hint for a person who reads `lang` (Message), with the file it concerns."""
        where = f"{self.path}: " if self.path else ""
        text = f"{where}{localised(self.message, lang)}"
        if self.hint:
            from riskscreen.i18n import message as cli_message

            text += f"\n  {cli_message('how_to_fix', lang)}: {localised(self.hint, lang)}"
        return text


class InputError(RiskscreenError):
    """A file cannot be read as a table (missing, unreadable, binary, wrong encoding, bad layout)."""

    kind = "input"


class PrivacyError(RiskscreenError):
    """A file holds direct identifiers and is refused."""

    kind = "privacy"


class ValidationFailed(RiskscreenError):
    """The data were read but break the data contract; carries the full report."""

    kind = "validation"

    def __init__(self, message: str, report: object, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.report = report


class ProfileError(RiskscreenError):
    """A mapping profile is missing or malformed."""

    kind = "profile"


class ModelError(RiskscreenError):
    """A model cannot be loaded safely, or cannot be trained or applied to these data."""

    kind = "model"


class OutputError(RiskscreenError):
    """An output could not be written (a full disk, no permission); nothing half-written is left."""

    kind = "output"


class WorkspaceError(RiskscreenError):
    """The school's workspace is busy (another run holds it), damaged, or cannot be written."""

    kind = "workspace"


class UsageError(RiskscreenError):
    """The command was called wrongly: conflicting options, an output that exists, an unknown student."""

    kind = "usage"
    exit_code = EXIT_USAGE


class OutputExistsError(UsageError):
    """An output file exists and --force was not given."""

    kind = "output-exists"
