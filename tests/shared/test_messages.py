"""Every message a person can meet, in Dutch too: errors, hints and problems are written as English templates
(errors.msg) whose Dutch lives in src/riskscreen/text/nl-messages.toml; these tests keep the two in step."""

from __future__ import annotations

import ast
import os
import re
import string
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from riskscreen.cli import app
from riskscreen.cli.help import help_catalogue, help_texts, said_in, translate_help
from riskscreen.cli.lazy import lazy_command
from riskscreen.errors import Day, Lines, UsageError, msg
from riskscreen.ingest.privacy_names import IDENTIFIER_NAMES, SHORT_IDENTIFIER_WORDS

SRC = Path(__file__).resolve().parents[2] / "src" / "riskscreen"
CATALOGUE = SRC / "text" / "nl-messages.toml"
ERRORS = {
    "RiskscreenError",
    "InputError",
    "PrivacyError",
    "ValidationFailed",
    "ProfileError",
    "ModelError",
    "OutputError",
    "WorkspaceError",
    "UsageError",
    "OutputExistsError",
    "ImportRefused",
    "_RowError",
    "error",
}


def _templates() -> dict[str, str]:
    """Every literal template of the source, with the module that uses it first."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            # msg("...") and the fields' words of the data contract (_words("...", "..."), said with msg later)
            texts = node.args[:1] if node.func.id == "msg" else node.args[:2] if node.func.id == "_words" else []
            for text in texts:
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    found.setdefault(text.value, str(path.relative_to(SRC)))
    return found


def _dutch() -> dict[str, str]:
    return {k: v for table in tomllib.loads(CATALOGUE.read_text(encoding="utf-8")).values() for k, v in table.items()}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_of_the_code_has_its_dutch_with_the_same_values() -> None:
    templates, dutch = _templates(), _dutch()
    assert len(templates) > 300
    missing = sorted(f"{where}: {t}" for t, where in templates.items() if t not in dutch)
    assert missing == []
    wrong = sorted(t for t in templates if _fields(t) != _fields(dutch[t]))
    assert wrong == []
    # and nothing stale: every Dutch entry is a template of the code, a help text, or a word the privacy guard names
    from riskscreen.signals.features import SPEC

    units = {spec.unit for spec in SPEC.values()}  # the card says each feature's unit in its language
    assert sorted(units - set(dutch)) == []
    words = (
        set(IDENTIFIER_NAMES.values())
        | set(SHORT_IDENTIFIER_WORDS.values())
        | units
        | {"a direct identifier", "absence code", "level", "leerweg"}
    )
    helps = {english for _, _, english in help_texts(get_command(app))}
    assert sorted(set(dutch) - set(templates) - words - helps) == []


def test_every_help_text_has_its_dutch_and_the_command_line_speaks_it() -> None:
    command = get_command(app)
    assert len(list(help_texts(command))) > 150
    assert translate_help(command, "nl") == []
    shown = {"RISKSCREEN_LANG": "nl"}
    dutch = subprocess.run(
        [sys.executable, "-m", "riskscreen", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, **shown},
        check=True,
    ).stdout
    assert "Signaleren van dreigend voortijdig schoolverlaten" in dutch and "Toon de versie en stop." in dutch
    english = subprocess.run(
        [sys.executable, "-m", "riskscreen", "shortlist", "--help", "--lang", "en"],
        capture_output=True,
        text=True,
        env={**os.environ, **shown},
        check=True,
    ).stdout
    assert "The weekly shortlist for the youth worker and the mentor" in english
    option = subprocess.run(
        [sys.executable, "-m", "riskscreen", "shortlist", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, **shown},
        check=True,
    ).stdout
    assert "De wekelijkse signaleringslijst voor jongerenwerker en" in option
    assert "Laagste risiconiveau dat op de lijst komt" in " ".join(option.split())


def test_no_error_is_raised_with_bare_english() -> None:
    """An error's message and hint are msg(...) (or a value made of them), never a string or an f-string."""
    bare = []
    for path in sorted(SRC.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in ERRORS:
                continue
            texts = node.args[1:2] if name == "_RowError" else node.args[:1]
            texts += [k.value for k in node.keywords if k.arg == "hint"]
            bare += [
                f"{path.relative_to(SRC)}:{t.lineno}"
                for t in texts
                if isinstance(t, ast.Constant | ast.JoinedStr | ast.BinOp)
            ]
    assert bare == []


def test_a_message_says_itself_in_dutch_with_its_values_dates_and_lines() -> None:
    error = UsageError(
        msg(
            "--as-of {as_of} is more than a week after the last registration in the exports ({last})",
            as_of=Day("2026-12-31"),
            last=Day("2026-11-20"),
        ),
        hint=msg(
            "use --as-of {last}, or export the weeks up to {as_of}", last=Day("2026-11-20"), as_of=Day("2026-12-31")
        ),
    )
    assert str(error) == (
        "--as-of 2026-12-31 is more than a week after the last registration in the exports "
        "(2026-11-20)\n  How to fix: use --as-of 2026-11-20, or export the weeks up to 2026-12-31"
    )
    assert error.localised("nl") == (
        "--as-of 31-12-2026 ligt meer dan een week na de laatste registratie in de exports (20-11-2026)\n"
        "  Zo los je het op: gebruik --as-of 20-11-2026, of exporteer de weken tot en met 31-12-2026"
    )
    rows = Lines(
        [msg("row {row}: {message}", row=5, message=msg("the {what} is empty", what=msg("action")))], prefix="  - "
    )
    assert rows == "  - row 5: the action is empty"
    assert rows.localised("nl") == "  - rij 5: de actie is leeg"
    # a template the catalogue does not know is said in English rather than not at all
    assert msg("no such template {x}", x=1).localised("nl") == "no such template 1"


ENGLISH = {
    "the",
    "not",
    "and",
    "with",
    "must",
    "cannot",
    "which",
    "was",
    "has",
    "have",
    "are",
    "from",
    "for",
    "this",
    "that",
    "its",
    "their",
    "there",
    "after",
    "before",
    "only",
    "more",
    "than",
    "file",
    "folder",
    "found",
    "give",
    "write",
    "check",
    "use",
    "add",
    "choose",
    "remove",
    "again",
    "read",
    "written",
    "could",
    "does",
    "should",
    "would",
    "into",
    "without",
    "holds",
    "refused",
    "line",
    "row",
    "column",
    "student",
}


@pytest.mark.parametrize("template", sorted(_templates()))
def test_the_dutch_reads_as_dutch(template: str) -> None:
    """No Dutch entry is the English left as it was: no English function words outside values, options,
    commands and quoted names."""
    shown = re.sub(r"\{[^}]*\}|--[\w-]+|`[^`]*`|'[^']*'|\"[^\"]*\"|\[[^\]]*\]|\w+\.\w+", " ", _dutch()[template])
    assert not {w.lower() for w in re.findall(r"[A-Za-z]+", shown)} & ENGLISH, (template, _dutch()[template])


def _help_of(root: Any, path: tuple[str, ...]) -> str:
    ctx = root.make_context("riskscreen", [], resilient_parsing=True)
    command = root
    for name in path:
        command = command.get_command(ctx, name)
        ctx = command.make_context(name, [], parent=ctx, resilient_parsing=True)
    return str(command.get_help(ctx))


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


def test_the_tree_built_on_demand_says_what_typers_own_tree_says() -> None:
    eager = get_command(app)
    assert translate_help(eager, "nl") == []
    lazy = lazy_command(app, lambda built: translate_help(built, "nl"), lambda text: said_in(text, "nl"))
    paths = list(_paths(eager))
    assert len(paths) > 25
    for path in paths:
        assert _help_of(lazy, path) == _help_of(eager, path), path


def test_the_help_catalogue_holds_only_help_texts() -> None:
    helps = {english for _, _, english in help_texts(get_command(app))}
    assert sorted(set(help_catalogue("nl")["help"]) - helps) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["validate", "--bogus"], "fout: onbekende optie: --bogus"),
        (["validat"], "fout: onbekende opdracht 'validat'. Bedoelde je 'validate', 'evaluate'?"),
        (["actions", "add"], "fout: het argument 'student' ontbreekt."),
        (
            ["validate", "-f", "xml"],
            "fout: ongeldige waarde voor '--format' / '-f': 'xml' is niet een van 'table', 'json', 'csv'.",
        ),
        (["aggregate", "--threshold", "abc"], "fout: ongeldige waarde voor '--threshold': dat is geen geheel getal"),
        (["validate", "--sheet"], "fout: de optie '--sheet' heeft een waarde nodig."),
        (["validate", "a", "b"], "fout: onverwacht extra argument (b)"),
    ],
)
def test_click_speaks_dutch_when_a_command_is_mistyped(args: list[str], said: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "riskscreen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "RISKSCREEN_LANG": "nl"},
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == said
    if args[-1] == "--bogus":
        assert done.stderr.startswith(
            "Gebruik: riskscreen validate [OPTIES] [data]\nProbeer 'riskscreen validate --help' voor hulp.\n"
        )


def test_the_help_chrome_is_dutch_and_english_on_request() -> None:
    env = {**os.environ, "RISKSCREEN_LANG": "nl", "COLUMNS": "100"}
    dutch = subprocess.run(
        [sys.executable, "-m", "riskscreen", "validate", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert dutch.startswith("Gebruik: riskscreen validate [OPTIES] [data]\n")
    for words in ("\nArgumenten:\n", "\nOpties:\n", "[standaard: table]", "Toon deze hulp en stop."):
        assert words in dutch
    english = subprocess.run(
        [sys.executable, "-m", "riskscreen", "validate", "--help", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert english.startswith("Usage: riskscreen validate [OPTIONS] [data]\n") and "[default: table]" in english


def test_every_feature_has_its_words_in_every_language_and_no_more() -> None:
    """A feature's words live in the catalogues, keyed by its name (#27 item 5): a label, a reason with {value}, and
    a norm with {norm} where the norm is more than "any" (#24 item 5)."""
    from riskscreen.i18n import LANGUAGES, texts
    from riskscreen.signals.features import FEATURE_NAMES, SPEC

    for lang in LANGUAGES:
        table = texts(lang)["features"]
        assert sorted(table) == sorted(FEATURE_NAMES), lang
        for name, words in table.items():
            assert sorted(words) == (["label", "norm", "reason"] if SPEC[name].norm != 1 else ["label", "reason"]), (
                lang,
                name,
            )
            assert "{norm}" in words.get("norm", "{norm}"), (lang, name)
            assert ("{value}" in words["reason"]) == (SPEC[name].unit != "yes/no"), (lang, name)
