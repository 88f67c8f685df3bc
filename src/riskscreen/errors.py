"""The one error hierarchy: every failure a user can meet, with its exit code and a hint how to fix it."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3


class Message(str):
    """English text that keeps its template and values, so that it can also be said in another language.

    The template is the key of the translation (gettext's model): text/LANG-messages.toml maps each English
    template to its words in LANG. A Message is a str, so code that only shows it needs nothing else.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, **params: object) -> Message:
        made = super().__new__(cls, template.format(**params) if params else template)
        made.template = template
        made.params = params
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
        return template.format(**values) if values else template


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
