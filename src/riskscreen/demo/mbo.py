"""A deterministic synthetic MBO location in Eduarte's headers: students of 16 to 24 at levels 1-4, BOL and BBL,
some with a startkwalificatie already, and a few with luxe verzuim before the autumn holiday. Invented data.

It uses the VO sample's registrations and grades (riskscreen.demo.sample), with MBO levels, ages and programmes; a
BBL student is at school one or two days a week, so fewer of their lessons are registered."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from riskscreen.demo.calendar import holidays, school_days, school_year_start
from riskscreen.demo.headers import CODE_WORDS, HEADERS
from riskscreen.demo.sample import Cohort, SampleSchool, grades_of, registrations_of
from riskscreen.errors import UsageError, msg
from riskscreen.i18n import decimal

LEVELS = ("mbo-1", "mbo-2", "mbo-3", "mbo-4")
LEVEL_SHARE = (0.08, 0.27, 0.30, 0.35)
LEVEL_YEARS = {"mbo-1": 1, "mbo-2": 2, "mbo-3": 3, "mbo-4": 3}
LEVEL_RISK = {"mbo-1": 0.6, "mbo-2": 0.35, "mbo-3": 0.1, "mbo-4": -0.1}
PROGRAMMES = {  # level -> (programme, crebo, group prefix)
    "mbo-1": (("Entree - assistent logistiek", "25250", "EL"),),
    "mbo-2": (("Logistiek medewerker", "25893", "LM"), ("Verkoopmedewerker", "25663", "VM")),
    "mbo-3": (("Verzorgende IG", "25491", "VZ"), ("Pedagogisch medewerker", "25698", "PM")),
    "mbo-4": (("Software developer", "25998", "SD"), ("Ondernemer", "25592", "ON")),
}
LUXE_SHARE = 0.03


def generate_mbo(students: int = 300, *, seed: int = 2026, as_of: dt.date = dt.date(2026, 11, 27)) -> SampleSchool:
    """An MBO location's exports as of a date (no history: the model is trained on VO histories)."""
    if not 1 <= students <= 200_000:
        raise UsageError(msg("`students` must be from 1 to 200,000 for an MBO location"))
    rng = np.random.default_rng(seed + 7)
    n = students
    level = rng.choice(np.array(LEVELS), size=n, p=LEVEL_SHARE)
    year = rng.integers(1, np.array([LEVEL_YEARS[lv] for lv in level]) + 1)
    z = rng.standard_normal(n) + np.array([LEVEL_RISK[lv] for lv in level])
    repeated = np.minimum(rng.poisson(0.06 * np.exp(0.6 * z) * year), 2)
    cohort = Cohort(
        np.arange(300000 + (seed % 1000) * 1000, 300000 + (seed % 1000) * 1000 + n),
        level,
        year,
        repeated,
        np.zeros(n, dtype=int),
        rng.choice(np.array(["m", "v", "x"]), size=n, p=[0.5, 0.48, 0.02]),
        z,
        np.zeros(n, dtype=int),
    )
    # an older student came back to school later: 16 to 24
    age = np.minimum(
        15
        + year
        + repeated
        + (rng.random(n) < 0.3)
        + rng.binomial(5, 0.12, n)
        + (rng.random(n) < 0.12) * rng.integers(2, 6, n),
        24,
    )
    bbl = (rng.random(n) < 0.25) & (level != "mbo-1")
    # a diploma at mbo-2 or higher (or havo) from before: most often among older students of levels 3 and 4
    qualified = (np.isin(level, ["mbo-3", "mbo-4"]) & (age >= 19) & (rng.random(n) < 0.45)) | (
        (level == "mbo-4") & (rng.random(n) < 0.08)
    )
    days = school_days(as_of)
    registrations = registrations_of(rng, cohort, days)
    # a BBL student is at school one or two days a week: keep their registrations of those days only
    at_school = np.isin((days.astype("datetime64[D]").view("int64") - 4) % 7, [1, 3])
    keep = ~bbl[registrations["student"].to_numpy()] | at_school[registrations["day"].to_numpy()]
    registrations = pd.concat([registrations.loc[keep], _luxe(rng, n, days, as_of)], ignore_index=True)
    registrations = registrations.sort_values(["student", "day", "period"], kind="stable").reset_index(drop=True)
    grades = grades_of(rng, cohort, days, per_subject=1.0)
    return SampleSchool(
        _tables(rng, cohort, age, bbl, qualified, registrations, grades, days),
        "eduarte",
        as_of,
        tuple(pd.to_datetime(days).date),
    )


