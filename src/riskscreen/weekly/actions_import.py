"""Reading agreed actions back from a filled-in shortlist (XLSX or CSV): every filled row becomes an action,
or the whole file is refused with a report per sheet and row; nothing is half-imported.

Columns are recognised by the list's own headings in every language of the catalogues (the list wrote them;
this reads its own layout back), so rows may be moved, sorted or filtered; merged cells, typed dates and empty
rows are judged row by row."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from riskscreen.dates import written_day
from riskscreen.errors import Day, InputError, Lines, UsageError, msg
from riskscreen.files import read_regular, small_text, text_rows
from riskscreen.i18n import LANGUAGES, choice_label, texts
from riskscreen.ingest.sniff import normalise_header
from riskscreen.ingest.workbook import check_unpacked_size
from riskscreen.weekly.choices import choice_words, fold_word, heading_keys, own_view_keys
from riskscreen.workspace.actions import REFERRAL_STATES, Action, ActionBook, make_action, set_state
from riskscreen.workspace.location import SCHOOL_PATTERN

MAX_LIST_BYTES = 64 << 20
# a new action; "referral_state" moves an open one
FILLED_IN = ("action", "type", "referral", "strengths", "goal", "who", "review")
OVERVIEW_SHEETS = frozenset(str(texts(lang)["shortlist"]["all_students"]) for lang in LANGUAGES)
DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y", "%d/%m/%y")
SHORT_DATE = re.compile(r"^\d{1,2}[-/.]\d{1,2}$")


@dataclass(frozen=True)
class RowProblem:
    sheet: str | None
    row: int
    column: str | None
    message: str

    def describe(self) -> str:
        if self.sheet and self.column:
            return msg(
                "sheet '{sheet}', row {row}, column '{column}': {message}",
                sheet=self.sheet,
                row=self.row,
                column=self.column,
                message=self.message,
            )
        if self.sheet:
            return msg("sheet '{sheet}', row {row}: {message}", sheet=self.sheet, row=self.row, message=self.message)
        if self.column:
            return msg(
                "row {row}, column '{column}': {message}", row=self.row, column=self.column, message=self.message
            )
        return msg("row {row}: {message}", row=self.row, message=self.message)


class ImportRefused(InputError):
    """A filled-in list with rows that cannot be read: nothing was imported."""

    def __init__(self, path: Path, problems: list[RowProblem]) -> None:
        shown = Lines([p.describe() for p in problems[:50]], prefix="  - ")
        if len(problems) > 50:
            message = msg(
                "{count} row problem(s); nothing was imported:\n{rows}\n  ... and {more} more",
                count=len(problems),
                rows=shown,
                more=len(problems) - 50,
            )
        else:
            message = msg("{count} row problem(s); nothing was imported:\n{rows}", count=len(problems), rows=shown)
        super().__init__(message, hint=msg("correct these rows in the list and import it again"), path=str(path))
        self.problems = problems


@dataclass(frozen=True)
class ParsedList:
    actions: list[Action]
    list_date: str | None
    skipped_duplicates: int
    rows_read: int
    states: ActionBook | None = None  # the book with the referrals' new states, when the list moved any
    moved: int = 0  # referrals whose state the list changed


LIST_SCHOOL = re.compile(r"<cp:keywords>riskscreen school=([^<]{1,80})</cp:keywords>")


def list_school(path: Path) -> str | None:
    """The school a riskscreen XLSX list was made for (its document keywords), or None: a CSV list, or one made
    without a workspace. A regular expression over docProps/core.xml: one element, no XML parser needed."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")[:65_536].decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = LIST_SCHOOL.search(core)
    school = html.unescape(found.group(1)) if found else None
    return school if school and SCHOOL_PATTERN.match(school) else None


def read_rows(path: Path) -> list[tuple[str | None, int, list[object]]]:
    """(sheet, row number, cells) of every row of every sheet (a workbook) or of the file (CSV)."""
    data = read_regular(path, limit=MAX_LIST_BYTES, error=InputError, what=msg("filled-in list"))
    if data.startswith(b"PK\x03\x04"):
        check_unpacked_size(path)
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return [
                (name, i, list(row))
                for name in book.sheet_names
                for i, row in enumerate(book.get_sheet_by_name(name).to_python(skip_empty_area=False), start=1)
            ]
        except Exception as exc:  # calamine raises its own error types for a damaged workbook
            raise InputError(
                msg("is not a readable workbook ({name})", name=type(exc).__name__),
                path=str(path),
                hint=msg("open it in Excel and save it again as .xlsx"),
            ) from None
    text = small_text(data, path, what=msg("filled-in list"), hint=msg("give the .xlsx or .csv list"))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [(None, i, list(row)) for i, row in text_rows(text, delimiter, path, error=InputError)]


