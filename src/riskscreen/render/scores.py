"""Rendering scores and explanations as terminal tables, CSV and JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from rich.console import Group
from rich.table import Table
from rich.text import Text

from riskscreen import i18n
from riskscreen.i18n import band_label, chance, date_text, label, number, signed, texts
from riskscreen.render import DISPLAY_CHARS, cell, csv_dialect_for, csv_text, json_text, plain, to_text
from riskscreen.render.reason_words import reason_cells, reason_texts
from riskscreen.render.statutory import earlier_text, entries_json, entry_text, shown_entries
from riskscreen.scoring.score import Explanation, ScoreResult
from riskscreen.scoring.season import outside_seasons, season_of, trained_span
from riskscreen.signals.features import SPEC
from riskscreen.signals.statutory.states import with_states


def model_label(result: ScoreResult, lang: str) -> str:
    """The model as outputs name it: its name and where it came from (the bundled one in the reader's words)."""
    source = texts(lang)["messages"]["bundled"] if result.model_source == "bundled" else result.model_source
    return f"{result.model_name} ({source})"


def model_line(result: ScoreResult, lang: str) -> str:
    return str(texts(lang)["messages"]["model_line"]).format(
        model=model_label(result, lang), as_of=date_text(result.day.isoformat(), lang)
    )


def demo_warning(result: ScoreResult, lang: str) -> str | None:
    return i18n.demo_warning(lang) if result.demonstration else None


def result_notes(result: ScoreResult, lang: str) -> list[str]:
    """The warnings every output of a score carries, in the reader's words: a day outside the part of the school
    year the model was trained on (more than six weeks from every trained as-of date), a 16-hour rule set
    otherwise than the law, and lesson weeks not counted from the school's holiday calendar."""
    messages = texts(lang)["messages"]
    notes = []
    if outside_seasons(result.day, result.trained_as_of):
        start, end = trained_span(result.trained_as_of)
        shown = "%d-%m" if lang == "nl" else "%m-%d"
        notes.append(str(messages["season"]).format(start=start.strftime(shown), end=end.strftime(shown)))
    if not result.rules.follows_the_law:
        notes.append(
            str(messages["rule_changed"]).format(
                hours=number(result.rules.verzuim_hours, lang), weeks=result.rules.verzuim_weeks
            )
        )
    if result.calendar_basis != "holidays":
        notes.append(str(messages[f"calendar_{result.calendar_basis}"]))
    return notes


def statutory_of(result: ScoreResult, student_id: str) -> list[dict[str, object]]:
    """A student's statutory entries with the states a score knows without the school's records: due, or late
    once the deadline has passed (the weekly list reads the recorded reports)."""
    entries = result.flags.at[student_id, "statutory_entries"] if student_id in result.flags.index else []
    return with_states(list(entries or []), (), result.day.isoformat())


def flag_texts(result: ScoreResult, rows: pd.DataFrame, lang: str) -> list[str]:
    """Per row the statutory and care signals in words: the latest report and how many came before it, a signal
    without a duty to report, the M@ZL signal."""
    out = []
    for sid in rows["student_id"].astype(str):
        shown, unshown = shown_entries(statutory_of(result, sid), states_known=False)
        parts = [entry_text(e, lang) for e in shown]
        if unshown and parts:
            parts[0] = f"{parts[0]}; {earlier_text(unshown, lang)}"
        out.append(" | ".join(parts))
    return out


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def scores_renderable(result: ScoreResult, rows: pd.DataFrame, lang: str) -> Group:
    parts: list[Any] = [Text(model_line(result, lang))]
    warning = demo_warning(result, lang)
    if warning:
        parts.append(Text(warning, style="bold yellow"))
    table = Table(show_lines=False, expand=False)
    for key in ("rank", "student", "mentor", "class", "probability", "band", "reasons", "flags"):
        table.add_column(
            label(key, lang), overflow="fold", justify="right" if key in {"rank", "probability"} else "left"
        )
    for (_, row), flags in zip(rows.iterrows(), flag_texts(result, rows, lang), strict=True):
        reasons = "; ".join(reason_texts(row["reasons"], lang))
        table.add_row(
            *(
                cell(v)
                for v in (
                    row["rank"],
                    row["student_id"],
                    _text(row["mentor"]),
                    _text(row["class"]),
                    chance(row["probability"], lang),
                    band_label(row["band"], lang),
                    reasons or "-",
                    flags,
                )
            )
        )
    parts.append(table)
    return Group(*parts)


def render_scores(
    result: ScoreResult,
    rows: pd.DataFrame,
    fmt: str,
    *,
    lang: str,
    width: int | None = None,
    csv_dialect: str | None = None,
) -> str:
    texts_ = _flat_columns(result, rows, lang)
    if fmt == "json":
        records = [
            {
                "rank": int(rank),
                "student_id": sid,
                "mentor": mentor or None,
                "class": klass or None,
                "probability": round(float(p), 6),
                "band": band,
                "reasons": reason_texts(said, lang),
                "reason_features": [f for f in features.split(";") if f],
                "flags": {"verzuim_16u": bool(v), "ziekteverzuim": bool(z), "text": flags},
                "statutory": entries_json(statutory_of(result, sid)),
            }
            for rank, sid, mentor, klass, p, band, said, features, v, z, flags in zip(
                rows["rank"],
                texts_["student_id"],
                texts_["mentor"],
                texts_["class"],
                rows["probability"],
                rows["band"],
                rows["reasons"],
                rows["reason_features"].astype(str),
                rows["verzuim_16u"],
                rows["ziekteverzuim"],
                texts_["flags"],
                strict=True,
            )
        ]
        doc = {
            "model": {
                "name": result.model_name,
                "source": result.model_source,
                "demonstration": result.demonstration,
                "notice": demo_warning(result, lang),
            },
            "as_of": result.day.isoformat(),
            "language": lang,
            "students": records,
        }
        return json_text(doc)
    if fmt == "csv":
        header = [
            "rank",
            "student_id",
            "mentor",
            "class",
            "probability",
            "band",
            "reason_1",
            "reason_2",
            "reason_3",
            "verzuim_16u",
            "ziekteverzuim",
            "flags",
            "model",
        ]
        model = model_label(result, lang) + (
            f" {texts(lang)['messages']['demo_short']}" if result.demonstration else ""
        )
        bands = {b: band_label(b, lang) for b in ("high", "elevated", "low")}
        # plain lists: iterating pandas' Arrow-backed text columns costs a Python call per cell
        cells = [reason_cells(said, lang) for said in rows["reasons"]]
        body = zip(
            rows["rank"].astype(int).tolist(),
            texts_["student_id"],
            texts_["mentor"],
            texts_["class"],
            [round(p, 4) for p in rows["probability"].tolist()],
            rows["band"].map(bands).tolist(),
            [c[0] for c in cells],
            [c[1] for c in cells],
            [c[2] for c in cells],
            rows["verzuim_16u"].astype(int).tolist(),
            rows["ziekteverzuim"].astype(int).tolist(),
            texts_["flags"],
            [model] * len(rows),
            strict=True,
        )
        return csv_text(csv_header(header, lang), body, csv_dialect_for(lang, csv_dialect))
    return to_text(scores_renderable(result, rows, lang), width)


def csv_header(keys: list[str], lang: str) -> list[str]:
    """Column headings of a CSV: words in Dutch, for Excel; the keys themselves in English, for scripts."""
    words = texts(lang).get("csv_columns", {})
    return [str(words.get(k, k)) for k in keys]


def _flat_columns(result: ScoreResult, rows: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    """Text columns with missing values as empty strings, computed once per column."""
    return {
        c: ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in rows[c].tolist()]
        for c in ("student_id", "mentor", "class")
    } | {"flags": flag_texts(result, rows, lang)}


def explain_renderable(ex: Explanation, lang: str) -> Group:
    result = ex.result
    words = texts(lang)
    ew = words["explain"]
    row = ex.row
    parts: list[Any] = [Text(model_line(result, lang))]
    warning = demo_warning(result, lang)
    if warning:
        parts.append(Text(warning, style="bold yellow"))
    details = [
        ew["rank"].format(rank=row["rank"], n=len(result.table)),
        f"{label('probability', lang).lower()} {chance(row['probability'], lang)}" + interval_text(ex, lang),
        f"{label('band', lang).lower()} {band_label(row['band'], lang)}",
    ]
    if _text(row["mentor"]):
        details.append(f"{label('mentor', lang).lower()} {plain(row['mentor'], DISPLAY_CHARS)}")
    if _text(row["class"]):
        details.append(f"{label('class', lang).lower()} {plain(row['class'], DISPLAY_CHARS)}")
    parts.append(Text(f"{label('student', lang)} {ex.student_id}: " + ", ".join(details)))
    if interval_text(ex, lang):
        parts.append(Text(ew["interval_note"].format(samples=ex.refits)))
    elif ex.interval is None:
        parts.append(Text(ew["no_interval"]))
    table = Table(title=ew["title"])
    for key in ("feature", "value", "reference", "contribution"):
        table.add_column(label(key, lang), justify="left" if key == "feature" else "right")
    base = ew["base_additive" if ex.shape == "additive" else "base"]
    if result.season_shift:
        base = ew["base_season"].format(
            base=base, season=texts(lang)["seasons"][season_of(result.day)], shift=signed(result.season_shift, lang)
        )
    table.add_row(base, "", "", signed(ex.base_logit, lang))
    for _, f in ex.breakdown.iterrows():
        used = bool(f["used"])
        name = described(f, lang)
        table.add_row(
            name + ("" if used else f" ({ew['not_used']})"),
            number(f["value"], lang),
            number(f["reference"], lang) if used else "-",
            signed(f["contribution"], lang) if used else "-",
        )
    total = ex.base_logit + float(ex.breakdown["contribution"].sum())
    table.add_row(ew["total"], "", "", signed(total, lang))
    parts.append(table)
    if ex.enrolled_weeks is not None:
        parts.append(Text(ew["enrolled"].format(weeks=ex.enrolled_weeks)))
    reasons = reason_texts(row["reasons"], lang)
    parts.append(Text(f"{label('reasons', lang)}: " + ("; ".join(reasons) if reasons else label("none", lang))))
    flags = flag_texts(result, result.table.loc[[ex.student_id]], lang)[0]
    parts.append(Text(f"{label('flags', lang)}: " + (flags or label("none", lang))))
    regs = ex.registrations
    reg_table = Table(title=f"{ew['registrations']} ({len(regs)})")
    for name in ("date", "period", "hours", "code"):
        reg_table.add_column(ew[name])
    for _, r in regs.iterrows():
        reg_table.add_row(
            date_text(pd.Timestamp(r["date"]).date().isoformat(), lang),
            number(r["period"], lang) if "period" in regs else "-",
            number(r["hours"], lang),
            words["codes"].get(str(r["code"]), str(r["code"])),
        )
    parts.append(reg_table)
    return Group(*parts)


def interval_text(ex: Explanation, lang: str) -> str:
    """The chance's interval as it reads after the chance, or nothing when there is none or both ends read the same
    (">95% tot >95%" says nothing)."""
    if ex.interval is None:
        return ""
    low, high = (chance(end, lang) for end in ex.interval)
    return "" if low == high else f" ({texts(lang)['explain']['interval'].format(low=low, high=high)})"


def render_explanation(
    ex: Explanation, fmt: str, *, lang: str, width: int | None = None, csv_dialect: str | None = None
) -> str:
    if fmt == "json":
        row = ex.row
        doc = {
            "student_id": ex.student_id,
            "rank": int(row["rank"]),
            "probability": round(float(row["probability"]), 6),
            "probability_interval": [round(v, 6) for v in ex.interval] if ex.interval else None,
            "band": str(row["band"]),
            "logit": round(float(row["logit"]), 6),
            "base_logit": round(ex.base_logit, 6),
            "season_shift": round(ex.result.season_shift, 6),
            "model": {
                "name": ex.result.model_name,
                "source": ex.result.model_source,
                "demonstration": ex.result.demonstration,
                "notice": demo_warning(ex.result, lang),
            },
            "as_of": ex.result.day.isoformat(),
            **({"enrolled_weeks_12w": ex.enrolled_weeks} if ex.enrolled_weeks is not None else {}),
            "features": [
                {
                    "feature": f["feature"],
                    "description": described(f, lang),
                    "value": _num(f["value"]),
                    "reference": _num(f["reference"]),
                    "contribution": round(float(f["contribution"]), 6),
                    "used": bool(f["used"]),
                }
                for _, f in ex.breakdown.iterrows()
            ],
            "reasons": reason_texts(row["reasons"], lang),
            "flags": {k: _json_value(v) for k, v in ex.flags.items() if k != "statutory_entries"},
            "statutory": entries_json(statutory_of(ex.result, ex.student_id)),
            "registrations": [
                {
                    "date": pd.Timestamp(r["date"]).date().isoformat(),
                    "period": _num(r["period"]) if "period" in ex.registrations else None,
                    "hours": float(r["hours"]),
                    "code": str(r["code"]),
                }
                for _, r in ex.registrations.iterrows()
            ],
        }
        return json_text(doc)
    if fmt == "csv":
        header = ["feature", "description", "value", "reference", "contribution", "used"]
        rows = [
            [
                f["feature"],
                described(f, lang),
                _num(f["value"]),
                _num(f["reference"]),
                round(float(f["contribution"]), 6),
                int(bool(f["used"])),
            ]
            for _, f in ex.breakdown.iterrows()
        ]
        return csv_text(csv_header(header, lang), rows, csv_dialect_for(lang, csv_dialect))
    return to_text(explain_renderable(ex, lang), width)


def described(feature: pd.Series, lang: str) -> str:
    """A feature as a person reads it in the language (its declared label), else its card description."""
    spec = SPEC.get(feature["feature"])
    return spec.words[lang].label if spec is not None else str(feature["description"])


def _num(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else round(f, 6)


def _json_value(value: object) -> object:
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.floating | float):
        return _num(value)
    return value
