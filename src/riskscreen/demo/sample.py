"""Deterministic synthetic school: roster, lesson-level registrations, grades and outcomes, in a profile's headers.

The data are invented. Each student has a latent risk `z` (standard normal, shifted by level) that drives
unauthorised absence, lateness, removals, sick spells, weaker and declining grades and repeated years. Absence and
falling grades grow with the day's place in the school year, whatever part of it is written; `z` drifts from year
to year with the same spread, and a year is generated before the history written: every year is the same school.
Whether a student leaves without a startkwalificatie within 12 months of an as-of date is drawn from

    logit P(leave) = b0 + 0.9 z + 0.45 repeated_years + 0.03 unauthorised hours (last 12 weeks)
                     + 0.12 min(fails, 8) (last 12 weeks)
                     + 1.0 [16 or more unauthorised hours]               (a threshold)
                     + 0.12 fails x [6 or more unauthorised hours]       (an interaction)
                     + 0.4 repeated_years x [vmbo-b or vmbo-k]           (an interaction with the level)
                     + N(0, 0.5) noise,

with b0 set so that about 4 % leave: the model has to find the signal through observed absence, grades and
repeated years, with noise it cannot explain, as with real data. The threshold, the saturation and the
interactions are not additive in the features (#24 item 7): a black box has something to find that the
transparent model cannot, so the card's price of transparency is a measurement, not a given. The school's
calendar goes in vakanties.csv."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from riskscreen.demo.calendar import school_days, year_end, year_progress
from riskscreen.demo.headers import CODE_WORDS, HEADERS
from riskscreen.demo.leaving import cut_after, date_texts, leavers, leaving_days
from riskscreen.errors import UsageError, msg
from riskscreen.i18n import decimal

LEVELS = ("vmbo-b", "vmbo-k", "vmbo-gt", "havo", "vwo")
LEVEL_SHARE = (0.12, 0.15, 0.23, 0.28, 0.22)
LEVEL_YEARS = {"vmbo-b": 4, "vmbo-k": 4, "vmbo-gt": 4, "havo": 5, "vwo": 6}
LEVEL_RISK = {"vmbo-b": 0.45, "vmbo-k": 0.25, "vmbo-gt": 0.05, "havo": -0.15, "vwo": -0.35}
LEVEL_ABBR = {"vmbo-b": "B", "vmbo-k": "K", "vmbo-gt": "M", "havo": "H", "vwo": "V"}
SUBJECTS = (
    "Nederlands",
    "Engels",
    "Wiskunde",
    "Biologie",
    "Geschiedenis",
    "Aardrijkskunde",
    "Lichamelijke opvoeding",
    "Economie",
    "Frans",
    "Duits",
)
LESSONS_PER_DAY = 7
BURN_IN_YEARS = 1  # school years generated before the history that is written


@dataclass
class Cohort:
    """One school year's students and their latent risk."""

    ids: np.ndarray
    level: np.ndarray
    year: np.ndarray
    repeated: np.ndarray
    moved_down: np.ndarray
    gender: np.ndarray
    z: np.ndarray
    age_offset: np.ndarray


def _new_students(rng: np.random.Generator, n: int, first_id: int, *, year_one: bool) -> Cohort:
    level = rng.choice(np.array(LEVELS), size=n, p=LEVEL_SHARE)
    max_year = np.array([LEVEL_YEARS[lv] for lv in level])
    year = np.ones(n, dtype=int) if year_one else rng.integers(1, max_year + 1)
    z = rng.standard_normal(n) + np.array([LEVEL_RISK[lv] for lv in level])
    repeated = np.minimum(rng.poisson(0.08 * np.exp(0.6 * z) * year), 3)
    moved_down = (rng.random(n) < 0.05 * np.exp(0.5 * z) * np.minimum(year, 3) / 2).astype(int)
    gender = rng.choice(np.array(["m", "v", "x"]), size=n, p=[0.49, 0.49, 0.02])
    age_offset = (rng.random(n) < 0.35).astype(int)
    return Cohort(np.arange(first_id, first_id + n), level, year, repeated, moved_down, gender, z, age_offset)


def _concat(a: Cohort, b: Cohort) -> Cohort:
    return Cohort(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in Cohort.__dataclass_fields__))


def _take(c: Cohort, mask: np.ndarray) -> Cohort:
    return Cohort(*(getattr(c, f)[mask] for f in Cohort.__dataclass_fields__))


