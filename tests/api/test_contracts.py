"""Typed contracts and the library API: the model card, snapshots of groups as keys, the format registry, today."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskscreen import api
from riskscreen.cli import app
from riskscreen.errors import ModelError, UsageError
from riskscreen.i18n import group_heading, group_label
from riskscreen.ingest.schema import MODELS, range_text
from riskscreen.scoring.card import card_json, parse_card
from riskscreen.scoring.store import bundled_dir, card_digest, read_card

# These tests check what errors say, in English; tests/test_messages.py checks their Dutch.
pytestmark = pytest.mark.usefixtures("english")

runner = CliRunner()


def test_the_card_reads_and_writes_back_byte_for_byte() -> None:
    text = (bundled_dir() / "demo" / "card.json").read_text(encoding="utf-8")
    card = parse_card(json.loads(text), source="card.json")
    assert card_json(card) == text
    assert card.metrics.roc_auc.value == pytest.approx(0.8917, abs=1e-9)
    assert card.parameters.c == pytest.approx(0.01) and card.scoring is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c["metrics"]["roc_auc"].update(value="high"),
            r"metrics\.roc_auc\.value: input should be a valid number",
        ),
        (lambda c: c.pop("bands"), r"bands: field required"),
        (lambda c: c.update(surprise=1), r"surprise: extra inputs are not permitted"),
    ],
)
def test_a_card_that_does_not_fit_the_format_is_refused_naming_the_field(tmp_path: Path, change, message) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "odd"
    shutil.copytree(bundled_dir() / "demo", folder)
    card = json.loads((folder / "card.json").read_text())
    change(card)
    card["card_sha256"] = card_digest(card)  # as if written so: the checksum holds, the format does not
    (folder / "card.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=message):
        read_card(folder)
    result = runner.invoke(app, ["model", "show", str(folder)])
    assert result.exit_code == 1 and "is not a valid model card" in result.stderr


def test_problem_texts_state_the_schema_bounds() -> None:
    assert range_text("attendance", "period") == (
        "a lesson hour from 1 to 12",
        "write the lesson hour as a whole number from 1 to 12",
    )
    assert range_text("attendance", "hours")[0] == "more than 0 and at most 12 hours"
    assert range_text("grades", "grade")[0] == "a grade from 1,0 to 10,0"
    assert range_text("outcomes", "left_without_qualification")[0] == "0 or 1"
    # the numbers come from the pandera fields: every bound of every field appears in its text
    for table, model in MODELS.items():
        for name, column in model.to_schema().columns.items():
            expected = range_text(table, name)[0]
            for check in column.checks:
                for value in (check.statistics or {}).values():
                    if isinstance(value, int | float):
                        assert str(int(value)) in expected, (table, name)


def test_group_keys_are_translated_only_when_shown() -> None:
    assert [group_label(k, "nl") for k in ("mentor:MNT01", "class:3B", "none")] == [
        "MNT01",
        "Klas 3B",
        "(geen mentor bekend)",
    ]
    assert [group_heading(k, "en") for k in ("mentor:MNT01", "class:3B", "none")] == [
        "Mentor: MNT01",
        "Class 3B",
        "(no mentor known)",
    ]


def test_a_version_1_snapshot_is_read_with_group_keys(tmp_path: Path) -> None:
    from riskscreen.workspace.snapshots import load

    path = tmp_path / "shortlist-2026-11-20.json"
    students = [
        {
            "student_id": s,
            "probability": 0.1,
            "band": "low",
            "on_list": True,
            "group": g,
            "reason_features": "",
            "verzuim_16u": False,
            "ziekteverzuim": False,
        }
        for s, g in (("1", "MNT01"), ("2", "Klas 3B"), ("3", "(no mentor known)"), ("4", "Class 4A"))
    ]
    path.write_text(json.dumps({"version": 1, "as_of": "2026-11-20", "model": "demo", "students": students}))
    assert load(path).students["group"].tolist() == ["mentor:MNT01", "class:3B", "none", "class:4A"]


def test_the_format_registry_refuses_what_a_kind_cannot_be() -> None:
    from riskscreen.render import formats, render

    assert formats("shortlist") == ("table", "md", "html", "pdf", "csv", "xlsx", "json")
    with pytest.raises(UsageError, match="validation cannot be written as xlsx"):
        render("validation", "xlsx", None)


def test_today_is_pinned_by_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "absenties.csv").write_text("student_id,date,code\nS1,2026-12-01,sick\n")
    (tmp_path / "cijfers.csv").write_text("student_id,subject,date,grade\nS1,Engels,2026-11-02,7\n")
    report = api.validate(api.Sources(tmp_path))  # today is 2026-11-30 in the tests
    assert [(p.rule, p.message) for p in report.errors] == [("future date", "a date after today (2026-11-30)")]
    monkeypatch.setenv("RISKSCREEN_TODAY", "2026-12-31")
    assert api.validate(api.Sources(tmp_path)).valid
    assert api.validate(api.Sources(tmp_path), today=dt.date(2026, 11, 1)).errors[0].rule == "future date"
    monkeypatch.setenv("RISKSCREEN_TODAY", "morgen")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and "RISKSCREEN_TODAY 'morgen' is not a date" in result.stderr


def test_the_api_needs_something_to_read() -> None:
    with pytest.raises(UsageError, match="give a folder, or files with `attendance`"):
        api.validate(api.Sources())


def test_one_parser_reads_a_written_day_and_records_keep_iso_text() -> None:
    """#27 item 4: one parser of written dates (riskscreen.dates) for options, lists and holiday files."""
    import datetime as dt

    from riskscreen.dates import iso, plausible, read_day, written_day

    assert read_day("27-11-2026") == dt.date(2026, 11, 27) == read_day(" 2026-11-27 ")
    assert read_day("27.11.26") == dt.date(2026, 11, 27) and read_day("20261127") == dt.date(2026, 11, 27)
    assert read_day("31-02-2026") is None and read_day("next week") is None
    assert read_day("27-11-1899") == dt.date(1899, 11, 27) and not plausible(dt.date(1899, 11, 27))
    assert written_day("27-11-1899") is None and written_day("27-11-2026", ("%Y-%m-%d",)) is None
    assert iso(dt.date(2026, 1, 2)) == "2026-01-02" and iso(None) is None


def test_a_file_named_like_a_snapshot_of_no_real_day_is_passed_over(tmp_path: Path) -> None:
    from riskscreen.workspace.snapshots import list_snapshots

    (tmp_path / "shortlist-2026-02-30.json").write_text("{}")
    (tmp_path / "shortlist-2026-11-27.json").write_text("{}")
    assert [p.name for p in list_snapshots(tmp_path)] == ["shortlist-2026-11-27.json"]


def test_the_library_gives_data_and_only_renderers_take_a_language() -> None:
    """#24 item 9: results carry keys and values; words are made by render, in the language it is given. Only
    the privacy papers, whose product is a document, take one."""
    import dataclasses
    import inspect

    from riskscreen import api
    from riskscreen.scoring.score import Explanation, ScoreResult
    from riskscreen.weekly.shortlist import Shortlist

    taking = sorted(
        name
        for name in api.__all__
        if inspect.isfunction(getattr(api, name)) and "lang" in inspect.signature(getattr(api, name)).parameters
    )
    assert taking == ["privacy_papers"]
    for record in (ScoreResult, Explanation, Shortlist):
        assert "lang" not in {f.name for f in dataclasses.fields(record)}, record.__name__
