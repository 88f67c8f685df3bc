"""The privacy guard: identifier column names, e-mail and phone values, BSNs judged per column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.helpers import bsns

from riskscreen.errors import PrivacyError
from riskscreen.identifiers import bsn_valid
from riskscreen.ingest.privacy import check_table, guard
from riskscreen.ingest.privacy_names import column_name_reason
from riskscreen.ingest.reading import read_table


def table(tmp_path: Path, header: str, rows: list[str]):  # type: ignore[no-untyped-def]
    path = tmp_path / "t.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return read_table(path)


def test_eleven_check() -> None:
    assert bsn_valid(["111222333", "123456782", "12345678", "000000000", "111222334"]).tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]
    # 8 digits are read with a leading zero: 011222335 passes (0*9+1*8+1*7+2*6+2*5+2*4+3*3+3*2-5*1 = 55),
    # its neighbour 011222336 does not (54), the same as the 9-digit forms
    assert bsn_valid(["11222335", "011222335", "11222336", "011222336"]).tolist() == [True, True, False, False]


@pytest.mark.parametrize(
    "name",
    [
        "Naam",
        "Voornaam",
        "achternaam",
        "Roepnaam",
        "E-mail",
        "emailadres",
        "Telefoon",
        "Mobiel",
        "BSN",
        "Burgerservicenummer",
        "Geboortedatum",
        "date of birth",
        "Adres",
        "Postcode",
        "Leerlingnaam",
        "E-mail ouder",
    ],
)
def test_identifier_column_names(name: str) -> None:
    assert column_name_reason(name) is not None


@pytest.mark.parametrize(
    "name",
    ["Vaknaam", "Klasnaam", "Stamnummer", "Absentiesoort", "Mentor", "Datum", "Cijfer", "audit_gender", "student_id"],
)
def test_ordinary_column_names_pass(name: str) -> None:
    assert column_name_reason(name) is None


def test_name_column_refused_and_override_allows_it(tmp_path: Path) -> None:
    t = table(tmp_path, "Stamnummer;Naam", ["1;groep A", "2;groep B"])
    with pytest.raises(PrivacyError) as exc:
        guard(t)
    assert "column 'Naam': the column name suggests a name" in str(exc.value)
    assert "--allow-column NAME" in str(exc.value)
    guard(t, allowed_columns=["naam"])  # values hold nothing identifying


def test_bsn_column_is_refused_without_showing_values(tmp_path: Path) -> None:
    numbers = bsns(40)
    t = table(tmp_path, "Stamnummer;Code", [f"{i};{n}" for i, n in enumerate(numbers)])
    with pytest.raises(PrivacyError) as exc:
        guard(t, allowed_columns=["code"])
    text = str(exc.value)
    assert "column 'Code': holds BSNs: 40 of its 40 8- or 9-digit numbers pass the BSN 11-check" in text
    assert "(rows 2, 3, 4, 5, 6 and 35 more)" in text
    assert not any(n in text for n in numbers)


def test_numeric_pseudonyms_of_nine_digits_are_accepted(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    ids = [str(x) for x in rng.integers(100_000_000, 999_999_999, 2000)]
    passing = int(bsn_valid(ids).sum())
    assert 140 < passing < 230  # about 1 in 11 pass by chance
    t = table(tmp_path, "Stamnummer;Vak", [f"{i};Engels" for i in ids])
    assert check_table(t) == []


def test_bsn_inside_free_text_is_always_reported(tmp_path: Path) -> None:
    number = bsns(1, seed=9)[0]
    t = table(tmp_path, "Stamnummer;Opmerking", ["1;belde moeder", f"2;bsn {number} nagevraagd", "3;ok"])
    findings = check_table(t)
    assert [f.describe() for f in findings] == [
        "column 'Opmerking': holds a number that passes the BSN 11-check (written bare, with separators or inside "
        "text) (row 3)"
    ]


def test_email_and_phone_values(tmp_path: Path) -> None:
    t = table(
        tmp_path,
        "Stamnummer;Opmerking",
        ["1;mail j.jansen@example.nl", "2;bel 06-12345678", "3;tel +31 20 1234567", "4;niets"],
    )
    assert [f.describe() for f in check_table(t)] == [
        "column 'Opmerking': holds e-mail addresses (row 2)",
        "column 'Opmerking': holds Dutch phone numbers (rows 3, 4)",
    ]


def test_refusal_message_never_echoes_values(tmp_path: Path) -> None:
    t = table(tmp_path, "Stamnummer;Opmerking", ["1;j.jansen@example.nl"])
    with pytest.raises(PrivacyError) as exc:
        guard(t)
    assert "jansen" not in str(exc.value)
    assert "example" not in str(exc.value)
