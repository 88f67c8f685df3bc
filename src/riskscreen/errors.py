"""The one error hierarchy: every failure a user can meet, with its exit code and a hint how to fix it."""

from __future__ import annotations

from riskscreen.i18n import Day, Lines, Message, localised, message, msg

__all__ = ["Day", "Lines", "Message", "localised", "msg"]  # said here too: every stage raises with them

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
        """The message and its hint for a person who reads `lang` (Message), with the file it concerns."""
        where = f"{self.path}: " if self.path else ""
        text = f"{where}{localised(self.message, lang)}"
        if self.hint:
            text += f"\n  {message('how_to_fix', lang)}: {localised(self.hint, lang)}"
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
