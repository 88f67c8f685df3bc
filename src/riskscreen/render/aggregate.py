"""An aggregate for the municipality as Markdown tables, CSV and JSON, in the reader's language (its words are
the catalogue's and school names are checked names, so nothing in it needs escaping)."""

from __future__ import annotations

import re

from riskscreen.aggregate.statutory import REPORT_TABLES
from riskscreen.aggregate.tables import (
    MERGED,
    PERCENT_DENOMINATOR,
    PRIMARY,
    UNKNOWN,
    Aggregate,
    Basis,
    Span,
    Table,
    Value,
)
from riskscreen.i18n import band_label, date_text, percent, texts
from riskscreen.render import csv_dialect_for, csv_text, markdown_text

TABLE_ORDER = (
    "schools",
    "screened_by_level",
    "screened_by_year",
    "by_month",
    *REPORT_TABLES,
    "sick",
    "actions",
    "referrals",
    "referral_wait",
    "strengths",
    "goals",
    "actions_by_month",
    "after_action",
    "left",
)


def shown(value: Value, threshold: int) -> str:
    """A count as published: the number, '<10' below the threshold, 'x' where suppressed to protect another, '.'
    where a region's sum is not known because a school hid part of it (the CBS's marks), 'from-to' where the
    schools' files bound it."""
    if value is None:
        return ""
    if isinstance(value, Span):
        return f"{value.low}-{value.high}"
    if value == PRIMARY:
        return f"<{threshold}"
    if value == MERGED:
        return "."
    return "x" if isinstance(value, str) else str(value)


def legend_text(aggregate: Aggregate, lang: str) -> str:
    """What every mark in the report means: '.' only where a region holds a sum that a school hid part of."""
    words = texts(lang)["aggregate"]
    text = str(words["legend"]).format(threshold=aggregate.threshold)
    values = aggregate.values().values()
    if MERGED in values:
        text += " " + str(words["legend_merged"])
    if any(isinstance(v, Span) for v in values):
        text += " " + str(words["legend_range"])
    return text


def label(kind: str, key: str, lang: str) -> str:
    """A row or column of a table in words: a band, a level, a month, a metric or a choice, by its key."""
    words = texts(lang)["aggregate"]
    if kind == "band":
        return band_label(key, lang)
    if key in words.get("keys", {}):
        return str(words["keys"][key])
    for table in ("action_types", "roles", "referrals", "strengths", "goals"):
        if key in texts(lang).get(table, {}):
            return str(texts(lang)[table][key])
    if re.fullmatch(r"\d{4}-\d{2}", key):  # a month
        return f"{words['months'][int(key[5:]) - 1]} {key[:4]}"
    return key


def header_lines(aggregate: Aggregate, lang: str) -> list[str]:
    words = texts(lang)["aggregate"]
    lines = [
        words["title"].format(schools=", ".join(aggregate.schools)),
        words["period"].format(first=date_text(aggregate.first_day, lang), last=date_text(aggregate.last_day, lang)),
        words["thresholds"].format(threshold=aggregate.threshold, denominator=PERCENT_DENOMINATOR),
    ]
    if aggregate.too_small:
        lines.append(words["too_small"].format(threshold=aggregate.threshold))
    return lines + basis_lines(aggregate.basis, lang)


def basis_lines(basis: Basis, lang: str) -> list[str]:
    """What the counts rest on, in words: the model (and whether it is the demonstration model), the rules and how
    hours were counted, the calendar; nothing when no list was counted."""
    if not basis.lists:
        return []
    words = texts(lang)["aggregate"]["basis"]

    def said(values: tuple[str, ...], empty: str = "unknown", *, names: bool = False) -> str:
        """Values in words (a name as it is): 'unknown' for a list that did not record it."""
        return ", ".join(
            str(words["unknown"]) if v == UNKNOWN else v if names else str(words.get(v, v)) for v in values
        ) or str(words[empty])

    def rule(value: str) -> str:
        hours, _, weeks = value.partition("/")
        return str(words["rule"]).format(hours=hours, weeks=weeks) if weeks else str(words["unknown"])

    model = {"yes": "model_demo", "no": "model"}.get(basis.demonstration, "model_unknown")
    return [
        str(words[model]).format(models=said(basis.models, names=True), lists=basis.lists),
        str(words["rules"]).format(
            rules=" / ".join(rule(r) for r in basis.rules) or words["unknown"],
            rmc=said(basis.rmc_hours),
            hours=said(basis.hours, "none"),
        ),
        str(words["calendar"]).format(calendars=said(basis.calendars), holidays=said(basis.public_holidays)),
    ]


