"""The command tree built on demand: a command's options only when that command runs or shows its help.

Typer builds every command of the tree before it parses a word (reading each function's signature), which was a
fifth of `riskscreen shortlist --help`. Here the groups are built hollow and each command is made the moment it
is looked up; a group's listing of its commands reads only their one-line summaries. The commands are made by
typer's own functions, so a command behaves exactly as `typer.main.get_command(app)` makes it (the tests use
that tree; `main()` uses this one).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

import typer
from typer import main as typer_main
from typer._click import Command, Context, HelpFormatter
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

Translate = Callable[[Any], object]


class Pending:
    """A command not yet built: its summary for a listing, and how to build it."""

    def __init__(self, summary: str, build: Callable[[], Command]) -> None:
        self.summary = summary
        self.build = build
        self.hidden = False


class LazyGroup(TyperGroup):
    """A group whose commands are built (and put in the reader's language) when looked up."""

    translate: Translate

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        found = self.commands.get(cmd_name)
        if isinstance(found, Pending):
            found = found.build()
            self.translate(found)
            self.commands[cmd_name] = found
        return found

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            entry = self.commands[name]
            summary = entry.summary if isinstance(entry, Pending) else entry.get_short_help_str(limit)
            rows.append((name, make_default_short_help(summary, limit) if isinstance(entry, Pending) else summary))
        with formatter.section(typer.core._("Commands")):
            formatter.write_dl(rows)


def lazy_command(app: typer.Typer, translate: Translate, said: Callable[[str], str]) -> LazyGroup:
    """The root group of `app` with every command pending; translate(command) puts a built command's help in the
    reader's language, said(text) a summary."""
    return _group(typer_main.TyperInfo(app), app, translate, said)


def _group(info: Any, settings: typer.Typer, translate: Translate, said: Callable[[str], str]) -> LazyGroup:
    instance = info.typer_instance
    pending: dict[str, Any] = {}
    for command_info in instance.registered_commands:
        name = command_info.name or typer_main.get_command_name(command_info.callback.__name__)
        text = command_info.short_help or command_info.help or inspect.getdoc(command_info.callback) or ""
        pending[name] = Pending(said(inspect.cleandoc(text)), _command_builder(command_info, settings))
    for sub_info in instance.registered_groups:
        solved = typer_main.solve_typer_info_defaults(sub_info)
        pending[str(solved.name)] = Pending(
            said(solved.short_help or solved.help or ""), _group_builder(sub_info, settings, translate, said)
        )
    hollow = copy.copy(instance)
    hollow.registered_commands, hollow.registered_groups = [], []
    hollow_info = copy.copy(info)
    hollow_info.typer_instance = hollow
    group = typer_main.get_group_from_info(
        hollow_info,
        pretty_exceptions_short=settings.pretty_exceptions_short,
        rich_markup_mode=settings.rich_markup_mode,
        suggest_commands=settings.suggest_commands,
    )
    group.__class__ = LazyGroup
    assert isinstance(group, LazyGroup)
    group.translate = translate
    group.commands = pending
    translate(group)
    return group


def _command_builder(command_info: Any, settings: typer.Typer) -> Callable[[], Command]:
    return lambda: typer_main.get_command_from_info(
        command_info,
        pretty_exceptions_short=settings.pretty_exceptions_short,
        rich_markup_mode=settings.rich_markup_mode,
    )


def _group_builder(
    info: Any, settings: typer.Typer, translate: Translate, said: Callable[[str], str]
) -> Callable[[], Command]:
    return lambda: _group(info, settings, translate, said)
