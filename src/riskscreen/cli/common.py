"""What the commands share: the app, the options, the error mapping to exit codes, and writing what they make.

Heavy imports (pandas, scikit-learn) happen inside commands, so `--help` is fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from riskscreen import __version__
from riskscreen.dates import plausible, read_day
from riskscreen.errors import EXIT_UNEXPECTED, RiskscreenError, UsageError, ValidationFailed, msg

# Plain help formatting (rich_markup_mode=None): typer's rich help panels import markdown-it and more, which
# would make `riskscreen --help` three times slower than importing typer itself.
app = typer.Typer(
    name="riskscreen",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
    help="Early-school-leaving risk screening on pseudonymised school exports: validate, score, shortlist, "
    "train and evaluate. Exit codes: 0 ok, 1 input invalid or refused, 2 usage, 3 unexpected.",
)


class RunState:
    debug = False
    lang = "nl"  # the language of messages: set from --lang by each command, else from the environment


F = TypeVar("F", bound=Callable[..., Any])


def to_stderr(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


# The library's messages name its parameters in backquotes (`capacity`); the command line says its options.
OPTION_OF_PARAMETER = {
    **{
        name: "--" + name.replace("_", "-")
        for name in (
            "out",
            "force",
            "capacity",
            "bootstrap",
            "plots",
            "by",
            "mentor",
            "on",
            "until",
            "retention_weeks",
            "attendance",
            "grades",
            "students",
            "outcomes",
            "lang",
            "referral",
            "end",
            "min_band",
            "school",
            "agreed",
            "output",
            "top",
            "history_years",
            "weeks",
            "schools",
        )
    },
    "first": "--from",
    "last": "--to",
    "older_than_weeks": "--older-than",
    "home": "--workspace",
    "fmt": "--format",
    "c": "--C",
    "follow_up": "--follow-up",
}
PARAMETER = re.compile(r"`(\w+)`")


def as_options(text: str) -> str:
    """A library message as the command line says it: each `parameter` it names becomes the option that sets it."""
    return PARAMETER.sub(lambda m: OPTION_OF_PARAMETER.get(m.group(1), m.group(0)), text)


def guarded(fn: F) -> F:
    """Turn RiskscreenError into its message and exit code; anything else into exit 3 unless --debug."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ValidationFailed as exc:
            from riskscreen.render.validation import render_report

            to_stderr(render_report(exc.report, "table", lang=RunState.lang).rstrip())  # type: ignore[arg-type]
            to_stderr(f"{say_text('error')}: {as_options(exc.localised(RunState.lang))}")
            raise typer.Exit(exc.exit_code) from None
        except RiskscreenError as exc:
            to_stderr(f"{say_text('error')}: {as_options(exc.localised(RunState.lang))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            say("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:
            if RunState.debug:
                raise
            say("unexpected", kind=type(exc).__name__)
            raise typer.Exit(EXIT_UNEXPECTED) from None

    return wrapper  # type: ignore[return-value]


def say_text(key: str, **params: object) -> str:
    """A message of the command line in the language of this run."""
    from riskscreen.i18n import message

    return message(key, RunState.lang, **params)


def say(key: str, **params: object) -> None:
    """A message of the command line to stderr, in the language of this run."""
    to_stderr(say_text(key, **params))


def date_shown(value: object) -> str:
    """A date in a message, as the reader of this run's language writes it (27-11-2026 in Dutch)."""
    from riskscreen.i18n import date_text

    return date_text(str(value), RunState.lang) if value else ""


def language(option: Language | None) -> str:
    """The language of this run (--lang, $RISKSCREEN_LANG, the system's language, Dutch); messages follow it."""
    from riskscreen.settings import resolve_language

    RunState.lang = resolve_language(option.value if option is not None else None)
    return RunState.lang


def _version(value: bool) -> None:
    if value:
        typer.echo(f"riskscreen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")] = False,
) -> None:
    from riskscreen.settings import IN_USE, Settings, resolve_language

    RunState.debug = debug
    # the environment read once for this run, in use until the command ends (then the earlier settings again)
    token = IN_USE.set(Settings.from_environment(strict=False))
    ctx.call_on_close(lambda: IN_USE.reset(token))
    RunState.lang = resolve_language(strict=False)  # until a command reads its --lang
    if "--help" in sys.argv[1:]:  # a command's help is shown after this callback: it needs no sweep
        return
    from riskscreen.files import sweep_partials

    for path in sweep_partials():  # what a killed run left: a hidden, owner-only partial file
        say("removed_partial", path=path)


# ------------------------------------------------------------------------------------------- shared options
DataArg = Annotated[
    Path | None,
    typer.Argument(
        help="Folder with the export files (recognised by name or headers).", show_default=False, readable=False
    ),
]
AttendanceOpt = Annotated[Path | None, typer.Option("--attendance", help="Attendance export file.", readable=False)]
GradesOpt = Annotated[Path | None, typer.Option("--grades", help="Grades export file.", readable=False)]
StudentsOpt = Annotated[Path | None, typer.Option("--students", help="Student roster file (optional).", readable=False)]
OutcomesOpt = Annotated[
    Path | None, typer.Option("--outcomes", help="Outcomes file (to train or evaluate).", readable=False)
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Mapping profile name or .toml path; detected from the headers if omitted."),
]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Worksheet to read in XLSX files (default: first).")]
AllowOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-column",
        help="Accept a column whose NAME looks like an identifier but is not one (values are "
        "still checked; BSNs are never accepted). Repeatable.",
    ),
]
PseudonymOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pseudonym-column",
        help="A column that holds pseudonyms of a scheme (hashes, UUIDs, long numbers): it is "
        "checked for BSNs only, like the student id column. Repeatable.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Date of the screen, YYYY-MM-DD or DD-MM-YYYY (default: the latest date in the exports)."
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.", readable=False)
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]