def percentage(part: Value, whole: Value, lang: str) -> str:
    """A share only over a published denominator of at least PERCENT_DENOMINATOR and a published part; over a
    smaller published denominator the two counts ("15 van 17"), which say no more than the table does."""
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return "-"
    if whole < PERCENT_DENOMINATOR:
        return str(texts(lang)["aggregate"]["figures"]["part_of"]).format(part=part, whole=whole)
    return percent(part / whole, lang)


def figures(aggregate: Aggregate, lang: str) -> list[tuple[str, str]]:
    """The summary's key figures (label, value as published), percentages only over published denominators of at
    least PERCENT_DENOMINATOR."""
    words = texts(lang)["aggregate"]["figures"]
    keys = {t.key for t in aggregate.tables}
    out: list[tuple[str, str]] = []
    if "screened_by_level" in keys:
        out.append((words["screened"], shown(aggregate.table("screened_by_level").total, aggregate.threshold)))
    if "by_month" in keys and aggregate.table("by_month").rows:
        month = aggregate.table("by_month")
        out.append(
            (
                words["listed"].format(month=label("key", month.rows[-1], lang)),
                shown(month.cells[-1][1], aggregate.threshold),
            )
        )
    if "reports" in keys:  # the LEA's first question: the reports the law asked for, and the share made in time
        reports = aggregate.table("reports")
        in_time = reports.column_totals[0] if reports.column_totals else None
        out.append((words["verzuim"], shown(reports.total, aggregate.threshold)))
        out.append((words["in_time"], percentage(in_time, reports.total, lang)))
    if "actions" in keys:
        actions = aggregate.table("actions")
        out.append((words["actions"], shown(actions.total, aggregate.threshold)))
        referral = actions.row_totals[actions.rows.index("referral")] if actions.row_totals else None
        out.append((words["referrals"], shown(referral, aggregate.threshold)))
    if "referral_wait" in keys:
        out.append((words["wait"], median_bucket(aggregate.table("referral_wait"), lang)))
    return out


def median_bucket(table: Table, lang: str) -> str:
    """The waiting time of the middle referral, as the row it falls in, when the published counts (with a region's
    ranges) leave only one row possible; '-' otherwise, or over fewer than PERCENT_DENOMINATOR referrals."""
    total = table.column_totals[0] if table.column_totals else None
    if not isinstance(total, int) or total < PERCENT_DENOMINATOR:
        return "-"
    bounds = [_bounds(row[0], total) for row in table.cells]
    middle = (total + 1) // 2
    for i, key in enumerate(table.rows):
        # at least `middle` wait this long or less, and fewer than `middle` wait less, whatever the hidden counts
        least_through = max(sum(lo for lo, _ in bounds[: i + 1]), total - sum(hi for _, hi in bounds[i + 1 :]))
        most_before = min(sum(hi for _, hi in bounds[:i]), total - sum(lo for lo, _ in bounds[i:]))
        if least_through >= middle and most_before < middle:
            return label("key", key, lang)
    return "-"


def _bounds(value: Value, total: int) -> tuple[int, int]:
    """The least and the most a published value can be: a count, a region's range, or anything up to the total."""
    if isinstance(value, int):
        return value, value
    if isinstance(value, Span):
        return value.low, value.high
    return 0, total


def trend(aggregate: Aggregate, lang: str) -> list[tuple[str, Value, Value]]:
    """Per month (its short name): students on the list and actions agreed, as published."""
    keys = {t.key for t in aggregate.tables}
    listed = (
        dict(zip(aggregate.table("by_month").rows, (r[1] for r in aggregate.table("by_month").cells), strict=True))
        if "by_month" in keys
        else {}
    )
    agreed: dict[str, Value] = {}
    if "actions_by_month" in keys:
        table = aggregate.table("actions_by_month")
        agreed = dict(zip(table.rows, (r[0] for r in table.cells), strict=True))
    months = sorted({*listed, *agreed})
    return [(month_short(m, lang), listed.get(m), agreed.get(m)) for m in months]


