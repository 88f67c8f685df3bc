"""Commands of the history of past lists in the school's workspace: list, compare, prune."""

from typing import Annotated

import typer

from riskscreen.cli.common import (
    CsvDialectOpt,
    ForceOpt,
    LangOpt,
    OutputOpt,
    ReportFormat,
    SchoolOpt,
    WorkspaceOpt,
    app,
    check_output,
    date_shown,
    guarded,
    language,
    say,
    say_text,
    to_stderr,
    workspace,
    write,
)
from riskscreen.errors import UsageError, msg

history_app = typer.Typer(
    help="Past shortlists in the school's workspace: list, compare, prune.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(history_app, name="history")


@history_app.callback()
@guarded
def history(
    ctx: typer.Context,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="Compare two snapshots: two dates (YYYY-MM-DD, or DATE#RUN) or paths."),
    ] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """List stored shortlist snapshots (what is kept, since when), or compare two of them."""
    chosen = language(lang)
    if ctx.invoked_subcommand is not None:
        ctx.obj = (home, school)
        return
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render_rows

    where = workspace(home, school)
    table = api.history(where, compare=compare)
    say("workspace", where=where.describe(chosen))
    if compare is None and not table.rows:
        say("no_snapshots", folder=where.snapshots)
        return
    if compare is None:
        kept = say_text("retention", weeks=table.retention_weeks) if table.retention_weeks else say_text("no_retention")
        say("kept", n=len(table.rows), since=f"{table.rows[0][0]}{kept}")
    write(
        render_rows(table.header, table.rows, format.value, chosen, csv_dialect.value if csv_dialect else None),
        output,
        force,
    )


@history_app.command("prune")
@guarded
def prune(
    ctx: typer.Context,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="Remove what is older than this: 52w (weeks) or 365d (days); default the workspace's retention.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be removed; remove nothing.")] = False,
    lang: LangOpt = None,
) -> None:
    """Remove old snapshots, and closed actions and reports from before the same date (AVG retention)."""
    from riskscreen import api

    if lang is not None:
        language(lang)
    home, school = ctx.obj or (None, None)
    result = api.prune_history(workspace(home, school), older_than_weeks=_weeks(older_than), dry_run=dry_run)
    for path in result.snapshots:  # what goes (or would go), by name: never a silent removal
        to_stderr(f"  - {path.name}")
    say(
        "would_prune" if dry_run else "pruned",
        n=len(result.snapshots),
        actions=result.actions,
        reports=result.reports,
        before=date_shown(result.before),
    )
    if result.log_lines:
        say("would_prune_log" if dry_run else "pruned_log", n=result.log_lines, before=date_shown(result.before))


def _weeks(text: str | None) -> int | None:
    """--older-than as whole weeks (days round up: a retention never removes more than asked)."""
    if text is None:
        return None
    value = text.strip().lower()
    try:
        weeks = -(-int(value[:-1]) // 7) if value.endswith("d") else int(value.removesuffix("w"))
    except ValueError:
        raise UsageError(
            msg("--older-than '{text}' is not a period", text=text), hint=msg("write it as 52w (weeks) or 365d (days)")
        ) from None
    if weeks < 1:
        raise UsageError(
            msg("--older-than '{text}' is not a period of 1 day or more", text=text),
            hint=msg("write it as 52w (weeks) or 365d (days)"),
        )
    return weeks
