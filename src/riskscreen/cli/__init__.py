"""The command line: parse arguments, call one library (riskscreen.api) function, render, map errors to exit codes.

The commands live in the modules of this package, one per family; `common` holds the app, the options they share
and the error mapping; this module builds the tree and runs it.
"""

from __future__ import annotations

import sys

from riskscreen.cli.common import app

# The commands register themselves on `app` (and its groups) when imported, in the order `--help` lists them.
# isort: off
from riskscreen.cli import screen, profiles, models, weekly, history, actions, sharing, region  # noqa: F401
# isort: on

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: the command tree (each command built when it is used) with its help in the
    reader's language, then the run."""
    from riskscreen.cli.help import help_language, install_chrome, said_in, skip_absent_help, translate_help
    from riskscreen.cli.lazy import lazy_command

    # a terminal that cannot show a character (PYTHONIOENCODING=ascii, LC_ALL=C) gets a '?' for it, not a crash
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    lang = help_language()
    command = lazy_command(app, lambda built: translate_help(built, lang), lambda text: said_in(text, lang))
    install_chrome(lang)
    skip_absent_help()
    command(prog_name="riskscreen")
