"""The municipality's aggregate: exact counts from hand-made lists and actions, suppression that holds against an
attacker who solves for every hidden cell, the regional merge and its refusals, and the command line."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from tests.attacker import assert_nothing_recoverable
from tests.helpers import FIRST, LAST, date_of, listed_students, report, snapshot
from typer.testing import CliRunner

from riskscreen.aggregate.counts import count
from riskscreen.aggregate.merge import merge
from riskscreen.aggregate.suppress import suppress
from riskscreen.aggregate.tables import PRIMARY, SECONDARY, Aggregate, Basis, Table, read_aggregate, to_json
from riskscreen.cli import app
from riskscreen.render.aggregate_print import render_aggregate
from riskscreen.workspace.actions import Action, ActionBook, Report
from riskscreen.workspace.location import REFERRAL_TARGETS
from riskscreen.workspace.snapshots import Snapshot

runner = CliRunner()


# ------------------------------------------------------------------------------------------- exact counts
def test_counts_follow_the_lists_and_the_actions_exactly() -> None:
    week1 = listed_students(60)
    week1["S0000"].update(verzuim_16u=True, verzuim_deadline="2026-09-18", statutory=[report("16u", "2026-09-11")])
    week1["S0001"].update(verzuim_16u=True, verzuim_deadline="2026-09-18", statutory=[report("16u", "2026-09-11")])
    week1["S0002"].update(ziekteverzuim=True)
    week2 = {**listed_students(60), "S0060": {"level": "vmbo-k", "year": "1.0"}}  # a new student in October
    week2["S0000"].update(probability=0.3)  # fell after its action
    week2["S0013"].update(band="high", probability=0.6)  # rose: high on the period's last list
    actions = (
        Action(
            1,
            "S0000",
            date_of("2026-09-14"),
            "gesprek",
            "conversation",
            "youth_worker",
            review=date_of("2026-09-28"),
            closed=date_of("2026-09-25"),
            outcome="afgerond",
        ),
        Action(
            2,
            "S0001",
            date_of("2026-09-15"),
            "verwijzing",
            "referral",
            "coordinator",
            referral="jeugdhulp",
            review=date_of("2026-09-20"),
        ),
        Action(3, "S0013", date_of("2026-10-02"), "huisbezoek", "home_visit", "mentor"),
        Action(4, "S0099", date_of("2025-05-01"), "oud", "conversation", "mentor"),
    )  # before the period
    reports = (
        Report("S0000", "verzuim_16u", date_of("2026-09-17")),
        Report("S0001", "verzuim_16u", date_of("2026-09-21")),
        Report("S0002", "ziekteverzuim", date_of("2026-09-16")),
    )
    earlier = snapshot("2026-06-12", {"S9999": {"band": "high"}})  # last school year: not in this period
    second_run = snapshot("2026-10-09", {"S0000": {}})  # an earlier run of 9 October, replaced by run 2
    outcomes = pd.DataFrame(
        {
            "student_id": ["S0000", "S0030", "S0031", "S7777"],
            "as_of": "2026-10-09",
            "left_without_qualification": [1.0, 1.0, 0.0, 1.0],
        }
    )  # S7777: not screened
    result = count(
        "04AB",
        [earlier, snapshot("2026-09-11", week1), second_run, replace(snapshot("2026-10-09", week2), run=2)],
        ActionBook(actions, reports),
        FIRST,
        LAST,
        10,
        REFERRAL_TARGETS,
        outcomes,
    )
    level = result.table("screened_by_level")
    assert level.rows == ("vmbo-k", "havo", "vwo")
    assert level.cells == ((0, 0, 1), (12, 0, 33), (1, 14, 0))  # S0013 counts as high (its last list)
    assert (level.row_totals, level.column_totals, level.total) == ((1, 45, 15), (13, 14, 34), 61)
    year = result.table("screened_by_year")
    assert (year.rows, year.total, year.column_totals) == (("1", "3", "4"), 61, (13, 14, 34))
    months = result.table("by_month")
    assert (months.rows, months.cells) == (("2026-09", "2026-10"), ((60, 27, 2, 1), (61, 27, 0, 0)))
    reported = result.table("reports")  # in time (17-09 <= 18-09), late (21-09 > 18-09)
    assert reported.cells[0] == (1, 1, 0, 0) and reported.total == 2
    assert result.table("sick").cells == ((1, 0),)
    acts = result.table("actions")
    assert acts.cells == ((1, 0, 0), (0, 1, 0), (0, 0, 1)) and acts.total == 3
    referrals = result.table("referrals")
    # the referral of 15 September has no later state: registered (aangemeld) on the day it was agreed
    assert referrals.cells[referrals.rows.index("jeugdhulp")] == (1, 0, 0, 0, 0)
    assert referrals.column_totals == (1, 0, 0, 0, 0)
    by_month = result.table("actions_by_month")
    assert by_month.rows == ("2026-09", "2026-10")
    # agreed 2 + 1; closed 1 in September; reviews: on time (closed 25-09 <= 28-09), overdue (open on 20-09)
    assert by_month.cells == ((2, 1, 1, 1), (1, 0, 0, 0)) and by_month.column_totals == (3, 1, 1, 1)
    after = result.table("after_action")
    # with an action: S0000 fell (0.5 -> 0.3), S0001 did not change, S0013 rose (0.2 -> 0.6). Beside them, from
    # the list of 11 September, the students of their band without an action: the 10 other high ones (beside
    # S0000 and S0001) and the 14 other elevated ones (beside S0013), whose chances stayed (#24 item 8)
    assert after.rows == ("with_action", "similar_without_action")
    assert after.cells == ((1, 2, 0), (0, 24, 0))
    left = result.table("left")  # S0000 left (with an action), S0030 left (without one)
    assert (left.rows, left.cells, left.total) == (("havo",), ((1, 1),), 2)


def test_the_reports_to_duo_are_counted_by_type_month_and_state() -> None:
    """DUO, "Soorten verzuim": each report counts once, in the month it was reached, with its state on the period's
    last list (a report made after that list is not known yet)."""
    first = listed_students(40)
    first["S0000"]["statutory"] = [report("16u", "2026-09-11")]
    first["S0001"]["statutory"] = [report("rmc18", "2026-09-11")]
    second = listed_students(40)
    second["S0000"]["statutory"] = [report("16u", "2026-09-11"), report("16u", "2026-09-30", follow_up=True)]
    second["S0001"]["statutory"] = [report("rmc18", "2026-09-11")]
    second["S0002"]["statutory"] = [report("luxe", "2026-10-05"), report("lrv", "2026-10-07")]
    second["S0003"]["statutory"] = [report("16u", "2026-07-10")]  # reached last school year: not this period
    recorded = (
        Report("S0000", "verzuim_16u", date_of("2026-09-15")),  # in time
        Report(
            "S0000", "verzuim_16u", date_of("2026-10-08"), type="16u", end=date_of("2026-09-30")
        ),  # late (due 07-10)
        Report("S0002", "verzuim_16u", date_of("2026-10-08"), type="luxe"),  # in time
        Report("S0002", "verzuim_16u", date_of("2026-10-20"), type="lrv"),
    )  # after the last list
    result = count(
        "04AB",
        [snapshot("2026-09-18", first), snapshot("2026-10-09", second)],
        ActionBook((), recorded),
        FIRST,
        LAST,
        10,
        REFERRAL_TARGETS,
    )
    table = result.table("reports")
    assert table.rows == ("16u", "vervolgmelding", "lrv", "luxe", "rmc18")
    assert table.columns == ("reported_in_time", "reported_late", "not_reported", "due")
    # lrv of 07-10 is due 14-10: still due on 09-10; rmc18 of 11-09 was due 18-09 and never reported
    assert table.cells == ((1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 0, 1), (1, 0, 0, 0), (0, 0, 1, 0))
    assert (table.row_totals, table.column_totals, table.total) == ((1, 1, 1, 1, 1), (2, 1, 1, 1), 5)
    months = result.table("reports_by_month")
    assert months.rows == ("2026-09", "2026-10") and months.cells == ((1, 1, 1, 0), (1, 0, 0, 1))
    types = result.table("report_types_by_month")
    assert types.columns == table.rows and types.cells == ((1, 1, 0, 0, 1), (0, 0, 1, 1, 0))
    assert ("reports:rmc18:*", "report_types_by_month:*:rmc18") in result.same
    values = result.values()
    for group in result.same:  # the three tables are one set of reports: the cells they share agree
        assert len({values[k] for k in group}) == 1, group


def test_a_school_smaller_than_the_threshold_is_too_small_to_publish() -> None:
    small = count("04AB", [snapshot("2026-09-11", listed_students(9))], ActionBook(), FIRST, LAST, 10, REFERRAL_TARGETS)
    published = suppress(small)
    assert published.too_small and published.tables == ()
    text = render_aggregate(published, "md", "nl")
    assert "te klein om te publiceren" in text and "|" not in text


# ----------------------------------------------------------------------------------------------- suppression
def crossed(key: str, cells: list[list[int]]) -> Table:
    rows = tuple(f"r{i}" for i in range(len(cells)))
    columns = tuple(f"c{j}" for j in range(len(cells[0])))
    return Table(
        key,
        rows,
        columns,
        tuple(map(tuple, cells)),
        tuple(sum(r) for r in cells),
        tuple(sum(c) for c in zip(*cells, strict=True)),
        sum(map(sum, cells)),
    )


@pytest.mark.parametrize(
    "cells",
    [
        [[3, 40, 25], [30, 12, 50], [22, 31, 44]],  # one small cell: its row and column need a partner
        [[3, 4, 60], [30, 50, 5], [22, 31, 44]],  # two small cells in a row
        [[0, 40, 25], [30, 0, 50], [22, 31, 0]],  # zeros are small too
        [[12, 13], [14, 2]],  # a 2x2 table
        [[1, 2, 3], [4, 5, 6]],  # everything small
    ],
)
def test_no_suppressed_cell_can_be_worked_out(cells: list[list[int]]) -> None:
    aggregate = Aggregate(("04AB",), str(FIRST), str(LAST), 10, (crossed("t", cells),))
    published = suppress(aggregate)
    shown = published.table("t")
    assert all(v == PRIMARY for r, row in enumerate(cells) for c, v in enumerate(shown.cells[r]) if row[c] < 10)
    assert_nothing_recoverable(published)
    assert all(isinstance(v, str) or v >= 10 for v in published.values().values() if v is not None)


def test_a_total_of_at_least_the_threshold_stays_published_and_inner_cells_are_hidden_instead() -> None:
    """Issue #25: the reports of one sample school by type and state. The 16-hour row (6 in time, 2 late, 3 not
    reported) and its total 11 are what a leerplichtambtenaar asks for: the in-time 10 of the follow-up reports
    is hidden to protect the 6, never the totals 11, 16 or 27. The three empty types come out as 0 from the totals
    (11 + 16 = 27): hiding a total would protect no student, so they are published as 0."""
    cells = [[6, 2, 3, 0], [10, 3, 2, 1], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    published = suppress(Aggregate(("06EF",), str(FIRST), str(LAST), 10, (crossed("t", cells),))).table("t")
    p, s = PRIMARY, SECONDARY
    assert published.cells == ((p, p, p, p), (s, p, p, p), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))
    assert published.row_totals == (11, 16, 0, 0, 0)
    assert (published.column_totals, published.total) == ((16, p, p, p), 27)
    assert_nothing_recoverable(suppress(Aggregate(("06EF",), str(FIRST), str(LAST), 10, (crossed("t", cells),))))


def test_a_total_is_hidden_only_when_hiding_every_inner_cell_leaves_a_count_exposed() -> None:
    """Every inner cell is small: the row totals 6 and 15 and the grand total 21 would give 6 away (21 - 15), so
    the 15, not a headline, is hidden as the last resort."""
    published = suppress(
        Aggregate(("04AB",), str(FIRST), str(LAST), 10, (crossed("t", [[1, 2, 3], [4, 5, 6]]),))
    ).table("t")
    assert all(v == PRIMARY for row in published.cells for v in row)
    assert (published.row_totals, published.total) == ((PRIMARY, SECONDARY), 21)


def test_suppression_holds_across_tables_that_share_totals() -> None:
    """Two tables of the same students (by level and by year) share their band totals: a cell hidden in one must
    not come out of the other."""
    by_level = crossed("screened_by_level", [[2, 30, 40], [15, 3, 60], [20, 25, 30]])
    by_year = crossed("screened_by_year", [[20, 28, 65], [17, 30, 65]])
    same = (
        ("screened_by_level:*:*", "screened_by_year:*:*"),
        *((f"screened_by_level:*:c{j}", f"screened_by_year:*:c{j}") for j in range(3)),
    )
    published = suppress(Aggregate(("04AB",), str(FIRST), str(LAST), 10, (by_level, by_year), same=same))
    assert_nothing_recoverable(published)


def test_the_real_pipeline_publishes_nothing_recoverable(tmp_path: Path) -> None:
    snapshots = [snapshot("2026-09-11", listed_students(60)), snapshot("2026-10-09", listed_students(70))]
    actions = tuple(
        Action(
            i,
            f"S{i:04d}",
            date_of("2026-09-14"),
            "x",
            ("conversation", "home_visit", "referral")[i % 3],
            ("youth_worker", "mentor", "coordinator")[i % 2],
            referral="jeugdhulp" if i % 3 == 2 else None,
        )
        for i in range(1, 30)
    )
    published = suppress(count("04AB", snapshots, ActionBook(actions, ()), FIRST, LAST, 10, REFERRAL_TARGETS))
    assert_nothing_recoverable(published)
    text = to_json(published)
    assert not any(sid in text for sid in listed_students(70))  # no pseudonym
    assert "2026-09-14" not in text and '"x"' not in text  # no date of a single event, no free text


# ------------------------------------------------------------------------------------------------ merging
def _school_file(tmp_path: Path, name: str, n: int, offset: int, threshold: int = 10, last: dt.date = LAST) -> Path:
    result = suppress(
        count(
            name,
            [snapshot("2026-09-11", listed_students(n, offset))],
            ActionBook(),
            FIRST,
            last,
            threshold,
            REFERRAL_TARGETS,
        )
    )
    path = tmp_path / f"{name}.json"
    path.write_text(to_json(result))
    return path


def test_a_region_adds_up_what_schools_published_and_suppresses_again(tmp_path: Path) -> None:
    files = [_school_file(tmp_path, "04AB", 60, 0), _school_file(tmp_path, "05CD", 80, 1000)]
    region, notes = merge([read_aggregate(p) for p in files])
    assert notes == [] and region.schools == ("04AB", "05CD")
    schools = region.table("schools")
    assert schools.rows == ("04AB", "05CD") and schools.total == 140
    assert region.table("screened_by_level").total == 140
    assert_nothing_recoverable(region)
    mixed, notes = merge(
        [read_aggregate(_school_file(tmp_path, "06EF", 60, 2000, threshold=15)), read_aggregate(files[0])]
    )
    assert mixed.threshold == 15 and str(notes[0]).startswith("thresholds differ (15, 10)")


def test_the_merge_refuses_what_is_not_an_aggregate_or_was_edited(tmp_path: Path, school_dir: Path) -> None:
    good = _school_file(tmp_path, "04AB", 60, 0)
    other = _school_file(tmp_path, "05CD", 60, 1000, last=date_of("2027-06-30"))
    shortlist = tmp_path / "list.csv"
    shortlist.write_text("Leerling;Kans\n1;2%\n")
    refused = runner.invoke(app, ["aggregate", "merge", str(good), str(shortlist)])
    assert refused.exit_code == 1 and "is geen overzicht van riskscreen" in refused.stderr
    folder = runner.invoke(app, ["aggregate", "merge", str(good), str(tmp_path), "--lang", "en"])
    assert folder.exit_code == 1
    assert f"error: {tmp_path}: is a folder, not a riskscreen aggregate file: refused" in folder.stderr
    periods = runner.invoke(app, ["aggregate", "merge", str(good), str(other), "--lang", "en"])
    assert periods.exit_code == 2 and "the aggregates cover different periods" in periods.stderr
    doc = json.loads(good.read_text())
    table = next(t for t in doc["tables"] if t["key"] == "screened_by_level")
    table["cells"][0][0] = 3  # a count below the threshold, written in by hand
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    result = runner.invoke(app, ["aggregate", "merge", str(good), str(edited)])
    assert result.exit_code == 1 and "met de hand bewerkt, dus geweigerd" in result.stderr


def test_the_command_line_writes_the_aggregate_of_a_workspace(tmp_path: Path, school_dir: Path) -> None:
    ws = tmp_path / "ws"
    listed = runner.invoke(app, ["shortlist", str(school_dir), "--workspace", str(ws), "-f", "csv", "--store"])
    assert listed.exit_code == 0
    out = tmp_path / "04AB.json"
    made = runner.invoke(app, ["aggregate", "--workspace", str(ws), "-o", str(out)])
    assert made.exit_code == 0, made.stderr
    published = read_aggregate(out)
    assert published.table("screened_by_level").total == 160
    low = runner.invoke(app, ["aggregate", "--workspace", str(ws), "--threshold", "3"])
    assert low.exit_code == 2 and "--threshold 3 is lager dan 5" in low.stderr
    shown = runner.invoke(app, ["aggregate", "--workspace", str(ws)])
    assert shown.stdout.startswith("# Signalering en aanpak voortijdig schoolverlaten: school\n")
    assert "| **Totaal** |" in shown.stdout


def test_every_combination_of_formats_renders(tmp_path: Path) -> None:
    published = suppress(
        count("04AB", [snapshot("2026-09-11", listed_students(60))], ActionBook(), FIRST, LAST, 10, REFERRAL_TARGETS)
    )
    for fmt, lang in itertools.product(("table", "md", "json", "csv"), ("nl", "en")):
        assert render_aggregate(published, fmt, lang)


# ------------------------------------------------------------------------------------ what the counts rest on
def based(as_of: str, basis: dict[str, object], n: int = 60) -> Snapshot:
    return replace(snapshot(as_of, listed_students(n)), basis=basis)


DEMO_BASIS = {
    "model": "demo",
    "demonstration": True,
    "rules": "16/4",
    "rmc_hours": 16.0,
    "calendar": "holidays",
    "public_holidays": "python-holidays 0.109 (NL)",
}


def test_the_aggregate_states_the_model_rules_and_calendar_of_its_lists() -> None:
    week1 = listed_students(60)
    week1["S0000"].update(statutory=[report("16u", "2026-09-11")])
    lists = [
        replace(snapshot("2026-09-11", week1), basis=DEMO_BASIS),
        based("2026-09-18", {**DEMO_BASIS, "model": "eigen", "demonstration": False, "rmc_hours": 12.0}),
        snapshot("2026-09-25", listed_students(60)),
    ]  # a list from before the basis was kept
    basis = count("04AB", lists, ActionBook(), FIRST, LAST, 10, REFERRAL_TARGETS).basis
    assert basis == Basis(
        models=("demo", "eigen", "unknown"),
        demonstration="yes",
        rules=("16/4", "unknown"),
        rmc_hours=("12", "16", "unknown"),
        hours=("lesuren",),
        calendars=("holidays", "unknown"),
        public_holidays=("python-holidays 0.109 (NL)", "unknown"),
        lists=3,
    )
    own = count(
        "04AB",
        [based("2026-09-11", {**DEMO_BASIS, "model": "eigen", "demonstration": False})],
        ActionBook(),
        FIRST,
        LAST,
        10,
        REFERRAL_TARGETS,
    ).basis
    assert (own.demonstration, own.hours) == ("no", ())
    assert own.merged(basis) == replace(basis, lists=4)


def test_the_basis_is_read_back_from_every_format(tmp_path: Path) -> None:
    """Issue #25 item 4: the model (and that it is the demonstration model), the rules and hours basis, the
    calendar, the threshold and the period, in JSON, Markdown, CSV, PDF, HTML and XLSX."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    week1 = listed_students(60)
    week1["S0000"].update(statutory=[report("16u", "2026-09-11")])
    published = suppress(
        count(
            "04AB",
            [replace(snapshot("2026-09-11", week1), basis=DEMO_BASIS)],
            ActionBook(),
            FIRST,
            LAST,
            10,
            REFERRAL_TARGETS,
        )
    )
    path = tmp_path / "04AB.json"
    path.write_text(to_json(published))
    assert read_aggregate(path).basis == published.basis
    assert json.loads(path.read_text())["basis"]["demonstration"] == "yes"
    lines = [
        "Periode 01-08-2026 tot en met 31-07-2027.",
        "Aantallen onder 10 staan als",
        "Model: demo, op 1 weeklijsten. Dit is het demonstratiemodel, getraind op verzonnen gegevens: de "
        "risiconiveaus zeggen niets over echte leerlingen.",
        "Regels: melding na 16 uur ongeoorloofd verzuim in 4 lesweken (de wet: 16 uur in 4 lesweken; bron: DUO, "
        "Leerplichtwet art. 21), 18+ (RMC) vanaf 16 uur volgens de regionale afspraak; uren geteld als lesuren.",
        "Kalender: lesweken volgens het vakantierooster van de school (vakanties.csv); feestdagen uit "
        "python-holidays 0.109 (NL).",
    ]
    markdown = str(render_aggregate(published, "md", "nl"))
    html = str(render_aggregate(published, "html", "nl"))
    pdf = " ".join(
        " ".join(p.extract_text().split())
        for p in PdfReader(io.BytesIO(bytes(render_aggregate(published, "pdf", "nl")))).pages
    )
    sheet = load_workbook(io.BytesIO(bytes(render_aggregate(published, "xlsx", "nl")))).worksheets[0]
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for line in lines:
        assert line in markdown and line in html and line in pdf and line in cells, line
    import csv

    rows = list(csv.reader(io.StringIO(str(render_aggregate(published, "csv", "nl"))), delimiter=";"))
    assert rows[1:4] == [
        ["Grondslag", "Model", "", lines[2].removeprefix("Model: ")],
        ["Grondslag", "Regels", "", lines[3].removeprefix("Regels: ")],
        ["Grondslag", "Kalender", "", lines[4].removeprefix("Kalender: ")],
    ]
    english = str(render_aggregate(published, "md", "en"))
    assert "Model: demo, on 1 weekly lists. This is the demonstration model" in english


