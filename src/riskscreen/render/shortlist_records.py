"""What every format of the weekly list shows, worded once: one record per student, and the notes per group
(who left the list and why, whom the limit left out) and for the whole school (open statutory signals)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from riskscreen.i18n import (
    OVERFLOW,
    band_label,
    chance,
    change_text,
    choice_label,
    date_text,
    decimal,
    group_label,
    label,
    number,
    prompt_text,
    texts,
)
from riskscreen.render.reason_words import reason_texts
from riskscreen.render.scores import demo_warning, model_label, result_notes
from riskscreen.render.statutory import earlier_text, entry_text, shown_entries
from riskscreen.signals.features import FEATURES, SPEC
from riskscreen.weekly.shortlist import Shortlist


def words_of(lang: str) -> dict[str, str]:
    return texts(lang)["shortlist"]


def header_lines(sl: Shortlist, lang: str) -> list[str]:
    words = words_of(lang)
    as_of = sl.result.as_of
    week = as_of.isocalendar().week
    title = words["title"] if sl.by == "mentor" else f"{words['title']}: {words['caseload'].lower()}"
    model = "" if sl.role == "leerplicht" else f"model {model_label(sl.result, lang)}; "
    lines = [
        f"{title}, {words['week']} {week} ({date_text(as_of.date().isoformat(), lang)}); "
        f"{model}{len(sl.entries)} {words['students_listed']}"
    ]
    if sl.role != "coordinator":
        lines.append(words[f"view_{sl.role}"].format(mentor=sl.mentor))
    elsewhere = {g: n for g, n in sl.withheld.items() if g not in sl.groups}
    if elsewhere:  # the groups without a shared student have no page: their counts are here
        lines.append(
            words["withheld_elsewhere"].format(
                counts=", ".join(f"{group_label(g, lang)}: {n}" for g, n in elsewhere.items())
            )
        )
    if sl.names is not None:
        lines.append(words["confidential"])
    warning = demo_warning(sl.result, lang) if sl.role != "leerplicht" else None
    if warning:
        lines.append(warning)
    lines += result_notes(sl.result, lang)
    if sl.result.statutory_undetermined:
        statutory = texts(lang)["statutory"]
        lines.append(statutory["undetermined"].format(reason=statutory[f"reason_{sl.result.statutory_undetermined}"]))
    if sl.previous_as_of:
        lines.append(f"{words['compared_with']} {date_text(sl.previous_as_of, lang)}.")
        if sl.change_threshold is not None:
            lines.append(str(words["noise"]).format(points=decimal(sl.change_threshold, lang)))
    else:
        lines.append(words["no_previous"])
    if "all" in sl.cap_left:
        lines.append(capped_line(sl, lang, "all"))
    return lines


def made_with(sl: Shortlist, lang: str) -> str:
    """What the list was made with, for every sheet and row that may travel alone: the model (and whether it is
    the demonstration model), and the rules and calendar where they differ from the law's defaults."""
    parts = [f"model {model_label(sl.result, lang)}.", demo_warning(sl.result, lang), *result_notes(sl.result, lang)]
    return " ".join(str(p) for p in parts if p)


def moved_text(moved: list[dict[str, Any]], lang: str) -> list[str]:
    """'uren ongeoorloofd afwezig, laatste 4 lesweken: 2 → 8' for each signal that moved."""
    template = texts(lang)["shortlist"]["moved"]
    return [
        template.format(
            label=SPEC[m["feature"]].words[lang].label, before=number(m["before"], lang), now=number(m["now"], lang)
        )
        for m in moved
    ]


def flag_lines(row: pd.Series, lang: str) -> list[str]:
    """The student's statutory reports still open (or the last one made) and care signals, each with its state."""
    words = words_of(lang)
    entries = row["statutory_entries"] if isinstance(row["statutory_entries"], list) else []
    shown, _ = shown_entries(entries)
    still_open = sum(1 for e in entries if e["compulsory"] and e.get("state") in ("due", "late") and e not in shown)
    out = []
    for entry in shown:
        if entry["type"] == "mazl" and row["sick_state"] == "reported":
            out.append(
                f"{entry_text(entry, lang, with_state=False)}; "
                + words["sick_reported"].format(on=date_text(row["sick_reported_on"], lang))
            )
        else:
            out.append(entry_text(entry, lang))
    if still_open and out:
        out[0] = f"{out[0]}; {earlier_text(still_open, lang, still_open=True)}"
    return out


