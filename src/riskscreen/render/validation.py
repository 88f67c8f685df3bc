"""Rendering a validation report as a table, JSON or CSV."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text

from riskscreen.errors import localised
from riskscreen.i18n import texts
from riskscreen.ingest.problems import ValidationReport, shown_value
from riskscreen.render import csv_dialect_for, csv_text, json_text, to_text
from riskscreen.render.scores import csv_header


def report_renderable(report: ValidationReport, lang: str = "en") -> Group:
    words = texts(lang)["validation"]
    rules = texts(lang).get("rules", {})
    tables = texts(lang).get("tables", {})
    parts: list[Any] = []
    origin = words["detected"] if report.profile_detected else words["chosen"]
    parts.append(Text(words["profile"].format(profile=report.profile, origin=origin)))
    for f in report.files:
        how = []
        if f.encoding:
            how.append(f.encoding)
        if f.separator:
            shown = {";": "';'", ",": "','", "\t": words["tab"]}[f.separator]
            how.append(words["separated"].format(separator=shown))
        if f.sheet:
            how.append(words["sheet"].format(sheet=f.sheet))
        parts.append(
            Text(
                words["file_line"].format(
                    table=tables.get(f.table, f.table), file=f.file, rows=f.rows, how=", ".join(how)
                )
            )
        )
        for note in f.notes:
            parts.append(Text(words["note"].format(note=localised(note, lang))))
        if f.ignored_columns:
            columns = ", ".join(localised(shown_value(c), lang) for c in f.ignored_columns)
            parts.append(Text(words["ignored"].format(columns=columns)))
    for skipped in report.skipped:
        parts.append(Text(words["not_read"].format(file=skipped)))
    for ignored in report.ignored:
        parts.append(Text(words["not_an_export"].format(file=ignored)))
    for p in sorted(report.problems, key=lambda p: (p.severity != "error", p.file, p.column, p.rule)):
        head = Text()
        head.append(words[p.severity], style="bold red" if p.severity == "error" else "bold yellow")
        head.append(
            words["problem"].format(
                file=p.file,
                column=p.column,
                message=localised(p.message, lang),
                rule=rules.get(p.rule, p.rule),
                count=p.count,
            )
        )
        parts.append(head)
        if p.rows:
            shown_rows = ", ".join(map(str, p.rows))
            if p.count > len(p.rows):
                line = words["rows_more"].format(rows=shown_rows, more=p.count - len(p.rows))
            else:
                line = words["rows" if p.count > 1 else "row"].format(rows=shown_rows)
            if p.values:
                values = ", ".join(localised(v, lang) for v in p.values)
                line += words["values" if len(p.values) > 1 else "value"].format(values=values)
            parts.append(Text(line))
        parts.append(Text(words["fix"].format(fix=localised(p.fix, lang))))
    parts.append(Text(report.summary_line(lang)))
    return Group(*parts)


def render_report(
    report: ValidationReport, fmt: str, width: int | None = None, csv_dialect: str | None = None, lang: str = "en"
) -> str:
    if fmt == "json":
        return json_text(report.as_dict())
    if fmt == "csv":
        words = texts(lang)["validation"] if lang != "en" else {"error": "error", "warning": "warning"}
        rules = texts(lang).get("rules", {})
        tables = texts(lang).get("tables", {})
        header = ["severity", "table", "file", "column", "rule", "count", "rows", "values", "message", "fix"]
        rows = [
            [
                str(words[p.severity]).lower(),
                tables.get(p.table, p.table),
                p.file,
                p.column if lang == "en" else f"'{p.column}'",
                rules.get(p.rule, p.rule),
                p.count,
                " ".join(map(str, p.rows)),
                " | ".join(localised(v, lang) for v in p.values),
                localised(p.message, lang),
                localised(p.fix, lang),
            ]
            for p in report.problems
        ]
        return csv_text(csv_header(header, lang), rows, csv_dialect_for(lang, csv_dialect))
    return to_text(report_renderable(report, lang), width)
