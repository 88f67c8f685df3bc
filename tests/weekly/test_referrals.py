"""A referral followed through the network (issue #23 item 1, and #25 item 3): its states from the command line,
the refusals, the weekly list's line and waiting mark, and the municipal tables of referrals by target and state
and of waiting weeks."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.helpers import FIRST, LAST, date_of, fill, first_listed, listed_students, run, snapshot

from riskscreen.aggregate.counts import count
from riskscreen.aggregate.suppress import suppress
from riskscreen.aggregate.tables import Span
from riskscreen.render.aggregate import figures, median_bucket
from riskscreen.workspace.actions import Action, ActionBook, load
from riskscreen.workspace.location import REFERRAL_TARGETS


def test_a_referral_moves_through_every_state_from_the_command_line(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    added = run(
        "actions",
        "add",
        "111016",
        "--what",
        "aanmelden",
        "--referral",
        "jeugdhulp",
        "--on",
        "2026-10-02",
        "--workspace",
        ws,
    )
    assert added.exit_code == 0, added.stderr
    for state, on, said in (
        ("wachtlijst", "2026-10-09", "verwijzing 1: wachtlijst sinds 09-10-2026"),
        ("gestart", "2026-11-06", "verwijzing 1: gestart sinds 06-11-2026"),
        ("afgerond", "2026-11-20", "verwijzing 1: afgerond sinds 20-11-2026"),
        ("niet-gelukt", "2026-11-21", "verwijzing 1: niet gelukt sinds 21-11-2026"),
        ("aangemeld", "2026-11-23", "verwijzing 1: aangemeld sinds 23-11-2026"),
    ):
        moved = run("actions", "update", "1", "--state", state, "--on", on, "--workspace", ws)
        assert moved.exit_code == 0 and said in moved.stderr, moved.stderr
    stored = json.loads((ws / "school" / "actions.json").read_text())
    assert stored["version"] == 2
    assert stored["actions"][0]["states"] == [
        ["registered", "2026-10-02"],
        ["waiting_list", "2026-10-09"],
        ["started", "2026-11-06"],
        ["finished", "2026-11-20"],
        ["failed", "2026-11-21"],
        ["registered", "2026-11-23"],
    ]
    listed = run("actions", "list", "--workspace", ws, "-f", "csv")
    assert ";verwijzing;jeugdhulp;aangemeld;23-11-2026;" in listed.stdout and "Stand verwijzing;Sinds" in listed.stdout


def test_a_wrong_state_date_or_action_is_refused_and_nothing_is_stored(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    run(
        "actions",
        "add",
        "111016",
        "--what",
        "aanmelden",
        "--referral",
        "jeugdhulp",
        "--on",
        "2026-11-02",
        "--workspace",
        ws,
    )
    run("actions", "add", "111016", "--what", "gesprek", "--on", "2026-11-02", "--workspace", ws)
    before = (ws / "school" / "actions.json").read_bytes()
    early = run("actions", "update", "1", "--state", "gestart", "--on", "2026-11-01", "--workspace", ws)
    assert early.exit_code == 2
    assert "fout: actie 1 heeft een stand van 02-11-2026, na 01-11-2026" in early.stderr
    other = run("actions", "update", "2", "--state", "gestart", "--workspace", ws, "--lang", "en")
    assert other.exit_code == 2 and "error: action 2 is not a referral: only a referral has a state" in other.stderr
    unknown = run("actions", "update", "1", "--state", "bezig", "--workspace", ws)
    assert unknown.exit_code == 2 and "'bezig' is not one of 'aangemeld', 'wachtlijst'" in unknown.stderr
    missing = run("actions", "update", "9", "--state", "gestart", "--workspace", ws)
    assert missing.exit_code == 2 and "er is geen actie 9" in missing.stderr
    assert (ws / "school" / "actions.json").read_bytes() == before


def test_the_list_shows_the_state_and_marks_a_referral_waiting_past_four_weeks(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    listed = run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    student = first_listed(listed.stdout)[0]
    # the list is of Friday 27 November 2026: on the waiting list since 28 October is 30 days, past 4 weeks
    run(
        "actions",
        "add",
        student,
        "--what",
        "aanmelden",
        "--referral",
        "jeugdhulp",
        "--on",
        "2026-10-23",
        "--workspace",
        ws,
    )
    run("actions", "update", "1", "--state", "wachtlijst", "--on", "2026-10-28", "--workspace", ws)
    shown = run("shortlist", week48, "--workspace", ws, "-f", "md", "--no-history")
    assert (
        "verwijzing naar jeugdhulp: wachtlijst sinds 28-10-2026 (4 wk), WACHT AL LANGER DAN 4 WEKEN: "
        "zorgcoördinator" in shown.stdout
    ), shown.stdout
    run("actions", "update", "1", "--state", "gestart", "--on", "2026-11-20", "--workspace", ws)
    started = run("shortlist", week48, "--workspace", ws, "-f", "md", "--no-history")
    assert "verwijzing naar jeugdhulp: gestart sinds 20-11-2026 (1 wk)" in started.stdout
    assert "WACHT AL LANGER" not in started.stdout
    (ws / "school" / "settings.toml").write_text("referral_wait_weeks = 0\n")
    bad = run("shortlist", week48, "--workspace", ws, "-f", "md", "--no-history", "--lang", "en")
    assert bad.exit_code == 1
    assert "referral_wait_weeks must be a whole number of weeks from 1 to 52" in bad.stderr


def test_a_book_of_version_1_reads_its_referrals_as_registered_when_agreed(tmp_path: Path) -> None:
    path = tmp_path / "actions.json"
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "reports": [],
                "actions": [
                    {
                        "id": 1,
                        "student_id": "1",
                        "agreed": "2026-09-01",
                        "what": "x",
                        "type": "referral",
                        "who": "mentor",
                        "worker": None,
                        "referral": "jeugdhulp",
                        "review": None,
                        "closed": None,
                        "outcome": None,
                        "source": "terminal",
                    }
                ],
            }
        )
    )
    action = load(path).actions[0]
    assert (action.referral_state, action.first_on("registered"), action.first_on("started")) == (
        ("registered", date_of("2026-09-01")),
        date_of("2026-09-01"),
        None,
    )


def referral(i: int, agreed: str, *states: tuple[str, str], target: str = "jeugdhulp") -> Action:
    moves = tuple((name, date_of(on)) for name, on in (("registered", agreed), *states))
    return Action(i, f"S{i:04d}", date_of(agreed), "x", "referral", "mentor", referral=target, states=moves)


def test_the_aggregate_counts_referrals_by_target_and_state_and_the_weeks_until_they_start() -> None:
    """States as the period's last list (9 October) knew them; waiting weeks are whole weeks from registration to
    the start, for referrals that started in the period (one agreed in the school year before counts too)."""
    book = ActionBook(
        (
            referral(1, "2026-09-01", ("started", "2026-09-08")),  # 1 week
            referral(2, "2026-09-01", ("waiting_list", "2026-09-03"), ("started", "2026-09-29")),  # 4 weeks
            referral(3, "2026-09-02", ("waiting_list", "2026-09-10")),
            referral(4, "2026-09-02", ("failed", "2026-09-20"), target="huisarts"),
            referral(5, "2026-09-03", ("started", "2026-10-30")),  # after the last list
            referral(6, "2026-06-01", ("started", "2026-09-14")),  # 15 weeks
            referral(7, "2026-09-03", target="onbekend_team"),  # not in the list: other
        )
    )
    counted = count(
        "04AB",
        [snapshot("2026-09-11", listed_students(60)), snapshot("2026-10-09", listed_students(60))],
        book,
        FIRST,
        LAST,
        10,
        REFERRAL_TARGETS,
    )
    table = counted.table("referrals")
    assert table.columns == ("registered", "waiting_list", "started", "finished", "failed")
    got = {r: c for r, c in zip(table.rows, table.cells, strict=True) if any(c)}
    assert got == {"jeugdhulp": (1, 1, 2, 0, 0), "huisarts": (0, 0, 0, 0, 1), "other": (1, 0, 0, 0, 0)}
    assert (table.column_totals, table.total) == ((2, 1, 2, 0, 1), 6)
    wait = counted.table("referral_wait")
    assert wait.rows == (
        "weeks_0",
        "weeks_1",
        "weeks_2",
        "weeks_3",
        "weeks_4",
        "weeks_5",
        "weeks_6",
        "weeks_7",
        "weeks_8",
        "weeks_9_12",
        "weeks_13_plus",
    )
    assert (wait.cells, wait.column_totals) == (
        ((0,), (1,), (0,), (0,), (1,), (0,), (0,), (0,), (0,), (0,), (1,)),
        (3,),
    )
    assert median_bucket(wait, "nl") == "-"  # 3 referrals: a median needs 20
    many = replace(wait, cells=((3,), (5,), (2,), (9,), (3,), (0,), (0,), (0,), (0,), (0,), (0,)), column_totals=(22,))
    assert median_bucket(many, "nl") == "3 weken"  # the 11th of 22: 3 + 5 + 2 = 10 wait less
    pinned = replace(many, cells=((3,), ("primary",), *many.cells[2:]))
    assert median_bucket(pinned, "nl") == "3 weken"  # the total leaves 5 for the hidden cell
    hidden = replace(many, cells=((3,), ("primary",), (2,), ("secondary",), *many.cells[4:]))
    assert median_bucket(hidden, "nl") == "-"  # 1 week and 3 weeks hold 14 together: the 11th lies in either
    ranged = replace(many, cells=((3,), (5,), (Span(12, 14),), ("merged",), *many.cells[4:]), column_totals=(40,))
    assert median_bucket(ranged, "nl") == "2 weken"  # the 20th of 40: 8 wait less, 20 to 22 two weeks or less
    wider = replace(ranged, cells=((3,), (5,), (Span(10, 12),), *ranged.cells[3:]))
    assert median_bucket(wider, "nl") == "-"  # 18 to 20 wait two weeks or less: the 20th lies in 2 or 3 weeks
    published = suppress(counted)
    assert ("Wachttijd van aanmelding tot start van een verwijzing (mediaan)", "-") in figures(published, "nl")


def test_a_referral_state_is_read_back_from_the_filled_in_list(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    listed = run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    referred, other, third = first_listed(listed.stdout, 3)
    run(
        "actions",
        "add",
        referred,
        "--what",
        "aanmelden",
        "--referral",
        "jeugdhulp",
        "--on",
        "2026-11-20",
        "--workspace",
        ws,
    )
    made = run("shortlist", week48, "--workspace", ws, "--no-history", "-o", tmp_path / "week48.xlsx")
    assert made.exit_code == 0, made.stderr
    unchanged = run("actions", "import", tmp_path / "week48.xlsx", "--workspace", ws)  # shows 'aangemeld' as it is
    assert unchanged.exit_code == 0 and "0 actie(s) uit 1 ingevulde rij(en) toegevoegd" in unchanged.stderr
    assert "stand bijgewerkt" not in unchanged.stderr
    fill(
        tmp_path / "week48.xlsx",
        tmp_path / "filled.xlsx",
        {
            referred: {"Stand verwijzing": "wachtlijst"},
            third: {
                "Afgesproken actie": "aanmelden bij het wijkteam",
                "Soort actie": "verwijzing",
                "Verwezen naar": "anders",
                "Wie": "mentor",
            },
        },
    )
    imported = run("actions", "import", tmp_path / "filled.xlsx", "--workspace", ws)
    assert imported.exit_code == 0, imported.stderr
    assert "1 actie(s) uit 2 ingevulde rij(en) toegevoegd" in imported.stderr
    assert "; van 1 verwijzing(en) de stand bijgewerkt" in imported.stderr
    book = load(ws / "school" / "actions.json")
    assert book.actions[0].states == (("registered", date_of("2026-11-20")), ("waiting_list", date_of("2026-11-27")))
    assert (book.actions[1].referral, book.actions[1].referral_state) == (
        "other",
        ("registered", date_of("2026-11-27")),
    )
    fill(
        tmp_path / "week48.xlsx",
        tmp_path / "wrong.xlsx",
        {referred: {"Stand verwijzing": "bezig"}, other: {"Stand verwijzing": "gestart"}},
    )
    before = (ws / "school" / "actions.json").read_bytes()
    refused = run("actions", "import", tmp_path / "wrong.xlsx", "--workspace", ws)
    assert refused.exit_code == 1
    assert "2 rij(en) met een probleem; er is niets ingelezen:" in refused.stderr
    assert (
        "werkblad 'MNT02', rij 2, kolom 'referral_state': 'bezig' is geen stand van een verwijzing: schrijf "
        "aangemeld, wachtlijst, gestart, afgerond of niet gelukt"
    ) in refused.stderr
    assert (
        f"werkblad 'MNT02', rij 3, kolom 'referral_state': leerling '{other}' heeft geen open verwijzing om een "
        "stand te geven"
    ) in refused.stderr
    assert (ws / "school" / "actions.json").read_bytes() == before


def test_actions_list_speaks_dutch_and_never_cuts_a_column(
    week48: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #23 item 6: labels for codes, DD-MM-JJJJ dates, and at 80 columns a block per action; JSON keeps
    the keys and ISO dates for programs."""
    ws = tmp_path / "ws"
    run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    run(
        "actions",
        "add",
        "111016",
        "--what",
        "aanmelden",
        "--referral",
        "schoolmaatschappelijk_werk",
        "--who",
        "zorgcoördinator",
        "--review",
        "2026-12-11",
        "--on",
        "2026-11-20",
        "--workspace",
        ws,
    )
    run("actions", "update", "1", "--state", "wachtlijst", "--on", "2026-11-25", "--workspace", ws)
    monkeypatch.setenv("COLUMNS", "80")
    shown = run("actions", "list", "--workspace", ws)
    assert shown.stdout == (
        "Nr 1 · Leerling 111016 · Afgesproken op 20-11-2026\n"
        "  Soort: verwijzing\n"
        "  Verwezen naar: schoolmaatschappelijk werk\n"
        "  Stand verwijzing: wachtlijst (sinds 25-11-2026)\n"
        "  Wie: zorgcoördinator\n"
        "  Wat: aanmelden\n"
        "  Opnieuw bekijken op: 11-12-2026\n"
    )
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80
    english = run("actions", "list", "--workspace", ws, "--lang", "en")
    assert "  Referral state: waiting list (since 2026-11-25)\n" in english.stdout
    as_json = json.loads(run("actions", "list", "--workspace", ws, "-f", "json").stdout)
    assert as_json[0] | {"what": "x"} == {
        "id": 1,
        "student_id": "111016",
        "agreed": "2026-11-20",
        "type": "referral",
        "referral": "schoolmaatschappelijk_werk",
        "referral_state": "waiting_list",
        "state_since": "2026-11-25",
        "who": "coordinator",
        "worker": None,
        "what": "x",
        "review": "2026-12-11",
        "closed": None,
        "outcome": None,
    }
    monkeypatch.setenv("COLUMNS", "200")
    wide = run("actions", "list", "--workspace", ws)
    assert "┃ Nr ┃ Leerling ┃" in wide.stdout and "…" not in wide.stdout


