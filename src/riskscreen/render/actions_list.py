"""The school's actions as a listing (`actions list`): keys and ISO dates in JSON, for programs; the reader's words
and dates in the table and the CSV; in a terminal too narrow for the table, one block per action, so that no
column is cut."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from riskscreen.i18n import choice_label, date_text, texts
from riskscreen.render import cell, csv_dialect_for, csv_text, json_text, plain, render_width, to_text
from riskscreen.workspace.actions import Action

COLUMNS = (
    "id",
    "student_id",
    "agreed",
    "type",
    "referral",
    "referral_state",
    "state_since",
    "who",
    "worker",
    "what",
    "review",
    "closed",
    "outcome",
)
CHOICES = {"type": "action_types", "referral": "referrals", "referral_state": "referral_states", "who": "roles"}
DATES = ("agreed", "state_since", "review", "closed")
TABLE_WIDTH = 200  # the 13 columns fit, without cutting a word, from here; below, one block per action


def records(actions: list[Action]) -> list[dict[str, Any]]:
    """Each action by its keys, its referral's state and since when included."""
    out = []
    for a in actions:
        state, since = a.referral_state or (None, None)
        out.append(
            {**{k: getattr(a, k) for k in COLUMNS if hasattr(a, k)}, "referral_state": state, "state_since": since}
        )
    return [{k: r.get(k) for k in COLUMNS} for r in out]


def shown(record: dict[str, Any], lang: str) -> dict[str, str]:
    """A record in the reader's words: choices by their label, dates as the language writes them."""
    out = {}
    for key, value in record.items():
        if value is None:
            out[key] = ""
        elif key in CHOICES:
            out[key] = choice_label(CHOICES[key], str(value), lang)
        elif key in DATES:
            out[key] = date_text(str(value), lang)
        else:
            out[key] = str(value)
    return out


def render_actions(
    actions: list[Action], fmt: str, lang: str = "nl", width: int | None = None, csv_dialect: str | None = None
) -> str:
    rows = records(actions)
    if fmt == "json":
        return json_text(rows)
    heading = {k: str(v) for k, v in texts(lang)["actions_list"].items()}
    texts_of = [shown(r, lang) for r in rows]
    if fmt == "csv":
        return csv_text(
            [heading[k] for k in COLUMNS],
            [[t[k] for k in COLUMNS] for t in texts_of],
            csv_dialect_for(lang, csv_dialect),
        )
    width = width or render_width()
    if width >= TABLE_WIDTH:
        table = Table(*(heading[k] for k in COLUMNS))
        for t in texts_of:
            table.add_row(*(cell(t[k]) for k in COLUMNS))
        return to_text(table, width)
    blocks = []
    for t in texts_of:
        lines = [
            f"{heading['id']} {t['id']} · {heading['student_id']} {t['student_id']} · {heading['agreed']} {t['agreed']}"
        ]
        if t["referral_state"]:  # "Stand verwijzing: wachtlijst (sinds 01-12-2026)"
            t = {
                **t,
                "referral_state": f"{t['referral_state']} ({heading['state_since'].lower()} {t['state_since']})",
                "state_since": "",
            }
        lines += [f"  {heading[k]}: {plain(t[k])}" for k in COLUMNS[3:] if t[k]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