def _events(
    rng: np.random.Generator, rate: np.ndarray, n_days: int, day_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson event counts per student over the period, each placed on a lesson day; (student, day)."""
    counts = rng.poisson(rate)
    student = np.repeat(np.arange(len(rate)), counts)
    day = rng.choice(n_days, size=student.size, p=day_weights)
    return student, day


def registrations_of(rng: np.random.Generator, cohort: Cohort, days: np.ndarray) -> pd.DataFrame:
    """Lesson-level registrations of one school year: student index, day index, period, code."""
    n, n_days = len(cohort.ids), len(days)
    weeks = n_days / 5
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    plain = np.ones(n_days) / n_days
    # Unauthorised absence clusters on Mondays and Fridays and grows through the school year, from its rate in
    # September to twice that in July: by the day's place in the year, not in the generated period.
    growth = 1 + year_progress(days)
    truancy = np.where(np.isin(weekday, [0, 4]), 1.6, 1.0) * growth
    truancy /= truancy.sum()
    z = cohort.z
    parts = []
    s, d = _events(rng, np.exp(-1.9 + 1.0 * z) * weeks * float(growth.mean()), n_days, truancy)
    length = 1 + rng.binomial(2, 0.35, size=s.size)
    parts.append(_expand(rng, s, d, length, "unauthorised"))
    s, d = _events(rng, np.exp(-1.2 + 0.5 * z) * weeks, n_days, plain)
    parts.append(_expand(rng, s, d, np.ones(s.size, dtype=int), "late"))
    s, d = _events(rng, np.exp(-3.6 + 0.8 * z) * weeks, n_days, plain)
    parts.append(_expand(rng, s, d, np.ones(s.size, dtype=int), "removed"))
    s, d = _events(rng, np.full(n, 0.12) * weeks, n_days, plain)
    parts.append(_expand(rng, s, d, 1 + rng.binomial(3, 0.3, size=s.size), "authorised"))
    # Sick spells: whole days, one to several in a row.
    s, d = _events(rng, 0.05 * np.exp(0.35 * z) * weeks, n_days, plain)
    spell_days = rng.geometric(0.55, size=s.size)
    s = np.repeat(s, spell_days)
    offsets = np.arange(s.size) - np.repeat(np.cumsum(spell_days) - spell_days, spell_days)
    d = np.minimum(np.repeat(d, spell_days) + offsets, n_days - 1)
    s = np.repeat(s, LESSONS_PER_DAY)
    d = np.repeat(d, LESSONS_PER_DAY)
    period = np.tile(np.arange(1, LESSONS_PER_DAY + 1), s.size // LESSONS_PER_DAY)
    parts.append(pd.DataFrame({"student": s, "day": d, "period": period, "code": "sick"}))
    frame = pd.concat(parts, ignore_index=True)
    # One registration per lesson: sickness first, then the order above.
    priority = frame["code"].map({"sick": 0, "removed": 1, "unauthorised": 2, "authorised": 3, "late": 4})
    frame = frame.assign(_p=priority).sort_values(["student", "day", "period", "_p"], kind="stable")
    frame = frame.drop_duplicates(["student", "day", "period"]).drop(columns="_p")
    return frame.reset_index(drop=True)


def _expand(
    rng: np.random.Generator, student: np.ndarray, day: np.ndarray, length: np.ndarray, code: str
) -> pd.DataFrame:
    start = rng.integers(1, LESSONS_PER_DAY + 1, size=student.size)
    s = np.repeat(student, length)
    d = np.repeat(day, length)
    offset = np.arange(s.size) - np.repeat(np.cumsum(length) - length, length)
    period = np.minimum(np.repeat(start, length) + offset, LESSONS_PER_DAY)
    return pd.DataFrame({"student": s, "day": d, "period": period, "code": code})


def grades_of(rng: np.random.Generator, cohort: Cohort, days: np.ndarray, per_subject: float) -> pd.DataFrame:
    """Grades per student and subject through the year; weaker and declining for students at risk."""
    n, n_days = len(cohort.ids), len(days)
    ability = -0.6 * cohort.z + rng.normal(0, 0.8, n)
    n_subjects = len(SUBJECTS)
    counts = rng.poisson(per_subject * n_days / 60, size=(n, n_subjects))
    student = np.repeat(np.repeat(np.arange(n), n_subjects), counts.ravel())
    subject = np.repeat(np.tile(np.arange(n_subjects), n), counts.ravel())
    day = rng.integers(0, n_days, size=student.size)
    progress = year_progress(days)[day]  # the place in the school year, whatever part of it is generated
    subject_effect = rng.normal(0, 0.5, size=(n, n_subjects))[student, subject]
    decline = 1.2 * np.maximum(cohort.z[student], 0) * progress
    grade = 6.5 + 0.9 * ability[student] + subject_effect - decline + rng.normal(0, 1.0, student.size)
    grade = np.round(np.clip(grade, 1.0, 10.0), 1)
    weight = rng.choice(np.array([1, 1, 2, 3]), size=student.size)
    frame = pd.DataFrame({"student": student, "subject": subject, "day": day, "grade": grade, "weight": weight})
    return frame.sort_values(["student", "day", "subject"], kind="stable").reset_index(drop=True)


def _write_tables(
    cohort: Cohort,
    registrations: pd.DataFrame,
    grades: pd.DataFrame,
    days: np.ndarray,
    profile: str,
    rng: np.random.Generator,
    ids_prefix: str,
) -> dict[str, pd.DataFrame]:
    headers = HEADERS[profile]
    words = CODE_WORDS[profile]
    date_fmt = "%Y-%m-%d" if profile == "canonical" else "%d-%m-%Y"
    day_text = pd.Series(pd.DatetimeIndex(days)).dt.strftime(date_fmt).to_numpy()
    ids = np.char.add(ids_prefix, cohort.ids.astype(str))
    reg_code = registrations["code"].to_numpy()
    attendance = pd.DataFrame(
        {
            headers["attendance"]["student_id"]: ids[registrations["student"].to_numpy()],
            headers["attendance"]["date"]: day_text[registrations["day"].to_numpy()],
            headers["attendance"]["period"]: registrations["period"].to_numpy(),
            headers["attendance"]["code"]: pd.Series(reg_code).map(words).to_numpy(),
        }
    )
    if "hours" in headers["attendance"]:
        attendance.insert(3, headers["attendance"]["hours"], 1)
    grade_text = (
        grades["grade"].map(lambda g: f"{g:.1f}")
        if profile == "canonical"
        else grades["grade"].map(lambda g: decimal(g, "nl"))
    )
    grade_frame = pd.DataFrame(
        {
            headers["grades"]["student_id"]: ids[grades["student"].to_numpy()],
            headers["grades"]["subject"]: np.array(SUBJECTS)[grades["subject"].to_numpy()],
            headers["grades"]["date"]: day_text[grades["day"].to_numpy()],
            headers["grades"]["grade"]: grade_text.to_numpy(),
            headers["grades"]["weight"]: grades["weight"].to_numpy(),
        }
    )
    classes = _classes(cohort, rng)
    mentors = {c: f"MNT{i + 1:02d}" for i, c in enumerate(sorted(set(classes)))}
    base_age = 11 + cohort.year + cohort.repeated + cohort.age_offset
    level_words = (
        cohort.level if profile == "canonical" else np.char.replace(cohort.level.astype(str), "vmbo-gt", "mavo")
    )
    students = pd.DataFrame(
        {
            headers["students"]["student_id"]: ids,
            headers["students"]["level"]: level_words,
            headers["students"]["year"]: cohort.year,
            headers["students"]["age"]: base_age,
            headers["students"]["repeated_years"]: cohort.repeated,
            headers["students"]["moved_down"]: cohort.moved_down,
            headers["students"]["mentor"]: [mentors[c] for c in classes],
            headers["students"]["class"]: classes,
            headers["students"]["audit_gender"]: cohort.gender,
        }
    )
    return {"attendance": attendance, "grades": grade_frame, "students": students}


def _classes(cohort: Cohort, rng: np.random.Generator) -> np.ndarray:
    out = np.empty(len(cohort.ids), dtype=object)
    for level in LEVELS:
        for year in range(1, 7):
            idx = np.flatnonzero((cohort.level == level) & (cohort.year == year))
            if idx.size == 0:
                continue
            n_classes = max(1, round(idx.size / 26))
            letters = np.array([chr(ord("A") + i) for i in range(n_classes)])
            shuffled = rng.permutation(np.resize(letters, idx.size))
            out[idx] = [f"{year}{LEVEL_ABBR[level]}{letter}" for letter in shuffled]
    return out


@dataclass(frozen=True)
class SampleSchool:
    """Generated tables in a profile's headers, ready to write."""

    tables: dict[str, pd.DataFrame]
    profile: str
    as_of: dt.date
    lesson_days: tuple[dt.date, ...] = ()  # written as the school's holiday calendar (vakanties.csv)


def generate(
    students: int = 1000,
    *,
    seed: int = 2026,
    as_of: dt.date = dt.date(2026, 11, 27),
    history_years: int = 0,
    profile: str = "magister",
    attendance_rows: int | None = None,
    grade_rows: int | None = None,
    seasons: bool = False,
) -> SampleSchool:
    """Generate a school; with history_years, that many past school years plus an outcomes table."""
    if profile not in HEADERS or profile == "eduarte":
        raise UsageError(
            msg(
                "the sample generator writes the profiles {join}, not '{profile}'",
                join=", ".join(HEADERS),
                profile=profile,
            )
        )
    if not 1 <= students <= 2_000_000:
        raise UsageError(msg("`students` must be from 1 to 2,000,000"))
    rng = np.random.default_rng(seed)
    id_base = 100000 + (seed % 1000) * 1000
    if history_years:
        return _generate_history(rng, students, as_of, history_years, profile, id_base, seasons)
    cohort = _new_students(rng, students, id_base, year_one=False)
    days = school_days(as_of)
    registrations = registrations_of(rng, cohort, days)
    grades = grades_of(rng, cohort, days, per_subject=1.5)
    if attendance_rows is not None:
        registrations = _resizeregistrations_of(rng, registrations, attendance_rows, len(cohort.ids), len(days))
    if grade_rows is not None:
        grades = _resizegrades_of(rng, cohort, days, grades, grade_rows)
    return SampleSchool(
        _write_tables(cohort, registrations, grades, days, profile, rng, ""),
        profile,
        as_of,
        tuple(pd.to_datetime(days).date),
    )


def _resizeregistrations_of(
    rng: np.random.Generator, frame: pd.DataFrame, rows: int, n: int, n_days: int
) -> pd.DataFrame:
    """Exactly `rows` registrations: absences first, topped up with 'present' registrations of lessons."""
    if len(frame) >= rows:
        keep = np.sort(rng.choice(len(frame), size=rows, replace=False))
        return frame.iloc[keep].reset_index(drop=True)
    extra = rows - len(frame)
    present = pd.DataFrame(
        {
            "student": rng.integers(0, n, extra),
            "day": rng.integers(0, n_days, extra),
            "period": rng.integers(1, LESSONS_PER_DAY + 1, extra),
            "code": "present",
        }
    )
    combined = pd.concat([frame, present], ignore_index=True)
    return combined.sort_values(["day", "student", "period"], kind="stable").reset_index(drop=True)


def _resizegrades_of(
    rng: np.random.Generator, cohort: Cohort, days: np.ndarray, grades: pd.DataFrame, rows: int
) -> pd.DataFrame:
    per_subject = 1.5 * rows / max(len(grades), 1)
    bigger = grades_of(rng, cohort, days, per_subject=per_subject * 1.05)
    if len(bigger) >= rows:
        keep = np.sort(rng.choice(len(bigger), size=rows, replace=False))
        return bigger.iloc[keep].reset_index(drop=True)
    return bigger


def _generate_history(
    rng: np.random.Generator,
    students: int,
    as_of: dt.date,
    history_years: int,
    profile: str,
    id_base: int,
    seasons: bool = False,
) -> SampleSchool:
    """Past school years: the same school, students moving up, leaving and graduating, one as-of a year. With
    `seasons`, each past year runs to its end and a leaver leaves on a lesson day after the as-of date (nothing is
    registered after it; `left_on` in the outcomes), so training can take as-of dates across the year."""
    cohort = _new_students(rng, students, id_base, year_one=False)
    next_id = id_base + students
    headers = HEADERS[profile]
    out: dict[str, list[pd.DataFrame]] = {"attendance": [], "grades": [], "students": [], "outcomes": []}
    lesson_days: list[dt.date] = []  # of every school year, for the school's calendar
    date_fmt = "%Y-%m-%d" if profile == "canonical" else "%d-%m-%Y"
    pending: dict[int, np.datetime64] = {}  # leavers of last year who leave in this one, with their day
    # one school year more than is written goes first, so that the first written year's students have already
    # been through a year of leaving and moving up, as every later year's have (the school is the same every year)
    for k in range(history_years + BURN_IN_YEARS, 0, -1):
        written = k <= history_years
        year_as_of = _same_weekday(dt.date(as_of.year - k, as_of.month, min(as_of.day, 28)), as_of)
        days = school_days(year_end(year_as_of) if seasons else year_as_of)
        at = int(np.searchsorted(days, np.datetime64(year_as_of), side="right"))
        lesson_days += list(pd.to_datetime(days).date) if written else []
        registrations = registrations_of(rng, cohort, days)
        grades = grades_of(rng, cohort, days, per_subject=1.5)
        left = leavers(rng, cohort, registrations, grades, days, at)
        max_year = np.array([LEVEL_YEARS[lv] for lv in cohort.level])
        left_on, carried = None, np.zeros(len(cohort.ids), dtype=bool)
        if seasons:  # each leaver's day; nothing is registered after it
            left_on, left, carried = leaving_days(
                rng, left, cohort.ids, days, year_as_of, pending, cohort.year >= max_year
            )
            registrations, grades = cut_after(registrations, left_on, days), cut_after(grades, left_on, days)
            pending = {int(i): d for i, d in zip(cohort.ids[carried], left_on[carried], strict=True)}
        if written:
            tables = _write_tables(cohort, registrations, grades, days, profile, rng, "")
            tables["students"].insert(1, headers["outcomes"]["as_of"], pd.Timestamp(year_as_of).strftime(date_fmt))
            for name in ("attendance", "grades", "students"):
                out[name].append(tables[name])
            words = headers["outcomes"]
            when = {words["left_on"]: date_texts(left_on, date_fmt)} if left_on is not None else {}
            day = pd.Timestamp(year_as_of).strftime(date_fmt)
            frame = {words["student_id"]: cohort.ids.astype(str), words["as_of"]: day}
            out["outcomes"].append(pd.DataFrame({**frame, words["left_without_qualification"]: left, **when}))
        # Next school year: leavers (but those leaving in it) and graduates go, the rest move up, a new intake arrives.
        stays = ((left == 0) | carried) & (cohort.year < max_year)
        cohort = _take(cohort, stays)
        # repeating a year and moving down a level at the rates a new student's past was drawn with (_new_students)
        repeat = rng.random(len(cohort.ids)) < 0.08 * np.exp(0.6 * cohort.z)
        cohort.year = np.where(repeat, cohort.year, cohort.year + 1)
        cohort.repeated = cohort.repeated + repeat.astype(int)
        down = (cohort.year <= 3) & (rng.random(len(cohort.ids)) < 0.025 * np.exp(0.5 * cohort.z))
        cohort.moved_down = np.maximum(cohort.moved_down, down.astype(int))
        # a student's risk drifts from year to year around their level's, its spread the same every year (so that
        # the school of one year is like the next, and a model of earlier years is calibrated for the latest)
        level_risk = np.array([LEVEL_RISK[lv] for lv in cohort.level])
        cohort.z = level_risk + 0.85 * (cohort.z - level_risk) + rng.normal(0, np.sqrt(1 - 0.85**2), len(cohort.z))
        intake = _new_students(rng, max(students - len(cohort.ids), 0), next_id, year_one=True)
        next_id += len(intake.ids)
        cohort = _concat(cohort, intake)
    # The school year since the last outcome's as-of date, up to as_of: an outcome is known only once its 12
    # months are over, and the export shows those months (ingest.outcomes). Drawn from a child generator, so the
    # years before, their outcomes and a model trained on them are the same as without it.
    follow = rng.spawn(1)[0]
    known = set(np.concatenate([frame.iloc[:, 0].astype(str).to_numpy() for frame in out["outcomes"]]))
    continuing = _take(cohort, np.isin(cohort.ids.astype(str), list(known)))
    days = school_days(as_of)
    lesson_days += list(pd.to_datetime(days).date)
    gone = np.array([pending.get(int(i), np.datetime64("NaT")) for i in continuing.ids], dtype="datetime64[D]")
    tables = _write_tables(
        continuing,
        cut_after(registrations_of(follow, continuing, days), gone, days),
        cut_after(grades_of(follow, continuing, days, per_subject=1.5), gone, days),
        days,
        profile,
        follow,
        "",
    )
    out["attendance"].append(tables["attendance"])
    out["grades"].append(tables["grades"])
    # The roster holds a row per student per as-of date (the documented as_of extension of the contract).
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in out.items()}
    return SampleSchool(tables, profile, as_of, tuple(lesson_days))


def _same_weekday(day: dt.date, like: dt.date) -> dt.date:
    return day + dt.timedelta(days=(like.weekday() - day.weekday()))
