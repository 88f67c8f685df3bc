"""The feature table of docs/features.md, written from the declarations: `python -m riskscreen.signals.features_doc`."""

from __future__ import annotations

import sys
from pathlib import Path

from riskscreen.signals.features import FEATURES, FeatureSpec

START = "<!-- generated from the declarations in src/riskscreen/signals/features.py by `make docs`; do not edit -->"
END = "<!-- end of the generated table -->"


def table() -> str:
    """One row per declared feature: name, what it measures, window, unit, direction, prompt kind, Dutch reason."""
    lines = [
        "| feature | what it measures | window | unit | direction | norm | signal | prompts "
        "| reason on the list (nl) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in FEATURES:
        window = f"{f.window_weeks} lesson weeks" if f.window_weeks else "so far (roster)"
        direction = ("+" if f.direction > 0 else "-") + (" (trend)" if f.trend else "")
        reason = f.words["nl"].reason.replace("{value}", "*n*")
        lines.append(
            f"| `{f.name}` | {f.description} | {window} | {f.unit} | {direction} | {norm_text(f)} | {f.signal} "
            f"| {f.prompt} | {reason} |"
        )
    return "\n".join(lines)


def norm_text(spec: FeatureSpec) -> str:
    """Where a value becomes a warning sign, in words (FeatureSpec.crosses_norm)."""
    norm = f"{spec.norm:g}"
    if spec.trend:
        return f"a {'rise' if spec.direction > 0 else 'fall'} of {norm} or more"
    return f"{norm} or more" if spec.direction > 0 else f"under {norm}"


def updated(doc: str) -> str:
    """The document with the text between the markers replaced by the current table."""
    if START not in doc or END not in doc:
        raise ValueError("the markers of the generated table are missing")
    before, rest = doc.split(START, 1)
    _old, after = rest.split(END, 1)
    return f"{before}{START}\n{table()}\n{END}{after}"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("docs/features.md")
    path.write_text(updated(path.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stderr.write(f"wrote the feature table in {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
