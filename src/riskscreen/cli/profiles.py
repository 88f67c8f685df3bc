"""Commands for mapping profiles: list them, write a template to fill in."""

from typing import Annotated

import typer

from riskscreen.cli.common import ForceOpt, LangOpt, OutputOpt, app, guarded, language, write

profile_app = typer.Typer(
    help="Mapping profiles: how a school's export headers and codes map to the contract.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(profile_app, name="profile")


@profile_app.command("list")
@guarded
def profile_list(lang: LangOpt = None) -> None:
    """List the built-in and your own profiles."""
    language(lang)
    from riskscreen import api

    for name, prof in api.profiles():
        typer.echo(f"{name:<14} {prof.source:<10} {prof.description}")


@profile_app.command("init")
@guarded
def profile_init(
    name: Annotated[str, typer.Argument(help="Name of the new profile.")],
    output: OutputOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write a commented profile template to fill in (to the user profile folder, or --output)."""
    language(lang)
    from riskscreen import api
    from riskscreen.files import private_folder

    text, target = api.profile_template(name, output)
    private_folder(target.parent)
    write(text, target, force)
