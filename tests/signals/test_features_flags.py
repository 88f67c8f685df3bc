"""Features and flags on hand-made schools: exact values, windows, holidays, and the as-of cut-off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.helpers import day, load, write_school

from riskscreen.render.scores import result_notes
from riskscreen.signals.feature_table import build_features
from riskscreen.signals.features import FEATURE_NAMES
from riskscreen.signals.flags import FlagRules, compute_flags

AS_OF = day(11, 4)  # Friday of the 12th week


def hours_in_weeks(student: str, per_week: dict[int, float]) -> list[tuple[str, str, int, float, str]]:
    return [(student, day(w, 1), 1, h, "unauthorised") for w, h in per_week.items()]


@pytest.mark.parametrize(
    ("per_week", "fires", "hours"),
    [
        ({8: 4, 9: 4, 10: 4, 11: 4}, True, 16.0),  # exactly 16 in 4 lesson weeks
        ({8: 4, 9: 4, 10: 4, 11: 3.5}, False, 15.5),  # 15.5 is not enough
        ({7: 8, 11: 8}, False, 8.0),  # 16 spread over 5 weeks: no 4-week window holds it
        ({4: 10, 5: 6}, True, 16.0),  # an earlier window within the lookback counts
    ],
)
def test_the_16_hour_rule(tmp_path: Path, per_week: dict[int, float], fires: bool, hours: float) -> None:
    exports = load(write_school(tmp_path, hours_in_weeks("S1", per_week), filler_weeks=12), AS_OF)
    flags = compute_flags(exports)
    assert bool(flags.loc["S1", "verzuim_16u"]) is fires
    assert flags.loc["S1", "verzuim_hours"] == hours
    if fires:
        assert flags.loc["S1", "verzuim_to"] >= flags.loc["S1", "verzuim_from"]


def test_a_holiday_week_of_the_school_calendar_is_not_a_lesson_week(tmp_path: Path) -> None:
    # Week 8 is a holiday in the school's vakanties.csv. Weeks 6, 7, 9, 10 are 4 consecutive lesson weeks.
    filler = [("F1", day(w, 2), 1, 1.0, "late") for w in range(12) if w != 8]
    write_school(tmp_path, hours_in_weeks("S1", {6: 4, 7: 4, 9: 4, 10: 4}) + filler)
    (tmp_path / "vakanties.csv").write_text(f"eerste dag;laatste dag\n{day(8, 0)};{day(8, 4)}\n")
    exports = load(tmp_path, AS_OF)
    assert exports.holiday_source == "vakanties.csv" and exports.holidays == ((day(8, 0), day(8, 4)),)
    flags = compute_flags(exports)
    assert bool(flags.loc["S1", "verzuim_16u"])
    # DUO: the report begins on the first absence day (Tuesday of week 6) and ends on the day the 16 hours were
    # reached (Tuesday of week 10): four lesson weeks, the holiday stepped over
    assert (flags.loc["S1", "verzuim_from"], flags.loc["S1", "verzuim_to"]) == (day(6, 1), day(10, 1))


def test_without_a_calendar_an_export_of_absences_counts_every_week(tmp_path: Path) -> None:
    """The same absences without a calendar: week 8, in which no one happened to be absent, is a lesson week,
    so the 16 hours lie in five lesson weeks and no statutory flag is raised (a flag can be missed, never made)."""
    from riskscreen.signals.attendance import calendar_basis

    filler = [("F1", day(w, 2), 1, 1.0, "late") for w in range(12) if w != 8]
    exports = load(write_school(tmp_path, hours_in_weeks("S1", {6: 4, 7: 4, 9: 4, 10: 4}) + filler), AS_OF)
    assert calendar_basis(exports) == "every_week"
    flags = compute_flags(exports)
    assert not bool(flags.loc["S1", "verzuim_16u"]) and flags.loc["S1", "verzuim_hours"] == 12.0


def test_an_export_with_presence_infers_its_holidays_and_says_so(tmp_path: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    from riskscreen.scoring.score import score
    from riskscreen.signals.attendance import calendar_basis

    # registrations of presence of the whole (small) school in every week but week 8: week 8 was a holiday
    present = [(f"P{k}", day(w, d), 1, 1.0, "present") for k in range(3) for w in range(12) if w != 8 for d in range(5)]
    exports = load(write_school(tmp_path, hours_in_weeks("S1", {6: 4, 7: 4, 9: 4, 10: 4}) + present), AS_OF)
    assert (calendar_basis(exports), exports.presence_rows) == ("presence", 165)
    flags = compute_flags(exports)
    assert bool(flags.loc["S1", "verzuim_16u"])
    assert (flags.loc["S1", "verzuim_from"], flags.loc["S1", "verzuim_to"]) == (day(6, 1), day(10, 1))
    result = score(exports, demo_model)
    assert result.calendar_basis == "presence"
    assert result_notes(result, "nl")[-1] == (
        "Lesweken afgeleid uit de registraties van aanwezigheid (er is geen "
        "vakantierooster): een week zonder registraties telt als vakantie."
    )


def test_an_export_of_one_class_without_a_calendar_raises_no_false_statutory_flag(tmp_path: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    """The review's case: an absence-only export of a class, 8 unauthorised hours on 07-09-2026 and 8 on
    26-10-2026. Empty weeks were taken for holidays, which made eight real lesson weeks look like four."""
    from riskscreen.scoring.score import score

    rows = [
        ("S1", "2026-09-07", 1, 8.0, "unauthorised"),
        ("S1", "2026-10-26", 1, 8.0, "unauthorised"),
        ("S2", "2026-09-14", 1, 1.0, "late"),
    ]
    exports = load(write_school(tmp_path, rows), "2026-10-30")
    flags = compute_flags(exports)
    assert not bool(flags.loc["S1", "verzuim_16u"]) and flags.loc["S1", "verzuim_hours"] == 8.0
    note = result_notes(score(exports, demo_model), "nl")[-1]
    assert note.startswith(
        "Let op: er is geen vakantierooster en de export bevat alleen afwezigheid, dus elke week telt als lesweek"
    )


@pytest.mark.parametrize(
    ("second", "fires"),
    [
        (day(5, 1), True),  # Wednesday 09-09 and Tuesday 06-10: 27 days, within four lesson weeks
        (day(5, 2), False),  # Wednesday 09-09 and Wednesday 07-10: four weeks and a day
    ],
)
def test_the_window_is_any_four_lesson_weeks_not_calendar_blocks(tmp_path: Path, second: str, fires: bool) -> None:
    rows = [("S1", day(1, 2), 1, 8.0, "unauthorised"), ("S1", second, 1, 8.0, "unauthorised")]
    exports = load(write_school(tmp_path, rows, filler_weeks=12), AS_OF)
    flags = compute_flags(exports)
    assert bool(flags.loc["S1", "verzuim_16u"]) is fires
    assert flags.loc["S1", "verzuim_hours"] == (16.0 if fires else 8.0)
    if fires:
        assert (flags.loc["S1", "verzuim_from"], flags.loc["S1", "verzuim_to"]) == ("2026-09-09", "2026-10-06")
        # the 16th hour came on Tuesday 6 October: report within five school days, by Tuesday 13 October
        assert (flags.loc["S1", "verzuim_reached"], flags.loc["S1", "verzuim_deadline"]) == ("2026-10-06", "2026-10-13")


def test_custom_thresholds(tmp_path: Path) -> None:
    exports = load(write_school(tmp_path, hours_in_weeks("S1", {10: 5, 11: 5}), filler_weeks=12), AS_OF)
    assert not compute_flags(exports).loc["S1", "verzuim_16u"]
    assert compute_flags(exports, rules=FlagRules(verzuim_hours=10, verzuim_weeks=2)).loc["S1", "verzuim_16u"]


def test_worrying_sick_leave(tmp_path: Path) -> None:
    spells = [("S1", day(w, 0), 1, 1.0, "sick") for w in (2, 4, 6, 8)]  # 4 separate spells
    long_spell = [("S2", day(5, d % 5) if d < 5 else day(6, d - 5), 1, 1.0, "sick") for d in range(7)]  # 7 days
    short = [("S3", day(5, d), 1, 1.0, "sick") for d in range(3)]
    exports = load(write_school(tmp_path, spells + long_spell + short, filler_weeks=12), AS_OF)
    flags = compute_flags(exports)
    assert flags.loc[["S1", "S2", "S3"], "sick_spells"].tolist() == [4.0, 1.0, 1.0]
    assert flags.loc[["S1", "S2", "S3"], "longest_sick_spell_days"].tolist() == [1.0, 7.0, 3.0]
    assert flags.loc[["S1", "S2", "S3"], "ziekteverzuim"].tolist() == [True, True, False]


def test_exact_feature_values(tmp_path: Path) -> None:
    attendance = [
        ("S1", day(11, 0), 1, 2.0, "unauthorised"),
        ("S1", day(9, 0), 1, 1.0, "unauthorised"),
        ("S1", day(3, 0), 1, 3.0, "unauthorised"),
        ("S1", day(10, 1), 2, 1.0, "late"),
        ("S1", day(2, 1), 2, 1.0, "late"),
        ("S1", day(5, 2), 1, 1.0, "removed"),
        ("S1", day(1, 2), 1, 2.0, "authorised"),
        ("S1", day(6, 0), 1, 6.0, "sick"),
        ("S1", day(6, 1), 1, 6.0, "sick"),
    ]
    grades = [
        ("S1", "Engels", day(10), 4.0, 2.0),
        ("S1", "Engels", day(2), 6.0, 1.0),
        ("S1", "Biologie", day(9), 8.0, 1.0),
        ("S1", "Wiskunde", day(1), 5.0, 1.0),
    ]
    students = [
        "student_id,level,year,age,repeated_years,moved_down,mentor,class,audit_gender",
        "S1,havo,3,16,1,0,M1,3HA,v",
        "F1,vwo,1,12,0,0,M2,1VA,m",
    ]
    exports = load(write_school(tmp_path, attendance, grades, students, filler_weeks=12), AS_OF)
    f = build_features(exports).loc["S1"]
    assert f["unauthorised_hours_4w"] == 3.0
    assert f["unauthorised_hours_12w"] == 6.0
    assert f["authorised_hours_12w"] == 2.0
    assert f["sick_hours_12w"] == 12.0
    assert f["sick_spells_12w"] == 1.0
    assert f["late_4w"] == 1.0
    assert f["removed_12w"] == 1.0
    # absence per week: last 4 weeks 3 h / 4, the 8 before (3 + 2 + 12) h / 8
    assert f["absence_trend"] == pytest.approx(3 / 4 - 17 / 8)
    assert f["grade_mean_12w"] == pytest.approx((4 * 2 + 6 + 8 + 5) / 5)
    assert f["fails_12w"] == 2.0
    assert f["core_fails_12w"] == 2.0
    assert f["core_min_avg_12w"] == pytest.approx(14 / 3)  # Engels (4 x 2 + 6) / 3; Wiskunde 5.0
    assert f["grade_trend"] == pytest.approx((4 * 2 + 8) / 3 - (6 + 5) / 2)
    # havo 3 at 16 in November: 14 at the start of the year, one autumn birthday, one repeated year, one route
    assert (f["repeated_years"], f["moved_down"], f["over_age"]) == (1.0, 0.0, 0.0)
    assert f["level_havo"] == 1.0 and f["level_vwo"] == 0.0


def test_a_student_without_registrations_or_grades(tmp_path: Path) -> None:
    students = ["student_id,level,year", "QUIET,havo,2", "F1,havo,2"]
    exports = load(write_school(tmp_path, [], students=students, filler_weeks=12), AS_OF)
    f = build_features(exports).loc["QUIET"]
    assert f[["unauthorised_hours_4w", "sick_spells_12w", "late_4w", "has_registrations"]].tolist() == [0, 0, 0, 0]
    assert np.isnan(f["grade_mean_12w"]) and f["fails_12w"] == 0


def test_registrations_after_as_of_change_nothing(school_dir: Path, school_copy: Path) -> None:
    as_of = "2026-11-13"
    before = build_features(load(school_dir, as_of))
    extra = "".join(
        f"{sid};{d};{p};Ongeoorloofd\n"
        for sid in ("111000", "111001")
        for d in ("16-11-2026", "20-11-2026")
        for p in range(1, 8)
    )
    with (school_copy / "absenties.csv").open("a") as handle:
        handle.write(extra)
    with (school_copy / "cijfers.csv").open("a") as handle:
        handle.write("111000;Engels;17-11-2026;1,0;3\n")
    after = build_features(load(school_copy, as_of))
    pd.testing.assert_frame_equal(before, after)
    with (school_copy / "absenties.csv").open("a") as handle:
        handle.write("999999;20-11-2026;1;Ongeoorloofd\n")  # a student seen only after as_of is not scored
    assert "999999" not in build_features(load(school_copy, as_of)).index
    assert compute_flags(load(school_dir, as_of)).equals(compute_flags(load(school_copy, as_of)))


def test_features_are_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "features.md").read_text()
    for name in FEATURE_NAMES:
        assert f"`{name}`" in docs


def test_thresholds_come_from_the_profile(tmp_path: Path) -> None:
    from dataclasses import replace

    from riskscreen.errors import ProfileError
    from riskscreen.ingest.profile_files import load_profile

    exports = load(write_school(tmp_path / "s", hours_in_weeks("S1", {10: 5, 11: 5}), filler_weeks=12), AS_OF)
    assert not compute_flags(exports).loc["S1", "verzuim_16u"]
    profile_file = tmp_path / "strict.toml"
    profile_file.write_text('extends = "canonical"\n[flags]\nverzuim_hours = 10\nverzuim_weeks = 6\n')
    strict = load_profile(str(profile_file))
    assert FlagRules.from_profile(strict.flags) == FlagRules(verzuim_hours=10.0, verzuim_weeks=6)
    assert compute_flags(replace(exports, profile=strict)).loc["S1", "verzuim_16u"]
    profile_file.write_text("[flags]\nverzuim_hour = 10\n")
    with pytest.raises(ProfileError, match="unknown setting 'verzuim_hour'"):
        load_profile(str(profile_file))


def test_the_feature_table_in_the_docs_is_generated_from_the_declarations() -> None:
    from riskscreen.signals.features_doc import updated

    doc = (Path(__file__).parents[2] / "docs" / "features.md").read_text(encoding="utf-8")
    assert updated(doc) == doc, "docs/features.md is out of date: run `make docs`"
    for name in FEATURE_NAMES:
        assert f"| `{name}` |" in doc


def test_everything_about_a_feature_derives_from_its_declaration() -> None:
    from riskscreen.i18n import number
    from riskscreen.render.reason_words import reason_text
    from riskscreen.scoring.model import FEATURE_SETS, direction
    from riskscreen.scoring.reasons import TREND_DIRECTION
    from riskscreen.signals.features import FEATURES
    from riskscreen.weekly.shortlist import PROMPT_KIND

    assert FEATURE_SETS["standard"] == FEATURE_NAMES
    assert FEATURE_SETS["attendance"] == tuple(f.name for f in FEATURES if f.group == "attendance")
    assert {f.name: f.prompt for f in FEATURES} == PROMPT_KIND
    assert TREND_DIRECTION == {"absence_trend": 1, "grade_trend": -1}
    for f in FEATURES:
        assert direction(f.name) == f.direction
        for lang, value, shown in (("nl", 3.0, "3"), ("en", 2.5, "2.5")):
            words = f.words[lang]
            norm = f" ({words.norm.format(norm=number(f.norm, lang))})" if words.norm else ""
            assert reason_text(f.name, value, lang) == words.reason.format(value=shown) + norm
    # a trend's reason shows the change without its sign
    assert reason_text("grade_trend", -1.5, "nl") == (
        "cijfers dalen: 1,5 punt lager dan de 8 weken ervoor (signaal vanaf 0,5 punt lager)"
    )
    assert (
        reason_text("grade_mean_12w", 5.2, "nl") == "gemiddeld cijfer 5,2 in de laatste 12 lesweken (signaal onder 5,5)"
    )
    assert reason_text("repeated_years", 1, "en") == "repeated 1 school year(s)"  # a norm of 1 needs no words


def test_a_rule_set_otherwise_than_the_law_is_said_in_every_list(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from riskscreen.cli import app

    folder = write_school(tmp_path / "s", hours_in_weeks("S1", {10: 5, 11: 5}), filler_weeks=12)
    profile = tmp_path / "early.toml"
    profile.write_text('extends = "canonical"\n[flags]\nverzuim_hours = 10\nverzuim_weeks = 6\n')
    result = CliRunner().invoke(
        app, ["score", str(folder), "--profile", str(profile), "--as-of", AS_OF, "--lang", "en", "-f", "csv"]
    )
    assert result.exit_code == 0, result.stderr
    assert (
        "Note: the profile sets the 16-hour rule to 10 hours in 6 lesson weeks (the law: 16 hours in 4 lesson weeks)."
    ) in result.stderr
    assert (
        "16-hour rule: 10 hours (from the export) unauthorised, 2026-11-10 to 2026-11-17; report to DUO by 2026-11-24"
    ) in result.stdout
    listing = CliRunner().invoke(
        app, ["shortlist", str(folder), "--profile", str(profile), "--as-of", AS_OF, "--no-history", "-f", "md"]
    )
    assert listing.exit_code == 0, listing.stderr
    assert "het profiel zet de 16-urenregel op 10 uur in 6 lesweken (de wet: 16 uur in 4 lesweken)" in listing.stdout


def test_over_age_is_measured_from_the_normal_age_at_the_start_of_the_school_year(tmp_path: Path) -> None:
    """#24 item 5: no student is older than normal by birth month alone, nor by one year of another route."""
    roster = [
        "student_id,level,year,age,repeated_years",
        "V1,havo,1,13,0",  # 12 on 1 October, 13 by November: an autumn birthday
        "V2,havo,1,14,0",  # a year more: a route through another level or from abroad, not marked by default
        "V3,havo,1,15,0",  # two years more, none repeated: marked
        "V4,havo,1,15,1",  # two more, one of them repeated (a feature of its own): not marked again
        "M1,mbo-2,1,16,0",  # a first-year MBO student of 16 is on time
        "M2,mbo-2,2,20,0",
        "U1,,1,16,0",
    ]
    exports = load(write_school(tmp_path, [("V1", day(1), 1, 1.0, "late")], students=roster, filler_weeks=12), AS_OF)
    over = build_features(exports)["over_age"]
    assert over.loc[["V1", "V2", "V3", "V4", "M1", "M2"]].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    assert np.isnan(over.loc["U1"])  # without a level the normal age is unknown
    # in September no birthday since 1 October is possible: 13 in havo 1 is then the route's year, 14 is marked
    september = load(tmp_path, day(2, 4))
    assert build_features(september)["over_age"].loc[["V1", "V2"]].tolist() == [0.0, 1.0]


