"""The run's settings from the environment, read in this one place: workspace, school, language, today, folders.

The command line makes them once per run (`Settings.from_environment`) and puts them in use for that run; a
library caller can put their own in use (`with settings.use(Settings(today=..., home=...)):`) instead of setting
environment variables. Below, `environment()` gives the settings in use, else the process's environment's. No
other module reads a RISKSCREEN_* variable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from riskscreen.errors import UsageError, msg
from riskscreen.i18n import LANGUAGES


@dataclass(frozen=True)
class Settings:
    """What the environment decides for a run. Each field names the variable it comes from."""

    home: Path | None = None  # RISKSCREEN_HOME: the folder of the workspaces
    school: str | None = None  # RISKSCREEN_SCHOOL: the school's workspace inside it
    lang: str = "nl"  # RISKSCREEN_LANG, else the system's language (LC_ALL, LC_MESSAGES, LANG), else Dutch
    today: dt.date | str | None = None  # RISKSCREEN_TODAY (checked when used); None: the machine's clock
    models: Path | None = None  # RISKSCREEN_MODELS: a folder of models looked up by name
    profiles: Path | None = None  # RISKSCREEN_PROFILES: the user's mapping profiles
    state: Path | None = None  # RISKSCREEN_STATE: where writes in progress are noted
    data_home: Path | None = None  # %LOCALAPPDATA% or $XDG_DATA_HOME; None: ~/.local/share
    state_home: Path | None = None  # $XDG_STATE_HOME; None: ~/.local/state

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, *, strict: bool = True) -> Settings:
        """The settings of `environ` (the process's environment). A wrong RISKSCREEN_LANG is a usage error; with
        strict=False (while the command line has not yet read --lang) it is passed over. A wrong RISKSCREEN_TODAY is
        a usage error when today is asked for."""
        env = os.environ if environ is None else environ

        def folder(name: str) -> Path | None:
            return Path(env[name]) if env.get(name) else None

        windows = sys.platform == "win32" and env.get("LOCALAPPDATA")
        return cls(
            home=folder("RISKSCREEN_HOME"),
            school=env.get("RISKSCREEN_SCHOOL") or None,
            lang=_language_of(env, strict),
            today=env.get("RISKSCREEN_TODAY") or None,
            models=folder("RISKSCREEN_MODELS"),
            profiles=folder("RISKSCREEN_PROFILES"),
            state=folder("RISKSCREEN_STATE"),
            data_home=Path(env["LOCALAPPDATA"]) if windows else folder("XDG_DATA_HOME"),
            state_home=folder("XDG_STATE_HOME"),
        )

    def data_folder(self) -> Path:
        """The per-user data folder's parent: data_home, else ~/.local/share (the home of now, not of import)."""
        return self.data_home or Path.home() / ".local" / "share"

    def state_folder(self) -> Path:
        """Where the state of runs lives: state_home, else ~/.local/state."""
        return self.state_home or Path.home() / ".local" / "state"

    def current_date(self) -> dt.date:
        """Today: the pinned date, or the clock's (runs and tests reproducible on any day)."""
        if isinstance(self.today, dt.date):
            return self.today
        return _pinned_today(self.today) if self.today else dt.date.today()


IN_USE: ContextVar[Settings | None] = ContextVar("riskscreen_settings", default=None)


def environment(*, strict: bool = True) -> Settings:
    """The settings in use (`use`), else those of this process's environment."""
    active = IN_USE.get()
    return active if active is not None else Settings.from_environment(strict=strict)


@contextlib.contextmanager
def use(settings: Settings) -> Iterator[Settings]:
    """Run the block with these settings in use, whatever the environment says; the earlier ones after it."""
    token = IN_USE.set(settings)
    try:
        yield settings
    finally:
        IN_USE.reset(token)


def language(lang: str) -> str:
    """`lang` when riskscreen speaks it; a usage error otherwise."""
    if lang not in LANGUAGES:
        raise UsageError(msg("unknown language '{lang}'", lang=lang), hint=msg("use `lang` nl or `lang` en"))
    return lang


def resolve_language(explicit: str | None = None, *, strict: bool = True) -> str:
    """The language to speak: --lang, else $RISKSCREEN_LANG, else the system's language (LC_ALL, LC_MESSAGES,
    LANG) when it is Dutch or English, else Dutch. A wrong $RISKSCREEN_LANG is a usage error (when strict)."""
    return language(explicit) if explicit else _language_of(os.environ, strict)


def _language_of(env: Mapping[str, str], strict: bool) -> str:
    chosen = env.get("RISKSCREEN_LANG", "").strip().lower()
    if chosen:
        if chosen in LANGUAGES:
            return chosen
        if strict:
            raise UsageError(
                msg("RISKSCREEN_LANG is '{chosen}', which is not a language riskscreen speaks", chosen=chosen),
                hint=msg("set it to nl or en, or unset it"),
            )
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGUAGES else "nl"
    return "nl"


def _pinned_today(pinned: str) -> dt.date:
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise UsageError(
            msg("RISKSCREEN_TODAY '{pinned}' is not a date", pinned=pinned), hint=msg("write it as YYYY-MM-DD")
        ) from None
