"""The weekly cycle end to end: two weekly exports in different folders, a workspace that history follows,
actions read back from the filled-in list, statutory follow-up, retention, names at print time, the lock."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.demo import files as demo_files
from riskscreen.demo import sample

runner = CliRunner()


def run(*args: object) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def weeks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same school exported on Friday 20 and Friday 27 November 2026, in week47/ and week48/."""
    folder = tmp_path_factory.mktemp("exports")
    demo_files.write_weeks(sample.generate(160, seed=11), folder, 2)
    return folder


def fill_in(listing: Path, out: Path, rows: dict[str, tuple[str, str, str, str, str]]) -> None:
    """What a youth worker writes in the XLSX list: per student action, type, referral, who, review date."""
    from openpyxl import load_workbook

    wb = load_workbook(listing)
    for ws in wb.worksheets[1:]:
        head = [c.value for c in ws[1]]
        if "Afgesproken actie" not in head:  # the sheet of all students has no write-in columns
            continue
        col = {h: i + 1 for i, h in enumerate(head)}
        for r in range(2, ws.max_row + 1):
            sid = ws.cell(r, col["Leerling"]).value
            if sid in rows:
                for heading, value in zip(
                    ("Afgesproken actie", "Soort actie", "Verwezen naar", "Wie", "Opnieuw bekijken op"),
                    rows[sid],
                    strict=True,
                ):
                    ws.cell(r, col[heading], value or None)
    wb.save(out)


def week48_records(csv_text: str) -> dict[str, dict[str, str]]:
    return {r["Leerling"]: r for r in csv.DictReader(io.StringIO(csv_text.removeprefix("\ufeff")), delimiter=";")}