def test_a_flag_says_how_its_hours_were_counted(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from riskscreen.cli import app

    rows = [("S1", day(w, 1), p, 1.0, "unauthorised") for w in (8, 9) for p in range(1, 11)]
    folder = write_school(tmp_path / "s", rows, filler_weeks=12)
    with_hours = CliRunner().invoke(app, ["score", str(folder), "--as-of", AS_OF, "-f", "csv"])
    # the export's own hours: 10 on Tuesday 27 October, 10 more on Tuesday 3 November, the day 16 was reached
    assert "16-urenregel: 20 uur (uit de export) ongeoorloofd, 27-10-2026 t/m 03-11-2026" in with_hours.stdout
    # without an hours column, each registration is one lesson period of the profile's length
    text = (folder / "attendance.csv").read_text().splitlines()  # student_id,date,period,hours,code
    (folder / "attendance.csv").write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 3) for line in text) + "\n"
    )
    profile = tmp_path / "fifty.toml"
    profile.write_text('extends = "canonical"\nlesson_minutes = 50\n')
    periods = CliRunner().invoke(app, ["score", str(folder), "--as-of", AS_OF, "-f", "csv", "--profile", str(profile)])
    assert periods.exit_code == 0, periods.stderr
    # a VO lesson of 60 minutes or less counts as one hour (lesuren; Onderwijsinspectie): 20 lessons of 50 minutes
    # are 20 hours, not 16,7, and the 16th was reached on 3 November as well
    assert "16-urenregel: 20 lesuren ongeoorloofd, 27-10-2026 t/m 03-11-2026" in periods.stdout


