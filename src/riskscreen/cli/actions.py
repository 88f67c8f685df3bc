"""Commands of the intervention loop: agreed actions added, listed, closed, read back from a filled-in list,
and statutory reports recorded."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli.common import (
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
    parse_date,
    say,
    say_text,
    workspace,
    write,
)

actions_app = typer.Typer(
    help="Agreed actions and statutory reports of the school: add, list, update, close, import, reported.",
    no_args_is_help=True,
)
app.add_typer(actions_app, name="actions")


class ActionType(str, Enum):
    """Either language's word for the type of action (the list's drop-down shows the Dutch one)."""

    conversation = "conversation"
    home_visit = "home_visit"
    referral = "referral"
    gesprek = "gesprek"
    huisbezoek = "huisbezoek"
    verwijzing = "verwijzing"


ACTION_TYPE_KEYS = {
    "conversation": "conversation",
    "home_visit": "home_visit",
    "referral": "referral",
    "gesprek": "conversation",
    "huisbezoek": "home_visit",
    "verwijzing": "referral",
}


class ReferralState(str, Enum):
    """Either language's word for a referral's state (the data keeps the English key)."""

    aangemeld = "aangemeld"
    wachtlijst = "wachtlijst"
    gestart = "gestart"
    afgerond = "afgerond"
    niet_gelukt = "niet-gelukt"
    registered = "registered"
    waiting_list = "waiting_list"
    started = "started"
    finished = "finished"
    failed = "failed"


class Signal(str, Enum):
    verzuim = "verzuim"
    sick = "sick"
    ziek = "ziek"


SIGNAL_KEYS = {"verzuim": "verzuim_16u", "sick": "ziekteverzuim", "ziek": "ziekteverzuim"}
StudentArg = Annotated[str, typer.Argument(help="The student's pseudonym.", show_default=False)]


@actions_app.command("add")
@guarded
def add(
    student: StudentArg,
    what: Annotated[str, typer.Option("--what", help="What was agreed, in a few words (no names).")],
    who: Annotated[
        str,
        typer.Option(
            "--who", help="Who follows it up: youth_worker (jongerenwerker), mentor or coordinator (zorgcoördinator)."
        ),
    ] = "youth_worker",
    worker: Annotated[
        str | None, typer.Option("--worker", help="The youth worker's name or code, for `shortlist --by youthworker`.")
    ] = None,
    type: Annotated[
        ActionType, typer.Option("--type", help="conversation, home_visit or referral.")
    ] = ActionType.conversation,
    referral: Annotated[
        str | None,
        typer.Option("--referral", help="Referred to: a target of the workspace's list (jeugdhulp, huisarts, ...)."),
    ] = None,
    review: Annotated[str | None, typer.Option("--review", help="Look at it again on this date.")] = None,
    on: Annotated[str | None, typer.Option("--on", help="The day it was agreed (default: today).")] = None,
    strength: Annotated[
        list[str] | None,
        typer.Option(
            "--strength",
            help="What goes well, as the student said (again for more): schoolvak, sport, werk, "
            "muziek/kunst, vrienden, familie, anders.",
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal", help="What the student wants: blijven, andere opleiding, stage, gaan werken, weet nog niet."
        ),
    ] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record an action agreed for a student."""
    from riskscreen import api

    language(lang)
    action = api.add_action(
        workspace(home, school),
        student,
        what=what,
        type=ACTION_TYPE_KEYS[type.value],
        who=who,
        worker=worker,
        referral=referral,
        review=parse_date(review, "--review"),
        agreed=parse_date(on, "--on"),
        strengths=strength,
        goal=goal,
    )
    review = say_text("action_review", review=date_shown(action.review)) if action.review else ""
    say("action_recorded", id=action.id, student=f"{action.student_id}{review}")


