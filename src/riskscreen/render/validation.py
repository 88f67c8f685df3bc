"""Rendering a validation report as a table, JSON or CSV."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.text import Text

from riskscreen.ingest.problems import ValidationReport, shorten
from riskscreen.render import csv_text, to_text


def report_renderable(report: ValidationReport) -> Group:
    parts: list[Any] = []
    origin = "detected from the headers" if report.profile_detected else "chosen with --profile"
    parts.append(Text(f"Profile: {report.profile} ({origin})"))
    for f in report.files:
        how = []
        if f.encoding:
            how.append(f.encoding)
        if f.separator:
            how.append({";": "';'", ",": "','", "\t": "tab"}[f.separator] + " separated")
        if f.sheet:
            how.append(f"sheet '{f.sheet}'")
        line = f"{f.table}: {f.file} ({f.rows} rows; {', '.join(how)})"
        parts.append(Text(line))
        for note in f.notes:
            parts.append(Text(f"  note: {note}"))
        if f.ignored_columns:
            parts.append(Text(f"  ignored columns: {', '.join(shorten(c) for c in f.ignored_columns)}"))
    for skipped in report.skipped:
        parts.append(Text(f"not read: {skipped} (an output of riskscreen, not an export)"))
    for p in sorted(report.problems, key=lambda p: (p.severity != "error", p.file, p.column, p.rule)):
        head = Text()
        head.append(p.severity.upper(), style="bold red" if p.severity == "error" else "bold yellow")
        head.append(f" {p.file}, column {p.column}: {p.message} [{p.rule}, {p.count}x]")
        parts.append(head)
        if p.rows:
            more = f" and {p.count - len(p.rows)} more" if p.count > len(p.rows) else ""
            parts.append(Text(f"    row{'s' if p.count > 1 else ''} {', '.join(map(str, p.rows))}{more}"
                              + (f"; value{'s' if len(p.values) > 1 else ''}: {', '.join(p.values)}"
                                 if p.values else "")))
        parts.append(Text(f"    fix: {p.fix}"))
    parts.append(Text(report.summary_line()))
    return Group(*parts)


def render_report(report: ValidationReport, fmt: str, width: int | None = None, csv_dialect: str | None = None) -> str:
    if fmt == "json":
        return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        header = ["severity", "table", "file", "column", "rule", "count", "rows", "values", "message", "fix"]
        rows = [[p.severity, p.table, p.file, p.column, p.rule, p.count, " ".join(map(str, p.rows)),
                 " | ".join(p.values), p.message, p.fix] for p in report.problems]
        return csv_text(header, rows, csv_dialect or "rfc4180")
    return to_text(report_renderable(report), width)
