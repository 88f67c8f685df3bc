"""The command line: parse arguments, call one library function, render, map errors to exit codes."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import inspect
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.main import get_command_name

from riskscreen import __version__
from riskscreen.errors import EXIT_UNEXPECTED, RiskscreenError, UsageError, ValidationFailed

# Plain help formatting (rich_markup_mode=None): typer's rich help panels import markdown-it and more, which
# would make `riskscreen --help` three times slower than importing typer itself.
app = typer.Typer(
    name="riskscreen", no_args_is_help=True, pretty_exceptions_show_locals=False, add_completion=False,
    rich_markup_mode=None,
    help="Early-school-leaving risk screening on pseudonymised school exports: validate, score, shortlist, "
         "train and evaluate. Exit codes: 0 ok, 1 input invalid or refused, 2 usage, 3 unexpected.")
profile_app = typer.Typer(help="Mapping profiles: how a school's export headers and codes map to the contract.",
                          no_args_is_help=True, rich_markup_mode=None)
model_app = typer.Typer(help="Models: list them and show their cards.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(profile_app, name="profile")
app.add_typer(model_app, name="model")


class _State:
    debug = False


F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


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

            _err(render_report(exc.report, "table").rstrip())  # type: ignore[arg-type]
            _err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except RiskscreenError as exc:
            _err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _err("interrupted: nothing was written")
            raise typer.Exit(130) from None
        except Exception as exc:
            if _State.debug:
                raise
            _err(f"unexpected error ({type(exc).__name__}). This is a bug in riskscreen, not in your data. "
                 "Run again with --debug for the details (they show code, not your data) and report it.")
            raise typer.Exit(EXIT_UNEXPECTED) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"riskscreen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")] = False,
) -> None:
    _State.debug = debug


# ------------------------------------------------------------------------------------------- shared options
DataArg = Annotated[Path | None, typer.Argument(help="Folder with the export files (recognised by name or "
                                                     "headers).", show_default=False)]
AttendanceOpt = Annotated[Path | None, typer.Option("--attendance", help="Attendance export file.")]
GradesOpt = Annotated[Path | None, typer.Option("--grades", help="Grades export file.")]
StudentsOpt = Annotated[Path | None, typer.Option("--students", help="Student roster file (optional).")]
OutcomesOpt = Annotated[Path | None, typer.Option("--outcomes", help="Outcomes file (to train or evaluate).")]
ProfileOpt = Annotated[str | None, typer.Option("--profile", help="Mapping profile name or .toml path; "
                                                                  "detected from the headers if omitted.")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Worksheet to read in XLSX files (default: first).")]
AllowOpt = Annotated[list[str] | None, typer.Option(
    "--allow-column", help="Accept a column whose NAME looks like an identifier but is not one (values are "
                           "still checked; BSNs are never accepted). Repeatable.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date of the screen, YYYY-MM-DD or DD-MM-YYYY "
                                                             "(default: the latest date in the exports).")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def parse_date(text: str | None, option: str = "--as-of") -> dt.date | None:
    if text is None:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError(f"{option} '{text}' is not a date", hint="write it as YYYY-MM-DD or DD-MM-YYYY")


def _progress(quiet: bool = False) -> Callable[[str], None]:
    if quiet or not sys.stderr.isatty():
        return lambda _msg: None
    from rich.console import Console

    console = Console(stderr=True)
    return console.log


def check_output(output: Path | None, force: bool) -> None:
    """Refuse an existing --output before any work is done, not after it."""
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} already exists", hint="choose another name, or add --force to replace it")


def emit(text: str, output: Path | None, force: bool) -> None:
    """Data to stdout, or atomically to --output (mode 0600, no overwrite without --force)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from riskscreen.files import write_output

    write_output(output, text, force=force)
    _err(f"wrote {output}")


def data_kwargs(attendance: Path | None, grades: Path | None, students: Path | None, outcomes: Path | None,
                profile: str | None, sheet: str | None, allow_column: list[str] | None,
                as_of: str | None) -> dict[str, Any]:
    return {"attendance": attendance, "grades": grades, "students": students, "outcomes": outcomes,
            "profile": profile, "sheet": sheet, "allow_columns": allow_column or (),
            "as_of": parse_date(as_of)}


