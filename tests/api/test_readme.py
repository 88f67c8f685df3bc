"""The README's Python example runs as written and prints what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_readme_api_example_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using riskscreen from Python") :]
    code = section[section.index("```python\n") + len("```python\n") : section.index("```\n", 10)]
    assert len([line for line in code.splitlines() if line.strip()]) <= 6
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "132 students on the list, 13 by the 16-hour rule",
        "student_id band",
        "    126743 high",
        "    126754 high",
        "    126774 high",
    ]
