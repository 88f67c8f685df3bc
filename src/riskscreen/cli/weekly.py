"""Commands of the weekly cycle: the shortlist, and the history of past lists."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli import (
    AllowOpt,
    AsOfOpt,
    AttendanceOpt,
    DataArg,
    ForceOpt,
    GradesOpt,
    Language,
    ModelOpt,
    OutputOpt,
    ProfileOpt,
    PseudonymOpt,
    ReportFormat,
    SheetOpt,
    StudentsOpt,
    _err,
    _progress,
    app,
    check_output,
    guarded,
    parse_date,
    sources,
    write,
)
from riskscreen.errors import UsageError


class ShortlistFormatOpt(str, Enum):
    table = "table"
    md = "md"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"


class Band(str, Enum):
    low = "low"
    elevated = "elevated"
    high = "high"


HistoryOpt = Annotated[Path | None, typer.Option("--history", help="Folder of past shortlists (default: "
                                                                   "riskscreen-history/ inside the data folder).")]


@app.command()
@guarded
def shortlist(
    data: DataArg = None, attendance: AttendanceOpt = None, grades: GradesOpt = None, students: StudentsOpt = None,
    profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None, as_of: AsOfOpt = None,
    model: ModelOpt = None,
    capacity: Annotated[int, typer.Option("--capacity", help="Students per mentor (or in total with --total) "
                                                             "listed by risk.")] = 5,
    total: Annotated[bool, typer.Option("--total", help="Apply --capacity to the whole school, not per "
                                                        "mentor.")] = False,
    min_band: Annotated[Band, typer.Option("--min-band", help="Lowest risk band listed by risk (16-hour "
                                                              "students are always listed).")] = Band.elevated,
    lang: Annotated[Language, typer.Option("--lang", help="Language: nl or en.")] = Language.nl,
    format: Annotated[ShortlistFormatOpt | None, typer.Option(
        "--format", "-f", help="table, md, html, csv or xlsx (default: from --output's extension, "
                               "else table).")] = None,
    output: OutputOpt = None, force: ForceOpt = False, history_dir: HistoryOpt = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Do not store this run's snapshot.")] = False,
) -> None:
    """The weekly shortlist for the youth worker and the mentor: who, why, what changed, and room for actions."""
    from riskscreen import api
    from riskscreen.render import render
    from riskscreen.render.shortlist import format_for

    fmt = format_for(format.value if format else None, output)
    if fmt == "xlsx" and output is None:
        raise UsageError("an XLSX workbook cannot be printed to the terminal", hint="add --output list.xlsx")
    check_output(output, force)
    given = sources(data, attendance, grades, students, None, profile, sheet, allow_column, pseudonym_column)
    weekly = api.weekly_shortlist(given,
                                  model=model, lang=lang.value, as_of=parse_date(as_of), capacity=capacity,
                                  per_mentor=not total, min_band=min_band.value, history=history_dir,
                                  store=not no_history, progress=_progress())
    write(render("shortlist", fmt, weekly.shortlist), output, force)
    if weekly.shortlist.result.rule_note():
        _err(str(weekly.shortlist.result.rule_note()))
    if weekly.snapshot_path is not None:
        _err(f"snapshot stored in {weekly.snapshot_path}")
    _err(f"{weekly.listed} students on the list ({weekly.statutory} by the 16-hour rule) in "
         f"{len(weekly.shortlist.groups)} group(s)")


@app.command()
@guarded
def history(
    data: DataArg = None, history_dir: HistoryOpt = None,
    compare: Annotated[tuple[str, str] | None, typer.Option(
        "--compare", help="Compare two snapshots: two dates (YYYY-MM-DD) or paths.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """List stored shortlist snapshots, or compare two of them."""
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render_rows

    table = api.history(history_dir, data=data, compare=compare)
    if compare is None and not table.rows:
        _err(f"no snapshots in {table.folder}")
        return
    write(render_rows(table.header, table.rows, format.value), output, force)