def parse_list(
    path: Path,
    book: ActionBook,
    *,
    known_students: set[str],
    referral_targets: tuple[str, ...],
    agreed: dt.date | None = None,
    school: str | None = None,
    today: dt.date | None = None,
) -> ParsedList:
    """The actions of a filled-in list, checked; raises ImportRefused listing every row that cannot be read.
    school: the workspace's school; a list made for another school is refused. today: a list dated later is."""
    rows = read_rows(path)
    made_for = list_school(path) if rows and rows[0][0] is not None else None
    if school and made_for and made_for != school:
        raise InputError(
            msg(
                "this list was made for school '{made_for}', not for the school of this workspace, "
                "'{school}'; nothing was imported",
                made_for=made_for,
                school=school,
            ),
            path=str(path),
            hint=msg("import it into the workspace of its own school (`school` {made_for})", made_for=made_for),
        )
    headings = heading_keys()
    choices = choice_words()
    # a target as the list's drop-down writes it in either language ('anders', 'leerplicht/RMC'), or its key
    targets = {fold_word(choice_label("referrals", t, lang)): t for t in referral_targets for lang in LANGUAGES}
    targets.update({fold_word(t): t for t in referral_targets})
    problems: list[RowProblem] = []
    found: list[tuple[str | None, int, dict[str, object]]] = []
    columns: dict[str | None, dict[int, str]] = {}
    for sheet, number, cells in rows:
        if sheet not in columns:
            keys = {i: headings.get(normalise_header(str(c))) for i, c in enumerate(cells) if c not in (None, "")}
            mapped = {i: k for i, k in keys.items() if k}
            if {"student_id", "action"} <= set(mapped.values()):
                columns[sheet] = mapped
            continue
        values = {key: cells[i] if i < len(cells) else None for i, key in columns[sheet].items()}
        if any(_text(values.get(k)) for k in (*FILLED_IN, "referral_state")):
            if sheet in OVERVIEW_SHEETS:  # headings copied onto the overview of all students: not a list to fill in
                problems.append(
                    RowProblem(
                        sheet,
                        number,
                        None,
                        msg("this sheet lists all students for reference; write actions on the mentor's own sheet"),
                    )
                )
                continue
            found.append((sheet, number, values))
    if not columns:
        raise UsageError(
            msg("has no shortlist columns (Leerling, Afgesproken actie, Wie, ...)"),
            hint=msg("import the XLSX or CSV shortlist riskscreen wrote, with its header row"),
        )
    if problems and not found:  # only rows that cannot be read: say so, before asking for a date they lack
        raise ImportRefused(path, problems)
    dates = {_text(v.get("list_date")) for _, _, v in found if _text(v.get("list_date"))}
    list_date = None
    if agreed is None:
        parsed_dates = {written_day(d, DATE_FORMATS) for d in dates}
        if len(parsed_dates) > 1 or None in parsed_dates:
            problems.append(
                RowProblem(
                    None,
                    0,
                    "list_date",
                    msg(
                        "the rows come from lists of different dates ({dates}); import one week's list at a time",
                        dates=", ".join(sorted(dates)),
                    ),
                )
            )
        elif not parsed_dates:
            raise UsageError(
                msg("the list has no column with its date, so the day the actions were agreed is unknown"),
                hint=msg("add `agreed` DATE (the day of the conversation)"),
                path=str(path),
            )
        else:
            day = parsed_dates.pop()
            assert day is not None
            agreed, list_date = day, day.isoformat()
            if today and day > today:
                problems.append(
                    RowProblem(
                        None,
                        0,
                        "list_date",
                        msg(
                            "the list is dated {day}, after today ({today}); import the list riskscreen wrote",
                            day=Day(list_date),
                            today=Day(today.isoformat()),
                        ),
                    )
                )
    assert agreed is not None or problems
    actions: list[Action] = []
    duplicates = 0
    existing = {(a.student_id, a.agreed, a.what) for a in book.actions}
    moved_book, moved = book, 0
    for sheet, number, values in found:
        try:
            if _text(values.get("referral_state")):
                before = moved_book
                moved_book = _moved_referral(values, moved_book, choices, agreed or dt.date.min)
                moved += moved_book is not before
            if not any(_text(values.get(k)) for k in FILLED_IN):
                continue
            action = _row_action(
                values, book, choices, targets, referral_targets, known_students, agreed or dt.date.min, list_date
            )
        except _RowError as exc:
            problems.append(RowProblem(sheet, number, exc.column, exc.message))
            continue
        key = (action.student_id, action.agreed, action.what)
        if key in existing:
            duplicates += 1
            continue
        existing.add(key)
        actions.append(action)
    if problems:
        raise ImportRefused(path, problems)
    return ParsedList(actions, list_date, duplicates, len(found), moved_book if moved else None, moved)


