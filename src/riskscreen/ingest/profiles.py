"""Mapping profiles: built-in and user TOML files that rename a school's headers and recode its values."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from riskscreen.errors import ProfileError, msg
from riskscreen.ingest.codes import (
    ATTENDANCE_CODES,
    BASE_ATTENDANCE_CODES,
    BASE_LEERWEG_CODES,
    BASE_LEVEL_CODES,
    LEERWEGEN,
    LEVELS,
)
from riskscreen.ingest.sniff import normalise_header

TABLES = ("attendance", "grades", "students", "outcomes")

CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "attendance": ("student_id", "date", "period", "hours", "code", "authorised"),
    "grades": ("student_id", "subject", "date", "grade", "weight"),
    "students": (
        "student_id",
        "level",
        "year",
        "age",
        "repeated_years",
        "moved_down",
        "mentor",
        "class",
        "as_of",
        "enrolled_from",
        "startkwalificatie",
        "leerweg",
    ),
    "outcomes": ("student_id", "as_of", "left_without_qualification", "enrolled_elsewhere", "left_on"),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "attendance": ("student_id", "date", "code"),
    "grades": ("student_id", "subject", "date", "grade"),
    "students": ("student_id",),
    "outcomes": ("student_id", "as_of", "left_without_qualification"),
}
HOURS_BASES = ("auto", "lesuren", "klokuren", "export")

FLAG_SETTINGS = (
    "verzuim_hours",
    "verzuim_weeks",
    "lookback_weeks",
    "sick_spells",
    "sick_window_weeks",
    "sick_spell_days",
    "rmc_hours",
    "lrv_day_hours",
    "overig_late",
)
YES_VALUES = frozenset({"ja", "j", "yes", "y", "1", "true", "waar", "x", "geoorloofd"})
NO_VALUES = frozenset({"nee", "n", "no", "0", "false", "onwaar", "ongeoorloofd"})


def normalise_value(value: object) -> str:
    """The form used to match coded values: lower case, single spaces, no surrounding punctuation."""
    return re.sub(r"\s+", " ", str(value).strip().lower()).strip(" .")


@dataclass(frozen=True)
class Profile:
    """How one export system's files map onto the data contract."""

    name: str
    description: str = ""
    date_format: str = "auto"
    lesson_hours: float = 1.0
    core_subjects: frozenset[str] = frozenset()
    holidays: tuple[tuple[str, str], ...] = ()
    hours_basis: str = "auto"  # how the 16-hour rule counts hours (HOURS_BASES; auto: by level and export)
    files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    columns: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    flags: Mapping[str, float] = field(default_factory=dict)  # overrides of riskscreen.flags.FlagRules
    source: str = "built-in"

    def aliases(self, table: str) -> dict[str, str]:
        """Normalised header -> canonical column, for one table; canonical names always match."""
        out = {normalise_header(c): c for c in CANONICAL_COLUMNS[table]}
        for canonical, names in self.columns.get(table, {}).items():
            for name in names:
                out[normalise_header(name)] = canonical
        return out

    def code_map(self, kind: str) -> dict[str, str]:
        base = {"attendance": BASE_ATTENDANCE_CODES, "level": BASE_LEVEL_CODES, "leerweg": BASE_LEERWEG_CODES}.get(
            kind, {}
        )
        extra = {normalise_value(k): v for k, v in self.codes.get(kind, {}).items()}
        return {**base, **extra}

    def is_core(self, subject: str) -> bool:
        return normalise_value(subject) in self.core_subjects

    def all_headers(self) -> set[str]:
        return {h for t in TABLES for h in self.aliases(t)}


