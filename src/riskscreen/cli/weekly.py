"""Commands of the weekly cycle: the school's workspace and the shortlist (the history's are in `history`)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli.common import (
    AllowOpt,
    AsOfOpt,
    AttendanceOpt,
    CsvDialectOpt,
    DataArg,
    ForceOpt,
    GradesOpt,
    LangOpt,
    ModelOpt,
    ProfileOpt,
    PseudonymOpt,
    SchoolOpt,
    SheetOpt,
    StudentsOpt,
    WorkspaceOpt,
    app,
    check_output,
    guarded,
    language,
    parse_date,
    progress_bar,
    say,
    say_text,
    sources,
    to_stderr,
    workspace,
    write,
    write_logged,
)
from riskscreen.errors import UsageError, msg


class ShortlistFormatOpt(str, Enum):
    table = "table"
    md = "md"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class Band(str, Enum):
    """The lowest band listed by risk, in either language (the list says 'verhoogd', so --min-band takes it)."""

    low = "low"
    elevated = "elevated"
    high = "high"
    laag = "laag"
    verhoogd = "verhoogd"
    hoog = "hoog"


BAND_KEYS = {
    "low": "low",
    "elevated": "elevated",
    "high": "high",
    "laag": "low",
    "verhoogd": "elevated",
    "hoog": "high",
}


class By(str, Enum):
    mentor = "mentor"
    youthworker = "youthworker"


@app.command()
@guarded
def init(
    school: Annotated[str, typer.Option("--school", help="The school: BRIN number or a short name.")],
    home: Annotated[
        Path | None,
        typer.Option(
            "--workspace", help="Folder of the workspaces (default: the per-user data folder).", readable=False
        ),
    ] = None,
    retention_weeks: Annotated[
        int | None, typer.Option("--retention-weeks", help="Keep snapshots and closed actions this many weeks.")
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="Do not write riskscreen.toml in this folder.")
    ] = False,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """Make a school's workspace, and a riskscreen.toml here so that commands run here use it."""
    from riskscreen import api

    language(lang)
    made = api.init_workspace(home, school, retention_weeks=retention_weeks, write_config=not no_config, force=force)
    for path in made.written:
        say("wrote", path=path)
    say("workspace_made", school=made.workspace.school, folder=made.workspace.folder)


