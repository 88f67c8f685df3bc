"""The privacy guard, round two: identifiers in disguise are refused; real pseudonym schemes are not."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import GRADES, accepted, bsns, refused, school

from riskscreen.ingest.pipeline import read_exports
from riskscreen.ingest.privacy_names import column_name_reason

# These tests check what errors say, in English; tests/test_messages.py checks their Dutch.
pytestmark = pytest.mark.usefixtures("english")


def test_a_real_bsn_among_six_digit_ids_is_refused(tmp_path: Path) -> None:
    ids = [str(100000 + i) for i in range(200)]
    ids[57] = bsns(1, seed=4)[0]
    text = refused(school(tmp_path, ids))
    assert "column 'student_id': holds a number that passes the BSN 11-check" in text and "(row 59)" in text
    assert ids[57] not in text


@pytest.mark.parametrize("written", ["{a} {b} {c}", "{a}.{b}.{c}", "bsn: {a}-{b}-{c} (moeder)"])
def test_bsns_written_with_separators_are_refused(tmp_path: Path, written: str) -> None:
    number = bsns(1, seed=8)[0]
    value = written.format(a=number[:3], b=number[3:6], c=number[6:])
    text = refused(school(tmp_path, ["S1", "S2", "S3"], ",Reden", ["griep", value, "tandarts"]))
    assert "column 'Reden': holds a number that passes the BSN 11-check" in text and number[:3] not in text


@pytest.mark.parametrize("value", ["06.12.34.56.78", "(06) 12345678", "0031612345678", "bel +31 (0)6 1234 5678"])
def test_phone_numbers_however_written_are_refused(tmp_path: Path, value: str) -> None:
    text = refused(school(tmp_path, ["S1", "S2"], ",Reden", ["griep", value]))
    assert "column 'Reden': holds Dutch phone numbers (row 3)" in text


@pytest.mark.parametrize(
    "value", ["jöhn.dé.vries@exämple.nl", "ｊａｎ＠ｅｘａｍｐｌｅ．ｎｌ", "jan (at) example.nl", "jan[at]example.nl"]
)
def test_email_addresses_in_disguise_are_refused(tmp_path: Path, value: str) -> None:
    text = refused(school(tmp_path, ["S1", "S2"], ",Reden", ["griep", value]))
    assert "column 'Reden': holds e-mail addresses (row 3)" in text


def test_a_birth_date_in_text_is_refused(tmp_path: Path) -> None:
    text = refused(school(tmp_path, ["S1", "S2"], ",Reden", ["griep", "broer (geb. 12-03-2010) ziek"]))
    assert "column 'Reden': holds dates of birth in text (row 3)" in text


@pytest.mark.parametrize("name", ["E\u200bmail", "\u0415-mail", "Tel. ouders", "ＢＳＮ", "Geb.datum", "Mob. nr"])
def test_disguised_column_names_are_recognised(name: str) -> None:
    assert column_name_reason(name) is not None


def test_allow_column_never_lets_bsns_through(tmp_path: Path) -> None:
    numbers = bsns(30, seed=2)
    folder = school(tmp_path, [f"S{i}" for i in range(30)], ",BSN", numbers)
    text = refused(folder, allow_columns=["BSN"])
    assert "column 'BSN': holds BSNs: 30 of its 30" in text


@pytest.mark.parametrize("scheme", ["sha256", "uuid4", "ten_digits", "s_nine_digits", "nine_digits"])
def test_real_pseudonym_schemes_of_a_thousand_students_are_accepted(tmp_path: Path, scheme: str) -> None:
    rng = np.random.default_rng(7)
    make = {
        "sha256": lambda i: hashlib.sha256(f"student {i}".encode()).hexdigest(),
        "uuid4": lambda i: str(uuid.UUID(bytes=rng.bytes(16), version=4)),
        "ten_digits": lambda i: f"{rng.integers(0, 10**10):010d}",
        "s_nine_digits": lambda i: f"S-{rng.integers(10**8, 10**9)}",
        "nine_digits": lambda i: str(rng.integers(10**8, 10**9)),
    }[scheme]
    ids = [make(i) for i in range(1000)]
    assert accepted(school(tmp_path, ids))


def test_a_pseudonym_column_of_another_name_can_be_declared(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    codes = [f"06{rng.integers(0, 10**8):08d}" for _ in range(50)]  # a scheme that looks like mobile numbers
    folder = school(tmp_path, [f"S{i}" for i in range(50)], ",Leerlingcode", codes)
    assert "column 'Leerlingcode': holds Dutch phone numbers" in refused(folder)
    assert accepted(folder, pseudonym_columns=["Leerlingcode"])
    # declared or not, a pseudonym column of BSNs is refused
    folder2 = school(tmp_path / "b", [f"S{i}" for i in range(50)], ",Leerlingcode", bsns(50, seed=3))
    assert "holds BSNs" in refused(folder2, pseudonym_columns=["Leerlingcode"])


def test_few_students_whose_ids_are_bsns_are_refused(tmp_path: Path) -> None:
    text = refused(school(tmp_path, bsns(3, seed=5)))
    assert "column 'student_id': holds BSNs: 3 of its 3" in text


@pytest.mark.parametrize(
    ("value", "refuse"),
    [
        ("moeder Jansen belde", True),
        ("Jan de Vries ziek", True),
        ("afspraak met dhr. van den Berg", True),
        ("Sara van Dijk", True),
        ("griep", False),
        ("ziek gemeld door moeder", False),
        ("Te laat door de bus", False),
    ],
)
def test_names_in_a_remark_are_refused(tmp_path: Path, value: str, refuse: bool) -> None:
    folder = school(tmp_path, ["S1", "S2"], ",Opmerking", ["griep", value])
    if refuse:
        assert "column 'Opmerking': holds what look like names in text (row 3)" in refused(folder)
    else:
        assert accepted(folder)


@pytest.mark.parametrize("planted", ["06.12.34.56.78", "jan(at)example.nl", "geb. 12-03-2010", "moeder Jansen belde"])
def test_a_refused_export_leaves_no_output_and_no_history(tmp_path: Path, planted: str) -> None:
    import shutil

    from typer.testing import CliRunner

    from riskscreen.cli import app

    data = tmp_path / "week48"
    shutil.copytree(Path(__file__).parents[2] / "sample_data", data)
    lines = (data / "absenties.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ";Opmerking"] + [f"{line};{planted if i == 7 else 'griep'}" for i, line in enumerate(lines[1:])]
    (data / "absenties.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, history = tmp_path / "list.html", tmp_path / "history"
    result = CliRunner().invoke(app, ["shortlist", str(data), "-o", str(out), "--workspace", str(history)])
    assert result.exit_code == 1 and "refused: the file holds what look like direct identifiers" in result.stderr
    assert "(row 9)" in result.stderr
    assert planted not in result.stdout + result.stderr
    assert not out.exists() and not history.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["week48"]


def test_a_mentor_column_may_name_staff(tmp_path: Path) -> None:
    folder = school(tmp_path, ["S1", "S2"])
    (folder / "students.csv").write_text("student_id,mentor,class\nS1,mevr. de Vries,3B\nS2,Jan van Dijk,3B\n")
    assert accepted(folder)
    (folder / "students.csv").write_text("student_id,mentor,opmerking\nS1,MNT01,moeder Jansen belde\nS2,MNT02,\n")
    assert "column 'opmerking': holds what look like names in text" in refused(folder)


@pytest.mark.parametrize("moment", ["01-09-2026 08:30", "01/09/2026 8:30:00", "2026-09-01 08:30", "01.09.2026 08:30"])
def test_a_date_with_a_time_is_not_a_phone_number(tmp_path: Path, moment: str) -> None:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "attendance.csv").write_text(f"student_id,date,code\nS1,{moment},sick\nS2,{moment},late\n")
    (tmp_path / "grades.csv").write_text(GRADES.format(first="S1"))
    exports, report = read_exports(tmp_path)
    assert exports is not None, report.summary_line()


def test_a_subject_is_not_a_name(tmp_path: Path) -> None:
    folder = school(tmp_path, ["S1", "S2"])
    (folder / "grades.csv").write_text("student_id,subject,date,grade\nS1,Kunst van de Twintigste eeuw,2026-11-02,7\n")
    assert accepted(folder)
