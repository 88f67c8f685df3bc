"""The statutory entries in words: each report's type, dates, hours and basis, and its state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from riskscreen.i18n import date_text, group_label, number, texts
from riskscreen.render import render_rows, render_width


def words(lang: str) -> dict[str, str]:
    return texts(lang)["statutory"]


def type_text(entry: Mapping[str, object], lang: str) -> str:
    """'vervolgmelding 16 uur', '18+ verzuim (RMC)', 'langdurig relatief verzuim (LRV)'."""
    key = "type_16u_follow_up" if entry["type"] == "16u" and entry.get("follow_up") else f"type_{entry['type']}"
    return words(lang)[key]


def facts_text(entry: Mapping[str, object], lang: str) -> str:
    """The report's figures: hours and dates on its basis, late arrivals, or the sick spell(s)."""
    w = words(lang)
    begin, end = date_text(entry["begin"], lang), date_text(entry["end"], lang)
    hours = number(float(entry["hours"]), lang) if isinstance(entry["hours"], int | float) else ""
    unit = w[f"unit_{entry['basis']}"]
    kind = entry["type"]
    if kind == "lrv":
        return (w["away_since"] if entry["end"] is None else w["away_span"]).format(
            begin=begin, end=end, hours=hours, unit=unit
        )
    if kind == "luxe":
        return w["leave"].format(begin=begin, end=end, hours=hours, unit=unit)
    if kind == "overig":
        return w["late_count"].format(count=entry["count"], begin=begin, end=end)
    if kind == "mazl":
        if entry["count"] == 1:
            return w["sick_long"].format(begin=begin, end=end)
        return w["sick_spells"].format(count=entry["count"], begin=begin, end=end)
    return w["hours"].format(hours=hours, unit=unit, begin=begin, end=end)


def state_text(entry: Mapping[str, object], lang: str) -> str:
    """What is to be done or was done: the deadline, TE LAAT, reported (late), or why nothing is reported."""
    w = words(lang)
    state = entry.get("state")
    if entry["type"] == "mazl":
        return w["mazl_step_minor" if entry.get("minor", True) else "mazl_step_adult"]
    if entry["type"] == "overig":
        return w["optional"]
    if not entry["compulsory"]:
        return w["not_compulsory"]
    return w[str(state or "due")].format(
        deadline=date_text(entry["deadline"], lang), on=date_text(entry.get("reported_on"), lang)
    )


def entry_text(entry: Mapping[str, object], lang: str, *, with_state: bool = True) -> str:
    """One report in a line: '16 uur in 4 lesweken: 17 lesuren ongeoorloofd, 07-09-2026 t/m 01-10-2026; TE LAAT:
    had uiterlijk 08-10-2026 gemeld moeten zijn'."""
    w = words(lang)
    parts = [f"{type_text(entry, lang)}: {facts_text(entry, lang)}"]
    if with_state:
        parts.append(state_text(entry, lang))
    if entry.get("regional"):
        parts.append(w["regional"])
    if entry.get("note") == "bbl":
        parts.append(w["bbl"])
    return "; ".join(parts)


def earlier_text(n: int, lang: str, *, still_open: bool = False) -> str:
    """'en nog 6 eerdere melding(en) dit schooljaar', or for reports still open, where page 1 lists them."""
    return words(lang)["more_open" if still_open else "earlier"].format(n=n)


def entries_json(entries: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """The contract's keys of each entry (docs/outputs.md), in order, and the documented extras after them."""
    keys = (
        "type",
        "compulsory",
        "begin",
        "end",
        "hours",
        "basis",
        "deadline",
        "state",
        "reached",
        "reported_on",
        "follow_up",
        "regional",
        "count",
        "note",
    )
    return [{k: e.get(k) for k in keys} for e in entries]


def shown_entries(
    entries: Sequence[Mapping[str, object]], *, states_known: bool = True
) -> tuple[list[Mapping[str, object]], int]:
    """What a list shows of a student's entries, and how many compulsory reports it leaves unshown.

    Every report still open (due or late, however old) where the school's recorded reports are known (the weekly
    list); else the latest compulsory report of the look-back (a score without a workspace); the
    latest signal without a duty to report (16 hours at 23, overig verzuim) of the look-back; the M@ZL signal."""
    compulsory = [e for e in entries if e["compulsory"]]
    shown = [e for e in compulsory if e.get("state") in ("due", "late")] if states_known else []
    if len(shown) > 2:  # the oldest and the newest; page 1 of the list names every open report
        shown = [shown[0], shown[-1]]
    if not shown:
        recent = [e for e in compulsory if e.get("recent")]
        shown = recent[-1:]
    for kind in ("16u", "overig"):
        signals = [e for e in entries if not e["compulsory"] and e["type"] == kind and e.get("recent")]
        shown += signals[-1:]
    shown += [e for e in entries if e["type"] == "mazl"]
    unshown = sum(1 for e in compulsory if e not in shown)
    return shown, unshown


def due_rows(
    reports: Sequence[tuple[str, str, Mapping[str, object]]], lang: str, *, machine: bool = False
) -> tuple[list[str], list[list[object]]]:
    """The verzuimloket's worklist: per report its deadline, state, student, mentor and the fields DUO asks (type,
    begin, end, hours); keys and ISO dates for JSON, words for a person."""
    header = ["deadline", "state", "student_id", "group", "type", "begin", "end", "hours", "basis"]
    w = words(lang)
    rows: list[list[object]] = []
    for student, group, report in reports:
        if machine:
            rows.append(
                [
                    report["deadline"],
                    report["state"],
                    student,
                    group,
                    report["type"],
                    report["begin"],
                    report["end"],
                    report["hours"],
                    report["basis"],
                ]
            )
        else:
            rows.append(
                [
                    date_text(report["deadline"], lang),
                    w[f"state_{report['state']}"],
                    student,
                    group_label(group, lang),
                    type_text(report, lang),
                    date_text(report["begin"], lang),
                    date_text(report["end"], lang),
                    number(float(str(report["hours"])), lang),
                    w[f"unit_{report['basis']}"],
                ]
            )
    return header, rows


DUE_TABLE_FROM = 110  # columns: below this the worklist is a block per report, so no date is ever cut


def due_text(header: list[str], rows: list[list[object]], lang: str, width: int | None = None) -> str:
    """The worklist for a person: a table on a wide terminal, else one block of two lines per report."""
    shown = width or render_width()
    if shown >= DUE_TABLE_FROM:
        return render_rows(header, rows, "table", lang)
    w = words(lang)
    out = []
    for deadline, state, student, group, kind, begin, end, hours, unit in rows:
        out.append(f"{deadline}  {state}  {student} ({group})  {kind}")
        out.append(" " * 12 + w["span_hours"].format(begin=begin, end=end, hours=hours, unit=unit))
    return "\n".join(out) + "\n"