@app.command()
@guarded
def shortlist(
    data: DataArg = None,
    attendance: AttendanceOpt = None,
    grades: GradesOpt = None,
    students: StudentsOpt = None,
    profile: ProfileOpt = None,
    sheet: SheetOpt = None,
    allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None,
    as_of: AsOfOpt = None,
    model: ModelOpt = None,
    capacity: Annotated[
        int, typer.Option("--capacity", help="Students per mentor (or in total with --total) listed by risk.")
    ] = 5,
    total: Annotated[
        bool, typer.Option("--total", help="Apply --capacity to the whole school, not per mentor.")
    ] = False,
    strict_capacity: Annotated[
        bool,
        typer.Option(
            "--strict-capacity",
            help="Keep each mentor's page to "
            "--capacity: students of band high beyond it go on the "
            "coordinator's overflow page.",
        ),
    ] = False,
    min_band: Annotated[
        Band, typer.Option("--min-band", help="Lowest risk band listed by risk (16-hour students are always listed).")
    ] = Band.elevated,
    by: Annotated[
        By,
        typer.Option(
            "--by", help="mentor: the list per mentor; youthworker: each youth worker's students with an open action."
        ),
    ] = By.mentor,
    for_: Annotated[
        str,
        typer.Option(
            "--for",
            help="Whose list: coordinator (everything), mentor (with "
            "--mentor), youthworker (students with a basis for sharing, no "
            "health data) or leerplicht (statutory reports only); Dutch "
            "words too.",
        ),
    ] = "coordinator",
    mentor: Annotated[
        str | None, typer.Option("--mentor", help="The mentor whose list it is (with --for mentor).")
    ] = None,
    split: Annotated[
        bool,
        typer.Option(
            "--split",
            help="With --for mentor: one file per mentor, named after each "
            "--output with the mentor's code added (week48-MNT02.pdf).",
        ),
    ] = False,
    names: Annotated[
        Path | None,
        typer.Option(
            "--names",
            help="A local file of pseudonym;name: names are printed on this list only, never stored.",
            readable=False,
        ),
    ] = None,
    lang: LangOpt = None,
    format: Annotated[
        ShortlistFormatOpt | None,
        typer.Option(
            "--format", "-f", help="table, pdf, html, xlsx, csv or md (default: from --output's extension, else table)."
        ),
    ] = None,
    csv_dialect: CsvDialectOpt = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file instead of stdout; give it again for more formats of the same "
            "run (-o week48.pdf -o week48.xlsx).",
            readable=False,
        ),
    ] = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    store: Annotated[
        bool, typer.Option("--store", help="Store this run's snapshot also when the list only goes to the terminal.")
    ] = False,
    no_history: Annotated[bool, typer.Option("--no-history", help="Do not store this run's snapshot.")] = False,
    correction: Annotated[
        bool,
        typer.Option(
            "--correction", help="Store a list of a date before the last stored one: it corrects that earlier week."
        ),
    ] = False,
) -> None:
    """The weekly shortlist for the youth worker and the mentor: who, why, what changed, open actions and
    statutory deadlines, and room for what they agree."""
    from riskscreen import api
    from riskscreen.render import output_format, render
    from riskscreen.render.scores import result_notes

    chosen = language(lang)
    outputs = list(output or [])
    if len(outputs) > 1 and format is not None:
        raise UsageError(
            msg("--format applies to one --output; with several, each takes the format of its extension"),
            hint=msg("leave out --format"),
        )
    if len({p.resolve() for p in outputs}) < len(outputs):
        raise UsageError(msg("the same --output is given twice"))
    places: list[Path | None] = [*outputs] if outputs else [None]
    targets = [(output_format("shortlist", format.value if format else None, p), p) for p in places]
    for _, path in targets:
        check_output(path, force)
    # a list that leaves the tool as a file is the week's list; a look in the terminal is not, unless asked
    keep = (bool(outputs) or store) and not no_history
    given = sources(data, attendance, grades, students, None, profile, sheet, allow_column, pseudonym_column)
    if split and (not outputs or mentor is not None or for_.strip().lower() != "mentor"):
        raise UsageError(
            msg("--split writes one file per mentor: give --for mentor and --output, not --mentor"),
            hint=msg("for example --for mentor --split -o week48.pdf"),
        )
    weekly = api.weekly_shortlist(
        given,
        model=model,
        as_of=parse_date(as_of),
        capacity=capacity,
        per_mentor=not total,
        min_band=BAND_KEYS[min_band.value],
        workspace=workspace(home, school),
        store=keep,
        by=by.value,
        names=names,
        progress=progress_bar(),
        strict_capacity=strict_capacity,
        correction=correction,
        role="coordinator" if split else for_,
        mentor=mentor,
    )
    if split:  # every mentor's file checked before any is written
        files = [
            (view, fmt, path.with_name(f"{path.stem}-{code}{path.suffix}"))
            for code, view in api.mentor_views(weekly)
            for fmt, path in targets
            if path is not None
        ]
        for _, _, own in files:
            check_output(own, force)
        for view, fmt, own in files:
            write_logged(
                render("shortlist", fmt, view, lang=chosen, csv_dialect=csv_dialect.value if csv_dialect else None),
                own,
                force,
                weekly.workspace,
                command="shortlist",
                role="mentor",
                fmt=fmt,
                students=len(view.entries),
            )
        say("listed", listed=weekly.listed, statutory=weekly.statutory, groups=len(weekly.shortlist.groups))
        return
    # every output from the one computation, all rendered before any is written
    rendered = [
        (
            render(
                "shortlist",
                fmt,
                weekly.shortlist,
                lang=chosen,
                color=(fmt == "table" and path is None and _colour_wanted()) or None,
                csv_dialect=csv_dialect.value if csv_dialect else None,
            ),
            path,
        )
        for fmt, path in targets
    ]
    for (content, path), (fmt, _) in zip(rendered, targets, strict=True):
        if path is None:
            write(content, path, force)
        else:  # a file that leaves the tool is noted in the workspace's log of outputs
            write_logged(
                content,
                path,
                force,
                weekly.workspace,
                command="shortlist",
                role=weekly.shortlist.role,
                fmt=fmt,
                students=len(weekly.shortlist.entries),
            )
    for note in weekly.notes:
        to_stderr(note.localised(chosen))
    for remark in result_notes(weekly.shortlist.result, chosen):
        to_stderr(remark)
    say("history_from", where=weekly.workspace.describe(chosen))
    if weekly.snapshot is not None:
        run = say_text("snapshot_run", run=weekly.snapshot.run) if weekly.snapshot.run > 1 else ""
        say("snapshot_stored", path=f"{weekly.snapshot.path}{run}")
    elif not no_history:
        say("snapshot_not_stored")
    say("listed", listed=weekly.listed, statutory=weekly.statutory, groups=len(weekly.shortlist.groups))


def _colour_wanted() -> bool:
    """Colour for the bands when standard output is a terminal and NO_COLOR is not set (no-color.org)."""
    import os
    import sys

    terminal = sys.stdout is not None and sys.stdout.isatty()
    return terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
