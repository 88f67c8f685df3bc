"""The sample region end to end: three schools' workspaces, their aggregates, the regional report in goldens, and
every published count checked against the snapshots and actions it came from (counted here from the files)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from tests.attacker import assert_nothing_recoverable
from typer.testing import CliRunner

from riskscreen.cli import app
from riskscreen.demo.region import SCHOOLS

runner = CliRunner()


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    made = runner.invoke(app, ["sample", str(folder), "--schools", "3", "--weeks", "6", "--students", "200"])
    assert made.exit_code == 0, made.stderr
    for school in SCHOOLS:
        done = runner.invoke(
            app,
            [
                "aggregate",
                "--workspace",
                str(folder / "workspaces"),
                "--school",
                school,
                "-o",
                str(folder / f"{school}.json"),
            ],
        )
        assert done.exit_code == 0, done.stderr
    return folder


def _snapshots(region: Path, school: str) -> list[dict]:  # type: ignore[type-arg]
    folder = region / "workspaces" / school / "snapshots"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("shortlist-*.json"))]


def _actions(region: Path, school: str) -> dict:  # type: ignore[type-arg]
    return json.loads((region / "workspaces" / school / "actions.json").read_text())


def _published(doc: dict, key: str) -> dict[str, object]:  # type: ignore[type-arg]
    table = next(t for t in doc["tables"] if t["key"] == key)
    out = {}
    for r, row in enumerate(table["rows"]):
        for c, column in enumerate(table["columns"]):
            out[f"{row}:{column}"] = table["cells"][r][c]
        if table["row_totals"] is not None:
            out[f"{row}:*"] = table["row_totals"][r]
    if table["column_totals"] is not None:
        out.update({f"*:{c}": v for c, v in zip(table["columns"], table["column_totals"], strict=True)})
    if table["total"] is not None:
        out["*:*"] = table["total"]
    return out


def _agree(published: dict[str, object], expected: Counter[str], threshold: int = 10) -> int:
    """Every published number equals the count; every hidden one is hidden for a reason; returns how many were
    compared."""
    compared = 0
    for key, value in published.items():
        true = expected.get(key, 0)
        if isinstance(value, int):
            assert value == true, f"{key}: published {value}, counted {true}"
            compared += 1
        elif value == "primary":
            assert true < threshold, f"{key}: '<{threshold}' hides {true}"
        elif isinstance(value, dict):  # a region's range, bounded by the schools' files
            assert threshold <= value["from"] <= true <= value["to"], f"{key}: {value} does not hold {true}"
        else:
            assert true >= threshold or value == "merged", f"{key}: 'x' hides {true}, below the threshold"
    return compared


def expected(region: Path, school: str) -> dict[str, Counter[str]]:
    """Every table's counts, worked out here from the school's files (plain JSON, no riskscreen code)."""
    import datetime as dt

    snapshots = _snapshots(region, school)
    book = _actions(region, school)
    last_day = snapshots[-1]["as_of"]
    last = {s["student_id"]: s for snap in snapshots for s in snap["students"]}
    level = {sid: s["level"] for sid, s in last.items()}
    year = {sid: str(int(float(s["year"]))) for sid, s in last.items()}
    out: dict[str, Counter[str]] = {
        k: Counter()
        for k in (
            "screened_by_level",
            "screened_by_year",
            "by_month",
            "reports",
            "reports_by_month",
            "report_types_by_month",
            "sick",
            "actions",
            "referrals",
            "referral_wait",
            "strengths",
            "goals",
            "actions_by_month",
            "after_action",
        )
    }

    def crossed(table: str, row: str, column: str) -> None:
        out[table].update([f"{row}:{column}", f"{row}:*", f"*:{column}", "*:*"])

    for sid, s in last.items():
        crossed("screened_by_level", level[sid], s["band"])
        crossed("screened_by_year", year[sid], s["band"])
    seen: dict[tuple[str, str], set[str]] = {}
    for snap in snapshots:
        for s in snap["students"]:
            month = snap["as_of"][:7]
            for column, flag in (
                ("screened", True),
                ("listed", s["on_list"]),
                ("verzuim_16u", s["verzuim_16u"]),
                ("ziekteverzuim", s["ziekteverzuim"]),
            ):
                if flag:
                    seen.setdefault((month, column), set()).add(s["student_id"])
    out["by_month"].update({f"{m}:{c}": len(ids) for (m, c), ids in seen.items()})
    for kind, month, state in _reports(snapshots, book):
        crossed("reports", kind, state)
        crossed("reports_by_month", month, state)
        crossed("report_types_by_month", month, kind)
    sick = {s["student_id"] for snap in snapshots for s in snap["students"] if s["ziekteverzuim"]}
    referred = {r["student_id"] for r in book["reports"] if r["signal"] == "ziekteverzuim"}
    for sid in sick:
        crossed("sick", level[sid], "referred" if sid in referred else "not_referred")
    for a in book["actions"]:
        crossed("actions", a["type"], a["who"])
        month = a["agreed"][:7]
        out["actions_by_month"].update([f"{month}:agreed", "*:agreed"])
        if a["type"] == "referral":  # its state on the last list: the last one set on or before that day
            states = [n for n, on in a["states"] if on <= last_day]
            crossed("referrals", a["referral"], states[-1])
        started = next((on for n, on in a["states"] if n == "started"), None)
        if started and started <= last_day:
            weeks = (dt.date.fromisoformat(started) - dt.date.fromisoformat(a["states"][0][1])).days // 7
            bucket = f"weeks_{weeks}" if weeks <= 8 else "weeks_9_12" if weeks <= 12 else "weeks_13_plus"
            out["referral_wait"].update([f"{bucket}:count", "*:count"])
        if a["closed"]:
            out["actions_by_month"].update([f"{a['closed'][:7]}:closed", "*:closed"])
        if a["review"] and a["review"] <= last_day:
            kind = "review_on_time" if a["closed"] and a["closed"] <= a["review"] else "review_overdue"
            out["actions_by_month"].update([f"{a['review'][:7]}:{kind}", f"*:{kind}"])
    own: dict[str, dict] = {}  # type: ignore[type-arg]
    for a in sorted(book["actions"], key=lambda a: (a["agreed"], a["id"])):
        if a.get("strengths") or a.get("goal"):
            own[a["student_id"]] = a
    for a in own.values():
        out["strengths"].update(f"{k}:count" for k in a["strengths"])
        if a["goal"]:
            out["goals"].update([f"{a['goal']}:count", "*:count"])
    first_action: dict[str, str] = {}
    for a in sorted(book["actions"], key=lambda a: a["agreed"]):
        first_action.setdefault(a["student_id"], a["agreed"])

    def fell(sid: str, agreed: str) -> str:
        until = (dt.date.fromisoformat(agreed) + dt.timedelta(days=56)).isoformat()
        history = [
            (snap["as_of"], s["probability"]) for snap in snapshots for s in snap["students"] if s["student_id"] == sid
        ]
        before = [p for d, p in history if d <= agreed]
        after = [p for d, p in history if agreed < d <= until]
        return "no_later_list" if not before or not after else "fell" if after[-1] < before[-1] else "did_not_fall"

    # with an action, and beside them the students of the same band on the list the action was agreed on who had
    # no action (each counted once, with the earliest action they are compared with)
    compared: dict[str, tuple[str, str]] = {}
    for sid, agreed in sorted(first_action.items(), key=lambda item: (item[1], item[0])):
        compared[sid] = ("with_action", fell(sid, agreed))
        seen = [
            snap
            for snap in snapshots
            if snap["as_of"] <= agreed and any(s["student_id"] == sid for s in snap["students"])
        ]
        if not seen:
            continue
        band = {s["student_id"]: s["band"] for s in seen[-1]["students"]}
        for other, other_band in band.items():
            if other_band == band[sid] and other not in first_action and other not in compared:
                compared[other] = ("similar_without_action", fell(other, agreed))
    for row, state in compared.values():
        crossed("after_action", row, state)
    return out


TYPES = ("16u", "vervolgmelding", "lrv", "luxe", "rmc18")


def _reports(snapshots: list[dict], book: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    """DUO's reports as the lists knew them, each once, with its state on the last list: a recorded report is the
    one it names (type, end) or else the oldest still open on its day."""
    last_day = snapshots[-1]["as_of"]
    known: dict[str, dict[tuple[str, str], dict]] = {}  # type: ignore[type-arg]
    for snap in snapshots:
        for s in snap["students"]:
            for e in s.get("statutory") or []:
                known.setdefault(s["student_id"], {})[(e["type"], e["end"])] = dict(e, on=None)
    out = []
    for sid, entries in known.items():
        mine = sorted(
            (
                r
                for r in book["reports"]
                if r["student_id"] == sid and r["signal"] == "verzuim_16u" and r["on"] <= last_day
            ),
            key=lambda r: (r["on"], r.get("end") or "", r.get("type") or ""),
        )
        for r in mine:
            open_ = [
                e
                for e in entries.values()
                if e["on"] is None
                and e["reached"] <= r["on"]
                and r.get("type") in (None, e["type"])
                and r.get("end") in (None, e["end"])
            ]
            if open_:
                min(open_, key=lambda e: (e["reached"], e["type"]))["on"] = r["on"]
        for e in entries.values():
            state = (
                ("reported_in_time" if e["on"] <= e["deadline"] else "reported_late")
                if e["on"]
                else "not_reported"
                if last_day > e["deadline"]
                else "due"
            )
            kind = "vervolgmelding" if e["type"] == "16u" and e["follow_up"] else e["type"]
            out.append((kind, e["reached"][:7], state))
    return out


def test_each_school_publishes_every_count_exactly(region: Path) -> None:
    compared = 0
    for school in SCHOOLS:
        doc = json.loads((region / f"{school}.json").read_text())
        counts = expected(region, school)
        for table in doc["tables"]:
            compared += _agree(_published(doc, table["key"]), counts[table["key"]])
    assert compared > 100  # every other cell is hidden, and hides what its marker says


def _stable(text: str) -> str:
    """The output without the version of the holidays package, which a fresh install may move on."""
    return re.sub(r"python-holidays \d+(\.\d+)*", "python-holidays VERSION", text)


def test_totals_of_at_least_the_threshold_are_published_and_no_hidden_cell_can_be_worked_out(region: Path) -> None:
    """Issue #25's rule on the sample region's own files: every grand total and the reports made in time, when 10
    or more, are published at each school; another total of 10 or more is hidden only where a small total needs it
    (the last resort: a total that, with the other totals, would give a small one away, such as the band "high" by
    level and year now that bands are fixed chances and few students reach "high", a year of students, and the
    with-action row of the after-action comparison); and the attacker pins no hidden cell in a school's file or in
    the region's."""
    published = last_resort = 0
    for school in SCHOOLS:
        doc = json.loads((region / f"{school}.json").read_text())
        counts = expected(region, school)
        small_total = any(
            "*" in k and v == "primary" for t in doc["tables"] for k, v in _published(doc, t["key"]).items()
        )
        for table in doc["tables"]:
            for key, value in _published(doc, table["key"]).items():
                if "*" not in key or counts[table["key"]].get(key, 0) < 10:
                    continue
                if key == "*:*" or f"{table['key']}:{key}" == "reports:*:reported_in_time" or not small_total:
                    assert isinstance(value, int), f"{school} {table['key']} {key}: {value}"
                published += isinstance(value, int)
                last_resort += not isinstance(value, int)
        assert_nothing_recoverable(doc)
    assert (published, last_resort) == (89, 11)  # the last resorts: see the docstring
    files = [str(region / f"{school}.json") for school in SCHOOLS]
    merged = runner.invoke(app, ["aggregate", "merge", *files, "-f", "json"])
    assert assert_nothing_recoverable(json.loads(merged.stdout)) > 0


