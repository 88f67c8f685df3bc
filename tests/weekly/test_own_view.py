"""The student's own view (issue #23 item 2): what goes well and what the student wants, as chosen categories,
recorded with an action (terminal or filled-in list), shown on the next lists, counted (not named) in the
municipal aggregate; free text in a category is refused."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import FIRST, LAST, date_of, fill, first_listed, listed_students, run, snapshot

from riskscreen.aggregate.counts import count
from riskscreen.workspace.actions import Action, ActionBook, load
from riskscreen.workspace.location import REFERRAL_TARGETS


def test_strengths_and_a_goal_from_the_terminal_show_on_the_next_list(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store").exit_code == 0
    added = run(
        "actions",
        "add",
        "111123",
        "--what",
        "gesprek over wat goed gaat",
        "--strength",
        "sport",
        "--strength",
        "Muziek/Kunst",
        "--strength",
        "friends",
        "--goal",
        "stage",
        "--on",
        "2026-11-20",
        "--workspace",
        ws,
    )
    assert added.exit_code == 0, added.stderr
    action = load(ws / "school" / "actions.json").actions[0]
    assert (action.strengths, action.goal) == (("sport", "music_art", "friends"), "internship")
    assert (
        run("actions", "close", "1", "--outcome", "afgesproken", "--on", "2026-11-24", "--workspace", ws).exit_code == 0
    )
    shown = run("shortlist", week48, "--workspace", ws, "-f", "md", "--by", "mentor", "--no-history")
    assert "Gaat goed: sport, muziek/kunst, vrienden; wil zelf: stage" in shown.stdout
    english = run("shortlist", week48, "--workspace", ws, "-f", "md", "--no-history", "--lang", "en")
    assert "Goes well: sport, music/art, friends; wants: an internship" in english.stdout


def test_free_text_in_a_category_is_refused_and_nothing_is_stored(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("shortlist", week48, "--workspace", ws, "-f", "csv", "--store")
    bad = run(
        "actions",
        "add",
        "111016",
        "--what",
        "x",
        "--strength",
        "voetbal bij VV De Meer",
        "--workspace",
        ws,
        "--lang",
        "en",
    )
    assert bad.exit_code == 2 and "error: unknown strength 'voetbal bij VV De Meer'" in bad.stderr
    goal = run("actions", "add", "111016", "--what", "x", "--goal", "dokter worden", "--workspace", ws)
    assert goal.exit_code == 2 and "fout: onbekend doel 'dokter worden'" in goal.stderr
    assert not (ws / "school" / "actions.json").exists()


def test_strengths_and_a_goal_are_read_back_from_the_filled_in_list(week48: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    listed = run("shortlist", week48, "--workspace", ws, "-o", tmp_path / "week48.xlsx")
    assert listed.exit_code == 0, listed.stderr
    rows = run("shortlist", week48, "--workspace", ws, "-f", "csv", "--no-history").stdout
    first, second = first_listed(rows, 2)
    fill(
        tmp_path / "week48.xlsx",
        tmp_path / "filled.xlsx",
        {
            first: {
                "Afgesproken actie": "gesprek",
                "Wie": "mentor",
                "Gaat goed": "sport; familie",
                "Wil zelf": "blijven",
            }
        },
    )
    imported = run("actions", "import", tmp_path / "filled.xlsx", "--workspace", ws)
    assert imported.exit_code == 0, imported.stderr
    action = load(ws / "school" / "actions.json").actions[0]
    assert (action.student_id, action.strengths, action.goal) == (first, ("sport", "family"), "stay")
    fill(
        tmp_path / "week48.xlsx",
        tmp_path / "wrong.xlsx",
        {second: {"Afgesproken actie": "gesprek", "Wie": "mentor", "Gaat goed": "tekenen bij oma thuis"}},
    )
    before = (ws / "school" / "actions.json").read_bytes()
    refused = run("actions", "import", tmp_path / "wrong.xlsx", "--workspace", ws)
    assert refused.exit_code == 1
    assert "kolom 'strengths': onbekend wat goed gaat: 'tekenen bij oma thuis'" in refused.stderr
    assert (ws / "school" / "actions.json").read_bytes() == before


def test_the_aggregate_counts_what_goes_well_and_what_students_want() -> None:
    """Each student once per thing named, as their latest action in the period that recorded it says; the goals
    partition the students with one."""

    def act(i: int, sid: str, agreed: str, strengths: tuple[str, ...], goal: str | None) -> Action:
        return Action(i, sid, date_of(agreed), "x", strengths=strengths, goal=goal)

    book = ActionBook(
        (
            act(1, "S0001", "2026-09-14", ("sport",), "stay"),
            act(2, "S0001", "2026-10-02", ("sport", "friends"), "internship"),  # replaces the first
            act(3, "S0002", "2026-09-15", ("family",), None),
            act(4, "S0003", "2026-09-16", (), "stay"),
            act(5, "S0004", "2026-09-16", (), None),
        )
    )  # records no view: not counted
    counted = count(
        "04AB",
        [snapshot("2026-09-11", listed_students(60)), snapshot("2026-10-09", listed_students(60))],
        book,
        FIRST,
        LAST,
        10,
        REFERRAL_TARGETS,
    )
    strengths = counted.table("strengths")
    assert dict(zip(strengths.rows, (c[0] for c in strengths.cells), strict=True)) == {
        "school_subject": 0,
        "sport": 1,
        "work": 0,
        "music_art": 0,
        "friends": 1,
        "family": 1,
        "other": 0,
    }
    assert strengths.column_totals is None  # a student may name several: no total
    goals = counted.table("goals")
    assert dict(zip(goals.rows, (c[0] for c in goals.cells), strict=True)) == {
        "stay": 1,
        "change_course": 0,
        "internship": 1,
        "start_work": 0,
        "undecided": 0,
    }
    assert goals.column_totals == (2,)