def _luxe(rng: np.random.Generator, n: int, days: np.ndarray, as_of: dt.date) -> pd.DataFrame:
    """A few students stay away the last three lesson days before the autumn holiday, without leave."""
    autumn = np.datetime64(holidays(school_year_start(as_of))[0][0])
    before = np.flatnonzero(days < autumn)[-3:]
    if before.size == 0 or days[-1] < autumn:
        return pd.DataFrame(columns=["student", "day", "period", "code"])
    who = np.flatnonzero(rng.random(n) < LUXE_SHARE)
    s, d = np.repeat(who, before.size * 6), np.tile(np.repeat(before, 6), who.size)
    return pd.DataFrame(
        {"student": s, "day": d, "period": np.tile(np.arange(1, 7), who.size * before.size), "code": "luxe"}
    )


def _tables(
    rng: np.random.Generator,
    cohort: Cohort,
    age: np.ndarray,
    bbl: np.ndarray,
    qualified: np.ndarray,
    registrations: pd.DataFrame,
    grades: pd.DataFrame,
    days: np.ndarray,
) -> dict[str, pd.DataFrame]:
    headers, words = HEADERS["eduarte"], CODE_WORDS["eduarte"]
    day_text = pd.Series(pd.DatetimeIndex(days)).dt.strftime("%d-%m-%Y").to_numpy()
    ids = cohort.ids.astype(str)
    # one registration per lesson: a luxe day replaces what else was drawn for it
    registrations = (
        registrations.assign(_p=(registrations["code"] != "luxe").astype(int))
        .sort_values(["student", "day", "period", "_p"], kind="stable")
        .drop_duplicates(["student", "day", "period"])
    )
    attendance = pd.DataFrame(
        {
            headers["attendance"]["student_id"]: ids[registrations["student"].to_numpy()],
            headers["attendance"]["date"]: day_text[registrations["day"].to_numpy()],
            headers["attendance"]["period"]: registrations["period"].to_numpy(),
            headers["attendance"]["code"]: registrations["code"].map(words).to_numpy(),
        }
    )
    products = np.array(
        [
            "Nederlands 2F",
            "Engels A2",
            "Rekenen 2F",
            "Loopbaan en burgerschap",
            "Beroepspraktijk",
            "Vakkennis 1",
            "Vakkennis 2",
            "Keuzedeel",
            "Praktijkopdracht",
            "Engels B1",
        ]
    )
    grade_frame = pd.DataFrame(
        {
            headers["grades"]["student_id"]: ids[grades["student"].to_numpy()],
            headers["grades"]["subject"]: products[grades["subject"].to_numpy() % len(products)],
            headers["grades"]["date"]: day_text[grades["day"].to_numpy()],
            headers["grades"]["grade"]: grades["grade"].map(lambda g: decimal(g, "nl")).to_numpy(),
            headers["grades"]["weight"]: grades["weight"].to_numpy(),
        }
    )
    choice = [PROGRAMMES[lv][int(rng.integers(len(PROGRAMMES[lv])))] for lv in cohort.level]
    groups = np.array([f"{p[2]}{y}{'B' if b else 'A'}" for p, y, b in zip(choice, cohort.year, bbl, strict=True)])
    coaches = {g: f"SLB{i + 1:02d}" for i, g in enumerate(sorted(set(groups)))}
    students = pd.DataFrame(
        {
            headers["students"]["student_id"]: ids,
            headers["students"]["level"]: [f"Niveau {lv[-1]}" for lv in cohort.level],
            headers["students"]["year"]: cohort.year,
            headers["students"]["age"]: age,
            headers["students"]["mentor"]: [coaches[g] for g in groups],
            headers["students"]["class"]: groups,
            headers["students"]["leerweg"]: np.where(bbl, "BBL", "BOL"),
            headers["students"]["startkwalificatie"]: np.where(qualified, "Ja", "Nee"),
            headers["students"]["programme"]: [p[0] for p in choice],
            headers["students"]["crebo"]: [p[1] for p in choice],
            headers["students"]["cohort"]: 2026 - cohort.year + 1,
            headers["students"]["audit_gender"]: cohort.gender,
        }
    )
    return {"attendance": attendance, "grades": grade_frame, "students": students}
