"""Which workspace a command uses: --workspace, a riskscreen.toml up from the working folder, RISKSCREEN_HOME,
or the per-user data folder; one folder per school inside it, with the school's settings."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from riskscreen.errors import UsageError, WorkspaceError, msg
from riskscreen.files import read_regular
from riskscreen.i18n import message
from riskscreen.settings import environment

CONFIG_NAME = "riskscreen.toml"
SETTINGS_NAME = "settings.toml"
DEFAULT_SCHOOL = "school"
SCHOOL_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
# The youth worker's network (issue #12); a school edits its own list in settings.toml.
REFERRAL_TARGETS = (
    "jeugdhulp",
    "schoolmaatschappelijk_werk",
    "schuldhulpverlening",
    "sociaal_wijkteam",
    "ondersteuningsteam",
    "decaan_lob",
    "leerplicht_rmc",
    "jeugdarts_ggd",
    "huisarts",
    "veilig_thuis",
    "halt",
    "jongerenwerk",
    "other",
)
REFERRAL_WAIT_WEEKS = 4  # a referral registered or on a waiting list longer than this is marked for the coordinator
MAX_CONFIG_BYTES = 64 << 10


@dataclass(frozen=True)
class Settings:
    """A school's settings (settings.toml in its workspace folder)."""

    retention_weeks: int | None = None  # snapshots and closed actions older than this are pruned
    referral_targets: tuple[str, ...] = REFERRAL_TARGETS
    rmc_hours: float | None = None  # the region's agreed threshold of 18+ (RMC) reports; None: the profile's
    referral_wait_weeks: int = REFERRAL_WAIT_WEEKS
    sharing: dict[str, object] | None = None  # [sharing]: the school's default basis (read by workspace.sharing)


@dataclass(frozen=True)
class Workspace:
    """One school's folder of history, actions and settings, and how it was chosen."""

    home: Path
    school: str
    chosen_by: str  # "--workspace", "riskscreen.toml (PATH)", "RISKSCREEN_HOME" or "default"
    settings: Settings = field(default_factory=Settings)

    @property
    def folder(self) -> Path:
        return self.home / self.school

    @property
    def snapshots(self) -> Path:
        return self.folder / "snapshots"

    @property
    def actions_file(self) -> Path:
        return self.folder / "actions.json"

    @property
    def sharing_file(self) -> Path:
        return self.folder / "sharing.json"

    @property
    def log_file(self) -> Path:
        return self.folder / "log.jsonl"

    def describe(self, lang: str = "en") -> str:
        """Where the workspace is and how it was chosen, in a language."""
        if self.chosen_by.startswith("riskscreen.toml"):
            chosen = message("chosen_by_config", lang, path=self.chosen_by.partition("(")[2].rstrip(")"))
        else:
            key = {"--workspace": "chosen_by_option", "RISKSCREEN_HOME": "chosen_by_env"}.get(
                self.chosen_by, "chosen_by_default"
            )
            chosen = message(key, lang)
        return message("where", lang, folder=self.folder, school=self.school, chosen=chosen)


def default_home() -> Path:
    """The per-user data folder: %LOCALAPPDATA%\\riskscreen on Windows, else $XDG_DATA_HOME/riskscreen or
    ~/.local/share/riskscreen."""
    return environment(strict=False).data_folder() / "riskscreen"