def _moved_referral(
    values: dict[str, object], book: ActionBook, choices: dict[str, dict[str, str]], on: dt.date
) -> ActionBook:
    """The book with the state written on a row set on the student's latest open referral, on the list's date
    (the same book when the referral is in that state already)."""
    student = _text(values.get("student_id"))
    written = _text(values.get("referral_state"))
    state = choices["referral_state"].get(fold_word(written))
    if state not in REFERRAL_STATES:
        raise _RowError(
            "referral_state",
            msg(
                "'{written}' is not a state of a referral: write aangemeld, "
                "wachtlijst, gestart, afgerond or niet gelukt",
                written=written,
            ),
        )
    referrals = [a for a in book.open_for(student) if a.type == "referral"]
    if not referrals:
        raise _RowError(
            "referral_state", msg("student '{student}' has no open referral to give a state", student=student)
        )
    latest = max(referrals, key=lambda a: (a.agreed, a.id))
    try:
        moved, _ = set_state(book, latest.id, state=state, on=on)
    except UsageError as exc:
        raise _RowError("referral_state", exc.message) from None
    return moved


class _RowError(Exception):
    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _row_action(
    values: dict[str, object],
    book: ActionBook,
    choices: dict[str, dict[str, str]],
    targets: dict[str, str],
    referral_targets: tuple[str, ...],
    known: set[str],
    agreed: dt.date,
    list_date: str | None,
) -> Action:
    student = _text(values.get("student_id"))
    if not student:
        raise _RowError("student_id", msg("no student on this row (were cells merged, or rows moved apart?)"))
    if student not in known:
        raise _RowError("student_id", msg("student '{student}' is not in this school's exports", student=student))
    what = _text(values.get("action"))
    if not what:
        raise _RowError("action", msg("the agreed action is empty while other columns are filled in"))
    who_text = _text(values.get("who"))
    if not who_text:
        raise _RowError(
            "who",
            msg("who follows it up is empty: write jongerenwerker, mentor or zorgcoördinator (a name may follow)"),
        )
    first, _, rest = who_text.partition(" ")
    who = choices["who"].get(fold_word(who_text)) or choices["who"].get(fold_word(first))
    worker = None if choices["who"].get(fold_word(who_text)) else rest or None
    if who is None:
        raise _RowError(
            "who",
            msg(
                "'{who_text}' is not a role: write jongerenwerker, mentor or zorgcoördinator (a name may follow)",
                who_text=who_text,
            ),
        )
    type_text = _text(values.get("type"))
    kind = choices["type"].get(fold_word(type_text), None) if type_text else "conversation"
    if kind is None:
        raise _RowError(
            "type",
            msg("'{type_text}' is not a type of action: write gesprek, huisbezoek or verwijzing", type_text=type_text),
        )
    referral_text = _text(values.get("referral"))
    referral = None
    if referral_text:
        referral = targets.get(fold_word(referral_text))
        if referral is None:
            raise _RowError(
                "referral",
                msg(
                    "'{referral_text}' is not one of the referral targets ({join})",
                    referral_text=referral_text,
                    join=", ".join(referral_targets),
                ),
            )
    review = _review_date(values.get("review"), agreed.year)
    strengths, goal = own_view_keys(_text(values.get("strengths")), _text(values.get("goal")))
    try:
        return make_action(
            book,
            student_id=student,
            agreed=agreed,
            what=what,
            type=kind,
            who=who,
            worker=worker,
            referral=referral,
            review=review,
            referral_targets=referral_targets,
            source=f"list {list_date}" if list_date else "list",
            strengths=strengths,
            goal=goal,
        )
    except UsageError as exc:
        column = "strengths" if "strength" in str(exc.message) else "goal" if "goal" in str(exc.message) else None
        raise _RowError(column, exc.message) from None


def _review_date(value: object, year: int) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    if SHORT_DATE.match(text):
        raise _RowError(
            "review",
            msg("'{text}' has no year: write the whole date, such as {whole}", text=text, whole=f"{text}-{year}"),
        )
    day = written_day(text, DATE_FORMATS)
    if day is None:
        raise _RowError("review", msg("'{text}' is not a date: write it as DD-MM-YYYY", text=text))
    return day