def test_two_weeks_of_the_cycle(weeks: Path, tmp_path: Path, golden) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    first = run("shortlist", weeks / "week47", "--workspace", ws, "-o", tmp_path / "week47.xlsx")
    assert first.exit_code == 0, first.stderr
    assert "geschiedenis gelezen uit" in first.stderr and "Geen eerdere lijst" not in first.stderr
    fill_in(
        tmp_path / "week47.xlsx",
        tmp_path / "filled.xlsx",
        {
            "111124": ("gesprek over de maandagen", "gesprek", "", "jongerenwerker Sanne", "25-11-2026"),
            "111140": (
                "aanmelden bij schoolmaatschappelijk werk",
                "verwijzing",
                "schoolmaatschappelijk werk",
                "mentor",
                "11-12-2026",
            ),
        },
    )
    imported = run("actions", "import", tmp_path / "filled.xlsx", "--workspace", ws)
    assert imported.exit_code == 0, imported.stderr
    assert f"2 actie(s) uit 2 ingevulde rij(en) toegevoegd aan {ws / 'school'}\n" in imported.stderr
    again = run("actions", "import", tmp_path / "filled.xlsx", "--workspace", ws)
    assert "0 actie(s) uit 2 ingevulde rij(en) toegevoegd aan" in again.stderr
    assert again.stderr.rstrip().endswith("; 2 al eerder ingelezen")
    reported = run("actions", "reported", "111081", "--on", "2026-11-24", "--workspace", ws)
    assert reported.exit_code == 0, reported.stderr
    listed = run("actions", "list", "--workspace", ws, "--format", "json")
    actions = json.loads(listed.stdout)
    assert [
        (a["id"], a["student_id"], a["agreed"], a["type"], a["referral"], a["who"], a["worker"], a["review"])
        for a in actions
    ] == [
        (1, "111140", "2026-11-20", "referral", "schoolmaatschappelijk_werk", "mentor", None, "2026-12-11"),
        (2, "111124", "2026-11-20", "conversation", None, "youth_worker", "Sanne", "2026-11-25"),
    ]
    # week 48 comes from another folder and still finds last week's list, actions and the report
    second = run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    assert second.exit_code == 0, second.stderr
    golden("cycle_week48_nl.csv", second.stdout)
    rows = week48_records(second.stdout)
    sanne = rows["111124"]
    assert sanne["Lopende actie"] == (
        "gesprek over de maandagen (jongerenwerker Sanne; afgesproken 20-11-2026); "
        "OPNIEUW BEKIJKEN IS OVER TIJD (was 25-11-2026); Sinds de actie: "
        "uren geoorloofd afwezig, laatste 12 lesweken: 2 → 4; "
        "uren ongeoorloofd afwezig, laatste 4 lesweken: 3 → 6; "
        "keer te laat, laatste 4 lesweken: 2 → 3"
    )
    assert sanne["Verandering"].startswith("gestegen met 15 procentpunt; risico; Sinds de vorige lijst: ")
    assert rows["111140"]["Lopende actie"] == (
        "aanmelden bij schoolmaatschappelijk werk (mentor; afgesproken "
        "20-11-2026); verwijzing naar schoolmaatschappelijk werk: aangemeld "
        "sinds 20-11-2026 (1 wk); opnieuw bekijken op 11-12-2026; Sinds de "
        "actie: "
        "keer te laat, laatste 4 lesweken: 2 → 1; "
        "uren geoorloofd afwezig, laatste 12 lesweken: 0 → 1; "
        "onvoldoendes, laatste 12 lesweken: 8 → 7"
    )
    # the report recorded on 24-11 covered 111081's oldest open report, late; the vervolgmelding after it (DUO: every
    # 16 hours a report of its own) is still due
    assert rows["111081"]["Signalen"] == (
        "16-urenregel, vervolgmelding: 16 lesuren ongeoorloofd, 06-11-2026 t/m 27-11-2026; melden bij DUO uiterlijk "
        "04-12-2026"
    )
    # eight open RMC reports: the oldest and the newest, the rest counted (page 1 lists them all); the M@ZL signal
    assert rows["111069"]["Signalen"] == (
        "18+ verzuim (RMC): 16 lesuren ongeoorloofd, 24-08-2026 t/m 31-08-2026; TE LAAT: had uiterlijk 07-09-2026 "
        "gemeld moeten zijn; volgens de regionale afspraak; en nog 6 open melding(en): zie de wettelijke meldingen "
        "vooraan | 18+ verzuim (RMC): 24 lesuren ongeoorloofd, 05-11-2026 t/m 11-11-2026; TE LAAT: had uiterlijk "
        "18-11-2026 gemeld moeten zijn; volgens de regionale afspraak | zorgelijk ziekteverzuim (M@ZL): 4 "
        "ziekmeldingen, 14-09-2026 t/m 19-11-2026; eerste stap: gesprek met de jongere, daarna de jeugdarts"
    )
    changes = {sid: r["Verandering"].split(";")[0] for sid, r in rows.items()}
    assert {c.split(" met ")[0] for c in changes.values()} >= {
        "nieuw op de lijst",
        "gestegen",
        "gedaald",
        "ongeveer gelijk",
    }
    md = run("shortlist", weeks / "week48", "--workspace", ws, "-f", "md", "--no-history")
    golden("cycle_week48_nl.md", md.stdout)
    assert "Van de lijst af sinds de vorige keer: " in md.stdout
    statutory = md.stdout.split("## Mentor")[0]
    # the report made is on page 1 among those reported in the last 4 weeks, late (its deadline had passed), after
    # every report still open; the student's later report is open, among the others by deadline
    assert statutory.rstrip().endswith(
        "| 111081 | MNT15 | 16-urenregel: 16 lesuren ongeoorloofd, 07-09-2026 t/m 30-09-2026; gemeld op "
        "24-11-2026, te laat: uiterlijk 07-10-2026 |"
    )
    assert (
        "| 111081 | MNT15 | 16-urenregel, vervolgmelding: 16 lesuren ongeoorloofd, 06-11-2026 t/m 27-11-2026; "
        "melden bij DUO uiterlijk 04-12-2026 |"
    ) in statutory
    assert statutory.index("111069") < statutory.index("111081")  # earliest deadline first