def test_a_referral_moves_through_every_state_from_the_filled_in_list(week48: Path, tmp_path: Path) -> None:
    """Issue #23's done-when: every state, written in the list's words, read back one week's list at a time."""
    ws = tmp_path / "ws"
    listed = run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    student = first_listed(listed.stdout)[0]
    run(
        "actions",
        "add",
        student,
        "--what",
        "aanmelden",
        "--referral",
        "jeugdhulp",
        "--on",
        "2026-11-20",
        "--workspace",
        ws,
    )
    assert run("shortlist", week48, "--workspace", ws, "--no-history", "-o", tmp_path / "week48.xlsx").exit_code == 0
    seen = []
    for word in ("wachtlijst", "gestart", "afgerond", "niet gelukt", "aangemeld"):
        fill(tmp_path / "week48.xlsx", tmp_path / f"{word}.xlsx", {student: {"Stand verwijzing": word}})
        done = run("actions", "import", tmp_path / f"{word}.xlsx", "--workspace", ws)
        assert done.exit_code == 0 and "van 1 verwijzing(en) de stand bijgewerkt" in done.stderr, done.stderr
        seen.append(load(ws / "school" / "actions.json").actions[0].referral_state)
    assert seen == [
        ("waiting_list", date_of("2026-11-27")),
        ("started", date_of("2026-11-27")),
        ("finished", date_of("2026-11-27")),
        ("failed", date_of("2026-11-27")),
        ("registered", date_of("2026-11-27")),
    ]


