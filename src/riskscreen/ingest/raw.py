"""A file read as text columns (RawTable), and the blank rows and columns every reader drops."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class RawTable:
    """One export file read as text columns, with where it came from and how it was read."""

    path: Path
    frame: pd.DataFrame
    header_line: int  # 1-based line (or sheet row) of the header; a data row's line is index + header_line + 1
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def line_of(self, index: int) -> int:
        """The row number a user sees in the file or sheet for a frame index."""
        return int(index) + self.header_line + 1

    @property
    def name(self) -> str:
        return self.path.name


def drop_blank(frame: pd.DataFrame, *, columns: bool = True) -> pd.DataFrame:
    """Drop rows with no value at all and (with columns) header-less columns with no value at all."""
    if frame.shape[1] == 0:
        return frame
    empty_rows = np.ones(len(frame), dtype=bool)
    for _, column in frame.items():
        # a dictionary-encoded column knows its blanks by code -1: no pass over the text
        blank = (
            (column.cat.codes.to_numpy() < 0)
            if isinstance(column.dtype, pd.CategoricalDtype)
            else column.isna().to_numpy()
        )
        empty_rows &= blank
        if not empty_rows.any():
            break
    if empty_rows.any():
        frame = frame.loc[~empty_rows]
    if not columns:
        return frame
    unnamed_empty = [c for c in frame.columns if str(c).startswith("column ") and frame[c].isna().all()]
    if unnamed_empty:
        frame = frame.drop(columns=unnamed_empty)
    return frame