def test_a_file_of_format_version_1_reads_with_its_basis_unknown(tmp_path: Path) -> None:
    published = suppress(
        count("04AB", [snapshot("2026-09-11", listed_students(60))], ActionBook(), FIRST, LAST, 10, REFERRAL_TARGETS)
    )
    doc = json.loads(to_json(published))
    doc["format_version"] = 1
    del doc["basis"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc))
    assert read_aggregate(path).basis == Basis()
    doc["format_version"] = 3
    path.write_text(json.dumps(doc))
    refused = runner.invoke(app, ["aggregate", "merge", str(path), str(path), "--lang", "en"])
    assert refused.exit_code == 1
    assert "is an aggregate of format version 3; this riskscreen reads versions 1 and 2" in refused.stderr


def test_a_schools_own_referral_target_is_data_in_every_format() -> None:
    """Issue #26 item 14: a target from the workspace's settings reached the aggregate raw: '<script>' in its
    Markdown and '=HYPERLINK(...)' as a live formula in its XLSX."""
    import io

    from openpyxl import load_workbook

    targets = ("<script>alert(1)</script>", '=HYPERLINK("http://x","y")', "other")
    actions = tuple(
        Action(i, f"S{i:04d}", date_of("2026-09-14"), "x", "referral", "mentor", referral=targets[i % 2])
        for i in range(1, 31)
    )
    published = suppress(
        count("04AB", [snapshot("2026-09-11", listed_students(60))], ActionBook(actions, ()), FIRST, LAST, 10, targets)
    )
    markdown = str(render_aggregate(published, "md", "nl"))
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    sheet = load_workbook(io.BytesIO(bytes(render_aggregate(published, "xlsx", "nl"))))["verwijzingen"]
    labels = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x","y")' in labels and not any(v.startswith("=") for v in labels)
    html = str(render_aggregate(published, "html", "nl"))
    assert "<script>alert" not in html