def test_lesson_minutes_and_hours_are_not_both_given(tmp_path: Path) -> None:
    from riskscreen.errors import ProfileError
    from riskscreen.ingest.profile_files import load_profile

    profile = tmp_path / "both.toml"
    profile.write_text("lesson_minutes = 50\nlesson_hours = 1\n")
    with pytest.raises(ProfileError, match="give lesson_minutes or lesson_hours, not both"):
        load_profile(str(profile))
    profile.write_text("lesson_minutes = 5\n")
    with pytest.raises(ProfileError, match="lesson_minutes must be a number of minutes from 10 to 120"):
        load_profile(str(profile))
    profile.write_text("lesson_minutes = 45\n")
    assert load_profile(str(profile)).lesson_hours == 0.75


def test_no_grades_is_a_signal_of_its_own(tmp_path: Path) -> None:
    grades = [("S1", "Engels", day(9), 6.0, 1.0)]
    rows = [("S1", day(9), 1, 1.0, "late"), ("S2", day(9), 1, 1.0, "late")]
    exports = load(write_school(tmp_path, rows, grades=grades, filler_weeks=12), AS_OF)
    features = build_features(exports)
    assert features.loc[["S1", "S2"], "no_grades_12w"].tolist() == [0.0, 1.0]
    assert np.isnan(features.loc["S2", "grade_mean_12w"])  # the grade itself stays missing, for the imputer


