"""Commands of the analyst: train, evaluate, and the model store (model list, model show)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from riskscreen.cli.common import (
    AllowOpt,
    AttendanceOpt,
    DataArg,
    EvalFormat,
    ForceOpt,
    GradesOpt,
    LangOpt,
    ModelOpt,
    OutcomesOpt,
    OutputOpt,
    ProfileOpt,
    PseudonymOpt,
    SheetOpt,
    StudentsOpt,
    app,
    check_output,
    guarded,
    language,
    progress_bar,
    say,
    sources,
    write,
)


class Shape(str, Enum):
    """The model's shape, in either language."""

    auto = "auto"
    linear = "linear"
    additive = "additive"
    lineair = "lineair"
    additief = "additief"


SHAPE_KEYS = {"auto": "auto", "linear": "linear", "additive": "additive", "lineair": "linear", "additief": "additive"}


model_app = typer.Typer(help="Models: list them and show their cards.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(model_app, name="model")


@app.command()
@guarded
def train(
    data: DataArg = None,
    attendance: AttendanceOpt = None,
    grades: GradesOpt = None,
    students: StudentsOpt = None,
    outcomes: OutcomesOpt = None,
    profile: ProfileOpt = None,
    sheet: SheetOpt = None,
    allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder to write the model and its card to, such as models/ourschool.", readable=False
        ),
    ] = Path("models/model"),
    c: Annotated[
        float | None,
        typer.Option("--C", help="Regularisation strength (smaller = simpler); default: chosen by cross-validation."),
    ] = None,
    balanced: Annotated[bool, typer.Option("--balanced", help="Weight classes inversely to their size.")] = False,
    feature_set: Annotated[
        str, typer.Option("--feature-set", help="standard, with-level, attendance or no-roster.")
    ] = "standard",
    capacity: Annotated[
        int | None,
        typer.Option("--capacity", help="Students a youth worker can see; adds precision and recall at this k."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for splits, bootstrap and fitting.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the intervals.")] = 500,
    demonstration: Annotated[
        bool, typer.Option("--demonstration", help="Mark the model as a demonstration (synthetic data).")
    ] = False,
    shape: Annotated[
        Shape,
        typer.Option(
            "--shape",
            help="The model's shape: linear, additive (a monotone shape per "
            "feature) or auto (additive only when cross-validation finds it clearly "
            "better).",
        ),
    ] = Shape.auto,
    recalibrate: Annotated[
        bool,
        typer.Option(
            "--recalibrate",
            help="Move the saved model's intercept so that its "
            "mean chance on the latest cohort equals that cohort's rate of "
            "leaving (recorded in the card).",
        ),
    ] = False,
    follow_up: Annotated[
        int,
        typer.Option(
            "--follow-up",
            help="Months after each as-of date over which the outcomes count who left (DUO: 12); an as-of date "
            "whose months are not over in the data is refused.",
        ),
    ] = 12,
    evaluate_on: Annotated[
        Path | None,
        typer.Option(
            "--evaluate",
            help="Also evaluate the saved model on the labelled exports in this folder, in the same run (as "
            "`riskscreen evaluate` would); the training folder itself reuses what was read and computed.",
        ),
    ] = None,
    lang: LangOpt = None,
    force: ForceOpt = False,
) -> None:
    """Fit a transparent model on labelled history and measure it on data it never saw, with baselines."""
    language(lang)
    from riskscreen import api
    from riskscreen.render import render
    from riskscreen.render.card import training_warnings

    given = sources(data, attendance, grades, students, outcomes, profile, sheet, allow_column, pseudonym_column)

    result = api.train(
        given,
        out=out,
        c=c,
        balanced=balanced,
        feature_set=feature_set,
        capacity=capacity,
        seed=seed,
        bootstrap=bootstrap,
        demonstration=demonstration,
        recalibrate=recalibrate,
        shape=SHAPE_KEYS[shape.value],
        follow_up=follow_up,
        evaluate_on=evaluate_on,
        force=force,
        progress=progress_bar(),
    )
    write(render("card", "table", result.card, lang=_lang()), None, False)
    if result.evaluation is not None:
        write(render("evaluation", "table", result.evaluation.report, lang=_lang()), None, False)
    for warning in training_warnings(result.card, _lang()):
        say("warning", warning=warning)
    say("wrote_model", path=out)


@app.command()
@guarded
def evaluate(
    data: DataArg = None,
    attendance: AttendanceOpt = None,
    grades: GradesOpt = None,
    students: StudentsOpt = None,
    outcomes: OutcomesOpt = None,
    profile: ProfileOpt = None,
    sheet: SheetOpt = None,
    allow_column: AllowOpt = None,
    pseudonym_column: PseudonymOpt = None,
    model: ModelOpt = None,
    capacity: Annotated[int | None, typer.Option("--capacity", help="Also precision and recall at this k.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for the split and the bootstrap.")] = 0,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the intervals.")] = 500,
    plots: Annotated[
        Path | None,
        typer.Option("--plots", help="Write ROC, precision-at-k and calibration PNGs to this folder.", readable=False),
    ] = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = EvalFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """Measure a model on labelled data: metrics with intervals, baselines, fairness audit, optional plots."""
    language(lang)
    check_output(output, force)
    from riskscreen import api
    from riskscreen.render import render

    given = sources(data, attendance, grades, students, outcomes, profile, sheet, allow_column, pseudonym_column)
    evaluation = api.evaluate(
        given,
        model=model,
        capacity=capacity,
        seed=seed,
        bootstrap=bootstrap,
        plots=plots,
        force=force,
        progress=progress_bar(),
    )
    write(render("evaluation", format.value, evaluation.result.report, lang=_lang()), output, force)
    for path in evaluation.plots:
        say("wrote", path=path)


@model_app.command("list")
@guarded
def model_list(lang: LangOpt = None) -> None:
    """List the models riskscreen can find (./models, $RISKSCREEN_MODELS and the bundled ones)."""
    language(lang)
    from riskscreen import api
    from riskscreen.render.card import model_line

    for path, card, shadowed in api.models():
        typer.echo(model_line(path, card, shadowed=shadowed, lang=_lang()))


@model_app.command("show")
@guarded
def model_show(
    name: Annotated[str, typer.Argument(help="Model name or folder.")] = "demo",
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="table (Markdown) or json.")] = EvalFormat.table,
    lang: LangOpt = None,
) -> None:
    """Print a model's card: intended use, training data, features, metrics, baselines, fairness."""
    language(lang)
    from riskscreen import api
    from riskscreen.render import render

    write(render("card", format.value, api.model_card(name), lang=_lang()), None, False)


def _lang() -> str:
    """The language this run chose (each command calls language() first)."""
    from riskscreen.cli.common import RunState

    return RunState.lang
