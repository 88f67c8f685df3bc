"""Where profiles are found and read (built-in, the user's folder, a file), which fits the headers, a template."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from riskscreen.errors import ProfileError, msg
from riskscreen.files import read_regular
from riskscreen.ingest.profiles import Profile, parse_profile
from riskscreen.ingest.sniff import normalise_header
from riskscreen.settings import environment


def _builtin_dir() -> Path:
    return Path(str(resources.files("riskscreen.ingest") / "builtin_profiles"))


def user_profile_dir() -> Path:
    """Where `profile init` writes and `profile list` looks: $RISKSCREEN_PROFILES or ~/.config/riskscreen."""
    return environment(strict=False).profiles or Path.home() / ".config" / "riskscreen" / "profiles"


def builtin_names() -> list[str]:
    order = ["canonical", "magister", "somtoday", "eduarte"]
    found = sorted(p.stem for p in _builtin_dir().glob("*.toml"))
    return [n for n in order if n in found] + [n for n in found if n not in order]


def _load_toml(path: Path) -> dict[str, object]:
    raw = read_regular(path, limit=1 << 20, error=ProfileError, what=msg("profile"))
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(
            msg("profile {path} is not valid TOML: {exc}", path=path, exc=exc),
            hint=msg("compare it with `riskscreen profile init`'s template"),
        ) from None


def load_profile(name_or_path: str, _chain: tuple[str, ...] = ()) -> Profile:
    """A built-in profile by name, a user profile by name, or a profile TOML file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if candidate.is_dir():
            raise ProfileError(
                msg("{candidate} is a folder, not a profile", candidate=candidate),
                hint=msg("give a profile's name or the path of its .toml file"),
            )
        if not candidate.exists():
            raise ProfileError(msg("profile file {candidate} does not exist", candidate=candidate))
        return _from_file(candidate, _chain)  # a FIFO or a device: refused as what it is when read
    builtin = _builtin_dir() / f"{name_or_path}.toml"
    if builtin.is_file():
        return parse_profile(_load_toml(builtin), source="built-in")
    user = user_profile_dir() / f"{name_or_path}.toml"
    if user.is_file():
        return _from_file(user, _chain)
    raise ProfileError(
        msg("no profile named '{name_or_path}'", name_or_path=name_or_path),
        hint=msg(
            "known profiles: {join}; or give the path of a .toml file", join=", ".join(n for n, _ in list_profiles())
        ),
    )


def _from_file(path: Path, chain: tuple[str, ...] = ()) -> Profile:
    key = str(path.resolve())
    if key in chain:
        names = " -> ".join(Path(p).stem for p in (*chain, key))
        raise ProfileError(
            msg("profile {path} extends itself through {names}", path=path, names=names),
            hint=msg("remove one of the 'extends'"),
        )
    data = _load_toml(path)
    base = None
    if "extends" in data:
        parent = str(data["extends"])
        if parent == path.stem:
            raise ProfileError(msg("profile {path} extends itself", path=path))
        base = load_profile(parent, (*chain, key))
    return parse_profile(data, source=str(path), base=base)


def list_profiles() -> list[tuple[str, Profile]]:
    """Every profile riskscreen can use now: built-in first, then the user's."""
    out = [(n, load_profile(n)) for n in builtin_names()]
    folder = user_profile_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                out.append((path.stem, _from_file(path)))
            except ProfileError:
                continue
    return out


def detect_profile(
    headers_by_table: Mapping[str, Iterable[str]], candidates: Iterable[Profile] | None = None
) -> Profile:
    """The profile whose own header names match most of the given headers; canonical wins ties."""
    profiles = list(candidates) if candidates is not None else [p for _, p in list_profiles()]
    best, best_score = profiles[0], -1
    for profile in profiles:
        score = 0
        for table, headers in headers_by_table.items():
            aliases = {normalise_header(n) for names in profile.columns.get(table, {}).values() for n in names}
            score += sum(1 for h in headers if normalise_header(h) in aliases)
        if score > best_score:
            best, best_score = profile, score
    return best


TEMPLATE = """# riskscreen mapping profile for {name}.
# Save it as {folder}/{name}.toml (or anywhere, and pass --profile PATH). Lines starting with # are comments.
# Header names match case-, space- and underscore-insensitively. Run `riskscreen validate` to check it.
name = "{name}"
description = "Our school's exports"
extends = "magister"          # start from a built-in profile: canonical, magister, somtoday or eduarte

# "auto" detects ISO (2025-01-31) and Dutch (31-01-2025) dates; or give a strftime format such as "%d/%m/%Y".
date_format = "auto"
# How long one lesson period is, in minutes: a registration without an hours column counts as one period. The
# 16-hour rule and the absence features then count clock hours (a 50-minute period: 0.83 hour); every flag says
# how its hours were counted. (Or lesson_hours = 0.75: the hours one registration counts.)
lesson_minutes = 60
# How the 16-hour rule counts hours: "auto" (the export's hours column, else klokuren for MBO levels and lesuren,
# a lesson of 60 minutes or less as one hour, for VO), or "lesuren", "klokuren" or "export" for every student.
hours_basis = "auto"
# Subjects that count as core subjects for the "fails in core subjects" features (as written in the export).
core_subjects = ["Nederlands", "Engels", "Wiskunde", "wiskunde A", "wiskunde B"]
# School holidays: these weeks are not lesson weeks. Without them, weeks without any registration count as
# holidays.
holidays = [["2026-10-19", "2026-10-23"], ["2026-12-21", "2027-01-01"]]

# Words in file names that say which table a file holds.
[files]
attendance = ["verzuim"]

# Your header -> the contract's column. Only the ones that differ from the profile you extend.
[columns.attendance]
student_id = ["Leerling ID"]
code = ["Registratie"]

# Your absence codes -> present, authorised, sick, unauthorised, late or removed.
[codes.attendance]
"TL" = "late"
"ZK" = "sick"
"OA" = "unauthorised"
"GA" = "authorised"

# Your level names -> pro, vmbo-b, vmbo-k, vmbo-gt, havo, vwo, mbo-1 .. mbo-4.
[codes.level]
"M" = "vmbo-gt"

# Thresholds of the flags. The defaults follow the Leerplichtwet (16 unauthorised hours in 4 lesson weeks)
# and common care practice; change them only as the school's attendance policy says.
[flags]
verzuim_hours = 16       # unauthorised lesson hours ...
verzuim_weeks = 4        # ... within this many consecutive lesson weeks
lookback_weeks = 12      # windows ending in the last this many lesson weeks are checked
sick_spells = 4          # this many sick spells ...
sick_window_weeks = 12   # ... within this many lesson weeks
sick_spell_days = 6      # or one spell longer than this many school days
rmc_hours = 16           # the region's agreed threshold for 18+ (RMC) reports
lrv_day_hours = 4        # a lesson day with this many unauthorised hours is a day away (LRV: more than 4 weeks)
overig_late = 0          # late arrivals in 4 lesson weeks that make overig verzuim (0: not signalled)
"""


def profile_template(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
        raise ProfileError(
            msg("'{name}' is not a usable profile name", name=name), hint=msg("use letters, digits, '-' and '_' only")
        )
    return TEMPLATE.format(name=name, folder=user_profile_dir())
