"""The weekly shortlist: who is on it, week-over-week changes, every format, safe writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.helpers import load, small_listing

from riskscreen.errors import UsageError
from riskscreen.i18n import prompt_text, texts
from riskscreen.render import output_format
from riskscreen.render.shortlist import csv_document, render
from riskscreen.render.shortlist_records import group_notes, records
from riskscreen.render.shortlist_xlsx import xlsx_bytes
from riskscreen.scoring.score import score
from riskscreen.signals.features import FEATURES
from riskscreen.weekly.shortlist import build, prompts_for, snapshot
from riskscreen.workspace import snapshots as history


@pytest.fixture(scope="module")
def result(school_dir: Path, demo_model):  # type: ignore[no-untyped-def]
    return score(load(school_dir), demo_model)


def test_statutory_students_are_always_listed(result) -> None:  # type: ignore[no-untyped-def]
    flagged = set(result.table.loc[result.table["verzuim_16u"], "student_id"])
    assert flagged, "the sample school should have students with the 16-hour flag"
    for capacity in (0, 1, 3):
        listing = build(result, capacity=capacity, min_band="high")
        listed = set(listing.entries["student_id"])
        assert flagged <= listed
        statutory = listing.entries[listing.entries["statutory"]]
        assert set(statutory["student_id"]) == flagged
        # within a group the statutory students come first
        for _, group in listing.entries.groupby("group"):
            assert group["statutory"].tolist() == sorted(group["statutory"].tolist(), reverse=True)
    only_flags = build(result, capacity=0)  # no one by risk, but the cap never hides a student of band high
    high = set(result.table.loc[result.table["band"] == "high", "student_id"])
    assert set(only_flags.entries["student_id"]) == flagged | high
    assert set(only_flags.entries.loc[only_flags.entries["over_capacity"], "student_id"]) == high


def small_result(rows: list[tuple[str, str | None, str | None, float, str, bool]]):  # type: ignore[no-untyped-def]
    """A scored school written out by hand: (student, mentor, class, probability, band, 16-hour flag)."""
    import pandas as pd

    from riskscreen.scoring.score import ScoreResult

    table = pd.DataFrame(rows, columns=["student_id", "mentor", "class", "probability", "band", "verzuim_16u"])
    table = table.sort_values("probability", ascending=False, kind="stable")
    table.insert(0, "rank", range(1, len(table) + 1))
    table = table.assign(ziekteverzuim=False, reason_features="", flags="")
    table["reasons"] = pd.Series([()] * len(table), index=table.index, dtype=object)
    table.index = pd.Index(table["student_id"].tolist())
    empty = pd.DataFrame(index=table.index)
    return ScoreResult(table, empty, empty, empty, 0.0, pd.Timestamp("2026-11-27"), "hand", False)


HAND = [
    ("A1", "M1", "1A", 0.50, "high", False),
    ("A2", "M1", "1A", 0.40, "high", False),
    ("A3", "M1", "1A", 0.30, "elevated", False),
    ("A4", "M1", "1A", 0.05, "low", True),
    ("B1", "M2", "2B", 0.35, "elevated", False),
    ("B2", "M2", "2B", 0.20, "elevated", False),
    ("C1", None, "3C", 0.45, "high", False),
    ("D1", None, None, 0.25, "elevated", False),
]


def test_capacity_per_mentor_and_in_total() -> None:
    result = small_result(HAND)
    per_mentor = build(result, capacity=2, min_band="elevated")
    assert per_mentor.entries["student_id"].tolist() == ["A4", "A1", "A2", "B1", "B2", "C1", "D1"]
    assert per_mentor.entries["group"].tolist() == ["mentor:M1"] * 3 + ["mentor:M2"] * 2 + ["class:3C", "none"]
    assert per_mentor.entries["priority"].tolist() == [1, 2, 3, 1, 2, 1, 1]
    assert per_mentor.entries["by_risk"].tolist() == [False, True, True, True, True, True, True]
    # whom the limit left out above the threshold is said, per mentor, by pseudonym (never silently dropped)
    assert per_mentor.cap_left == {"mentor:M1": ["A3"]}
    total = build(result, capacity=3, per_mentor=False, min_band="elevated")
    assert total.entries["student_id"].tolist() == ["A4", "A1", "A2", "C1"]
    assert total.cap_left == {"all": ["B1", "A3", "D1", "B2"]}
    # issue #23 item 5: a capacity of 1 does not hide A2, who is high: kept on M1's page and marked
    one = build(result, capacity=1, min_band="high")
    assert one.entries["student_id"].tolist() == ["A4", "A1", "A2", "C1"]
    assert one.entries["over_capacity"].tolist() == [False, False, True, False]
    assert one.cap_left == {} and one.overflow == {}
    mark = next(r for r in records(one, "nl") if r["student_id"] == "A2")
    assert mark["because"] == "risico, boven de capaciteit: hoog risico blijft altijd op de lijst"
    # with --strict-capacity, M1's page keeps its one and A2 goes to the coordinator's overflow page, last
    strict = build(result, capacity=1, min_band="high", strict_capacity=True)
    assert strict.entries["student_id"].tolist() == ["A4", "A1", "C1", "A2"]
    assert strict.groups == ["mentor:M1", "class:3C", "overflow:"]
    assert strict.overflow == {"mentor:M1": 1}
    assert group_notes(strict, "nl", "overflow:") == [
        "Leerlingen met hoog risico boven het maximum van 1 per mentor: M1: 1"
    ]
    assert "## Boven de capaciteit (zorgcoördinator)" in render(strict, "md", lang="nl")


def test_min_band_limits_who_is_listed_by_risk(result) -> None:  # type: ignore[no-untyped-def]
    listing = build(result, capacity=50, min_band="high")
    assert set(listing.entries.loc[listing.entries["by_risk"], "band"]) == {"high"}


def test_prompts_follow_the_reasons() -> None:
    keys = prompts_for("unauthorised_hours_4w;fails_12w", statutory=True, sick_flag=False)
    # issue #23 item 2: the last of three prompts asks what goes well when none asks for the student's own plan
    assert keys == ["verzuim_16u.0", "absence.0", "strengths.0"]
    assert [prompt_text(k, "en") for k in keys] == [
        "Has the report to DUO / the attendance officer been made? Agree who informs the parents and the "
        "leerplichtambtenaar.",
        "What keeps you away from school, and at which moments most?",
        "What goes well, at school or outside it, and who supports you in it?",
    ]
    assert prompts_for("fails_12w", statutory=False, sick_flag=False) == ["grades.0", "grades.1"]
    assert prompt_text("grades.1", "nl") == (
        "Wat wil je zelf bereiken met deze opleiding, en wat heb je nodig om het te halen?"
    )
    # one form of address for the student in every Dutch prompt: "je", never "de leerling" or "u"
    dutch = [p for kind in texts("nl")["prompts"].values() for p in kind]
    assert "Wie weet er thuis van het verzuim, en hoe kijken ze ertegen aan?" in dutch
    # none steers toward a lower level
    assert not any(re.search(r"niveau|afstromen|lager", p) for p in dutch)
    student_prompts = [p for p in dutch if "DUO" not in p and "jeugdarts" not in p]
    spoken = {"Wie weet er thuis van het verzuim, en hoe kijken ze ertegen aan?"}  # no address at all: fine
    assert all(re.search(r"\bje\b", p) or p in spoken for p in student_prompts)
    assert not any(re.search(r"\b(u|uw|de leerling)\b", p) for p in dutch)
    assert prompts_for("", statutory=False, sick_flag=True) == ["sick.0", "strengths.0"]
    assert prompt_text("sick.0", "nl") == (
        "Is er een patroon in je ziekmeldingen? Eerst praten we met jou en je ouders, daarna met de jeugdarts (M@ZL)."
    )
    # an adult's prompts leave the parents out (Leerplichtwet: the parents' duty ends at 18)
    adult = prompts_for("", statutory=True, sick_flag=True, minor=False)
    assert adult == ["verzuim_16u_adult.0", "sick_adult.0", "strengths.0"]
    assert not any("ouders" in prompt_text(k, "nl") for k in adult)
    assert prompt_text("verzuim_16u_adult.0", "nl") == (
        "Is de melding bij DUO/RMC gedaan? Spreek af wie met de jongere en de RMC-consulent praat."
    )


def test_two_runs_show_the_right_changes(school_dir: Path, demo_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    exports = load(school_dir)
    week1 = score(exports, demo_model, as_of=pd.Timestamp("2026-11-20"))
    list1 = build(week1, capacity=3)
    history.save(snapshot(list1), tmp_path)
    previous = history.previous(tmp_path, dt.date(2026, 11, 27))
    assert previous is not None and previous.as_of == dt.date(2026, 11, 20)
    week2 = score(exports, demo_model)
    list2 = build(week2, capacity=3, previous=previous)
    on1 = set(list1.entries["student_id"])
    for _, row in list2.entries.iterrows():
        sid = row["student_id"]
        if sid not in on1:
            assert row["change"] == "new"
        else:
            delta = 100 * (row["probability"] - week1.table.loc[sid, "probability"])
            assert row["change_points"] == pytest.approx(round(delta, 1))
            assert row["change"] == ("same" if abs(delta) < 1 else "up" if delta > 0 else "down")
    assert set(list2.left["student_id"]) == on1 - set(list2.entries["student_id"])
    assert history.previous(tmp_path, dt.date(2026, 11, 20)) is None  # only strictly earlier snapshots count


def test_snapshots_hold_nothing_but_what_the_list_needs(result, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listing = build(result)
    path = history.save(snapshot(listing), tmp_path).path
    assert path is not None
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    loaded = history.load(path)
    assert list(loaded.students.columns)[:11] == [
        "probability",
        "band",
        "on_list",
        "group",
        "level",
        "year",
        "reason_features",
        "verzuim_16u",
        "verzuim_reached",
        "verzuim_deadline",
        "ziekteverzuim",
    ]
    # beside them the reports to DUO the list knew of (for `actions due`), and the signal values, one per declared
    # feature: nothing else about the student
    assert sorted(loaded.students.columns[11:]) == sorted(["statutory", *(f"signal.{f.name}" for f in FEATURES)])
    reports = [r for sid in loaded.students.index for r in loaded.reports(sid)]
    assert reports and all(
        set(r)
        == {
            "type",
            "compulsory",
            "begin",
            "end",
            "hours",
            "basis",
            "deadline",
            "reached",
            "follow_up",
            "regional",
            "note",
            "minor",
        }
        for r in reports
    )
    assert (loaded.as_of, loaded.model, len(loaded.students)) == (dt.date(2026, 11, 27), "demo", 160)
    assert int(loaded.students["on_list"].sum()) == len(listing.entries)
    # groups are stored as keys, the same whatever the language of the list
    assert set(loaded.students["group"]) == {f"mentor:{m}" for m in result.table["mentor"]}
    diff = history.compare(loaded, loaded)
    assert set(diff["status"]) == {"stayed"} and (diff["change_points"] == 0).all()


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["table", "md", "html", "csv"])
def test_shortlist_golden(school_dir: Path, demo_model, golden, lang: str, fmt: str) -> None:  # type: ignore[no-untyped-def]
    listing = small_listing(school_dir, demo_model)
    text = render(listing, fmt, lang=lang, width=120)
    assert isinstance(text, str)
    golden(f"shortlist_{lang}.{'txt' if fmt == 'table' else fmt}", text)


def test_xlsx_structure(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    listing = small_listing(school_dir, demo_model)
    wb = load_workbook(io.BytesIO(xlsx_bytes(listing, "nl")))
    assert wb.sheetnames == ["Overzicht", "Alle leerlingen", *(g.removeprefix("mentor:") for g in listing.groups)]
    everyone = wb["Alle leerlingen"]
    table = listing.result.table
    assert everyone.max_row == 1 + len(table) and everyone.auto_filter.ref == f"A1:I{1 + len(table)}"
    assert [c.value for c in everyone[1]] == [
        "#",
        "Leerling",
        "Mentor",
        "Klas",
        "Risico",
        "Kans",
        "Op de lijst",
        "Waarom op de lijst",
        "Signalen",
    ]
    top = table.iloc[0]
    assert [everyone.cell(2, i).value for i in (1, 2, 3, 5, 7)] == [
        1,
        str(top["student_id"]),
        top["mentor"],
        "hoog",
        "ja",
    ]
    assert everyone["F2"].value == pytest.approx(round(float(top["probability"]), 4), abs=1e-9)
    assert everyone["F2"].number_format == "0.0%" and everyone.freeze_panes == "C2"
    listed = set(listing.entries["student_id"].astype(str))
    assert sum(everyone.cell(r, 7).value == "ja" for r in range(2, everyone.max_row + 1)) == len(listed)
    summary = wb["Overzicht"]
    assert summary["A1"].value.startswith("Signaleringslijst, week 48 (27-11-2026); model demo")
    assert summary["A2"].value.startswith("Let op: dit is een demonstratiemodel")
    sheet = wb[listing.groups[0].removeprefix("mentor:")]
    assert sheet.freeze_panes == "D2"
    assert [c.value for c in sheet[1]] == [
        "Lijst van",
        "#",
        "Leerling",
        "Klas",
        "Risico",
        "Kans",
        "Verandering",
        "Waarom op de lijst",
        "Signalen",
        "Gesprekspunten",
        "Lopende actie",
        "Afgesproken actie",
        "Soort actie",
        "Verwezen naar",
        "Stand verwijzing",
        "Gaat goed",
        "Wil zelf",
        "Wie",
        "Opnieuw bekijken op",
    ]
    rows = int((listing.entries["group"] == listing.groups[0]).sum())
    notes = group_notes(listing, "nl", listing.groups[0])
    # notes under the table after a blank row, then after another what made the list (#22 item 5)
    assert sheet.max_row == 1 + rows + (1 + len(notes) if notes else 0) + 2
    assert [sheet.cell(sheet.max_row - 2 - len(notes) + 1 + i, 1).value for i in range(len(notes))] == notes
    assert sheet.cell(sheet.max_row, 1).value.startswith(
        "model demo (meegeleverd). Let op: dit is een demonstratiemodel"
    )
    assert sheet.oddFooter.left.text == "model demo (meegeleverd)"
    assert sheet.column_dimensions["H"].width == 48
    # the chance is a number shown as a percentage, so Excel sorts and filters it
    first = listing.entries[listing.entries["group"] == listing.groups[0]].iloc[0]
    assert sheet["F2"].value == pytest.approx(round(float(first["probability"]), 4), abs=1e-9)
    assert sheet["F2"].number_format == "0.0%"
    assert sheet.auto_filter.ref == f"A1:S{1 + rows}"
    drop_downs = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert drop_downs["N"].startswith('"jeugdhulp,schoolmaatschappelijk werk,') and drop_downs["N"].endswith(',anders"')
    assert drop_downs["O"] == '"aangemeld,wachtlijst,gestart,afgerond,niet gelukt"'
    assert drop_downs["Q"] == '"blijven,andere opleiding,stage,gaan werken,weet nog niet"'
    assert all(len(f) <= 255 for f in drop_downs.values())  # Excel's limit for a list in a validation
    assert sheet["A2"].value == "27-11-2026"


def test_formula_injection_is_neutralised(school_dir: Path, demo_model) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from openpyxl import load_workbook

    listing = small_listing(school_dir, demo_model)
    entries = listing.entries.copy()
    entries["class"] = '=HYPERLINK("http://x")'
    entries["group"] = entries["group"].iloc[0]
    evil = replace(listing, entries=entries, groups=[entries["group"].iloc[0]])
    rows = list(csv.reader(io.StringIO(csv_document(evil, "en"))))
    assert {r[4] for r in rows[1:]} == {'\'=HYPERLINK("http://x")'}
    wb = load_workbook(io.BytesIO(xlsx_bytes(evil, "en")))
    cell = wb[evil.groups[0].removeprefix("mentor:")]["D2"]
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("http://x")'


def test_format_follows_the_output_extension() -> None:
    assert output_format("shortlist", None, Path("l.xlsx")) == "xlsx"
    assert output_format("shortlist", None, Path("l.HTML")) == "html"
    assert output_format("shortlist", "csv", Path("l.html")) == "csv"
    assert output_format("shortlist", None, None) == "table"
    assert output_format("aggregate", None, Path("region.json")) == "json"
    assert output_format("shortlist", None, Path("l.json")) == "json"
    with pytest.raises(UsageError) as refused:
        output_format("scores", None, Path("l.pdf"))  # scores have no printed form
    assert str(refused.value) == (
        "cannot tell the format from 'l.pdf'\n  How to fix: use .csv, .json, .txt, or give `fmt`"
    )
    with pytest.raises(UsageError) as terminal:
        output_format("aggregate", "pdf", None)
    assert str(terminal.value) == ("a PDF file cannot be printed to the terminal\n  How to fix: add `output` list.pdf")


def test_a_fact_that_cannot_change_is_background_not_a_weekly_reason() -> None:
    """Issue #23 item 2: a repeated year stays with the student every week; the list shows it as background,
    after the signals of the last weeks."""
    from riskscreen.scoring.reasons import Reason

    result = small_result(HAND)
    table = result.table.copy()
    table.at["A1", "reasons"] = (Reason("repeated_years", 2.0), Reason("unauthorised_hours_12w", 20.0))
    table.at["A1", "reason_features"] = "repeated_years;unauthorised_hours_12w"
    from dataclasses import replace

    listing = build(replace(result, table=table), capacity=2, min_band="elevated")
    a1 = next(r for r in records(listing, "nl") if r["student_id"] == "A1")
    assert a1["reasons"] == [
        "20 uur ongeoorloofd afwezig in de laatste 12 lesweken (signaal vanaf 8 uur)",
        "Achtergrond (verandert niet): 2 keer blijven zitten",
    ]


def test_a_change_within_the_weeks_noise_is_about_the_same_unless_the_band_moved() -> None:
    """#24 item 3: the least change reported is twice the week-to-week noise of every student's chance (a robust
    sd), at least 1 point; a smaller move is 'same', unless the student's band changed."""
    from riskscreen.weekly.shortlist import _changes, change_threshold
    from riskscreen.workspace.snapshots import Snapshot

    ids = [f"S{i:03d}" for i in range(100)]
    before = pd.DataFrame({"probability": [0.10] * 100, "band": ["elevated"] * 100, "on_list": [True] * 100}, index=ids)
    wobble = np.tile([-0.02, -0.01, 0.0, 0.01, 0.02], 20)  # every student moves up to 2 points each week
    now = pd.DataFrame({"student_id": ids, "probability": 0.10 + wobble})
    previous = Snapshot(dt.date(2026, 11, 20), "demo", before)
    # deviations 0, 1 and 2 points: median 1 -> noise 1.4826, threshold 2.97 rounded to 3.0
    assert change_threshold(now, previous) == 3.0
    assert change_threshold(now, None) is None
    entries = pd.DataFrame(
        {
            "student_id": ["S000", "S001", "S002"],
            "probability": [0.125, 0.14, 0.105],  # +2.5, +4.0, +0.5 points
            "band": ["elevated", "elevated", "high"],  # S002 moved up a band
        }
    )
    features = pd.DataFrame(index=pd.Index([], name="student_id"))
    kinds, points, _ = _changes(entries, previous, features, pd.Series(dtype=float), 3.0)
    assert kinds == ["same", "up", "up"] and points == [2.5, 4.0, 0.5]


def test_a_change_is_said_in_whole_points_as_the_chances_are() -> None:
    """#24 item 3: "gestegen met 10 procentpunt", not 10,4; a move under half a point (only possible with the band)
    reads "<1"."""
    from riskscreen.i18n import change_text

    assert change_text("up", 10.4, "nl") == "gestegen met 10 procentpunt"
    assert change_text("down", -2.5, "nl") == "gedaald met 3 procentpunt"
    assert change_text("up", 0.3, "nl") == "gestegen met <1 procentpunt"
    assert change_text("same", 0.3, "nl") == "ongeveer gelijk"