# ------------------------------------------------------------------------------------------------ validate
@app.command()
@guarded
def validate(
    data: DataArg = None, attendance: AttendanceOpt = None, grades: GradesOpt = None, students: StudentsOpt = None,
    outcomes: OutcomesOpt = None, profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Check exports against the data contract and report every problem with file, row, column and fix."""
    from riskscreen.ingest.pipeline import read_exports
    from riskscreen.render.validation import render_report

    if data is None and attendance is None and grades is None and students is None and outcomes is None:
        raise UsageError("give a folder, or files with --attendance, --grades, --students or --outcomes")
    _exports, report = read_exports(data, require=(), progress=_progress(),
                                    **data_kwargs(attendance, grades, students, outcomes, profile, sheet,
                                                  allow_column, as_of))
    if not report.files:
        raise UsageError(f"no export files recognised in {data}",
                         hint="name them like absenties.csv and cijfers.csv, or use --attendance / --grades")
    emit(render_report(report, format.value), output, force)
    if format != ReportFormat.table or output is not None:
        _err(report.summary_line())
    if not report.valid:
        raise typer.Exit(1)


# -------------------------------------------------------------------------------------------------- sample
@app.command()
@guarded
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the synthetic exports to.")],
    students: Annotated[int, typer.Option("--students", help="Number of students.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same school.")] = 2026,
    as_of: Annotated[str, typer.Option("--as-of", help="Last day of registrations.")] = "2026-11-27",
    history_years: Annotated[int, typer.Option("--history-years", help="Write this many past school years "
                                                                       "and an outcomes table instead.")] = 0,
    profile: Annotated[str, typer.Option("--profile", help="Headers to write: magister or canonical.")] = "magister",
    force: ForceOpt = False,
) -> None:
    """Write a deterministic synthetic school (invented data) to try riskscreen or to train a model on."""
    from riskscreen import sample as sample_mod

    day = parse_date(as_of)
    assert day is not None
    if history_years < 0 or history_years > 20:
        raise UsageError("--history-years must be from 0 to 20")
    school = sample_mod.generate(students, seed=seed, as_of=day, history_years=history_years, profile=profile)
    for path in sample_mod.write(school, out_dir, force=force):
        _err(f"wrote {path}")


# ---------------------------------------------------------------------------------------- score and explain
ModelOpt = Annotated[str | None, typer.Option("--model", help="Model name or folder (default: the bundled "
                                                            "demonstration model 'demo').")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of reasons and labels: nl or en.")]


class Language(str, Enum):
    nl = "nl"
    en = "en"


def _load(model: str | None) -> Any:
    from riskscreen.scoring.store import load_model

    return load_model(model)


@app.command()
@guarded
def score(
    data: DataArg = None, attendance: AttendanceOpt = None, grades: GradesOpt = None, students: StudentsOpt = None,
    profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None, as_of: AsOfOpt = None,
    model: ModelOpt = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of reasons and labels.")] = Language.nl,
    top: Annotated[int | None, typer.Option("--top", help="Only the N highest-risk students.")] = None,
    mentor: Annotated[str | None, typer.Option("--mentor", help="Only this mentor's students.")] = None,
    class_: Annotated[str | None, typer.Option("--class", help="Only this class.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Rank every student by risk, with the reasons behind each score and the statutory absence flags."""
    check_output(output, force)
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.render.scores import demo_warning, render_scores
    from riskscreen.scoring.score import score as score_fn
    from riskscreen.scoring.score import select

    loaded = _load(model)
    exports = load_exports(data, progress=_progress(),
                           **data_kwargs(attendance, grades, students, None, profile, sheet, allow_column, as_of))
    result = score_fn(exports, loaded, lang=lang.value)
    rows = select(result, top=top, mentor=mentor, class_=class_)
    emit(render_scores(result, rows, format.value), output, force)
    warning = demo_warning(result)
    if warning and format != ReportFormat.table:
        _err(warning)
    flagged = int(result.table["verzuim_16u"].sum())
    _err(f"{len(result.table)} students scored as of {result.as_of.date()}; {flagged} with the 16-hour flag")


@app.command()
@guarded
def explain(
    data: Annotated[Path, typer.Argument(help="Folder with the export files.")],
    student_id: Annotated[str, typer.Argument(help="The student's pseudonym.")],
    profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None, as_of: AsOfOpt = None,
    model: ModelOpt = None,
    lang: Annotated[Language, typer.Option("--lang", help="Language of reasons and labels.")] = Language.nl,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Show one student's full breakdown: every feature, its reference, its contribution, flags, registrations."""
    check_output(output, force)
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.render.scores import render_explanation
    from riskscreen.scoring.score import explain as explain_fn

    loaded = _load(model)
    exports = load_exports(data, progress=_progress(),
                           **data_kwargs(None, None, None, None, profile, sheet, allow_column, as_of))
    explanation = explain_fn(exports, loaded, student_id, lang=lang.value)
    emit(render_explanation(explanation, format.value), output, force)


# ---------------------------------------------------------------------------------------- train and evaluate
class EvalFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
@guarded
def train(
    data: DataArg = None, attendance: AttendanceOpt = None, grades: GradesOpt = None, students: StudentsOpt = None,
    outcomes: OutcomesOpt = None, profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model and its card to, "
                                                    "such as models/ourschool.")] = Path("models/model"),
    c: Annotated[float | None, typer.Option("--C", help="Regularisation strength (smaller = simpler); "
                                                        "default: chosen by cross-validation.")] = None,
    balanced: Annotated[bool, typer.Option("--balanced", help="Weight classes inversely to their size.")] = False,
    feature_set: Annotated[str, typer.Option("--feature-set", help="standard, with-level, attendance or "
                                                                   "no-roster.")] = "standard",
    capacity: Annotated[int | None, typer.Option("--capacity", help="Students a youth worker can see; adds "
                                                                    "precision and recall at this k.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for splits, bootstrap and fitting.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the intervals.")] = 500,
    demonstration: Annotated[bool, typer.Option("--demonstration", help="Mark the model as a demonstration "
                                                                        "(synthetic data).")] = False,
    force: ForceOpt = False,
) -> None:
    """Fit a transparent model on labelled history and measure it on data it never saw, with baselines."""
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.render.card import card_markdown
    from riskscreen.scoring.store import save_model
    from riskscreen.training.train import train as train_fn

    if out.exists() and not force:
        raise UsageError(f"{out} already exists", hint="choose another --out, or add --force to replace it")
    if c is not None and c <= 0:
        raise UsageError("--C must be above 0")
    exports = load_exports(data, progress=_progress(), require=("attendance", "grades", "outcomes"),
                           **data_kwargs(attendance, grades, students, outcomes, profile, sheet, allow_column, None))
    result = train_fn(exports, c=c, class_weight="balanced" if balanced else None, feature_set=feature_set,
                      seed=seed, capacity=capacity, n_boot=bootstrap, name=out.name, demonstration=demonstration,
                      progress=_progress())
    markdown = card_markdown(result.card)
    save_model(result.fitted, result.card, out, force=force, markdown=markdown)
    sys.stdout.write(markdown)
    _err(f"wrote {out}/ (model.pkl, card.json, card.md)")


