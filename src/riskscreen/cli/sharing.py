"""Commands for what a school shares: the basis of sharing a student's signals with the youth worker (set, list,
end), and the log of every list that left the tool (`log`)."""

from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli.common import (
    CsvDialectOpt,
    ForceOpt,
    LangOpt,
    ModelOpt,
    OutputOpt,
    ReportFormat,
    SchoolOpt,
    WorkspaceOpt,
    app,
    check_output,
    date_shown,
    guarded,
    language,
    parse_date,
    say,
    workspace,
    write,
)

sharing_app = typer.Typer(
    help="Why a student's signals may be shared with the youth worker: record, list and end "
    "the basis (consent, a covenant, known to the youth worker).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sharing_app, name="sharing")


@sharing_app.command("set")
@guarded
def set_(
    student: Annotated[str, typer.Argument(help="The student's pseudonym.", show_default=False)],
    basis: Annotated[
        str,
        typer.Option(
            "--basis", help="toestemming, convenant or bekend (consent, covenant, known).", show_default=False
        ),
    ],
    on: Annotated[str | None, typer.Option("--on", help="The first day it holds (default: today).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="The last day it holds (default: until ended).")] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record the basis on which a student's signals may be shared with the youth worker."""
    chosen = language(lang)
    from riskscreen import api
    from riskscreen.i18n import choice_label

    recorded = api.set_sharing(
        workspace(home, school), student, basis=basis, on=parse_date(on, "--on"), until=parse_date(until, "--until")
    )
    say(
        "sharing_recorded",
        basis=choice_label("sharing_bases", recorded.basis, chosen),
        student=student,
        on=date_shown(recorded.on),
    )


@sharing_app.command("end")
@guarded
def end(
    student: Annotated[str, typer.Argument(help="The student's pseudonym.", show_default=False)],
    on: Annotated[str | None, typer.Option("--on", help="The day it no longer holds (default: today).")] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """End the basis for sharing of a student: from that day they are left off the youth worker's list."""
    language(lang)
    from riskscreen import api

    count, day = api.end_sharing(workspace(home, school), student, on=parse_date(on, "--on"))
    say("sharing_ended", count=count, student=student, on=date_shown(day.isoformat()))


@sharing_app.command("list")
@guarded
def list_(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """The recorded bases for sharing, and the school's default from the workspace settings."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render.sharing import render_sharing

    table = api.sharing_table(workspace(home, school))
    if not table.bases and table.school is None:
        say("no_sharing")
        return
    write(
        render_sharing(
            table.bases,
            table.school,
            format.value,
            chosen,
            table.today,
            csv_dialect.value if csv_dialect else None,
        ),
        output,
        force,
    )


@app.command("log")
@guarded
def log(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """Which lists left the tool: when, which command, for whom, in which format, how many students, which file."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render.sharing import render_log

    entries = api.output_log(workspace(home, school))
    if not entries:
        say("no_log")
        return
    write(render_log(entries, format.value, chosen, csv_dialect.value if csv_dialect else None), output, force)


@app.command("privacy")
@guarded
def privacy(
    out: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write the papers to (made if missing).",
            show_default=False,
            readable=False,
        ),
    ],
    model: ModelOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """The privacy papers of the school's workspace, as Markdown and PDF: a DPIA draft, the processing-register
    entry, the text for students and parents, the Algoritmeregister entry and what only the school can fill in."""
    chosen = language(lang)
    from riskscreen import api
    from riskscreen.files import output_folder

    papers = api.privacy_papers(workspace(home, school), model=model, lang=chosen)
    output_folder(out)
    for name in papers:  # every file checked before any is written
        check_output(out / name, force)
    for name, content in papers.items():
        write(content, out / name, force)
    say("papers_written", n=len(papers), folder=out)
