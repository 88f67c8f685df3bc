"""Peak memory of reading the largest sheet Excel holds (1,048,576 rows), against the file's unpacked size.

Writes an attendance workbook of 1,048,575 registrations (student, date, lesson, code) as Excel writes it
(shared strings, a dimension), then runs `riskscreen validate` on it in a child process and prints the child's
peak memory. A sheet one row longer is refused before it is read (tests/cli/test_odd_files_and_terminals.py).

    python benchmarks/xlsx_memory.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CODES = ["present", "sick", "late", "unauthorised", "authorised"]


def write_workbook(path: Path, rows: int) -> int:
    """An XLSX of `rows` registrations; returns its unpacked size in bytes."""
    strings = ["student_id", "date", "lesson", "code", *CODES]
    index = {s: i for i, s in enumerate(strings)}
    start = dt.date(2026, 8, 31)
    lines = [
        b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
        b'<c r="D1" t="s"><v>3</v></c></row>'
    ]
    for i in range(rows):
        r = i + 2
        day = start + dt.timedelta(days=(i // 8000) % 280)
        code = index[CODES[0 if i % 8 else 1 + (i // 8) % 4]]
        lines.append(
            b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>%s</t></is></c>'
            b'<c r="C%d"><v>%d</v></c><c r="D%d" t="s"><v>%d</v></c></row>'
            % (r, r, 100000 + i % 1000, r, day.isoformat().encode(), r, 1 + i % 8, r, code)
        )
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><dimension ref="A1:D%d"/><sheetData>'
        % (rows + 1)
        + b"".join(lines)
        + b"</sheetData></worksheet>"
    )
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings)
        + "</sst>"
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="verzuim" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": shared,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return len(sheet) + sum(len(t) for t in parts.values())


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_048_575
    with tempfile.TemporaryDirectory() as folder:
        exports = Path(folder)
        unpacked = write_workbook(exports / "verzuim.xlsx", rows)
        (exports / "cijfers.csv").write_text("student_id,subject,date,grade\n100000,Engels,2026-11-02,7\n")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "riskscreen", "validate", str(exports), "--as-of", "2026-11-27"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{rows:,} rows; packed {(exports / 'verzuim.xlsx').stat().st_size / 1e6:.1f} MB, unpacked "
            f"{unpacked / 1e6:.1f} MB; validate exit {done.returncode} in {seconds:.1f} s; peak memory "
            f"{peak_mb:,.0f} MB ({peak_mb * 1e6 / 2**20 / (unpacked / 2**20):.1f} x unpacked... see below)"
        )
        print(f"peak memory per unpacked byte: {peak_mb * 2**20 / unpacked:.1f}")
        if done.returncode not in (0, 1):
            print(done.stderr[-2000:])


if __name__ == "__main__":
    main()