@app.command()
@guarded
def evaluate(
    data: DataArg = None, attendance: AttendanceOpt = None, grades: GradesOpt = None, students: StudentsOpt = None,
    outcomes: OutcomesOpt = None, profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None,
    model: ModelOpt = None,
    capacity: Annotated[int | None, typer.Option("--capacity", help="Also precision and recall at this k.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the split and the bootstrap.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the intervals.")] = 500,
    plots: Annotated[Path | None, typer.Option("--plots", help="Write ROC, precision-at-k and calibration PNGs "
                                                               "to this folder.")] = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Measure a model on labelled data: metrics with intervals, baselines, fairness audit, optional plots."""
    check_output(output, force)
    import json

    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.render.card import evaluation_markdown
    from riskscreen.training.train import evaluate as evaluate_fn

    loaded = _load(model)
    exports = load_exports(data, progress=_progress(), require=("attendance", "grades", "outcomes"),
                           **data_kwargs(attendance, grades, students, outcomes, profile, sheet, allow_column, None))
    result = evaluate_fn(exports, loaded, capacity=capacity, n_boot=bootstrap, seed=seed, progress=_progress())
    text = (json.dumps(result.report, indent=2, ensure_ascii=False) + "\n" if format == EvalFormat.json
            else evaluation_markdown(result.report))
    emit(text, output, force)
    if plots is not None:
        from riskscreen.training.plots import write_plots

        for path in write_plots(result.y, result.scores, plots, force=force):
            _err(f"wrote {path}")


@model_app.command("list")
@guarded
def model_list() -> None:
    """List the models riskscreen can find (./models, $RISKSCREEN_MODELS and the bundled ones)."""
    from riskscreen.scoring.store import list_models

    for path, card in list_models():
        if card is None:
            typer.echo(f"{path.name:<16} {path}  (card unreadable)")
            continue
        auc = (card.get("metrics", {}).get("roc_auc") or {}).get("value")
        demo = "  DEMONSTRATION (synthetic data)" if card.get("demonstration") else ""
        typer.echo(f"{path.name:<16} {path}  ROC AUC {auc}  created {card.get('created')}{demo}")


@model_app.command("show")
@guarded
def model_show(
    name: Annotated[str, typer.Argument(help="Model name or folder.")] = "demo",
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="table (Markdown) or json.")] = EvalFormat.table,
) -> None:
    """Print a model's card: intended use, training data, features, metrics, baselines, fairness."""
    import json

    from riskscreen.render.card import card_markdown
    from riskscreen.scoring.store import read_card, resolve

    card = read_card(resolve(name))
    sys.stdout.write(json.dumps(card, indent=2, ensure_ascii=False) + "\n" if format == EvalFormat.json
                     else card_markdown(card))


# ---------------------------------------------------------------------------------------- shortlist, history
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
    profile: ProfileOpt = None, sheet: SheetOpt = None, allow_column: AllowOpt = None, as_of: AsOfOpt = None,
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
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.render.shortlist import format_for, render
    from riskscreen.scoring.score import score as score_fn
    from riskscreen.weekly import history as history_mod
    from riskscreen.weekly.shortlist import build, snapshot

    fmt = format_for(format.value if format else None, output)
    if fmt == "xlsx" and output is None:
        raise UsageError("an XLSX workbook cannot be printed to the terminal", hint="add --output list.xlsx")
    check_output(output, force)
    loaded = _load(model)
    exports = load_exports(data, progress=_progress(),
                           **data_kwargs(attendance, grades, students, None, profile, sheet, allow_column, as_of))
    result = score_fn(exports, loaded, lang=lang.value)
    folder = history_dir or history_mod.default_folder(data)
    as_of_text = result.as_of.date().isoformat()
    previous = history_mod.previous(folder, as_of_text)
    listing = build(result, capacity=capacity, per_mentor=not total, min_band=min_band.value, previous=previous)
    content = render(listing, fmt)
    if output is None:
        sys.stdout.write(content if isinstance(content, str) else "")
        sys.stdout.flush()
    else:
        from riskscreen.files import write_output

        write_output(output, content, force=force)
        _err(f"wrote {output}")
    if not no_history:
        _err(f"snapshot stored in {history_mod.save(snapshot(listing), folder)}")
    statutory = int(listing.entries["statutory"].sum())
    _err(f"{len(listing.entries)} students on the list ({statutory} by the 16-hour rule) in "
         f"{len(listing.groups)} group(s)")


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
    import json

    from riskscreen.render import csv_text
    from riskscreen.weekly import history as history_mod

    folder = history_dir or history_mod.default_folder(data)
    if compare is None:
        snaps = [history_mod.load(p) for p in history_mod.list_snapshots(folder)]
        if not snaps:
            _err(f"no snapshots in {folder}")
            return
        rows = [[s.as_of, s.model, int(s.students["on_list"].sum()), len(s.students)] for s in snaps]
        header = ["as_of", "model", "on_list", "students"]
    else:
        old, new = history_mod.find(folder, compare[0]), history_mod.find(folder, compare[1])
        diff = history_mod.compare(old, new)
        header = list(diff.columns)
        rows = diff.astype(object).where(diff.notna(), None).to_numpy().tolist()
    if format == ReportFormat.json:
        text = json.dumps([dict(zip(header, r, strict=True)) for r in rows], indent=2) + "\n"
    elif format == ReportFormat.csv:
        text = csv_text(header, rows)
    else:
        from rich.table import Table

        from riskscreen.render import to_text

        table = Table(*header)
        for r in rows:
            table.add_row(*("" if v is None else str(v) for v in r))
        text = to_text(table)
    emit(text, output, force)


# ------------------------------------------------------------------------------------------------ profiles
@profile_app.command("list")
@guarded
def profile_list() -> None:
    """List the built-in and your own profiles."""
    from riskscreen.ingest.profiles import list_profiles

    for name, prof in list_profiles():
        typer.echo(f"{name:<14} {prof.source:<10} {prof.description}")


@profile_app.command("init")
@guarded
def profile_init(
    name: Annotated[str, typer.Argument(help="Name of the new profile.")],
    output: OutputOpt = None, force: ForceOpt = False,
) -> None:
    """Write a commented profile template to fill in (to the user profile folder, or --output)."""
    from riskscreen.ingest.profiles import profile_template, user_profile_dir

    text = profile_template(name)
    target = output or user_profile_dir() / f"{name}.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    emit(text, target, force)


def app_for(args: list[str]) -> typer.Typer:
    """The app with only what `args` runs, so that start-up does not build every command's parameters.

    typer inspects every command's signature and type hints when it builds the command line, which costs
    about as much as importing typer. Run a command: only that command is built. List the commands (--help,
    --version, no arguments): each is built without its parameters, from the same name and help text.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    commands = {info.name or get_command_name(info.callback.__name__): info for info in app.registered_commands
                if info.callback is not None}
    groups = {info.name: info for info in app.registered_groups}
    lean = copy.copy(app)
    if name is None:
        lean.registered_commands = [_listed(info) for info in app.registered_commands]
        lean.registered_groups = [_listed_group(info) for info in app.registered_groups]
    elif name in commands:
        lean.registered_commands, lean.registered_groups = [commands[name]], []
    elif name in groups:
        lean.registered_commands, lean.registered_groups = [], [groups[name]]
    else:
        return app  # an unknown command: click's message lists the known ones
    return lean


def _listed(info: Any) -> Any:
    listed = copy.copy(info)
    listed.name = info.name or get_command_name(info.callback.__name__)
    listed.help = info.help or inspect.getdoc(info.callback)
    listed.callback = _no_parameters
    return listed


def _listed_group(info: Any) -> Any:
    listed = copy.copy(info)
    sub = copy.copy(info.typer_instance)
    sub.registered_commands, sub.registered_groups = [], []
    listed.typer_instance = sub
    return listed


def _no_parameters() -> None:  # pragma: no cover - listed, never run
    pass


def main() -> None:
    """Console-script entry point: run the command, then end the process at once (see `exit_now`)."""
    try:
        app_for(sys.argv[1:])()
    except SystemExit as exc:
        exit_now(exc.code)
    exit_now(0)


def exit_now(code: object) -> None:
    """Flush the output, run the exit handlers, and leave without the interpreter's teardown.

    Tearing down frees a school board's frames object by object, about half a second after the work is
    done; the operating system takes the memory back at once. Library code never calls this: only `main`.
    """
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") prints the message and exits with 1
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `riskscreen score | head`: the reader has gone; that is not an error here
        pass
    atexit._run_exitfuncs()
    os._exit(status)


if __name__ == "__main__":
    main()
