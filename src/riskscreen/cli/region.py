"""Commands for the municipality: a school's anonymous aggregate, and a region's from schools' aggregate files."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli.common import (
    CsvDialectOpt,
    ForceOpt,
    LangOpt,
    OutputOpt,
    SchoolOpt,
    WorkspaceOpt,
    app,
    check_output,
    guarded,
    language,
    parse_date,
    to_stderr,
    workspace,
    write,
    write_logged,
)
from riskscreen.errors import Day, localised, msg


class AggregateFormat(str, Enum):
    table = "table"
    md = "md"
    pdf = "pdf"
    html = "html"
    xlsx = "xlsx"
    json = "json"
    csv = "csv"


aggregate_app = typer.Typer(
    help="The school's anonymous counts for the municipality (LEA/OOGO): signals, statutory "
    "follow-up and actions over a period, small cells suppressed.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(aggregate_app, name="aggregate")
FormatOpt = Annotated[
    AggregateFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table, md, pdf, html, xlsx, json or csv (default: from --output's extension, else table).",
    ),
]


@aggregate_app.callback()
@guarded
def aggregate(
    ctx: typer.Context,
    first: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day of the period (default: 1 August of this "
            "school year, or the day after the period published "
            "last).",
        ),
    ] = None,
    last: Annotated[
        str | None,
        typer.Option("--to", help="Last day of the period (default: today, at most 31 July of this school year)."),
    ] = None,
    threshold: Annotated[int, typer.Option("--threshold", help="Counts under this are suppressed (at least 5).")] = 10,
    outcomes: Annotated[
        Path | None,
        typer.Option(
            "--outcomes",
            help="An outcomes table (uitstroom.csv): also count who left without a startkwalificatie.",
            readable=False,
        ),
    ] = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """Count the school's signals, statutory follow-up and actions over a period, for the municipality."""
    chosen = language(lang)
    if ctx.invoked_subcommand is not None:
        return
    from riskscreen.render import output_format

    fmt = output_format("aggregate", format.value if format else None, output)
    check_output(output, force)
    from riskscreen.api import aggregate as count
    from riskscreen.render import render

    publish = output is not None or fmt != "table"  # a file or a format to pass on; the terminal's table is not
    where = workspace(home, school)
    result = count(
        where,
        first=parse_date(first, "--from"),
        last=parse_date(last, "--to"),
        threshold=threshold,
        outcomes=outcomes,
        publish=publish,
    )
    content = render("aggregate", fmt, result, lang=chosen, csv_dialect=csv_dialect.value if csv_dialect else None)
    if output is None:
        write(content, output, force)
    else:  # counts, no student: logged all the same, so the log shows every release
        write_logged(content, output, force, where, command="aggregate", role="municipality", fmt=fmt, students=0)
    if publish:
        to_stderr(
            localised(
                msg(
                    "published over {first} to {last}, recorded in the workspace: a later release covers "
                    "another period",
                    first=Day(result.first_day),
                    last=Day(result.last_day),
                ),
                chosen,
            )
        )


@aggregate_app.command("merge")
@guarded
def merge(
    files: Annotated[
        list[Path], typer.Argument(help="The schools' aggregate files (JSON).", show_default=False, readable=False)
    ],
    format: FormatOpt = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """A region's picture from the schools' aggregate files, suppressed again over the added-up cells."""
    chosen = language(lang)
    from riskscreen.render import output_format

    fmt = output_format("aggregate", format.value if format else None, output)
    check_output(output, force)
    from riskscreen.api import merge_aggregates
    from riskscreen.render import render

    region, notes = merge_aggregates(files)
    write(
        render("aggregate", fmt, region, lang=chosen, csv_dialect=csv_dialect.value if csv_dialect else None),
        output,
        force,
    )
    for note in notes:
        to_stderr(localised(note, chosen))