def month_short(key: str, lang: str) -> str:
    """'sep 26' for 2026-09: a month short enough for a chart's axis."""
    words = texts(lang)["aggregate"]["months_short"]
    return f"{words[int(key[5:]) - 1]} '{key[2:4]}"


def ordered_tables(aggregate: Aggregate) -> list[Table]:
    """The tables in the order a reader meets them."""
    return sorted(aggregate.tables, key=lambda t: TABLE_ORDER.index(t.key) if t.key in TABLE_ORDER else 99)


def readable_tables(aggregate: Aggregate, lang: str) -> tuple[list[Table], str | None]:
    """The tables a reader is shown, and a line naming those left out because not one count in them is published
    (a region's months, at schools too small to publish one): a page of dots tells nobody anything."""
    tables = ordered_tables(aggregate)
    empty = [t for t in tables if not any(isinstance(v, int | Span) for v in t.ids().values())]
    if not empty:
        return tables, None
    words = texts(lang)["aggregate"]
    note = str(words["not_shown"]).format(tables="; ".join(str(words["tables"][t.key]["title"]) for t in empty))
    return [t for t in tables if t not in empty], note


def markdown(aggregate: Aggregate, lang: str) -> str:
    words = texts(lang)["aggregate"]
    lines = [f"# {(header_lines(aggregate, lang)[0])}", ""]
    lines += [f"> {(line)}" for line in header_lines(aggregate, lang)[1:]] + [""]
    tables, not_shown = readable_tables(aggregate, lang)
    for t in tables:
        column_kind = "band" if t.columns == ("high", "elevated", "low") else "key"
        heading = [words["tables"][t.key]["row"], *(label(column_kind, c, lang) for c in t.columns)]
        if t.row_totals is not None:
            heading.append(words["total"])
        lines += [
            f"## {(words['tables'][t.key]['title'])}",
            "",
            "| " + " | ".join(heading) + " |",
            "|" + "---|" * len(heading),
        ]
        for i, row in enumerate(t.rows):
            values = [shown(v, aggregate.threshold) for v in t.cells[i]]
            if t.row_totals is not None:
                values.append(shown(t.row_totals[i], aggregate.threshold))
            # a row may be a school's own referral target, written in its settings: data, so escaped
            lines.append(f"| {markdown_text(label('key', row, lang))} | " + " | ".join(values) + " |")
        if t.column_totals is not None:
            totals = [shown(v, aggregate.threshold) for v in t.column_totals]
            if t.row_totals is not None:
                totals.append(shown(t.total, aggregate.threshold))
            lines.append(f"| **{words['total']}** | " + " | ".join(totals) + " |")
        note = words["tables"][t.key].get("note")
        lines += ["", *([(note), ""] if note else [])]
    lines += [not_shown, ""] if not_shown else []
    lines.append(legend_text(aggregate, lang))
    return "\n".join(lines) + "\n"


def csv_document(aggregate: Aggregate, lang: str, dialect: str | None = None) -> str:
    """Every table in one long CSV: table, row, column and the count as published, in words (the JSON has the
    keys, for programs)."""
    words = texts(lang)["aggregate"]
    rows: list[list[object]] = []
    for t in ordered_tables(aggregate):
        kind = "band" if t.columns == ("high", "elevated", "low") else "key"
        for key, value in t.ids().items():
            _, row, column = key.rsplit(":", 2)
            rows.append(
                [
                    words["tables"][t.key]["short"],
                    words["total"] if row == "*" else label("key", row, lang),
                    words["total"] if column == "*" else label(kind, column, lang),
                    shown(value, aggregate.threshold),
                ]
            )
    basis = basis_lines(aggregate.basis, lang)
    rows[:0] = [[words["basis"]["short"], line.split(":", 1)[0], "", line.split(":", 1)[1].strip()] for line in basis]
    header = [words["csv"][k] for k in ("table", "row", "column", "count")]
    return csv_text(header, rows, csv_dialect_for(lang, dialect))
