"""The outcome as DUO counts it (#24 item 1): a student enrolled elsewhere is not a school leaver, and an as-of
date whose follow-up is not over in the data is refused, with the date from which it can be trained on.

Source: DUO / OCW, VSV-monitor: a new voortijdig schoolverlater is a young person under 23 who was enrolled in one
year, is not enrolled anywhere the next year, and left without a startkwalificatie (docs/features.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from tests.helpers import run

from riskscreen.errors import UsageError
from riskscreen.ingest.outcomes import check_follow_up, follow_up_end, left_early
from riskscreen.ingest.pipeline import load_exports


def test_a_student_enrolled_elsewhere_is_not_a_school_leaver() -> None:
    outcomes = pd.DataFrame(
        {
            "student_id": ["a", "b", "c", "d", "e"],
            "left_without_qualification": [1.0, 1.0, 0.0, 1.0, 0.0],
            "enrolled_elsewhere": [0.0, 1.0, 1.0, None, None],
        }
    )
    assert left_early(outcomes).tolist() == [1.0, 0.0, 0.0, 1.0, 0.0]
    assert left_early(outcomes.drop(columns="enrolled_elsewhere")).tolist() == [1.0, 1.0, 0.0, 1.0, 0.0]


def test_the_follow_up_ends_the_same_day_months_later_or_on_the_months_last_day() -> None:
    assert follow_up_end(dt.date(2025, 11, 28), 12) == dt.date(2026, 11, 28)
    assert follow_up_end(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert follow_up_end(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)
    assert follow_up_end(dt.date(2025, 10, 1), 24) == dt.date(2027, 10, 1)


def test_an_as_of_date_whose_follow_up_is_not_over_is_refused_with_the_day_it_can_be() -> None:
    check_follow_up([dt.date(2024, 11, 29), dt.date(2025, 11, 28)], dt.date(2026, 11, 27))  # a week's grace
    with pytest.raises(UsageError) as refused:
        check_follow_up([dt.date(2024, 11, 29), dt.date(2025, 11, 28)], dt.date(2026, 6, 30))
    assert str(refused.value) == (
        "the outcomes of as-of 2025-11-28 are not known yet: its follow-up of 12 months runs to 2026-11-28, "
        "and the data end on 2026-06-30\n  How to fix: leave out the as-of dates from 2025-11-28 on (this one "
        "can be trained on from 2026-11-21), or give `follow_up` the months the outcomes were counted over"
    )
    check_follow_up([dt.date(2025, 11, 28)], dt.date(2026, 6, 30), months=6)
    with pytest.raises(UsageError, match="`follow_up` must be from 1 to 60 months, not 0"):
        check_follow_up([dt.date(2025, 11, 28)], dt.date(2026, 6, 30), months=0)


def _history_cut(history_dir: Path, target: Path, last: str) -> Path:
    """The history's exports as if they were made on `last`: registrations and grades after it left out."""
    target.mkdir()
    for path in history_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name in {"absenties.csv", "cijfers.csv"}:
            head, *rows = text.splitlines()
            at = head.split(";").index("Datum")
            kept = [r for r in rows if dt.datetime.strptime(r.split(";")[at], "%d-%m-%Y").date().isoformat() <= last]
            text = "\n".join([head, *kept]) + "\n"
        (target / path.name).write_text(text, encoding="utf-8")
    return target


def test_train_refuses_outcomes_not_known_yet_and_the_card_states_the_definition(
    history_dir: Path, tmp_path: Path
) -> None:
    early = _history_cut(history_dir, tmp_path / "early", "2026-09-30")
    refused = run("train", early, "--out", tmp_path / "m1", "--bootstrap", "0", "--lang", "en")
    assert refused.exit_code == 2
    assert "error: the outcomes of as-of 2025-11-28 are not known yet" in refused.stderr
    assert "give --follow-up the months the outcomes were counted over" in refused.stderr
    six = run("train", early, "--out", tmp_path / "m2", "--bootstrap", "0", "--follow-up", "6", "--lang", "en")
    assert six.exit_code == 0, six.stderr
    card = (tmp_path / "m2" / "card.md").read_text(encoding="utf-8")
    assert (
        "- the outcome: left without a startkwalificatie and not enrolled elsewhere (DUO's voortijdig "
        "schoolverlater), within 6 months after the as-of date" in card
    )


def test_a_profile_reads_enrolled_elsewhere_by_its_dutch_header(tmp_path: Path) -> None:
    (tmp_path / "absenties.csv").write_text(
        "Stamnummer;Datum;Lesuur;Absentiesoort\n1001;02-09-2026;1;Ziek\n", encoding="utf-8"
    )
    (tmp_path / "cijfers.csv").write_text(
        "Stamnummer;Vak;Datum;Cijfer;Weging\n1001;Engels;02-09-2026;6,5;1\n", encoding="utf-8"
    )
    (tmp_path / "uitstroom.csv").write_text(
        "Stamnummer;Peildatum;Voortijdig schoolverlater;Ingeschreven elders\n"
        "1001;01-09-2025;1;Ja\n1002;01-09-2025;1;\n",
        encoding="utf-8",
    )
    exports = load_exports(tmp_path, today=dt.date(2026, 11, 30))
    assert exports.outcomes is not None
    assert exports.outcomes["enrolled_elsewhere"].tolist()[0] == 1.0
    assert left_early(exports.outcomes).tolist() == [0.0, 1.0]