def test_the_regional_report_is_the_schools_added_up(region: Path, golden) -> None:  # type: ignore[no-untyped-def]
    files = [str(region / f"{school}.json") for school in SCHOOLS]
    merged = runner.invoke(app, ["aggregate", "merge", *files, "-f", "json"])
    assert merged.exit_code == 0, merged.stderr
    golden("region.json", _stable(merged.stdout))
    as_csv = runner.invoke(app, ["aggregate", "merge", *files, "-f", "csv"])
    golden("region_nl.csv", _stable(as_csv.stdout))
    as_table = runner.invoke(app, ["aggregate", "merge", *files])
    golden("region_nl.md", _stable(as_table.stdout))
    doc = json.loads(merged.stdout)
    region_counts: dict[str, Counter[str]] = {}
    per_school: Counter[str] = Counter()
    for school in SCHOOLS:
        counts = expected(region, school)
        for key, counter in counts.items():
            region_counts.setdefault(key, Counter()).update(counter)
        for key, value in counts["screened_by_level"].items():
            if key.startswith("*:"):
                per_school[f"{school}:{key[2:]}"] += value
                per_school[key] += value
    region_counts["schools"] = per_school
    compared = sum(_agree(_published(doc, t["key"]), region_counts[t["key"]]) for t in doc["tables"])
    assert compared >= 40
    text = merged.stdout
    for school in SCHOOLS:  # nothing that names a student, an event's day or a remark leaves the school
        for snap in _snapshots(region, school):
            assert not any(f'"{s["student_id"]}"' in text for s in snap["students"])
        assert not any(a["agreed"] in text or a["what"] in text for a in _actions(region, school)["actions"])


