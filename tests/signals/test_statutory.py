"""The statutory reports as DUO keeps them, one test per rule, each on a small export built from the published rule.

Sources (docs/features.md, "The statutory reports"):
- DUO, "Verzuim: hoe het werkt" (verzuim digitaal melden): the report types, begin and end dates, every new 16 hours a
  report of its own, LRV, RMC, luxe verzuim, overig verzuim optional.
- Onderwijsinspectie, "Registreren en melden van ongeoorloofd verzuim": 16 hours of les- of praktijktijd in 4
  consecutive lesson weeks, holidays not counted; report "onverwijld (binnen 5 werkdagen)"; after 16 hours a new
  period starts; under 16, or under 18 without a startkwalificatie.
- Leerplichtwet 1969 art. 21a; Algemene termijnenwet art. 3 (national holidays are no working days).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.helpers import day, load

from riskscreen.errors import ProfileError
from riskscreen.ingest.pipeline import read_exports
from riskscreen.ingest.profile_files import load_profile
from riskscreen.render.statutory import entry_text
from riskscreen.signals.flags import compute_flags
from riskscreen.signals.statutory.states import Recorded, with_states
from riskscreen.signals.statutory.workdays import add_workdays

AS_OF = day(11, 4)  # Friday 20 November 2026


def school(
    folder: Path,
    rows: list[tuple[str, str, int, float, str]],
    *,
    students: list[str] | None = None,
    hours: bool = True,
    periods: bool = True,
    profile: str | None = None,
    holidays: list[tuple[str, str]] = (),
    weeks: int = 12,
) -> Path:  # type: ignore[assignment]
    """A canonical export: rows (student, date, period, hours, code), a late arrival of F1 every week so every week
    is a lesson week, and optionally a roster, a profile and the school's holidays."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(rows) + [("F1", day(w, 2), 1, 1.0, "late") for w in range(weeks)]
    columns = ["student_id", "date", *(["period"] if periods else []), *(["hours"] if hours else []), "code"]
    lines = [",".join(columns)]
    for s, d, p, h, c in rows:
        lines.append(",".join([s, d, *([str(p)] if periods else []), *([str(h)] if hours else []), c]))
    (folder / "attendance.csv").write_text("\n".join(lines) + "\n")
    (folder / "grades.csv").write_text(f"student_id,subject,date,grade,weight\nF1,Engels,{day(0)},7,1\n")
    if students is not None:
        (folder / "students.csv").write_text("\n".join(students) + "\n")
    if profile is not None:
        (folder / "profile.toml").write_text('extends = "canonical"\n' + profile)
    if holidays:
        (folder / "vakanties.csv").write_text("eerste dag;laatste dag\n" + "".join(f"{a};{b}\n" for a, b in holidays))
    return folder


def entries(folder: Path, student: str = "S1", as_of: str = AS_OF) -> list[dict[str, object]]:
    profile = folder / "profile.toml"
    exports, report = read_exports(
        folder,
        today=dt.date(2027, 6, 30),
        as_of=dt.date.fromisoformat(as_of),
        profile=str(profile) if profile.exists() else None,
    )
    assert exports is not None, [p.message for p in report.errors]
    return list(compute_flags(exports).loc[student, "statutory_entries"])


def brief(entry: dict[str, object]) -> tuple[object, ...]:
    return (
        entry["type"],
        entry["compulsory"],
        entry["begin"],
        entry["end"],
        entry["hours"],
        entry["basis"],
        entry["deadline"],
    )


def tuesdays(
    student: str, per_week: dict[int, float], code: str = "unauthorised"
) -> list[tuple[str, str, int, float, str]]:
    return [(student, day(w, 1), 1, h, code) for w, h in per_week.items()]


def lessons(
    student: str, per_day: dict[str, int], code: str = "unauthorised"
) -> list[tuple[str, str, int, float, str]]:
    """One row per lesson: `n` lessons (periods 1..n) on each date."""
    return [(student, d, p, 1.0, code) for d, n in per_day.items() for p in range(1, n + 1)]


def test_16u_begins_on_the_first_absence_and_ends_the_day_16_hours_are_reached(tmp_path: Path) -> None:
    """DUO: begin date the first absence day, end date the day 16 hours were reached; deadline 5 working days."""
    folder = school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4}))
    assert [brief(e) for e in entries(folder)] == [
        ("16u", True, day(1, 1), day(4, 1), 16.0, "export", day(5, 1))
    ]  # Tue 29 Sep -> Tue 6 Oct


