"""Counts over the weeks a student was enrolled for (#13 item 6): a newcomer is neither hidden nor inflated."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.helpers import day, load, write_school

from riskscreen.render.reason_words import reason_texts
from riskscreen.scoring.reasons import Reason, reasons
from riskscreen.signals.feature_table import build_features

AS_OF = day(11, 4)  # Friday of the 12th lesson week


def school(tmp_path: Path) -> Path:
    # N1 came on the Wednesday of week 9 (3 of the last 12 lesson weeks), E2 in week 2 (10 of 12); O1's date is
    # not known and O2 was there from the start. Each has 3 unauthorised hours in week 10; E2 also 3 in week 3.
    absences = [(s, day(10, 1), p, 1.0, "unauthorised") for s in ("N1", "E2", "O1", "O2") for p in (1, 2, 3)]
    absences += [("E2", day(3, 1), p, 1.0, "unauthorised") for p in (1, 2, 3)]
    return write_school(
        tmp_path,
        absences,
        filler_weeks=12,
        students=["student_id,enrolled_from", f"N1,{day(9, 2)}", f"E2,{day(2, 0)}", "O1,", f"O2,{day(0, 0)}", "F1,"],
    )


@pytest.fixture
def features(tmp_path: Path) -> pd.DataFrame:
    return build_features(load(school(tmp_path), AS_OF))


def test_counts_are_taken_over_the_weeks_enrolled(features: pd.DataFrame) -> None:
    f = features.loc[["N1", "E2", "O1", "O2"]]
    assert f["enrolled_weeks_12w"].tolist() == [3.0, 10.0, 12.0, 12.0]
    assert f["enrolled_weeks_4w"].tolist() == [3.0, 4.0, 4.0, 4.0]
    # 12 weeks: N1's 3 hours in 3 weeks count as in 4 (a third of the window at least), so 12/4 x 3 = 9;
    # E2's 6 hours in 10 weeks are 12/10 x 6 = 7.2; the others' counts are as they are
    assert f["unauthorised_hours_12w"].tolist() == pytest.approx([9.0, 7.2, 3.0, 3.0])
    # 4 weeks: N1 was there for 3 of them, at least 2 count: 4/3 x 3 = 4
    assert f["unauthorised_hours_4w"].tolist() == pytest.approx([4.0, 3.0, 3.0, 3.0])
    assert f["enrolment_scale_12w"].tolist() == pytest.approx([3.0, 1.2, 1.0, 1.0])
    # a newcomer of the last 4 weeks has no "before" to rise from: the trend is unknown, not a rise
    assert np.isnan(f.loc["N1", "absence_trend"])
    assert f.loc["O1", "absence_trend"] == pytest.approx(0.75)


def test_a_date_after_registrations_or_after_as_of_does_not_inflate(tmp_path: Path) -> None:
    # L1's roster says week 10, but L1 was registered in week 4 already (a re-enrolment): enrolled from week 4.
    # F2's date lies after the as-of date: not known, so not scaled.
    # G1's says week 9, but G1 had a grade in week 6: enrolled from week 6.
    absences = [
        ("L1", day(4, 1), 1, 1.0, "late"),
        ("L1", day(10, 1), 1, 1.0, "unauthorised"),
        ("F2", day(10, 1), 1, 1.0, "unauthorised"),
        ("G1", day(10, 1), 1, 1.0, "unauthorised"),
    ]
    grades = [("F1", "Engels", day(0), 7.0, 1.0), ("G1", "Engels", day(6, 2), 4.0, 1.0)]
    write_school(
        tmp_path,
        absences,
        grades,
        filler_weeks=12,
        students=["student_id,enrolled_from", f"L1,{day(10, 0)}", f"F2,{day(20, 0)}", f"G1,{day(9, 0)}", "F1,"],
    )
    f = build_features(load(tmp_path, AS_OF))
    assert f.loc["L1", "enrolled_weeks_12w"] == 8.0 and f.loc["L1", "unauthorised_hours_12w"] == pytest.approx(1.5)
    assert f.loc["G1", "enrolled_weeks_12w"] == 6.0 and f.loc["G1", "fails_12w"] == pytest.approx(2.0)
    assert f.loc["F2", "enrolled_weeks_12w"] == 12.0 and f.loc["F2", "unauthorised_hours_12w"] == 1.0


def test_without_an_enrolment_date_nothing_changes(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    write_school(plain, [("N1", day(10, 1), p, 1.0, "unauthorised") for p in (1, 2, 3)], filler_weeks=12)
    f = build_features(load(plain, AS_OF))
    assert f.loc["N1", "unauthorised_hours_12w"] == 3.0 and f.loc["N1", "enrolment_scale_12w"] == 1.0
    assert f.loc["N1", "enrolled_weeks_12w"] == 12.0


def test_the_reason_says_the_count_itself_and_the_weeks_enrolled(features: pd.DataFrame) -> None:
    parts = pd.DataFrame({"unauthorised_hours_12w": [1.0, 1.0]}, index=pd.Index(["N1", "O1"], name="student_id"))
    out = reasons(parts, features)
    assert out.loc["N1", "reasons"] == (Reason("unauthorised_hours_12w", 3.0, 3, 12),)  # the count, and its weeks
    nl, en = reason_texts(out.loc["N1", "reasons"], "nl"), reason_texts(out.loc["N1", "reasons"], "en")
    assert nl == [
        "3 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur) (ingeschreven in 3 van "
        "deze 12 lesweken; voor de kans omgerekend naar alle 12)"
    ]
    assert en == [
        "3 hours of unauthorised absence in the last 12 lesson weeks (a signal from 8 hours) (enrolled for 3 "
        "of these 12 lesson weeks; scaled to all 12 for the chance)"
    ]
    # the norm is compared with the count scaled to the window: 3 hours in 3 weeks is 12 in 12, past the norm of 8;
    # 3 hours in all 12 weeks is not, and is no reason however large its contribution
    assert out.loc["O1", "reasons"] == () and out.loc["O1", "reason_features"] == ""


def test_a_magister_roster_gives_the_enrolment_date_and_may_leave_it_blank(tmp_path: Path) -> None:
    (tmp_path / "absenties.csv").write_text(
        "Stamnummer;Datum;Lesuur;Absentiesoort\nN1;10-11-2026;1;Ongeoorloofd\nO1;03-09-2026;2;Te laat\n"
    )
    (tmp_path / "cijfers.csv").write_text("Stamnummer;Vak;Datum;Cijfer\nN1;Engels;12-11-2026;6,5\n")
    (tmp_path / "leerlingen.csv").write_text("Stamnummer;Inschrijfdatum;Leerjaar\nN1;09-11-2026;2\nO1;;3\n")
    exports = load(tmp_path, AS_OF)
    assert exports.profile.name == "magister"
    roster = exports.students.set_index(exports.students["student_id"].astype(str))
    assert roster.loc["N1", "enrolled_from"] == pd.Timestamp("2026-11-09")
    assert pd.isna(roster.loc["O1", "enrolled_from"])
    assert build_features(exports).loc["N1", "enrolled_weeks_12w"] == 2.0


def test_explain_says_the_counts_of_a_newcomer_were_scaled(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from riskscreen.cli import app

    folder = school(tmp_path)
    runner = CliRunner()
    shown = runner.invoke(app, ["explain", str(folder), "N1", "--as-of", AS_OF, "--lang", "nl"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.stderr
    assert (
        "Ingeschreven in 3 van de laatste 12 lesweken: de tellingen in de tabel zijn voor de kans omgerekend "
        "naar de hele periode; de redenen noemen de tellingen zelf."
    ) in shown.stdout
    doc = json.loads(runner.invoke(app, ["explain", str(folder), "N1", "--as-of", AS_OF, "--format", "json"]).stdout)
    assert doc["enrolled_weeks_12w"] == 3
    plain = json.loads(runner.invoke(app, ["explain", str(folder), "O1", "--as-of", AS_OF, "--format", "json"]).stdout)
    assert "enrolled_weeks_12w" not in plain


def test_validate_warns_about_an_enrolment_date_after_the_as_of_date(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from riskscreen.cli import app

    write_school(
        tmp_path,
        [("N1", day(10, 1), 1, 1.0, "unauthorised")],
        filler_weeks=12,
        students=["student_id,enrolled_from", f"N1,{day(20, 0)}", "F1,"],
    )
    shown = CliRunner().invoke(
        app, ["validate", str(tmp_path), "--as-of", AS_OF, "--lang", "en"], env={"COLUMNS": "200"}
    )
    assert shown.exit_code == 0, shown.stderr
    said = " ".join((shown.stdout + shown.stderr).split())
    assert (
        f"WARNING students.csv, column 'enrolled_from': an enrolment date after {AS_OF}: in this run the student "
        "counts as enrolled all along [enrolment after as-of, 1x] row 2 fix: nothing to do if the student starts "
        "later; otherwise correct the date"
    ) in said