def parse_date(text: str | None, option: str = "--as-of") -> dt.date | None:
    """A day given as an option (YYYY-MM-DD or DD-MM-YYYY), by the one parser of written dates."""
    if text is None:
        return None
    day = read_day(text, ("%Y-%m-%d", "%d-%m-%Y"))
    if day is None:
        raise UsageError(
            msg("{option} '{text}' is not a date", option=option, text=text),
            hint=msg("write it as YYYY-MM-DD or DD-MM-YYYY"),
        )
    if not plausible(day):
        raise UsageError(
            msg("{option} '{text}' is outside the years 2000-2099", option=option, text=text),
            hint=msg("check the year"),
        )
    return day


def progress_bar(quiet: bool = False) -> Callable[[str], None]:
    if quiet or not sys.stderr.isatty():
        return lambda _msg: None
    from rich.console import Console

    from riskscreen.errors import localised

    console = Console(stderr=True, log_path=False)  # the time and the message; never a source file name
    return lambda message: console.log(localised(message, RunState.lang))


def check_output(output: Path | None, force: bool) -> None:
    """Refuse an --output that cannot be written (exists, a folder, a device...) before any work is done."""
    if output is not None:
        from riskscreen.files import writable_target

        writable_target(output, force=force)


def sources(
    data: Path | None = None,
    attendance: Path | None = None,
    grades: Path | None = None,
    students: Path | None = None,
    outcomes: Path | None = None,
    profile: str | None = None,
    sheet: str | None = None,
    allow_column: list[str] | None = None,
    pseudonym_column: list[str] | None = None,
) -> Any:
    """The api.Sources of the shared data options."""
    from riskscreen.api import Sources

    return Sources(
        data,
        attendance,
        grades,
        students,
        outcomes,
        profile,
        sheet,
        tuple(allow_column or ()),
        tuple(pseudonym_column or ()),
    )


def write_logged(
    content: str | bytes, output: Path, force: bool, where: Any, *, command: str, role: str, fmt: str, students: int
) -> None:
    """A file that leaves the tool: written, then noted in the workspace's log of outputs (or said that it
    could not be)."""
    from riskscreen.api import log_output

    write(content, output, force)
    if not log_output(where, command=command, role=role, fmt=fmt, students=students, output=output):
        say("not_logged", path=output.name)


def write(content: str | bytes, output: Path | None, force: bool) -> None:
    """Data to stdout (text), or atomically to --output (text or bytes; 0600, no overwrite without --force)."""
    if output is None:
        if sys.stdout is None:  # `riskscreen score d/ >&-`: standard output was closed
            from riskscreen.errors import OutputError

            raise OutputError(
                msg("standard output is closed, so the result has nowhere to go"),
                hint=msg("use --output FILE, or leave standard output open"),
            )
        try:
            sys.stdout.write(content if isinstance(content, str) else "")
            sys.stdout.flush()
        except BrokenPipeError:  # `riskscreen score | head`: the reader has gone, which is not an error here
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            from riskscreen.errors import OutputError

            raise OutputError(
                msg("could not write to standard output ({strerror})", strerror=exc.strerror),
                hint=msg("free some space where the output goes, or use --output"),
            ) from None
        return
    from riskscreen.files import write_output

    write_output(output, content, force=force)
    say("wrote", path=output)


WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        help="Folder of the schools' workspaces (history, actions, settings). Default: the "
        "riskscreen.toml in or above this folder, else $RISKSCREEN_HOME, else the per-user "
        "data folder.",
        readable=False,
    ),
]
SchoolOpt = Annotated[
    str | None,
    typer.Option(
        "--school", help="The school's workspace inside it: BRIN or a short name (default: from riskscreen.toml)."
    ),
]


def workspace(home: Path | None, school: str | None) -> Any:
    """The api.workspace of the shared workspace options."""
    from riskscreen import api

    return api.workspace(home, school)


ModelOpt = Annotated[
    str | None, typer.Option("--model", help="Model name or folder (default: the bundled demonstration model 'demo').")
]


class Language(str, Enum):
    nl = "nl"
    en = "en"


class CsvDialect(str, Enum):
    excel_nl = "excel-nl"
    rfc4180 = "rfc4180"


LangOpt = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of the output and the messages: nl or en (default: $RISKSCREEN_LANG, else the "
        "system's language when it is Dutch or English, else nl).",
        show_default=False,
    ),
]
CsvDialectOpt = Annotated[
    CsvDialect | None,
    typer.Option(
        "--csv-dialect",
        help="CSV for Dutch Excel (excel-nl: semicolons, decimal commas, byte-order mark) or plain "
        "RFC 4180 (commas, decimal points). Default: excel-nl in Dutch, rfc4180 in English.",
        show_default=False,
    ),
]


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class EvalFormat(str, Enum):
    table = "table"
    json = "json"