def test_16u_lesuren_a_lesson_of_50_minutes_counts_as_an_hour(tmp_path: Path) -> None:
    """Onderwijsinspectie: VO counts a registered lesson of 60 minutes or less as one hour (lesuren): 16 lessons
    of 50 minutes are 16 hours, not 13,3."""
    rows = lessons("S1", {day(w, 1): 4 for w in (1, 2, 3, 4)})
    folder = school(tmp_path, rows, hours=False, profile="lesson_minutes = 50\n")
    assert [brief(e) for e in entries(folder)] == [("16u", True, day(1, 1), day(4, 1), 16.0, "lesuren", day(5, 1))]


def test_16u_lesuren_a_lesson_of_90_minutes_counts_by_its_clock_time(tmp_path: Path) -> None:
    """Onderwijsinspectie: a lesson longer than 60 minutes counts by its clock time: 11 lessons of 90 minutes."""
    rows = lessons("S1", {day(1, 1): 3, day(2, 1): 3, day(3, 1): 3, day(4, 1): 2})
    folder = school(tmp_path, rows, hours=False, profile="lesson_minutes = 90\n")
    assert [brief(e) for e in entries(folder)] == [("16u", True, day(1, 1), day(4, 1), 16.5, "lesuren", day(5, 1))]


def test_16u_klokuren_mbo_counts_clock_hours(tmp_path: Path) -> None:
    """MBO counts clock hours of les- en praktijktijd: 16 lessons of 50 minutes are 13,33 hours, 20 are 16,67."""
    roster = ["student_id,level,age", "M1,mbo-2,17", "M2,mbo-2,17"]
    rows = lessons("M1", {day(w, 1): 4 for w in (1, 2, 3, 4)}) + lessons("M2", {day(w, 1): 5 for w in (1, 2, 3, 4)})
    folder = school(tmp_path, rows, hours=False, students=roster, profile="lesson_minutes = 50\n")
    assert entries(folder, "M1") == []
    assert [brief(e) for e in entries(folder, "M2")] == [
        ("16u", True, day(1, 1), day(4, 1), 16.67, "klokuren", day(5, 1))
    ]


def test_16u_deadline_in_working_days_across_a_school_holiday(tmp_path: Path) -> None:
    """Onverwijld, binnen 5 werkdagen: working days, not lesson days. Reached Friday 16 October before the autumn
    holiday (19-23 October): the deadline is Friday 23 October, inside the holiday."""
    folder = school(
        tmp_path, [("S1", day(w, 4), 1, 4.0, "unauthorised") for w in (3, 4, 5, 6)], holidays=[(day(7, 0), day(7, 4))]
    )
    [entry] = entries(folder)
    assert (entry["end"], entry["deadline"]) == ("2026-10-16", "2026-10-23")


def test_16u_deadline_across_a_national_holiday(tmp_path: Path) -> None:
    """Algemene termijnenwet: Christmas (Friday 25 December) is no working day: reached Monday 21 December, the
    deadline is Tuesday 29 December."""
    folder = school(
        tmp_path, [*tuesdays("S1", {13: 4, 14: 4, 15: 4}), ("S1", day(16, 0), 1, 4.0, "unauthorised")], weeks=17
    )
    [entry] = entries(folder, as_of=day(16, 4))
    assert (entry["end"], entry["deadline"]) == ("2026-12-21", "2026-12-29")
    # Pinkstermaandag: reached Friday 14 May 2027, five working days later is Monday 24 May (17 May skipped)
    assert add_workdays(dt.date(2027, 5, 14)) == dt.date(2027, 5, 24)


def test_16u_restarts_the_day_after_the_end_date_and_a_later_crossing_is_a_vervolgmelding(tmp_path: Path) -> None:
    """Onderwijsinspectie: after 16 hours a new period of 4 weeks begins; DUO: every new 16 hours a report of its
    own. The hours of the end day beyond the 16th are not counted again."""
    folder = school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 6, 5: 4, 6: 4, 7: 4, 8: 4}))
    first, second = entries(folder)
    assert brief(first) == ("16u", True, day(1, 1), day(4, 1), 18.0, "export", day(5, 1))
    assert brief(second) == ("16u", True, day(5, 1), day(8, 1), 16.0, "export", day(9, 1))
    assert (first["follow_up"], second["follow_up"]) == (False, True)


