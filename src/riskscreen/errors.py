"""The one error hierarchy: every failure a user can meet, with its exit code and a hint how to fix it."""

from __future__ import annotations

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_UNEXPECTED = 3


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
        """The message and its hint for a person who reads `lang`: the catalogue's words where the error has a
        key there (text/LANG.toml [errors]), else the message as raised."""
        message, hint = self.message, self.hint
        key = getattr(self, "key", None)
        if key:
            from riskscreen.i18n import texts

            entry = texts(lang).get("errors", {}).get(key)
            if entry:
                params = getattr(self, "params", {})
                message = str(entry["message"]).format(**params)
                hint = str(entry["hint"]).format(**params) if "hint" in entry else hint
        where = f"{self.path}: " if self.path else ""
        text = f"{where}{message}"
        if hint:
            from riskscreen.i18n import message as cli_message

            text += f"\n  {cli_message('how_to_fix', lang)}: {hint}"
        return text

    def keyed(self, key: str, **params: object) -> RiskscreenError:
        """The same error with a catalogue key and the values its words need, so it can be said in Dutch."""
        self.key = key
        self.params = params
        return self


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