def find_config(start: Path) -> Path | None:
    """The nearest riskscreen.toml in the working folder or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            _check_trusted(candidate)
            return candidate
    return None


def _check_trusted(path: Path) -> None:
    """A riskscreen.toml decides where student data go: one that another user owns (say, dropped in a shared
    folder such as /tmp), or that others may change, is refused rather than followed."""
    if not hasattr(os, "getuid"):  # Windows: its folders are per user
        return
    info = path.stat()
    if info.st_uid not in (os.getuid(), 0) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise WorkspaceError(
            msg("riskscreen.toml belongs to another user or may be changed by others: not followed"),
            path=str(path),
            hint=msg("remove it, or make your own with `riskscreen init` in a folder of yours"),
        )


def read_toml(path: Path, what: str) -> dict[str, object]:
    raw = read_regular(path, limit=MAX_CONFIG_BYTES, error=WorkspaceError, what=what)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WorkspaceError(
            msg("is not a readable {what} ({exc})", what=what, exc=exc),
            path=str(path),
            hint=msg("correct it, or write it again with `riskscreen init --force`"),
        ) from None


def check_school(school: str) -> str:
    if not SCHOOL_PATTERN.match(school):
        raise UsageError(
            msg("'{school}' cannot name a school's workspace", school=school),
            hint=msg("use the BRIN number or a short name of letters, digits, '-', '_' or '.'"),
        )
    return school


def locate(home: Path | None = None, school: str | None = None, *, cwd: Path | None = None) -> Workspace:
    """The workspace a command uses (see the module docstring for the order)."""
    config_school: str | None = None
    chosen = "--workspace"
    if home is None:
        config = find_config(cwd or Path.cwd())
        if config is not None:
            doc = read_toml(config, msg("riskscreen.toml"))
            section = doc.get("workspace", {})
            if not isinstance(section, dict):
                raise WorkspaceError(
                    msg("has no [workspace] table"),
                    path=str(config),
                    hint=msg("write it again with `riskscreen init --force`"),
                )
            if section.get("home") is not None:
                home = config.parent / str(section["home"])
                chosen = f"{CONFIG_NAME} ({config})"
            config_school = str(section["school"]) if section.get("school") is not None else None
        if home is None and environment(strict=False).home:
            home, chosen = environment(strict=False).home, "RISKSCREEN_HOME"
        if home is None:
            home, chosen = default_home(), "default"
    if home.exists() and not home.is_dir():
        raise UsageError(
            msg("the workspace {home} is a file, not a folder", home=home),
            hint=msg("give `home` a folder (it is made if it does not exist)"),
        )
    name = check_school(school or config_school or environment(strict=False).school or DEFAULT_SCHOOL)
    workspace = Workspace(home, name, chosen)
    return Workspace(home, name, chosen, read_settings(workspace))


def read_settings(workspace: Workspace) -> Settings:
    path = workspace.folder / SETTINGS_NAME
    if not path.is_file():
        return Settings()
    doc = read_toml(path, msg("workspace settings file"))
    retention = doc.get("retention_weeks")
    targets = doc.get("referral_targets", list(REFERRAL_TARGETS))
    if retention is not None and (not isinstance(retention, int) or isinstance(retention, bool) or retention < 1):
        raise WorkspaceError(
            msg("retention_weeks must be a whole number of weeks, 1 or more"),
            path=str(path),
            hint=msg("for example retention_weeks = 52, or remove the line to keep everything"),
        )
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) and t.strip() for t in targets):
        raise WorkspaceError(
            msg("referral_targets must be a list of names"),
            path=str(path),
            hint=msg('for example referral_targets = ["jeugdhulp", "huisarts", "other"]'),
        )
    rmc = doc.get("rmc_hours")
    if rmc is not None and (not isinstance(rmc, int | float) or isinstance(rmc, bool) or not 1 <= rmc <= 16):
        raise WorkspaceError(
            msg("rmc_hours must be a number of hours from 1 to 16"),
            path=str(path),
            hint=msg(
                "the region's agreed threshold of 18+ reports, such as rmc_hours = 16; never more than the law's 16"
            ),
        )
    wait = doc.get("referral_wait_weeks", REFERRAL_WAIT_WEEKS)
    if not isinstance(wait, int) or isinstance(wait, bool) or not 1 <= wait <= 52:
        raise WorkspaceError(
            msg("referral_wait_weeks must be a whole number of weeks from 1 to 52"),
            path=str(path),
            hint=msg("for example referral_wait_weeks = 4, or remove the line for the default"),
        )
    sharing = doc.get("sharing")
    if sharing is not None and not isinstance(sharing, dict):
        raise WorkspaceError(
            msg("[sharing] must be a table of settings"),
            path=str(path),
            hint=msg('for example [sharing] with basis = "convenant" and on = 2026-08-01'),
        )
    return Settings(retention, tuple(t.strip() for t in targets), None if rmc is None else float(rmc), wait, sharing)


SETTINGS_TEMPLATE = """\
# riskscreen: settings of the workspace of school {school}.
# History (snapshots of each week's list) and actions of this school live in this folder.

# Snapshots and closed actions older than this many weeks are removed by `riskscreen history prune`
# (support for the school's AVG retention policy). Remove the line to keep everything.
{retention}

# The youth worker's network: where an action can refer a student to (`riskscreen actions add --referral`).
referral_targets = [{targets}]

# A referral still registered (aangemeld) or on a waiting list after this many weeks is marked on the list for the
# coordinator (`riskscreen actions update ID --state wachtlijst`). Default 4.
# referral_wait_weeks = 4

# Students of 18 to 22 without a startkwalificatie are reported as RMC (18+) verzuim at the threshold the region
# agreed on (the lists say "volgens de regionale afspraak"). Default: 16 hours in 4 lesson weeks, as for the
# Leerplichtwet; a region may agree on fewer, never more.
# rmc_hours = 16

# The school's basis for sharing the signals of every student with the youth worker, when it has one (a covenant
# between school and youth work). Without it, a student is on the youth worker's list only with a basis of their
# own (`riskscreen sharing set STUDENT --basis toestemming --on DATE`).
# [sharing]
# basis = "convenant"
# on = 2026-08-01
# until = 2027-07-31
"""


def settings_text(school: str, retention_weeks: int | None, targets: tuple[str, ...] = REFERRAL_TARGETS) -> str:
    retention = f"retention_weeks = {retention_weeks}" if retention_weeks is not None else "# retention_weeks = 52"
    return SETTINGS_TEMPLATE.format(school=school, retention=retention, targets=", ".join(f'"{t}"' for t in targets))


def config_text(home: Path, school: str) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return (
        "# riskscreen: the workspace commands in this folder (and below it) use.\n"
        "[workspace]\n"
        f"home = {quoted(str(home))}\n"
        f"school = {quoted(school)}\n"
    )