def test_a_second_run_of_a_date_is_kept_as_run_two(weeks: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    for _ in range(2):
        assert run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    third = run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    assert "momentopname opgeslagen in" in third.stderr
    assert "(run 3 van die datum; eerdere runs bewaard)" in third.stderr
    assert sorted(p.name for p in (ws / "school" / "snapshots").iterdir()) == [
        "shortlist-2026-11-27-2.json",
        "shortlist-2026-11-27-3.json",
        "shortlist-2026-11-27.json",
    ]
    history = run("history", "--workspace", ws, "--format", "csv")
    assert history.stdout.splitlines() == [
        "\ufeffDatum;Run;Model;Op de lijst;Leerlingen",
        "2026-11-27;1;demo;28;160",
        "2026-11-27;2;demo;28;160",
        "2026-11-27;3;demo;28;160",
    ]


def test_an_as_of_weeks_after_the_data_is_refused(weeks: Path, tmp_path: Path) -> None:
    result = run("shortlist", weeks / "week47", "--workspace", tmp_path, "--as-of", "2026-12-31")
    assert result.exit_code == 2
    assert (
        "fout: --as-of 31-12-2026 ligt meer dan een week na de laatste registratie in de exports (20-11-2026)\n"
        "  Zo los je het op: gebruik --as-of 20-11-2026, of exporteer de weken tot en met 31-12-2026" in result.stderr
    )
    assert not (tmp_path / "school").exists()


def test_a_hand_edited_list_is_refused_row_by_row_and_nothing_is_stored(weeks: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("shortlist", weeks / "week47", "--workspace", ws, "-o", tmp_path / "l.csv").exit_code == 0
    lines = (tmp_path / "l.csv").read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0].removeprefix("\ufeff")], delimiter=";"))
    col = {h: i for i, h in enumerate(header)}

    def edited(row: str, **cells: str) -> str:
        values = next(csv.reader([row], delimiter=";"))
        for heading, value in cells.items():
            values[col[heading]] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="", delimiter=";").writerow(values)
        return out.getvalue()

    body = [
        edited(lines[1], **{"Afgesproken actie": "gesprek", "Wie": "mentor", "Opnieuw bekijken op": "volgende week"}),
        edited(lines[2], **{"Afgesproken actie": "gesprek", "Wie": "mentor", "Opnieuw bekijken op": "11-12"}),
        edited(lines[3], **{"Afgesproken actie": "gesprek", "Wie": "de buurman"}),
        edited(lines[4], **{"Afgesproken actie": "bellen met moeder Jansen", "Wie": "mentor"}),
        edited(lines[5], **{"Leerling": "999999", "Afgesproken actie": "gesprek", "Wie": "mentor"}),
        edited(lines[6], **{"Afgesproken actie": "gesprek", "Wie": "mentor"}),  # a good row: not stored either
        ",,,,,,,,,,,,,,,,,",
    ]
    (tmp_path / "filled.csv").write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    result = run("actions", "import", tmp_path / "filled.csv", "--workspace", ws)
    assert result.exit_code == 1
    assert "5 rij(en) met een probleem; er is niets ingelezen" in result.stderr
    assert "rij 2, kolom 'review': 'volgende week' is geen datum: schrijf hem als DD-MM-JJJJ" in result.stderr
    assert "rij 3, kolom 'review': '11-12' heeft geen jaar: schrijf de hele datum, zoals 11-12-2026" in result.stderr
    assert "rij 4, kolom 'who': 'de buurman' is geen rol" in result.stderr
    assert (
        "rij 5: de actie bevat een naam; acties worden bewaard zonder iets waaraan een persoon te herkennen is"
        in result.stderr
    )
    assert "rij 6, kolom 'student_id': leerling '999999' staat niet in de exports van deze school" in result.stderr
    english = run("actions", "import", "--lang", "en", tmp_path / "filled.csv", "--workspace", ws)
    assert "row 6, column 'student_id': student '999999' is not in this school's exports" in english.stderr
    assert "Jansen" not in result.stderr
    assert not (ws / "school" / "actions.json").exists()