def test_16u_reported_then_4_more_hours_is_nothing_due(tmp_path: Path) -> None:
    folder = school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4, 6: 4}))
    stated = with_states(entries(folder), [Recorded(on="2026-10-01")], AS_OF)
    assert [(e["end"], e["state"], e["reported_on"]) for e in stated] == [(day(4, 1), "reported", "2026-10-01")]


def test_16u_a_late_report_stays_late_with_its_deadline_while_newer_ones_fill(tmp_path: Path) -> None:
    """A report never made is late from the day after its deadline, whatever newer reports come in, and its dates
    and deadline do not move when more weeks of data arrive."""
    rows = tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4, 7: 8, 8: 8})
    folder = school(tmp_path, rows)
    earlier = entries(folder, as_of=day(5, 4))
    later = entries(folder)
    assert brief(later[0]) == brief(earlier[0])
    stated = with_states(later, [], AS_OF)
    assert [(e["end"], e["deadline"], e["state"]) for e in stated] == [
        (day(4, 1), day(5, 1), "late"),
        (day(8, 1), day(9, 1), "late"),
    ]
    assert [e["state"] for e in with_states(later, [], day(8, 3))] == ["late", "due"]


def test_16u_reported_after_its_deadline_is_reported_late(tmp_path: Path) -> None:
    [entry] = with_states(
        entries(school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4}))), [Recorded(on="2026-10-09")], AS_OF
    )
    assert (entry["state"], entry["reported_on"]) == ("reported_late", "2026-10-09")
    assert entry_text(entry, "nl") == (
        "16-urenregel: 16 uur (uit de export) ongeoorloofd, 08-09-2026 t/m "
        "29-09-2026; gemeld op 09-10-2026, te laat: uiterlijk 06-10-2026"
    )


def test_a_recorded_report_covers_the_report_it_names(tmp_path: Path) -> None:
    rows = tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4, 7: 8, 8: 8})
    later = entries(school(tmp_path, rows))
    stated = with_states(later, [Recorded(on=day(8, 3), type="16u", end=day(8, 1))], AS_OF)
    assert [e["state"] for e in stated] == ["late", "reported"]  # the older one, not named, stays late


@pytest.mark.parametrize(
    ("age", "qualified", "expected"),
    [
        ("17", "", ("16u", True, False)),  # kwalificatieplicht: compulsory
        ("18", "", ("rmc18", True, True)),  # RMC 18+: compulsory by DUO, at the region's threshold
        ("23", "", ("16u", False, False)),  # 23 or older: no report, still a signal
        ("16", "ja", ("16u", False, False)),  # a startkwalificatie ends the kwalificatieplicht
        ("15", "ja", ("16u", True, False)),  # under 16 the leerplicht holds, startkwalificatie or not
        ("", "", ("16u", True, False)),  # an unknown age never weakens the rule
    ],
)
def test_age_and_startkwalificatie_decide_the_report(
    tmp_path: Path, age: str, qualified: str, expected: tuple[object, ...]
) -> None:
    """Leerplichtwet art. 21a; Onderwijsinspectie (under 16, or under 18 without a startkwalificatie); DUO (RMC:
    no longer leerplichtig and under 23)."""
    roster = ["student_id,age,startkwalificatie", f"S1,{age},{qualified}"]
    [entry] = entries(school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4}), students=roster))
    assert (entry["type"], entry["compulsory"], entry["regional"]) == expected
    assert (entry["deadline"] is None) is (not expected[1])
    [stated] = with_states([entry], [], AS_OF)
    assert stated["state"] == ("late" if expected[1] else None)


def test_luxe_verzuim_is_a_report_of_its_own_and_verlof_stays_authorised(tmp_path: Path) -> None:
    """DUO: luxe verzuim (a holiday outside the school holidays without leave) is always reported for a student of
    compulsory school age; leave that was granted (verlof) is authorised absence."""
    roster = ["student_id,age", "S1,14", "S2,14", "A1,19"]
    week3 = [day(3, d) for d in range(5)]
    rows = (
        [("S1", d, 1, 6.0, "vakantie zonder toestemming") for d in week3]
        + [("S2", d, 1, 6.0, "verlof") for d in week3]
        + [("A1", d, 1, 6.0, "luxe verzuim") for d in week3]
    )
    folder = school(tmp_path, rows, students=roster)
    assert [brief(e) for e in entries(folder, "S1")] == [
        ("luxe", True, day(3, 0), day(3, 4), 30.0, "export", day(4, 0))
    ]
    assert entries(folder, "S2") == []
    # an adult's unauthorised holiday is unauthorised absence of the RMC report
    assert [brief(e)[:5] for e in entries(folder, "A1")] == [("rmc18", True, day(3, 0), day(3, 2), 18.0)]