def _as_tuple(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ProfileError(msg("{where} must be a text or a list of texts", where=where))


def parse_profile(data: Mapping[str, object], *, source: str, base: Profile | None = None) -> Profile:
    """Build a Profile from TOML data; unknown tables and columns are errors so typos do not pass silently."""
    allowed = {
        "name",
        "description",
        "extends",
        "date_format",
        "lesson_hours",
        "lesson_minutes",
        "core_subjects",
        "holidays",
        "hours_basis",
        "files",
        "columns",
        "codes",
        "flags",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ProfileError(
            msg("unknown setting(s) {join} in profile {source}", join=", ".join(sorted(unknown)), source=source),
            hint=msg("allowed settings: {join}", join=", ".join(sorted(allowed))),
        )
    name = str(data.get("name") or Path(source).stem)
    files = dict(base.files) if base else {}
    for table, names in _section(data, "files", source).items():
        if table not in TABLES:
            raise ProfileError(
                msg("[files] names unknown table '{table}' in profile {source}", table=table, source=source),
                hint=msg("tables are: {join}", join=", ".join(TABLES)),
            )
        files[table] = _as_tuple(names, f"files.{table}")
    columns: dict[str, dict[str, tuple[str, ...]]] = {t: dict(c) for t, c in (base.columns if base else {}).items()}
    for table, mapping in _section(data, "columns", source).items():
        if table not in TABLES:
            raise ProfileError(
                msg("[columns.{table}] is not a table in profile {source}", table=table, source=source),
                hint=msg("tables are: {join}", join=", ".join(TABLES)),
            )
        for canonical, names in _section({table: mapping}, table, f"{source} [columns]").items():
            if canonical not in CANONICAL_COLUMNS[table]:
                raise ProfileError(
                    msg(
                        "[columns.{table}] names unknown column '{canonical}' in profile {source}",
                        table=table,
                        canonical=canonical,
                        source=source,
                    ),
                    hint=msg("columns of {table}: {join}", table=table, join=", ".join(CANONICAL_COLUMNS[table])),
                )
            inherited = columns.get(table, {}).get(canonical, ())
            # A profile that extends another adds header names; it does not take the parent's away.
            columns.setdefault(table, {})[canonical] = tuple(
                dict.fromkeys((*_as_tuple(names, f"columns.{table}.{canonical}"), *inherited))
            )
    codes: dict[str, dict[str, str]] = {k: dict(v) for k, v in (base.codes if base else {}).items()}
    for kind, mapping in _section(data, "codes", source).items():
        if kind not in {"attendance", "level", "leerweg"}:
            raise ProfileError(
                msg("[codes.{kind}] is not recodable in profile {source}", kind=kind, source=source),
                hint=msg("recode tables are [codes.attendance], [codes.level] and [codes.leerweg]"),
            )
        valid = {"attendance": ATTENDANCE_CODES, "level": LEVELS, "leerweg": LEERWEGEN}[kind]
        for raw, target in _section({kind: mapping}, kind, f"{source} [codes]").items():
            if target not in valid:
                raise ProfileError(
                    msg(
                        "[codes.{kind}] maps '{raw}' to '{target}', which is not a valid code",
                        kind=kind,
                        raw=raw,
                        target=target,
                    ),
                    hint=msg("valid codes: {join}", join=", ".join(valid)),
                )
            codes.setdefault(kind, {})[raw] = str(target)
    core = data.get("core_subjects")
    core_set = (
        frozenset(normalise_value(s) for s in _as_tuple(core, "core_subjects"))
        if core is not None
        else (base.core_subjects if base else frozenset())
    )
    holidays_raw = data.get("holidays", list(base.holidays) if base else [])
    holidays: list[tuple[str, str]] = []
    if not isinstance(holidays_raw, list | tuple):
        raise ProfileError(
            msg("holidays must be a list of [first day, last day] pairs in profile {source}", source=source)
        )
    for item in holidays_raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ProfileError(
                msg('holidays must be a list of [first day, last day] pairs such as ["2026-10-19", "2026-10-23"]')
            )
        first, last = (_holiday_date(day, source) for day in item)
        if last < first:
            raise ProfileError(
                msg(
                    "the holiday {first} to {last} ends before it starts in profile {source}",
                    first=first,
                    last=last,
                    source=source,
                )
            )
        holidays.append((first.isoformat(), last.isoformat()))
    if "lesson_minutes" in data and "lesson_hours" in data:
        raise ProfileError(msg("give lesson_minutes or lesson_hours, not both, in profile {source}", source=source))
    minutes = data.get("lesson_minutes")
    if minutes is not None:
        if not isinstance(minutes, int | float) or isinstance(minutes, bool) or not 10 <= minutes <= 120:
            raise ProfileError(
                msg("lesson_minutes must be a number of minutes from 10 to 120 in profile {source}", source=source),
                hint=msg("the length of one lesson period, such as 50"),
            )
        lesson_hours = float(minutes) / 60
    else:
        try:
            lesson_hours = float(data.get("lesson_hours", base.lesson_hours if base else 1.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ProfileError(msg("lesson_hours must be a number, such as 1.0 or 0.75")) from None
        if not math.isfinite(lesson_hours) or not 0 < lesson_hours <= 12:
            raise ProfileError(msg("lesson_hours must be above 0 and at most 12"))
    hours_basis = str(data.get("hours_basis", base.hours_basis if base else "auto"))
    if hours_basis not in HOURS_BASES:
        raise ProfileError(
            msg("hours_basis '{value}' is not known in profile {source}", value=hours_basis[:40], source=source),
            hint=msg("use one of {join}", join=", ".join(HOURS_BASES)),
        )
    flags = dict(base.flags) if base else {}
    for key, value in _section(data, "flags", source).items():
        if key not in FLAG_SETTINGS:
            raise ProfileError(
                msg("[flags] has unknown setting '{key}' in profile {source}", key=key, source=source),
                hint=msg("settings: {join}", join=", ".join(FLAG_SETTINGS)),
            )
        flags[key] = _flag_value(key, value, source)
    if flags.get("lookback_weeks", 12) < flags.get("verzuim_weeks", 4):
        raise ProfileError(
            msg("[flags] lookback_weeks must be at least verzuim_weeks in profile {source}", source=source)
        )
    return Profile(
        name=name,
        description=str(data.get("description", base.description if base else "")),
        date_format=_date_format(data.get("date_format", base.date_format if base else "auto"), source),
        lesson_hours=lesson_hours,
        core_subjects=core_set,
        holidays=tuple(holidays),
        hours_basis=hours_basis,
        files={k: tuple(v) for k, v in files.items()},
        columns={t: {c: tuple(n) for c, n in m.items()} for t, m in columns.items()},
        codes=codes,
        flags=flags,
        source=source,
    )


# The statutory rule may be made to signal earlier (fewer hours, a longer window), never later: a setting that
# would miss a student the law says must be reported is refused. Care settings have sane ranges.
FLAG_RANGES: dict[str, tuple[float, float, bool]] = {  # setting: (lowest, highest, whole number)
    "verzuim_hours": (1, 16, False),
    "verzuim_weeks": (4, 52, True),
    "lookback_weeks": (4, 52, True),
    "sick_spells": (1, 50, True),
    "sick_window_weeks": (1, 52, True),
    "sick_spell_days": (1, 60, True),
    # the region's agreement on 18+ (RMC) reports; a day away for LRV; lateness as overig verzuim (0: off)
    "rmc_hours": (1, 16, False),
    "lrv_day_hours": (1, 8, False),
    "overig_late": (0, 50, True),
}


def _section(data: Mapping[str, object], key: str, source: str) -> dict[str, object]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(
            msg(
                "[{key}] must be a table of settings, not {name} in profile {source}",
                key=key,
                name=type(value).__name__,
                source=source,
            ),
            hint=msg("compare it with `riskscreen profile init`'s template"),
        )
    return value


def _flag_value(key: str, value: object, source: str) -> float:
    low, high, whole = FLAG_RANGES[key]
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or not low <= value <= high
        or (whole and value != int(value))
    ):
        kind = "a whole number" if whole else "a number"
        law = (
            " (the Leerplichtwet: 16 hours in 4 lesson weeks; a school may signal earlier, never later)"
            if key.startswith("verzuim")
            else ""
        )
        raise ProfileError(
            msg(
                "[flags] {key} must be {kind} from {low:g} to {high:g} in profile {source}{law}",
                key=key,
                kind=kind,
                low=low,
                high=high,
                source=source,
                law=law,
            )
        )
    return float(value)


def _holiday_date(day: object, source: str) -> dt.date:
    try:
        parsed = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    except ValueError:
        raise ProfileError(
            msg("holiday date '{day}' is not a date (YYYY-MM-DD) in profile {source}", day=str(day)[:40], source=source)
        ) from None
    if not 2000 <= parsed.year <= 2099:
        raise ProfileError(
            msg(
                "holiday date {parsed} is outside the years 2000-2099 in profile {source}", parsed=parsed, source=source
            )
        )
    return parsed


def _date_format(value: object, source: str) -> str:
    """'auto', or a strftime format that writes and reads back a date with its day, month and year."""
    text = str(value)
    if text == "auto":
        return text
    sample = dt.datetime(2026, 9, 7)
    try:
        ok = dt.datetime.strptime(sample.strftime(text), text) == sample
    except (ValueError, TypeError):
        ok = False
    if not ok:
        raise ProfileError(
            msg(
                "date_format '{text}' is not a date format with day, month and year in profile {source}",
                text=text[:40],
                source=source,
            ),
            hint=msg('use "auto", or a format such as "%d-%m-%Y" or "%Y-%m-%d"'),
        )
    return text
