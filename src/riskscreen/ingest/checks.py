"""Checks that need more than one row or table: future dates, duplicate rows, students missing from the roster."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from riskscreen.errors import Day, msg
from riskscreen.ingest.mapping import MappedTable
from riskscreen.ingest.problems import ERROR, WARNING, Problem, problem_at


def duplicated_rows(frame: pd.DataFrame) -> np.ndarray:
    """Exact duplicate rows (all but the first of each), from one integer key per row."""
    if len(frame) == 0:
        return np.zeros(0, dtype=bool)
    key = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64) + 1
            radix = len(series.cat.categories) + 1
        elif pd.api.types.is_datetime64_any_dtype(series):
            days = series.to_numpy(dtype="datetime64[D]").astype(np.int64)
            valid = days != np.iinfo(np.int64).min
            low = int(days[valid].min(initial=0))
            codes = np.where(valid, days - low + 1, 0)
            radix = int(codes.max(initial=0)) + 1
        else:
            codes = pd.factorize(series, use_na_sentinel=False)[0].astype(np.int64)
            radix = int(codes.max(initial=0)) + 1
        if int(key.max(initial=0)) >= np.iinfo(np.int64).max // max(radix, 1):
            key = pd.factorize(key)[0].astype(np.int64)  # keep the combined key within 64 bits
        key = key * radix + codes
    return pd.Series(key).duplicated(keep="first").to_numpy()


def _lines(m: MappedTable, mask: np.ndarray) -> np.ndarray:
    return m.frame.index.to_numpy()[np.flatnonzero(mask)] + m.raw.header_line + 1


def cross_table_checks(mapped: dict[str, MappedTable], *, as_of: dt.date | None, today: dt.date) -> None:
    """Checks that need more than one row or table: future dates, duplicates, ids missing from the roster."""
    today_ts = pd.Timestamp(today)
    for table in ("attendance", "grades"):
        m = mapped.get(table)
        if m is None or "date" not in m.frame:
            continue
        dates = m.frame["date"].to_numpy()
        future = dates > today_ts.to_datetime64()
        if future.any():
            m.problems.append(
                problem_at(
                    ERROR,
                    table,
                    m.raw.name,
                    "date",
                    "future date",
                    msg("a date after today ({today})", today=Day(today.isoformat())),
                    msg("correct the date; a typo in the year is the usual cause"),
                    _lines(m, future),
                    [str(pd.Timestamp(d).date()) for d in dates[future][:5]],
                )
            )
        elif as_of is not None:
            late = dates > pd.Timestamp(as_of).to_datetime64()
            if late.any():
                m.problems.append(
                    problem_at(
                        WARNING,
                        table,
                        m.raw.name,
                        "date",
                        "after as-of",
                        msg("dated after the as-of date {as_of}; not used in this run", as_of=Day(as_of.isoformat())),
                        msg("nothing to do"),
                        _lines(m, late),
                    )
                )
    att = mapped.get("attendance")
    if att is not None and "code" in att.frame and len(att.frame):
        if "period" in att.frame:
            # rows whose date could not be read are reported already, not as duplicates of each other
            dup = duplicated_rows(att.frame) & att.frame["date"].notna().to_numpy()
            att.duplicates = dup
            if dup.any():
                att.problems.append(
                    problem_at(
                        WARNING,
                        "attendance",
                        att.raw.name,
                        "(row)",
                        "duplicate registration",
                        msg("the same registration appears more than once; counted once"),
                        msg("nothing to do; or remove the double rows from the export"),
                        _lines(att, dup),
                    )
                )
        # Without lesson numbers two absences of one day look alike: each row counts as one lesson, so missing data
        # never weakens the 16-hour rule (mapping notes it in the file's summary).
        absences = {"authorised", "sick", "unauthorised", "luxe"}
        series = att.frame["code"]
        used = np.unique(series.cat.codes.to_numpy()) if isinstance(series.dtype, pd.CategoricalDtype) else None
        codes = (
            set(series.cat.categories[used[used >= 0]].astype(str))
            if used is not None
            else set(series.dropna().astype(str))
        )
        if codes and not codes & absences:
            att.problems.append(
                Problem(
                    WARNING,
                    "attendance",
                    att.raw.name,
                    "code",
                    "no absences",
                    msg(
                        "the attendance export holds no absences (only lateness, removals or presence): the 16-hour "
                        "rule cannot be determined"
                    ),
                    msg("export the absences too (ongeoorloofd, geoorloofd, ziek), or map their codes in the profile"),
                )
            )
    roster = mapped.get("students")
    if roster is None or "student_id" not in roster.frame:
        return
    key = ["student_id", "as_of"] if "as_of" in roster.frame else ["student_id"]
    twice = duplicated_rows(roster.frame[key])
    if twice.any():
        roster.problems.append(
            problem_at(
                ERROR,
                "students",
                roster.raw.name,
                "student_id",
                "duplicate student",
                msg("the same student is listed twice in the roster for the same as-of date")
                if len(key) > 1
                else msg("the same student is listed twice in the roster"),
                msg("keep one row per student (or per student and as-of date)"),
                _lines(roster, twice),
                list(roster.frame["student_id"].to_numpy()[twice][:5]),
            )
        )
    if "enrolled_from" in roster.frame:
        limit = pd.Timestamp(as_of if as_of is not None else today)
        late = (roster.frame["enrolled_from"] > limit).to_numpy(dtype=bool)
        if late.any():
            roster.problems.append(
                problem_at(
                    WARNING,
                    "students",
                    roster.raw.name,
                    "enrolled_from",
                    "enrolment after as-of",
                    msg(
                        "an enrolment date after {as_of}: in this run the student counts as enrolled all along",
                        as_of=Day(limit.date().isoformat()),
                    ),
                    msg("nothing to do if the student starts later; otherwise correct the date"),
                    _lines(roster, late),
                )
            )
    known = set(roster.frame["student_id"].cat.categories.to_numpy(dtype=object).tolist())
    for table in ("attendance", "grades", "outcomes"):
        m = mapped.get(table)
        if m is None or "student_id" not in m.frame:
            continue
        ids = m.frame["student_id"]
        codes = ids.cat.codes.to_numpy()
        used = ids.cat.categories[np.unique(codes[codes >= 0])]
        strangers = [c for c in used.to_numpy(dtype=object).tolist() if c not in known]
        if strangers:
            mask = ids.isin(strangers).to_numpy()
            m.problems.append(
                problem_at(
                    WARNING,
                    table,
                    m.raw.name,
                    "student_id",
                    "not in roster",
                    msg("{count} student(s) missing from the roster; scored without roster data", count=len(strangers)),
                    msg("add them to the roster, or check whether they left the school"),
                    _lines(m, mask),
                    list(ids.to_numpy()[mask][:5]),
                )
            )