def test_lrv_after_more_than_4_lesson_weeks_of_continuous_absence(tmp_path: Path) -> None:
    """DUO: langdurig relatief verzuim, unauthorised absence of more than 4 weeks: one report from the first day
    away; before it, while the absence is continuous, at most one 16-hour report per 7 calendar days."""
    rows = [("S1", day(w, d), 1, 5.0, "unauthorised") for w in range(1, 7) for d in range(5)]
    found = entries(school(tmp_path, rows), as_of=day(6, 4))
    assert [(e["type"], e["begin"], e["end"], e["reached"]) for e in found] == [
        ("16u", day(1, 0), day(1, 3), day(1, 3)),
        ("16u", day(1, 4), day(2, 3), day(2, 3)),  # 20 hours by Wednesday, reported a week after the first
        ("16u", day(2, 4), day(3, 3), day(3, 3)),
        ("16u", day(3, 4), day(4, 3), day(4, 3)),
        ("lrv", day(1, 0), None, day(5, 0)),  # ongoing: no end date yet; no more 16-hour reports
    ]
    assert found[-1]["compulsory"] and found[-1]["deadline"] == day(6, 0)


def test_without_lesson_numbers_every_row_counts(tmp_path: Path) -> None:
    """Missing data never weakens the rule: without a lesson-number column two rows of one day are two lessons."""
    rows = [("S1", day(w, 1), 0, 1.0, "unauthorised") for w in (1, 2, 3, 4) for _ in range(4)]
    folder = school(tmp_path, rows, periods=False, hours=False)
    exports, report = read_exports(folder, today=dt.date(2026, 11, 30), as_of=dt.date.fromisoformat(AS_OF))
    assert exports is not None and not [p for p in report.problems if p.rule == "duplicate registration"]
    assert (
        "no lesson-number column: every row counts as one lesson, also rows that look the same" in report.files[0].notes
    )
    [entry] = list(compute_flags(exports).loc["S1", "statutory_entries"])
    assert (entry["hours"], entry["end"]) == (16.0, day(4, 1))


def test_mazl_shows_the_spells_own_dates_and_the_first_step(tmp_path: Path) -> None:
    """M@ZL: a sick spell longer than 6 school days, or 4 spells in 12 lesson weeks; the first step is a talk with
    the student (and, for a minor, the parents), then the jeugdarts."""
    roster = ["student_id,age", "S1,15", "S2,19"]
    rows = [("S1", d, 1, 6.0, "sick") for d in [day(5, k) for k in range(5)] + [day(6, k) for k in range(3)]] + [
        ("S2", day(w, 1), 1, 6.0, "sick") for w in (3, 5, 7, 9)
    ]
    folder = school(tmp_path, rows, students=roster)
    [long] = entries(folder, "S1")
    assert (long["type"], long["begin"], long["end"], long["count"], long["hours"]) == (
        "mazl",
        day(5, 0),
        day(6, 2),
        1,
        48.0,
    )
    assert entry_text(long, "nl") == (
        "zorgelijk ziekteverzuim (M@ZL): ziek 05-10-2026 t/m 14-10-2026; eerste "
        "stap: gesprek met de leerling en de ouders, daarna de jeugdarts"
    )
    [spells] = entries(folder, "S2")
    assert entry_text(spells, "nl") == (
        "zorgelijk ziekteverzuim (M@ZL): 4 ziekmeldingen, 22-09-2026 t/m "
        "03-11-2026; eerste stap: gesprek met de jongere, daarna de jeugdarts"
    )


def test_overig_verzuim_from_the_verzuimkaart_is_optional(tmp_path: Path) -> None:
    """DUO: overig verzuim may be reported; the region's verzuimkaart sets when (here: 3 late arrivals in 4
    lesson weeks)."""
    rows = [("S1", day(w, 0), 1, 1.0, "late") for w in (2, 3, 4)]
    [entry] = entries(school(tmp_path, rows, profile="[flags]\noverig_late = 3\n"))
    assert (entry["type"], entry["compulsory"], entry["count"], entry["deadline"]) == ("overig", False, 3, None)
    assert entries(school(tmp_path / "off", rows)) == []


