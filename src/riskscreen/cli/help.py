"""The command line in the reader's language: the built command's English help said again through the help
catalogue (text/LANG-help.toml), and click's own words (usage lines, section titles, the errors of a mistyped
command) through its patterns, as click prints them."""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any


def help_language(argv: list[str] | None = None) -> str:
    """The language of `--help`: a --lang on the command line, else as every command decides it."""
    from riskscreen.i18n import LANGUAGES
    from riskscreen.settings import resolve_language

    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        value = (
            arg.partition("=")[2]
            if arg.startswith("--lang=")
            else (args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        )
        if value in LANGUAGES:
            return value
    return resolve_language(strict=False)


def translate_help(command: Any, lang: str) -> list[str]:
    """Put the help of a built command tree (typer.main.get_command) in `lang`; returns the English texts the
    catalogue has no words for (they stay English)."""
    catalogue = help_catalogue(lang).get("help", {})
    missing = []
    for holder, attribute, english in help_texts(command):
        said = english if lang == "en" else catalogue.get(english)
        if said is None:
            missing.append(english)
        setattr(holder, attribute, said or english)
    return missing


def help_texts(command: Any) -> Iterator[tuple[Any, str, str]]:
    """(object, attribute, English text) of every help of a command, its options and arguments, its commands."""
    for attribute in ("help", "short_help"):
        text = getattr(command, attribute, None)
        if text:
            yield command, attribute, text
    for param in getattr(command, "params", []):
        text = getattr(param, "help", None)
        if text:
            yield param, "help", text
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


@cache
def help_catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The help catalogue of `lang` ([help], [words], [chrome]); empty for English. A file of its own, small, so
    that `--help` does not parse every message riskscreen has."""
    if lang == "en":
        return {}
    from riskscreen.i18n import TEXT

    path = TEXT / f"{lang}-help.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def said_in(text: str, lang: str) -> str:
    """A help text (its English as the code writes it) in `lang`; the English when the catalogue has no entry."""
    return help_catalogue(lang).get("help", {}).get(text, text)


def said_by_click(text: str, lang: str) -> str:
    """Click's own English (a usage line, an error of a mistyped command) in `lang`, by the [chrome] patterns."""
    for pattern, replacement in _chrome(lang):
        text = pattern.sub(replacement, text)
    return text


@cache
def _chrome(lang: str) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(p), r) for p, r in help_catalogue(lang).get("chrome", {}).items()]


def install_chrome(lang: str) -> None:
    """Make click and typer say their own words in `lang`: what typer looks up (its `_`), and what click echoes
    (its usage lines and errors, which it writes as plain English). For the process of one run (main())."""
    if lang == "en":
        return
    import typer.core
    from typer._click import core as click_core
    from typer._click import decorators as click_decorators
    from typer._click import exceptions as click_exceptions

    words = help_catalogue(lang).get("words", {})
    typer.core._ = lambda message: words.get(message, message)
    # each module's own name for echo: click's errors (exceptions), usage lines (core), the help (decorators)
    click_core.echo = _translating(click_core.echo, lang)
    click_decorators.echo = _translating(click_decorators.echo, lang)
    click_exceptions.echo = _translating(click_exceptions.echo, lang)


def _translating(echo: Callable[..., Any], lang: str) -> Callable[..., Any]:
    def said(message: object = None, *args: Any, **kwargs: Any) -> Any:
        return echo(said_by_click(message, lang) if isinstance(message, str) else message, *args, **kwargs)

    return said


def skip_absent_help() -> None:
    """An absent --help needs no coercion. Typer coerces every option's value through pydantic, and the group's
    --help is absent in every subcommand's run, so `riskscreen shortlist --help` imported pydantic (80 ms, most
    of its time) only to coerce None."""
    import typer.core

    coerce = typer.core.TyperOption.process_value

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        if self.name == "help" and not value:
            return value
        return coerce(self, ctx, value)

    typer.core.TyperOption.process_value = process_value  # type: ignore[method-assign]
