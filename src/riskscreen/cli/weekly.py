"""Commands of the weekly cycle: the school's workspace, the shortlist, and the history of past lists."""

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
    SchoolOpt,
    SheetOpt,
    StudentsOpt,
    WorkspaceOpt,
    _err,
    _progress,
    app,
    check_output,
    guarded,
    parse_date,
    sources,
    workspace,
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


class By(str, Enum):
    mentor = "mentor"
    youthworker = "youthworker"


@app.command()
@guarded
def init(
    school: Annotated[str, typer.Option("--school", help="The school: BRIN number or a short name.")],
    home: Annotated[Path | None, typer.Option("--workspace", help="Folder of the workspaces (default: the "
                                                                  "per-user data folder).")] = None,
    retention_weeks: Annotated[int | None, typer.Option("--retention-weeks", help="Keep snapshots and closed "
                                                                              "actions this many weeks.")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Do not write riskscreen.toml in this "
                                                               "folder.")] = False,
    force: ForceOpt = False,
) -> None:
    """Make a school's workspace, and a riskscreen.toml here so that commands run here use it."""
    from riskscreen import api

    made = api.init_workspace(home, school, retention_weeks=retention_weeks, write_config=not no_config,
                              force=force)
    for path in made.written:
        _err(f"wrote {path}")
    _err(f"workspace of school {made.workspace.school}: {made.workspace.folder}")


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
    by: Annotated[By, typer.Option("--by", help="mentor: the list per mentor; youthworker: each youth worker's "
                                                "students with an open action.")] = By.mentor,
    names: Annotated[Path | None, typer.Option("--names", help="A local file of pseudonym;name: names are "
                                                               "printed on this list only, never stored.")] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language: nl or en.")] = Language.nl,
    format: Annotated[ShortlistFormatOpt | None, typer.Option(
        "--format", "-f", help="table, md, html, csv or xlsx (default: from --output's extension, "
                               "else table).")] = None,
    output: OutputOpt = None, force: ForceOpt = False, home: WorkspaceOpt = None, school: SchoolOpt = None,
    no_history: Annotated[bool, typer.Option("--no-history", help="Do not store this run's snapshot.")] = False,
) -> None:
    """The weekly shortlist for the youth worker and the mentor: who, why, what changed, open actions and
    statutory deadlines, and room for what they agree."""
    from riskscreen import api
    from riskscreen.render import render
    from riskscreen.render.shortlist import format_for

    fmt = format_for(format.value if format else None, output)
    if fmt == "xlsx" and output is None:
        raise UsageError("an XLSX workbook cannot be printed to the terminal", hint="add --output list.xlsx")
    check_output(output, force)
    given = sources(data, attendance, grades, students, None, profile, sheet, allow_column, pseudonym_column)
    weekly = api.weekly_shortlist(given, model=model, lang=lang.value, as_of=parse_date(as_of), capacity=capacity,
                                  per_mentor=not total, min_band=min_band.value, workspace=workspace(home, school),
                                  store=not no_history, by=by.value, names=names, progress=_progress())
    write(render("shortlist", fmt, weekly.shortlist), output, force)
    for note in weekly.notes:
        _err(note)
    if weekly.shortlist.result.rule_note():
        _err(str(weekly.shortlist.result.rule_note()))
    _err(f"history read from {weekly.workspace.describe()}")
    if weekly.snapshot is not None:
        run = f" (run {weekly.snapshot.run} of that date; earlier runs kept)" if weekly.snapshot.run > 1 else ""
        _err(f"snapshot stored in {weekly.snapshot.path}{run}")
    _err(f"{weekly.listed} students on the list ({weekly.statutory} by the 16-hour rule) in "
         f"{len(weekly.shortlist.groups)} group(s)")


history_app = typer.Typer(help="Past shortlists in the school's workspace: list, compare, prune.",
                          no_args_is_help=False, invoke_without_command=True)
app.add_typer(history_app, name="history")


@history_app.callback()
@guarded
def history(
    ctx: typer.Context,
    home: WorkspaceOpt = None, school: SchoolOpt = None,
    compare: Annotated[tuple[str, str] | None, typer.Option(
        "--compare", help="Compare two snapshots: two dates (YYYY-MM-DD, or DATE#RUN) or paths.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """List stored shortlist snapshots (what is kept, since when), or compare two of them."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = (home, school)
        return
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render_rows

    where = workspace(home, school)
    table = api.history(where, compare=compare)
    _err(f"workspace {where.describe()}")
    if compare is None and not table.rows:
        _err(f"no snapshots in {where.snapshots}")
        return
    if compare is None:
        kept = f"; retention {table.retention_weeks} weeks" if table.retention_weeks else "; no retention set"
        _err(f"{len(table.rows)} snapshot(s) kept, since {table.rows[0][0]}{kept}")
    write(render_rows(table.header, table.rows, format.value), output, force)


@history_app.command("prune")
@guarded
def prune(
    ctx: typer.Context,
    older_than: Annotated[str | None, typer.Option("--older-than", help="Remove what is older than this: "
                                                                       "52w (weeks) or 365d (days); default "
                                                                       "the workspace's retention.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be removed; remove "
                                                            "nothing.")] = False,
) -> None:
    """Remove old snapshots, and closed actions and reports from before the same date (AVG retention)."""
    from riskscreen import api

    home, school = ctx.obj or (None, None)
    result = api.prune_history(workspace(home, school), older_than_weeks=_weeks(older_than), dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    _err(f"{verb} {len(result.snapshots)} snapshot(s), {result.actions} closed action(s) and {result.reports} "
         f"report(s) from before {result.before}")


def _weeks(text: str | None) -> int | None:
    if text is None:
        return None
    value = text.strip().lower()
    try:
        if value.endswith("w"):
            return int(value[:-1])
        if value.endswith("d"):
            return max(1, -(-int(value[:-1]) // 7))
        return int(value)
    except ValueError:
        raise UsageError(f"--older-than '{text}' is not a period",
                         hint="write it as 52w (weeks) or 365d (days)") from None