def action_lines(row: pd.Series, sl: Shortlist, lang: str) -> list[str]:
    """The open action: what, who, when agreed; the review date (or that it is overdue); what moved since."""
    if not given(row["action_id"]):
        return []
    words = words_of(lang)
    who = choice_label("roles", str(row["action_who"]), lang)
    if given(row["action_worker"]):
        who = f"{who} {row['action_worker']}"
    lines = [
        words["action_line"].format(what=row["action_what"], who=who, agreed=date_text(row["action_agreed"], lang))
    ]
    if given(row.get("referral_state")):
        weeks = (
            dt.date.fromisoformat(sl.result.day.isoformat()) - dt.date.fromisoformat(str(row["referral_since"]))
        ).days // 7
        line = words["referral_line"].format(
            target=choice_label("referrals", str(row["action_referral"]), lang),
            state=choice_label("referral_states", str(row["referral_state"]), lang),
            since=date_text(row["referral_since"], lang),
            weeks=weeks,
        )
        waited = int(row["referral_waiting"] or 0)
        lines.append(line + (words["referral_waiting"].format(weeks=waited) if waited else ""))
    if given(row["action_review"]):
        key = "review_overdue" if row["review_overdue"] else "review_on"
        lines.append(words[key].format(review=date_text(row["action_review"], lang)))
    moved = moved_text(row["since_action"], lang)
    if moved:
        lines.append(f"{words['since_action']}: " + "; ".join(moved))
    if given(row["more_actions"]) and row["more_actions"]:
        lines.append(words["more_actions"].format(n=int(row["more_actions"])))
    return lines


def own_view_lines(row: pd.Series, lang: str) -> list[str]:
    """What goes well and what the student wants, as last recorded: "Gaat goed: sport, vrienden; wil zelf: stage"."""
    strengths, goal = row.get("own_strengths") or (), row.get("own_goal")
    if not strengths and not given(goal):
        return []
    return [
        words_of(lang)["own_view"].format(
            strengths=", ".join(choice_label("strengths", k, lang) for k in strengths) or "-",
            goal=choice_label("goals", str(goal), lang) if given(goal) else "-",
        )
    ]


def given(value: object) -> bool:
    """A value of a frame that is there (not None, not NaN, not empty)."""
    return value is not None and not pd.isna(value) and value != ""


def reasons_of(row: pd.Series, words: dict[str, str], lang: str) -> list[str]:
    """Why the student is on the list: the signals of the last weeks, then the facts that cannot change (a repeated
    year, a move down) on one line marked as background, so that they do not read as this week's reason."""
    said = list(row["reasons"] or ())
    weekly = [t for t, r in zip(reason_texts(said, lang), said, strict=True) if r.feature not in STATIC]
    fixed = [t for t, r in zip(reason_texts(said, lang), said, strict=True) if r.feature in STATIC]
    return weekly + ([f"{words['background']}: " + "; ".join(fixed)] if fixed else [])


# the roster's facts about the school career so far: context for the conversation, not a signal of the last weeks
STATIC = frozenset(f.name for f in FEATURES if f.window_weeks is None and f.group == "roster")


def because(row: pd.Series, words: dict[str, str]) -> str:
    parts = []
    if row["statutory"]:
        parts.append(words["because_statutory"])
    if row["by_risk"]:
        parts.append(words["because_risk"])
    if row.get("over_capacity", False):
        parts.append(words["because_over_capacity"])
    return ", ".join(parts)


def records(sl: Shortlist, lang: str) -> list[dict[str, Any]]:
    """One flat record per listed student, with every field a printed list has (and empty write-in fields)."""
    words = words_of(lang)
    list_date = date_text(sl.result.day.isoformat(), lang)
    out = []
    for _, row in sl.entries.iterrows():
        sid = str(row["student_id"])
        moved = moved_text(row["moved"], lang)
        out.append(
            {
                "group": row["group"],
                "group_name": group_label(row["group"], lang),
                "band_key": str(row["band"]),
                "list_date": list_date,
                "priority": int(row["priority"]),
                "rank": int(row["rank"]),
                "student_id": sid,
                "name": (sl.names or {}).get(sid, ""),
                "class": "" if pd.isna(row["class"]) else str(row["class"]),
                "band": band_label(row["band"], lang),
                "probability": chance(row["probability"], lang),
                "probability_value": float(row["probability"]),
                "change": change_text(row["change"], row["change_points"], lang),
                "moved": [f"{words['since_last']}: " + "; ".join(moved)] if moved else [],
                "because": because(row, words),
                "reasons": reasons_of(row, words, lang),
                "flags": " | ".join(flag_lines(row, lang)),
                "statutory_state": str(row["verzuim_state"]),
                "review_overdue": bool(row["review_overdue"]),
                "open_action": action_lines(row, sl, lang) + own_view_lines(row, lang),
                "prompts": [prompt_text(k, lang) for k in row["prompts"]],
                "action": "",
                "action_type": "",
                "referral": "",
                "who": "",
                "when": "",
                "strengths": "",
                "goal": "",
                # the open referral's state, to be changed in place and read back by `actions import`
                "referral_state": choice_label("referral_states", str(row["referral_state"]), lang)
                if given(row.get("referral_state"))
                else "",
            }
        )
    return out