def test_the_regional_report_prints_as_pdf_html_and_xlsx(region: Path, tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    files = [str(region / f"{school}.json") for school in SCHOOLS]
    for ext in ("pdf", "html", "xlsx"):
        out = tmp_path / f"region.{ext}"
        made = runner.invoke(app, ["aggregate", "merge", *files, "-o", str(out)])
        assert made.exit_code == 0, made.stderr
    pages = [p.extract_text() for p in PdfReader(io.BytesIO((tmp_path / "region.pdf").read_bytes())).pages]
    first = " ".join(pages[0].split())
    assert "Signalering en aanpak voortijdig schoolverlaten: 04AB, 05CD, 06EF" in first
    assert "Leerlingen gescreend 600" in first and "Per maand: leerlingen op de lijst en afgesproken acties" in first
    assert "De tabellen" in pages[1] and "Leerlingen gescreend per school en risiconiveau" in pages[1]
    html = (tmp_path / "region.html").read_text()
    assert "<h2>Per maand: leerlingen op de lijst en afgesproken acties</h2>" in html and "04AB" in html
    wb = load_workbook(tmp_path / "region.xlsx")
    assert wb.sheetnames[:3] == ["De tabellen", "per school", "gescreend per niveau"]
    sheet = wb["per school"]
    assert [c.value for c in sheet[2]] == ["School", "hoog", "verhoogd", "laag", "Totaal"]
    assert sheet["E6"].value == 600  # the region's total, a number Excel can add
    terminal = runner.invoke(app, ["aggregate", "merge", *files, "-f", "pdf"])
    assert terminal.exit_code == 2 and "een PDF-bestand kan niet in de terminal worden getoond" in terminal.stderr


def test_a_snapshot_is_not_an_aggregate(region: Path) -> None:
    snapshot = next((region / "workspaces" / "04AB" / "snapshots").glob("shortlist-*.json"))
    refused = runner.invoke(app, ["aggregate", "merge", str(region / "04AB.json"), str(snapshot), "--lang", "en"])
    assert refused.exit_code == 1
    assert f"{snapshot}: is not an aggregate of riskscreen (a shortlist, a snapshot or another file)" in refused.stderr