def test_the_merge_refuses_edited_sums_missing_totals_absurd_counts_and_a_school_twice(tmp_path: Path) -> None:
    """Issue #26 item 13: a count edited from 26 to 60, a file without totals and a 30-digit count were merged; a
    400-digit count ended in exit 3; "04ab" and " 04AB" passed the same-school refusal."""
    good = _school_file(tmp_path, "04AB", 60, 0)
    other = _school_file(tmp_path, "05CD", 80, 1000)
    doc = json.loads(good.read_text())
    level = next(t for t in doc["tables"] if t["key"] == "screened_by_level")

    def variant(name: str, change) -> Path:  # type: ignore[no-untyped-def]
        edited = json.loads(good.read_text())
        change(edited)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(edited))
        return path

    def table(d: dict) -> dict:  # type: ignore[type-arg]
        return next(t for t in d["tables"] if t["key"] == "screened_by_level")

    assert isinstance(level["total"], int)
    cases = {
        "sum": (
            variant("sum", lambda d: table(d).update(total=table(d)["total"] + 34)),
            "holds counts that no longer add up (screened_by_level:*:*): edited by hand, so refused",
        ),
        "totals": (
            variant("totals", lambda d: table(d).update(row_totals=None)),
            "has a table without its totals (screened_by_level): edited by hand, so refused",
        ),
        "digits30": (
            variant("digits30", lambda d: table(d).update(total=10**29)),
            "is an aggregate file that cannot be read (damaged or edited)",
        ),
        "digits400": (
            variant("digits400", lambda d: table(d).update(total=10**399)),
            "is an aggregate file that cannot be read (damaged or edited)",
        ),
    }
    for name, (path, message) in cases.items():
        refused = runner.invoke(app, ["aggregate", "merge", str(path), str(other), "--lang", "en"])
        assert refused.exit_code == 1, (name, refused.stderr)
        assert message in refused.stderr, (name, refused.stderr)
    for code in ("04ab", " 04AB"):
        twice = variant(f"twice{code.strip()}", lambda d, code=code: d.update(schools=[code]))
        refused = runner.invoke(app, ["aggregate", "merge", str(good), str(twice), "--lang", "en"])
        assert refused.exit_code == 2 and "a school is in more than one aggregate" in refused.stderr, refused.stderr
