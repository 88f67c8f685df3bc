"""Commands over a school's exports: validate, sample, score, explain."""

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
    OutcomesOpt,
    OutputOpt,
    ProfileOpt,
    PseudonymOpt,
    ReportFormat,
    SheetOpt,
    StudentsOpt,
    app,
    check_output,
    guarded,
    language,
    parse_date,
    progress_bar,
    say,
    sources,
    to_stderr,
    write,
)
from riskscreen.i18n import date_text


@app.command()
@guarded
def validate(
    data: DataArg = None,
    attendance: AttendanceOpt = None,
    grades: GradesOpt = None,
    students: StudentsOpt = None,
    outcomes: OutcomesOpt = None,
    profile: ProfileOpt = None,
    sheet: SheetOpt = None,
    allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """Check exports against the data contract and report every problem with file, row, column and fix."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render

    given = sources(data, attendance, grades, students, outcomes, profile, sheet, allow_column, pseudonym_column)
    report = api.validate(given, as_of=parse_date(as_of), progress=progress_bar())
    write(
        render("validation", format.value, report, lang=chosen, csv_dialect=csv_dialect.value if csv_dialect else None),
        output,
        force,
    )
    if format != ReportFormat.table or output is not None:
        to_stderr(report.summary_line(chosen))
    if not report.valid:
        raise typer.Exit(1)


@app.command()
@guarded
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the synthetic exports to.", readable=False)],
    students: Annotated[int, typer.Option("--students", help="Number of students.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same school.")] = 2026,
    as_of: Annotated[str, typer.Option("--as-of", help="Last day of registrations.")] = "2026-11-27",
    history_years: Annotated[
        int, typer.Option("--history-years", help="Write this many past school years and an outcomes table instead.")
    ] = 0,
    profile: Annotated[
        str, typer.Option("--profile", help="Headers to write: magister, canonical, or eduarte (an MBO location).")
    ] = "magister",
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            help="Write this many weekly exports of the same school, in weekNN/ folders (for the weekly cycle).",
        ),
    ] = 1,
    schools: Annotated[
        int,
        typer.Option(
            "--schools",
            help="Write a region of this many schools (2 or 3), each with weekly lists and actions in a workspace.",
        ),
    ] = 1,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write a deterministic synthetic school (invented data) to try riskscreen or to train a model on."""
    from riskscreen import demo  # the demo is a client of the library, not part of it

    language(lang)
    day = parse_date(as_of)
    assert day is not None
    if schools > 1:  # a region: the demo client that runs the library's weekly cycle for several schools
        from riskscreen.demo.region import write_sample_region

        written = write_sample_region(
            out_dir,
            schools=schools,
            students=students,
            weeks=weeks,
            seed=seed,
            as_of=day,
            history_years=history_years,
            force=force,
        )
    else:
        written = demo.write_sample(
            out_dir,
            students=students,
            seed=seed,
            as_of=day,
            history_years=history_years,
            profile=profile,
            weeks=weeks,
            force=force,
        )
    for path in written:
        say("wrote", path=path)


@app.command()
@guarded
def score(
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
    lang: LangOpt = None,
    top: Annotated[int | None, typer.Option("--top", help="Only the N highest-risk students.")] = None,
    mentor: Annotated[str | None, typer.Option("--mentor", help="Only this mentor's students.")] = None,
    class_: Annotated[str | None, typer.Option("--class", help="Only this class.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """Rank every student by risk, with the reasons behind each score and the statutory absence flags."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render
    from riskscreen.render.scores import demo_warning, result_notes

    given = sources(data, attendance, grades, students, None, profile, sheet, allow_column, pseudonym_column)
    scored = api.score(
        given,
        model=model,
        as_of=parse_date(as_of),
        top=top,
        mentor=mentor,
        class_=class_,
        progress=progress_bar(),
    )
    write(
        render(
            "scores",
            format.value,
            scored.result,
            scored.rows,
            lang=chosen,
            csv_dialect=csv_dialect.value if csv_dialect else None,
        ),
        output,
        force,
    )
    warning = demo_warning(scored.result, chosen)
    if warning and format != ReportFormat.table:
        to_stderr(warning)
    for note in result_notes(scored.result, chosen):
        to_stderr(note)
    say(
        "scored",
        n=len(scored.result.table),
        as_of=date_text(scored.result.day.isoformat(), chosen),
        flagged=scored.flagged,
    )


@app.command()
@guarded
def explain(
    data: Annotated[Path, typer.Argument(help="Folder with the export files.", readable=False)],
    student_id: Annotated[str, typer.Argument(help="The student's pseudonym.")],
    profile: ProfileOpt = None,
    sheet: SheetOpt = None,
    allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None,
    as_of: AsOfOpt = None,
    model: ModelOpt = None,
    lang: LangOpt = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    csv_dialect: CsvDialectOpt = None,
) -> None:
    """Show one student's full breakdown: every feature, its reference, its contribution, flags, registrations."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render
    from riskscreen.render.scores import result_notes

    given = sources(data, profile=profile, sheet=sheet, allow_column=allow_column, pseudonym_column=pseudonym_column)

    explanation = api.explain(given, student_id, model=model, as_of=parse_date(as_of), progress=progress_bar())
    write(
        render(
            "explanation",
            format.value,
            explanation,
            lang=chosen,
            csv_dialect=csv_dialect.value if csv_dialect else None,
        ),
        output,
        force,
    )
    for note in result_notes(explanation.result, chosen):
        to_stderr(note)