@actions_app.command("list")
@guarded
def list_(
    all: Annotated[bool, typer.Option("--all", help="Closed actions too.")] = False,
    student: Annotated[str | None, typer.Option("--student", help="One student's actions.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """The school's open actions (with --all, closed ones too)."""
    language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render.actions_list import render_actions

    chosen = api.actions_table(workspace(home, school), include_closed=all, student_id=student)
    if not chosen:
        say("no_open_actions" if not all else "no_actions")
        return
    write(render_actions(chosen, format.value, language(lang)), output, force)


@actions_app.command("close")
@guarded
def close(
    action_id: Annotated[int, typer.Argument(help="The action's number (see `actions list`).")],
    outcome: Annotated[str, typer.Option("--outcome", help="How it ended, in a few words (no names).")],
    on: Annotated[str | None, typer.Option("--on", help="The day it was closed (default: today).")] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Close an action with its outcome."""
    from riskscreen import api

    language(lang)
    closed = api.close_action(workspace(home, school), action_id, outcome=outcome, on=parse_date(on, "--on"))
    say("action_closed", id=closed.id, on=date_shown(closed.closed))


@actions_app.command("update")
@guarded
def update(
    action_id: Annotated[int, typer.Argument(help="The referral's number (see `actions list`).")],
    state: Annotated[ReferralState, typer.Option("--state", help="Where the referral stands now.")],
    on: Annotated[str | None, typer.Option("--on", help="The day it got there (default: today).")] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record where a referral stands: aangemeld, wachtlijst, gestart, afgerond or niet-gelukt."""
    from riskscreen import api
    from riskscreen.i18n import choice_label

    chosen = language(lang)
    moved = api.update_referral(workspace(home, school), action_id, state=state.value, on=parse_date(on, "--on"))
    state_key, since = moved.referral_state or ("", "")
    say(
        "referral_state_set",
        id=moved.id,
        state=choice_label("referral_states", state_key, chosen),
        on=date_shown(since),
    )


class ReportType(str, Enum):
    """A report to DUO, by its type (signals.statutory)."""

    u16 = "16u"
    rmc18 = "rmc18"
    lrv = "lrv"
    luxe = "luxe"


@actions_app.command("reported")
@guarded
def reported(
    student: StudentArg,
    on: Annotated[str, typer.Option("--on", help="The day the report was made.")],
    signal: Annotated[
        Signal,
        typer.Option(
            "--signal", help="verzuim: a report to DUO/leerplicht; sick: sick leave, reported to the jeugdarts."
        ),
    ] = Signal.verzuim,
    end: Annotated[
        str | None,
        typer.Option(
            "--end", help="The report's end date, when it is not the student's oldest open report (see `actions due`)."
        ),
    ] = None,
    type: Annotated[
        ReportType | None, typer.Option("--type", help="The report's type: 16u, rmc18, lrv or luxe.")
    ] = None,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record that a report was made: the student's oldest open report, or the one named with --end and --type."""
    language(lang)
    from riskscreen import api

    day = parse_date(on, "--on")
    assert day is not None
    record = api.record_report(
        workspace(home, school),
        student,
        on=day,
        signal=SIGNAL_KEYS[signal.value],
        type=type.value if type else None,
        end=parse_date(end, "--end"),
    )
    if record.end is not None:
        say(
            "report_recorded_which",
            type=say_text(f"report_type_{record.type}"),
            end=date_shown(record.end),
            student=record.student_id,
            on=date_shown(record.on),
        )
    else:
        say(
            "report_recorded",
            signal=say_text(f"signal_{record.signal}"),
            student=record.student_id,
            on=date_shown(record.on),
        )


@actions_app.command("due")
@guarded
def due(
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """The reports to make at the verzuimloket now, the earliest deadline first (from the latest list)."""
    chosen = language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render_rows
    from riskscreen.render.statutory import due_rows, due_text

    as_of, reports = api.reports_due(workspace(home, school))
    if not reports:
        say("no_reports_due", as_of=date_shown(as_of))
        return
    header, rows = due_rows(
        [(r.student_id, r.group, r.report) for r in reports], chosen, machine=format.value == "json"
    )
    shown = (
        due_text(header, rows, chosen) if format.value == "table" else render_rows(header, rows, format.value, chosen)
    )
    write(shown, output, force)
    say("reports_due", n=len(reports), as_of=date_shown(as_of))


@actions_app.command("import")
@guarded
def import_(
    path: Annotated[
        Path, typer.Argument(help="The filled-in shortlist (.xlsx or .csv).", show_default=False, readable=False)
    ],
    agreed: Annotated[
        str | None, typer.Option("--agreed", help="The day the actions were agreed (default: the list's date).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the list; store nothing.")] = False,
    home: WorkspaceOpt = None,
    school: SchoolOpt = None,
    lang: LangOpt = None,
) -> None:
    """Read the actions written in a filled-in list: every filled row becomes an action, or nothing is stored."""
    language(lang)
    from riskscreen import api

    where = workspace(home, school)
    result = api.import_actions(where, path, agreed=parse_date(agreed, "--agreed"), dry_run=dry_run)
    skipped = say_text("import_skipped", n=result.duplicates) if result.duplicates else ""
    skipped += say_text("import_moved", n=result.moved) if result.moved else ""
    say(
        "would_import" if dry_run else "imported",
        n=len(result.added),
        rows=result.rows,
        folder=f"{where.folder}{skipped}",
    )