def test_a_bbl_students_report_says_time_at_the_employer_is_not_counted(tmp_path: Path) -> None:
    roster = ["student_id,level,leerweg,age", "S1,mbo-2,BBL,17"]
    [entry] = entries(school(tmp_path, tuesdays("S1", {1: 4, 2: 4, 3: 4, 4: 4}), students=roster))
    assert entry["note"] == "bbl"
    assert entry_text(entry, "nl").endswith("; BBL: de tijd bij de werkgever staat niet in de export")


@pytest.mark.parametrize(
    ("roster", "column", "message"),
    [
        (["student_id,age", "S1,200"], "age", "not an age from 10 to 30"),
        (["student_id,age", "S1,-1"], "age", "not an age from 10 to 30"),
        (["student_id,startkwalificatie", "S1,misschien"], "startkwalificatie", "not a yes/no value"),
        (["student_id,leerweg", "S1,avond"], "leerweg", "unknown leerweg: 'avond' (1x)"),
    ],
)
def test_bad_roster_values_are_clear_errors(tmp_path: Path, roster: list[str], column: str, message: str) -> None:
    folder = school(tmp_path, tuesdays("S1", {1: 4}), students=roster)
    exports, report = read_exports(folder, today=dt.date(2026, 11, 30))
    assert exports is None
    assert [(p.column, p.message, p.rows) for p in report.errors] == [(column, message, (2,))]


def test_a_lesson_length_of_0_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zero.toml"
    path.write_text('extends = "canonical"\nlesson_minutes = 0\n')
    with pytest.raises(ProfileError, match="lesson_minutes must be a number of minutes from 10 to 120"):
        load_profile(str(path))
    path.write_text('extends = "canonical"\nhours_basis = "dagdelen"\n')
    with pytest.raises(ProfileError, match="hours_basis 'dagdelen' is not known"):
        load_profile(str(path))


def test_an_unreadable_export_fails_validation_by_name_and_other_files_are_listed(tmp_path: Path) -> None:
    folder = school(tmp_path, tuesdays("S1", {1: 4}))
    (folder / "absenties-oud.xls").write_bytes(b"\xd0\xcf\x11\xe0 not readable here")
    (folder / "notities.txt").write_text("bel maandag terug\n")
    exports, report = read_exports(folder, today=dt.date(2026, 11, 30))
    assert exports is None
    assert [(p.file, p.rule, p.message) for p in report.errors] == [
        (
            "absenties-oud.xls",
            "unreadable file",
            "named like the attendance export, but riskscreen cannot read .xls files",
        )
    ]
    assert report.ignored == [str(folder / "notities.txt")]


def test_an_export_without_absences_says_the_rule_cannot_be_determined(tmp_path: Path) -> None:
    exports, report = read_exports(school(tmp_path, []), today=dt.date(2026, 11, 30))
    assert exports is not None
    assert [(p.severity, p.rule) for p in report.problems] == [("warning", "no absences")]


def test_a_blank_hours_cell_is_an_error_never_a_default(tmp_path: Path) -> None:
    folder = school(tmp_path, tuesdays("S1", {1: 4}))
    text = (folder / "attendance.csv").read_text().replace(f"S1,{day(1, 1)},1,4,", f"S1,{day(1, 1)},1,,")
    assert f"S1,{day(1, 1)},1,,unauthorised" in text
    (folder / "attendance.csv").write_text(text)
    exports, report = read_exports(folder, today=dt.date(2026, 11, 30))
    assert exports is None
    assert [(p.column, p.message) for p in report.errors] == [
        ("hours", "no hours given: the 16-hour rule cannot count this registration")
    ]


def test_the_sample_school_is_unchanged_by_a_repeat_of_the_walk() -> None:
    """The walk starts on 1 August of the school year: the same reports whatever the first registration."""
    exports = load(Path(__file__).parents[2] / "sample_data")
    flags = compute_flags(exports)
    counts: dict[str, int] = {}
    for mine in flags["statutory_entries"]:
        for e in mine:
            counts[str(e["type"])] = counts.get(str(e["type"]), 0) + 1
    assert counts == {"16u": 18, "rmc18": 6, "mazl": 8}
    assert int(flags["verzuim_16u"].sum()) == 13