def test_the_norms_are_the_published_ones_where_there_is_a_source() -> None:
    """#24 item 5, docs/features.md "Norms": half the 16 unauthorised hours in 4 lesson weeks at which a school must
    report (Leerplichtwet 1969 art. 21a); M@ZL's "vier ziekmeldingen in twaalf weken" and "een zevende schooldag
    aaneengesloten" (NCJ, ncj.nl/mazl; 7 days of 6 lesson hours); the Dutch pass mark 5.5; the ABC indicators'
    any removal and any core-subject fail (Balfanz, Herzog & Mac Iver 2007)."""
    from riskscreen.signals.features import FAIL_BELOW, SPEC

    assert SPEC["unauthorised_hours_4w"].norm == 16 / 2
    assert (SPEC["sick_spells_12w"].norm, SPEC["sick_hours_12w"].norm) == (4, 7 * 6)
    assert SPEC["grade_mean_12w"].norm == SPEC["core_min_avg_12w"].norm == FAIL_BELOW == 5.5
    assert SPEC["removed_12w"].norm == SPEC["core_fails_12w"].norm == 1
    # where each norm is in the table of docs/features.md, with its source
    doc = (Path(__file__).parents[2] / "docs" / "features.md").read_text(encoding="utf-8")
    for source in ("Leerplichtwet 1969 art. 21a", "NCJ, ncj.nl/mazl", "Balfanz, Herzog & Mac Iver 2007"):
        assert source in doc