def test_import_refuses_actions_on_the_overview_sheet_and_a_review_years_ahead(week48: Path, tmp_path: Path) -> None:
    """Issue #26 item 11: headings copied onto "Alle leerlingen" made actions of its rows; a review date in 2099
    was stored."""
    from openpyxl import load_workbook

    ws = tmp_path / "ws"
    made = run("shortlist", week48, "--workspace", ws, "-o", tmp_path / "week48.xlsx")
    assert made.exit_code == 0, made.stderr
    wb = load_workbook(tmp_path / "week48.xlsx")
    overview = wb["Alle leerlingen"]
    width = overview.max_column
    overview.cell(1, width + 1, "Afgesproken actie")
    overview.cell(1, width + 2, "Wie")
    overview.cell(2, width + 1, "gesprek")
    overview.cell(2, width + 2, "mentor")
    wb.save(tmp_path / "overview.xlsx")
    refused = run("actions", "import", tmp_path / "overview.xlsx", "--workspace", ws)
    assert refused.exit_code == 1
    assert (
        "werkblad 'Alle leerlingen', rij 2: dit werkblad toont alle leerlingen ter naslag; schrijf acties op het "
        "eigen werkblad van de mentor"
    ) in refused.stderr
    later = run(
        "actions", "add", "111016", "--what", "x", "--review", "2099-01-01", "--on", "2026-11-27", "--workspace", ws
    )
    assert later.exit_code == 2
    assert (
        "de datum om opnieuw te bekijken, 01-01-2099, ligt meer dan een jaar na de datum van de afspraak"
        in later.stderr
    )
    assert not (ws / "school" / "actions.json").exists()
