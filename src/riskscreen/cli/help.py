"""Help texts in the reader's language: the built command's English help, said again through the catalogue."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any


def help_language(argv: list[str] | None = None) -> str:
    """The language of `--help`: a --lang on the command line, else as every command decides it."""
    from riskscreen.i18n import LANGUAGES, resolve_language

    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGUAGES:
            return value
    return resolve_language(strict=False)


def translate_help(command: Any, lang: str) -> list[str]:
    """Put the help of a built command tree (typer.main.get_command) in `lang`; returns the English texts the
    catalogue has no words for (they stay English)."""
    from riskscreen.i18n import message_catalogue

    catalogue = message_catalogue(lang)
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