# ------------------------------------------------------------------------------------- the reports as data
CONTRACT = [
    "type",
    "compulsory",
    "begin",
    "end",
    "hours",
    "basis",
    "deadline",
    "state",
    "reached",
    "reported_on",
    "follow_up",
    "regional",
    "count",
    "note",
]
SAMPLE = Path(__file__).parents[2] / "sample_data"


def cli(*args: object) -> object:
    from typer.testing import CliRunner

    from riskscreen.cli import app

    return CliRunner().invoke(app, [str(a) for a in args])


def test_score_json_gives_every_student_the_statutory_contract() -> None:
    """docs/outputs.md: the keys of a statutory entry are a contract."""
    import json

    result = cli("score", SAMPLE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    students = {s["student_id"]: s for s in json.loads(result.stdout)["students"]}
    assert all(list(e) == CONTRACT for s in students.values() for e in s["statutory"])
    assert {e["type"] for s in students.values() for e in s["statutory"]} == {"16u", "rmc18", "mazl"}
    assert students["126204"]["statutory"][:2] == [
        {
            "type": "16u",
            "compulsory": True,
            "begin": "2026-08-26",
            "end": "2026-09-14",
            "hours": 16.0,
            "basis": "lesuren",
            "deadline": "2026-09-21",
            "state": "late",
            "reached": "2026-09-14",
            "reported_on": None,
            "follow_up": False,
            "regional": False,
            "count": None,
            "note": None,
        },
        {
            "type": "16u",
            "compulsory": True,
            "begin": "2026-09-25",
            "end": "2026-10-28",
            "hours": 17.0,
            "basis": "lesuren",
            "deadline": "2026-11-04",
            "state": "late",
            "reached": "2026-10-28",
            "reported_on": None,
            "follow_up": True,
            "regional": False,
            "count": None,
            "note": None,
        },
    ]
    mazl = [e for s in students.values() for e in s["statutory"] if e["type"] == "mazl"]
    assert all(e["deadline"] is None and e["state"] is None and not e["compulsory"] for e in mazl)


def test_the_verzuimloket_worklist_and_recording_a_report(tmp_path: Path) -> None:
    import json

    ws = tmp_path / "ws"
    listed = cli("shortlist", SAMPLE, "--workspace", ws, "-f", "json", "--store")
    assert listed.exit_code == 0, listed.stderr
    doc = json.loads(listed.stdout)
    deadlines = [r["deadline"] or "9999" for r in doc["open_reports"]]  # M@ZL signals have none: last
    assert deadlines == sorted(deadlines) and deadlines[0] == "2026-09-21"
    assert [r["type"] for r in doc["open_reports"]].count("mazl") == 8
    due = cli("actions", "due", "--workspace", ws, "-f", "json")
    assert due.exit_code == 0, due.stderr
    rows = json.loads(due.stdout)
    assert len(rows) == 24 and "24 melding(en) te doen, volgens de lijst van 27-11-2026" in due.stderr
    assert rows[0] == {
        "deadline": "2026-09-21",
        "state": "late",
        "student_id": "126204",
        "group": "mentor:MNT03",
        "type": "16u",
        "begin": "2026-08-26",
        "end": "2026-09-14",
        "hours": 16.0,
        "basis": "lesuren",
    }
    assert rows[-1]["state"] == "due" and rows[-1]["deadline"] == "2026-12-04"  # today is 30 November
    # for a person: at 80 columns a block per report, no date cut; wide, a table
    from typer.testing import CliRunner

    from riskscreen.cli import app

    narrow = CliRunner().invoke(app, ["actions", "due", "--workspace", str(ws)], env={"COLUMNS": "80"})
    assert narrow.stdout.splitlines()[:2] == [
        "21-09-2026  TE LAAT  126204 (MNT03)  16-urenregel",
        "            26-08-2026 t/m 14-09-2026, 16 lesuren",
    ]
    assert narrow.stdout.splitlines()[-2:] == [
        "04-12-2026  melden  126743 (MNT24)  18+ verzuim (RMC)",
        "            13-11-2026 t/m 27-11-2026, 16 lesuren",
    ]
    wide = CliRunner().invoke(app, ["actions", "due", "--workspace", str(ws)], env={"COLUMNS": "140"})
    assert "│ 21-09-2026 │ TE LAAT │ 126204   │ MNT03  │ 16-urenregel" in wide.stdout
    # without --end the oldest open report; with --end the one named; a report that is not open is refused
    first = cli("actions", "reported", "126204", "--on", "2026-11-27", "--workspace", ws)
    assert first.exit_code == 0, first.stderr
    assert (
        "vastgelegd: de 16-urenmelding tot en met 14-09-2026 van leerling 126204 gemeld op 27-11-2026" in first.stderr
    )
    named = cli("actions", "reported", "126774", "--on", "2026-11-27", "--end", "2026-10-30", "--workspace", ws)
    assert named.exit_code == 0, named.stderr
    wrong = cli("actions", "reported", "126774", "--on", "2026-11-27", "--end", "2026-10-05", "--workspace", ws)
    assert wrong.exit_code == 2
    assert "leerling '126774' heeft op 27-11-2026 geen open melding die past" in wrong.stderr
    after = json.loads(cli("actions", "due", "--workspace", ws, "-f", "json").stdout)
    assert len(after) == 22
    assert [(r["student_id"], r["end"]) for r in after if r["student_id"] in {"126204", "126774"}] == [
        ("126774", "2026-09-15"),
        ("126204", "2026-10-28"),
        ("126204", "2026-11-16"),
    ]
    # the next list shows the first as reported late, the named one as reported late too, the others still late
    again = json.loads(cli("shortlist", SAMPLE, "--workspace", ws, "--no-history", "-f", "json").stdout)
    states = {
        s["student_id"]: [(e["end"], e["state"], e["reported_on"]) for e in s["statutory"] if e["type"] != "mazl"]
        for s in again["students"]
    }
    assert states["126204"] == [
        ("2026-09-14", "reported_late", "2026-11-27"),
        ("2026-10-28", "late", None),
        ("2026-11-16", "late", None),
    ]
    assert states["126774"] == [("2026-09-15", "late", None), ("2026-10-30", "reported_late", "2026-11-27")]


def test_the_list_says_when_the_16_hour_rule_cannot_be_determined(tmp_path: Path) -> None:
    folder = school(tmp_path / "late-only", [("S1", day(w, 1), 1, 1.0, "late") for w in range(12)])
    listed = cli("shortlist", folder, "--workspace", tmp_path / "ws", "--no-history", "-f", "md")
    assert listed.exit_code == 0, listed.stderr
    assert (
        "> 16-urenregel niet te bepalen: de export van afwezigheid bevat geen afwezigheid, alleen te laat, "
        "uitgestuurd of aanwezig; exporteer ook de afwezigheid"
    ) in listed.stdout
    checked = cli("validate", folder)
    assert "de 16-urenregel is niet te bepalen" in checked.stdout
    (folder / "notities.txt").write_text("bel maandag terug\n")
    from typer.testing import CliRunner

    from riskscreen.cli import app

    wide = CliRunner().invoke(app, ["validate", str(folder)], env={"COLUMNS": "400"})  # a long tmp path unwrapped
    assert f"niet gelezen: {folder / 'notities.txt'} (geen export herkend)" in wide.stdout


def test_the_regions_rmc_threshold_is_a_workspace_setting(tmp_path: Path) -> None:
    """DUO's RMC report follows the regional agreement: a region may agree on fewer hours than 16."""
    import json

    roster = ["student_id,age", "A1,19"]
    folder = school(tmp_path / "x", tuesdays("A1", {1: 4, 2: 4, 3: 4}), students=roster)
    ws = tmp_path / "ws"
    assert cli("init", "--school", "04AB", "--workspace", ws, "--no-config").exit_code == 0
    plain = json.loads(
        cli("shortlist", folder, "--workspace", ws, "--school", "04AB", "--no-history", "-f", "json").stdout
    )
    assert [s for s in plain["students"] if s["student_id"] == "A1"] == []  # 12 hours: no RMC report at 16
    settings = ws / "04AB" / "settings.toml"
    settings.write_text(settings.read_text() + "rmc_hours = 12\n")
    agreed = json.loads(
        cli("shortlist", folder, "--workspace", ws, "--school", "04AB", "--no-history", "-f", "json").stdout
    )
    [student] = [s for s in agreed["students"] if s["student_id"] == "A1"]
    assert [(e["type"], e["end"], e["hours"], e["regional"]) for e in student["statutory"]] == [
        ("rmc18", day(3, 1), 12.0, True)
    ]
    settings.write_text(settings.read_text() + "rmc_hours = 20\n")
    refused = cli("shortlist", folder, "--workspace", ws, "--school", "04AB", "--no-history")
    assert refused.exit_code != 0