def test_actions_from_the_terminal_and_their_end(weeks: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("actions", "add", "111016", "--what", "x", "--workspace", ws).exit_code == 2  # no list yet
    assert run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    added = run(
        "actions",
        "add",
        "111016",
        "--what",
        "huisbezoek",
        "--type",
        "home_visit",
        "--who",
        "Jongerenwerker",
        "--worker",
        "Amir",
        "--review",
        "2026-12-11",
        "--on",
        "2026-11-27",
        "--workspace",
        ws,
    )
    assert added.exit_code == 0
    assert "actie 1 vastgelegd voor leerling 111016; opnieuw bekijken op 11-12-2026" in added.stderr
    bad = run("actions", "add", "111016", "--what", "x", "--referral", "tandarts", "--workspace", ws)
    assert bad.exit_code == 2 and "'tandarts' staat niet in de lijst van instanties van deze werkmap" in bad.stderr
    view = run("shortlist", weeks / "week48", "--workspace", ws, "--by", "youthworker", "-f", "md", "--no-history")
    assert "## Jongerenwerker: Amir" in view.stdout and view.stdout.count("| 111016 |") == 1
    closed = run("actions", "close", "1", "--outcome", "komt weer elke dag", "--on", "2026-11-30", "--workspace", ws)
    assert closed.exit_code == 0 and "actie 1 gesloten op 30-11-2026" in closed.stderr
    assert run("actions", "close", "1", "--outcome", "x", "--workspace", ws).exit_code == 2
    assert "geen open acties" in run("actions", "list", "--workspace", ws).stderr
    stored = json.loads((ws / "school" / "actions.json").read_text())
    assert stored["actions"][0]["outcome"] == "komt weer elke dag"
    assert oct((ws / "school" / "actions.json").stat().st_mode & 0o777) == "0o600"


def test_retention_prunes_old_snapshots_and_closed_actions(weeks: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("shortlist", weeks / "week47", "--workspace", ws, "-f", "csv", "--store")
    run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    dry = run("history", "--workspace", ws, "prune", "--older-than", "1w", "--dry-run")
    assert (
        dry.exit_code == 0
        and "zou 1 momentopname(n), 0 gesloten actie(s) en 0 melding(en) van voor 23-11-2026 verwijderen" in dry.stderr
    )
    assert len(list((ws / "school" / "snapshots").iterdir())) == 2
    pruned = run("history", "--workspace", ws, "prune", "--older-than", "1w")
    assert "1 momentopname(n), 0 gesloten actie(s) en 0 melding(en) van voor 23-11-2026 verwijderd" in pruned.stderr
    assert [p.name for p in (ws / "school" / "snapshots").iterdir()] == ["shortlist-2026-11-27.json"]
    assert "er is geen bewaartermijn ingesteld" in run("history", "--workspace", ws, "prune").stderr


def test_names_are_printed_never_stored(weeks: Path, tmp_path: Path) -> None:
    names = tmp_path / "private" / "namen.csv"
    names.parent.mkdir()
    names.write_text("leerling;naam\n111090;Test Leerling Een\n", encoding="utf-8")
    ws = tmp_path / "ws"
    result = run("shortlist", weeks / "week48", "--workspace", ws, "--names", names, "-f", "md")
    assert result.exit_code == 0, result.stderr
    assert "VERTROUWELIJK: deze lijst bevat namen." in result.stdout and "Test Leerling Een" in result.stdout
    for path in (ws / "school").rglob("*"):
        if path.is_file():
            assert "Test Leerling" not in path.read_text(encoding="utf-8", errors="replace")
    (weeks / "week48" / "namen.csv").write_text("x", encoding="utf-8")
    try:
        inside = run("shortlist", weeks / "week48", "--workspace", ws, "--names", weeks / "week48" / "namen.csv")
        assert inside.exit_code == 2 and "staat in de exportmap" in inside.stderr
    finally:
        (weeks / "week48" / "namen.csv").unlink()


def test_the_workspace_is_found_as_documented(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from riskscreen.workspace.location import locate

    monkeypatch.chdir(tmp_path)
    assert locate().chosen_by == "RISKSCREEN_HOME"
    made = run("init", "--school", "04AB", "--workspace", tmp_path / "home", "--retention-weeks", "52")
    assert made.exit_code == 0, made.stderr
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    found = locate()
    assert (found.folder, found.settings.retention_weeks) == ((tmp_path / "home" / "04AB").resolve(), 52)
    assert found.chosen_by.startswith("riskscreen.toml")
    assert locate(tmp_path / "other", "X1").folder == tmp_path / "other" / "X1"
    monkeypatch.chdir(tmp_path)
    again = run("init", "--school", "04AB", "--workspace", tmp_path / "home")
    assert again.exit_code == 2 and "riskscreen.toml bestaat al" in again.stderr
    assert (
        "'../etc' kan geen naam zijn van de werkmap van een school"
        in run("init", "--school", "../etc", "--force").stderr
    )


def test_two_runs_at_once_are_refused_clearly(weeks: Path, tmp_path: Path) -> None:
    from riskscreen.workspace.location import locate
    from riskscreen.workspace.store import locked

    ws = tmp_path / "ws"
    with locked(locate(ws)):
        import subprocess
        import sys

        command = [
            sys.executable,
            "-m",
            "riskscreen",
            "shortlist",
            str(weeks / "week48"),
            "--workspace",
            str(ws),
            "-f",
            "csv",
            "--store",
        ]
        other = subprocess.run(command, capture_output=True, text=True, check=False)
    assert other.returncode == 1
    assert "een andere run van riskscreen (proces" in other.stderr and "gebruikt de werkmap" in other.stderr
    assert not (ws / "school" / "snapshots").exists() or not list((ws / "school" / "snapshots").iterdir())


def test_one_run_writes_every_format_and_stores_one_snapshot(weeks: Path, tmp_path: Path) -> None:
    """Issue #23 item 4: -o given twice writes both files from one computation and stores one snapshot; a look in
    the terminal stores nothing unless --store."""
    ws = tmp_path / "ws"
    snapshots = ws / "school" / "snapshots"
    looked = run("shortlist", weeks / "week48", "--workspace", ws)
    assert looked.exit_code == 0
    assert (
        "geen momentopname opgeslagen: deze lijst ging alleen naar de terminal (met -o BESTAND of --store is "
        "het de lijst van deze week)"
    ) in looked.stderr
    assert not snapshots.exists() or not list(snapshots.iterdir())
    both = run(
        "shortlist", weeks / "week48", "--workspace", ws, "-o", tmp_path / "week48.pdf", "-o", tmp_path / "week48.xlsx"
    )
    assert both.exit_code == 0, both.stderr
    assert (tmp_path / "week48.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "week48.xlsx").read_bytes().startswith(b"PK")
    assert [p.name for p in snapshots.iterdir()] == ["shortlist-2026-11-27.json"]
    stored = run("shortlist", weeks / "week48", "--workspace", ws, "--store", "-f", "csv")
    assert "momentopname opgeslagen in" in stored.stderr and "(run 2" in stored.stderr
    assert sorted(p.name for p in snapshots.iterdir()) == ["shortlist-2026-11-27-2.json", "shortlist-2026-11-27.json"]
    clash = run(
        "shortlist",
        weeks / "week48",
        "--workspace",
        ws,
        "-f",
        "pdf",
        "-o",
        tmp_path / "a.pdf",
        "-o",
        tmp_path / "b.xlsx",
        "--lang",
        "en",
    )
    assert clash.exit_code == 2
    assert "--format applies to one --output; with several, each takes the format of its extension" in clash.stderr
    twice = run("shortlist", weeks / "week48", "--workspace", ws, "-o", tmp_path / "c.pdf", "-o", tmp_path / "c.pdf")
    assert twice.exit_code == 2 and "dezelfde --output is twee keer gegeven" in twice.stderr
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "c.pdf").exists()


def test_prune_refuses_a_period_of_nothing_or_forever_and_always_keeps_the_newest_list(
    weeks: Path, tmp_path: Path
) -> None:
    """Issue #26 item 1: "0d" and "-5d" were read as one week and removed lists with exit 0; a period beyond the
    calendar ended in exit 3. Each is refused and nothing is removed; a prune names what it removes, and the newest
    list stays even when every list is older than the period."""
    ws = tmp_path / "ws"
    run("shortlist", weeks / "week47", "--workspace", ws, "-f", "csv", "--store")
    run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    snapshots = ws / "school" / "snapshots"
    for period in ("0d", "-5d", "0w"):
        refused = run("history", "--workspace", ws, "prune", "--older-than", period)
        assert refused.exit_code == 2, (period, refused.stderr)
        assert f"fout: --older-than '{period}' is geen periode van 1 dag of meer" in refused.stderr
    forever = run("history", "--workspace", ws, "prune", "--older-than", "99999999999w")
    assert forever.exit_code == 2
    assert "--older-than moet van 1 week tot 5200 weken (100 jaar) zijn, niet 99999999999" in forever.stderr
    assert len(list(snapshots.iterdir())) == 2
    # a year later both lists are older than a week: the older goes, by name; the newest stays
    from riskscreen import api

    pruned = api.prune_history(api.workspace(ws), older_than_weeks=1, today=dt.date(2027, 12, 1))
    assert [p.name for p in pruned.snapshots] == ["shortlist-2026-11-20.json"]
    assert [p.name for p in snapshots.iterdir()] == ["shortlist-2026-11-27.json"]
    named = run("history", "--workspace", ws, "prune", "--older-than", "1w", "--dry-run")
    assert named.exit_code == 0 and "  - " not in named.stderr  # nothing left to remove but the newest


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(weeks: Path, tmp_path: Path) -> None:
    """Issue #26 item 2: a '.lock' that links elsewhere had every command truncate the link's target to 0 bytes."""
    ws = tmp_path / "ws"
    run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate me\n")
    lock = ws / "school" / ".lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(precious)
    refused = run("actions", "close", "1", "--outcome", "x", "--workspace", ws, "--lang", "en")
    assert refused.exit_code == 1, refused.stderr
    assert "the workspace's lock file is a link, not a file: refused" in refused.stderr
    assert precious.read_text() == "do not truncate me\n"
    lock.unlink()
    os.mkfifo(lock)
    odd = run("actions", "close", "1", "--outcome", "x", "--workspace", ws, "--lang", "en")
    assert odd.exit_code == 1 and "the workspace's lock file is not a regular file: refused" in odd.stderr


def test_every_folder_riskscreen_makes_is_private_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #26 item 6: under umask 000, sample, profile init and a workspace's parent folders were made 0777, and
    init left the school's folder 0755 until the first list."""
    monkeypatch.chdir(tmp_path)
    old = os.umask(0)
    try:
        assert run("sample", tmp_path / "a" / "b" / "exports", "--students", "30").exit_code == 0
        assert run("profile", "init", "ours", "--output", tmp_path / "c" / "d" / "ours.toml").exit_code == 0
        assert run("init", "--school", "04AB", "--workspace", tmp_path / "e" / "f").exit_code == 0
    finally:
        os.umask(old)
    made = [
        tmp_path / "a",
        tmp_path / "a" / "b",
        tmp_path / "a" / "b" / "exports",
        tmp_path / "c",
        tmp_path / "c" / "d",
        tmp_path / "e",
        tmp_path / "e" / "f",
        tmp_path / "e" / "f" / "04AB",
        tmp_path / "e" / "f" / "04AB" / "snapshots",
    ]
    assert {str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777) for p in made} == {
        str(p.relative_to(tmp_path)): "0o700" for p in made
    }


def test_an_older_export_is_not_stored_after_a_newer_list_unless_it_is_a_correction(
    weeks: Path, tmp_path: Path
) -> None:
    """Issue #26 item 7: week 47's exports after week 48's list were stored as a new run ("geen eerdere lijst")."""
    ws = tmp_path / "ws"
    assert run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    late = run("shortlist", weeks / "week47", "--workspace", ws, "-f", "csv", "--store")
    assert late.exit_code == 2
    assert (
        "fout: de exports zijn van 20-11-2026, van voor de laatst opgeslagen lijst (27-11-2026): opslaan zou "
        "een oude week na een nieuwere zetten"
    ) in late.stderr
    assert [p.name for p in (ws / "school" / "snapshots").iterdir()] == ["shortlist-2026-11-27.json"]
    assert run("shortlist", weeks / "week47", "--workspace", ws, "-f", "csv").exit_code == 0  # a look: fine
    fixed = run("shortlist", weeks / "week47", "--workspace", ws, "-f", "csv", "--store", "--correction")
    assert fixed.exit_code == 0, fixed.stderr
    assert sorted(p.name for p in (ws / "school" / "snapshots").iterdir()) == [
        "shortlist-2026-11-20.json",
        "shortlist-2026-11-27.json",
    ]


def test_a_list_that_is_not_stored_touches_nothing_on_disk(weeks: Path, tmp_path: Path) -> None:
    """Issue #26 item 4: `shortlist --no-history` locked (and so wrote to) the workspace, failing on a read-only
    one; a list that is not stored now only reads it."""
    ws = tmp_path / "never-made"
    for args in (["--no-history", "-f", "csv"], ["-f", "md"], ["--no-history", "-o", tmp_path / "list.pdf"]):
        looked = run("shortlist", weeks / "week48", "--workspace", ws, *args)
        assert looked.exit_code == 0, looked.stderr
        assert not ws.exists()


def test_run_ten_thousand_of_a_date_is_listed_and_never_written_twice(weeks: Path, tmp_path: Path) -> None:
    """Issue #26 item 3: with a run 9999 present, run 10000 was written twice under one name and not listed."""
    ws = tmp_path / "ws"
    run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
    folder = ws / "school" / "snapshots"
    first = folder / "shortlist-2026-11-27.json"
    (folder / "shortlist-2026-11-27-9999.json").write_bytes(first.read_bytes())
    for expected in ("10000", "10001"):
        stored = run("shortlist", weeks / "week48", "--workspace", ws, "-f", "csv", "--store")
        assert f"shortlist-2026-11-27-{expected}.json (run {expected} van die datum" in stored.stderr, stored.stderr
    listed = run("history", "--workspace", ws, "-f", "csv")
    assert listed.stdout.count("2026-11-27") == 4  # runs 1, 9999, 10000 and 10001


def test_a_riskscreen_toml_of_another_user_or_open_to_others_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #26 item 5: a riskscreen.toml owned by another user, in a world-writable folder, decided where the
    workspace (student data) went."""
    shared = tmp_path / "shared"
    (shared / "me").mkdir(parents=True)
    os.chmod(shared, 0o1777)
    planted = shared / "riskscreen.toml"
    planted.write_text(f'workspace = "{tmp_path / "theirs"}"\nschool = "04AB"\n')
    os.chown(planted, 65534, 65534)  # nobody
    monkeypatch.chdir(shared / "me")
    monkeypatch.delenv("RISKSCREEN_HOME", raising=False)
    refused = run("history", "--lang", "en")
    assert refused.exit_code == 1
    assert "riskscreen.toml belongs to another user or may be changed by others: not followed" in refused.stderr
    os.chown(planted, os.getuid(), os.getgid())
    os.chmod(planted, 0o666)  # mine, but anyone may change it
    assert run("history", "--lang", "en").exit_code == 1
    assert not (tmp_path / "theirs").exists()
