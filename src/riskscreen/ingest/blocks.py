"""The one ingest pipeline of a file: every block read, guarded, mapped and validated; the blocks merged."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from riskscreen.ingest.mapping import MappedTable, map_table
from riskscreen.ingest.privacy import guard
from riskscreen.ingest.problems import ERROR, EXAMPLES, Problem
from riskscreen.ingest.profiles import Profile
from riskscreen.ingest.reading import TableSource
from riskscreen.ingest.sniff import normalise_header


def ingest_source(
    source: TableSource,
    name: str,
    profile: Profile,
    *,
    allowed_columns: Iterable[str] = (),
    pseudonym_columns: Iterable[str] = (),
    validate: Callable[[MappedTable], list[Problem]],
) -> tuple[MappedTable, int]:
    """Every block read, guarded, mapped and validated in turn; returns the merged table and the rows read.

    A file read whole is one block. A streamed file holds one block of raw text in memory plus the rows the
    canonical table keeps (for attendance: the absences), so its size is limited by its absences.
    """
    aliases = profile.aliases(name)
    # the student's pseudonym column, by its role in the mapping, and any declared pseudonym column
    pseudonymous = [str(c) for c in source.header.frame.columns if aliases.get(normalise_header(c)) == "student_id"]
    pseudonymous += list(pseudonym_columns)
    # columns the profile maps to the contract hold codes, subjects, mentors and classes: names in text are
    # looked for in the others (remarks)
    contract_columns = [str(c) for c in source.header.frame.columns if normalise_header(c) in aliases]
    if source.streamed:
        guard(source.header, allowed_columns=allowed_columns)  # the column names, before any block is read
        header = map_table(source.header, name, profile)
        if any(p.severity == ERROR for p in header.problems):  # a required column is missing: no block can pass
            return header, 0
    parts: list[MappedTable] = []
    rows = 0
    for block in source.blocks():
        guard(block, allowed_columns=allowed_columns, pseudonym_columns=pseudonymous, mapped_columns=contract_columns)
        mapped = map_table(block, name, profile)
        mapped.problems.extend(validate(mapped))
        rows += len(block.frame)
        detected = next(iter(mapped.date_formats.values()), None)
        if (
            profile.date_format == "auto"
            and detected is not None
            and detected.startswith("%")
            and len(set(mapped.date_formats.values())) == 1
        ):
            # the first block's dates decide the format for the whole file, as a whole read decides it once
            profile = replace(profile, date_format=detected)
        parts.append(mapped if not source.streamed else replace(mapped, raw=source.header))  # let go of the text
    if len(parts) == 1 and not source.streamed:
        return parts[0], rows
    if not parts:
        return map_table(source.header, name, profile), 0
    return merge_blocks(parts, source), rows


def merge_blocks(parts: list[MappedTable], table: TableSource) -> MappedTable:
    """One canonical table from its blocks: rows in file order, problems of the same kind added together."""
    first = parts[0]
    frame = concat_frames([p.frame for p in parts])
    failed: dict[str, np.ndarray] = {}
    for column in dict.fromkeys(k for p in parts for k in p.parse_failed):
        failed[column] = np.concatenate([p.parse_failed.get(column, np.zeros(len(p.frame), dtype=bool)) for p in parts])
    notes = list(dict.fromkeys(n for p in parts for n in p.notes))
    days = [p.registration_days for p in parts if p.registration_days is not None]
    return MappedTable(
        first.table,
        table.header,
        frame,
        merge_problems(p for part in parts for p in part.problems),
        first.ignored_columns,
        failed,
        notes,
        sources=first.sources,
        presence_rows=sum(p.presence_rows for p in parts),
        registration_days=np.unique(np.concatenate(days)) if days else None,
    )


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise concatenation that keeps categorical columns categorical across different categories."""
    if len(frames) == 1:
        return frames[0]
    columns: dict[str, object] = {}
    for column in frames[0].columns:
        pieces = [f[column] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in pieces):
            columns[column] = union_categoricals([p.array for p in pieces], ignore_order=True)
        else:
            columns[column] = np.concatenate([p.to_numpy() for p in pieces])
    index = pd.Index(np.concatenate([f.index.to_numpy() for f in frames]))
    return pd.DataFrame(columns, index=index)


def merge_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems that differ only in where they occur become one, with the counts added."""
    merged: dict[tuple[str, ...], Problem] = {}
    for problem in problems:
        key = (
            problem.severity,
            problem.table,
            problem.file,
            problem.column,
            problem.rule,
            problem.message,
            problem.fix,
        )
        seen = merged.get(key)
        if seen is None:
            merged[key] = problem
            continue
        merged[key] = replace(
            seen,
            count=seen.count + problem.count,
            rows=(seen.rows + problem.rows)[:EXAMPLES],
            values=(seen.values + problem.values)[:EXAMPLES],
        )
    return list(merged.values())