def capped_line(sl: Shortlist, lang: str, group: str) -> str:
    words = words_of(lang)
    students = sl.cap_left.get(group, [])
    key = "capped_note_total" if group == "all" else "capped_note"
    return words[key].format(capacity=sl.capacity, n=len(students), students=", ".join(students))


def left_lines(sl: Shortlist, lang: str, group: str | None = None) -> list[str]:
    """Who left the list since last time (in one group, or all), with why and which signals moved."""
    words = words_of(lang)
    out = []
    for _, r in sl.left.iterrows():
        if group is not None and r["group"] != group:
            continue
        now = chance(r["now"], lang) if r["now"] is not None and r["now"] == r["now"] else "-"
        why = words[f"left_why_{r['why']}"]
        moved = moved_text(r["moved"], lang)
        if moved:
            why += "; " + "; ".join(moved)
        out.append(
            words["left_row"].format(student=r["student_id"], before=chance(r["before"], lang), now=now, why=why)
        )
    return out


def group_notes(sl: Shortlist, lang: str, group: str) -> list[str]:
    """The lines under a group's table: whom the limit left out, and who left the list since last time."""
    notes = [capped_line(sl, lang, group)] if group in sl.cap_left else []
    if sl.withheld.get(group):
        notes.append(words_of(lang)["withheld_note"].format(n=sl.withheld[group]))
    if group == OVERFLOW and sl.overflow:
        notes.append(
            words_of(lang)["overflow_note"].format(
                capacity=sl.capacity,
                counts=", ".join(f"{group_label(g, lang)}: {n}" for g, n in sl.overflow.items()),
            )
        )
    gone = left_lines(sl, lang, group)
    if gone:
        notes.append(f"{words_of(lang)['left']}: " + "; ".join(gone))
    return notes


def statutory_rows(sl: Shortlist, lang: str) -> list[list[str]]:
    """The school-wide page: every report still to be made and every open sick-leave signal, the earliest
    deadline first."""
    rows = []
    for _, r in sl.statutory.iterrows():
        name = (sl.names or {}).get(str(r["student_id"]), "")
        rows.append(
            [
                str(r["student_id"]),
                *([name] if sl.names is not None else []),
                group_label(str(r["group"]), lang),
                entry_text(r["entry"], lang),
            ]
        )
    return rows


def statutory_header(sl: Shortlist, lang: str) -> list[str]:
    words = words_of(lang)
    # grouped by youth worker, the column holds the youth worker, not the mentor
    group = words["for_mentor"] if sl.by == "mentor" else words["for_group"]
    return [label("student", lang), *([words["name"]] if sl.names is not None else []), group, label("flags", lang)]


# ------------------------------------------------------------- the columns every tabular format shows
def columns(sl: Shortlist, lang: str, *, write_in: bool = True, for_import: bool = False) -> list[tuple[str, str]]:
    """(record key, heading) of the list's columns; the write-in ones last. The importable list (CSV, XLSX)
    also carries the list's date and the type of action and referral."""
    words = words_of(lang)
    cols = [("priority", "#"), ("student_id", label("student", lang))]
    if sl.names is not None:
        cols.append(("name", words["name"]))
    cols += [
        ("class", label("class", lang)),
        ("band", label("band", lang)),
        ("probability", label("probability", lang)),
        ("change", words["change"]),
        ("reasons", label("reasons", lang)),
        ("flags", label("flags", lang)),
        ("prompts", words["prompts"]),
        ("open_action", words["open_action"]),
    ]
    if write_in:
        cols.append(("action", words["action"]))
        if for_import:
            cols += [
                ("action_type", words["action_type"]),
                ("referral", words["referral"]),
                ("referral_state", words["referral_state"]),
                ("strengths", words["strengths"]),
                ("goal", words["goal"]),
            ]
        cols += [("who", words["who"]), ("when", words["when"])]
    return cols


def change_cell(r: dict[str, Any]) -> list[str]:
    return [x for x in (r["change"], r["because"], *r["moved"]) if x]


def value_of(r: dict[str, Any], key: str) -> str | list[str]:
    return change_cell(r) if key == "change" else r[key]


def lines_of(value: str | list[str], key: str) -> str:
    """A cell's items on their own lines, the conversation prompts as bullets."""
    if isinstance(value, list):
        return "\n".join(f"- {v}" for v in value) if key == "prompts" else "\n".join(value)
    return value
