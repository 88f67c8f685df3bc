"""Rebuild the bundled demonstration model from the sample generator's history (`make model`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from riskscreen import sample
from riskscreen.ingest.pipeline import load_exports
from riskscreen.render.card import card_markdown
from riskscreen.scoring.store import bundled_dir, save_model
from riskscreen.training.train import TrainingResult, train

# The recipe of the bundled model; a test rebuilds it and compares the card.
HISTORY = {"students": 3000, "seed": 7, "history_years": 4, "profile": "magister"}
TRAINING = {"seed": 0, "n_boot": 500}


def build(workdir: Path) -> TrainingResult:
    school = sample.generate(HISTORY["students"], seed=HISTORY["seed"],  # type: ignore[arg-type]
                             history_years=HISTORY["history_years"], profile=str(HISTORY["profile"]))  # type: ignore[arg-type]
    sample.write(school, workdir)
    exports = load_exports(workdir, require=("attendance", "grades", "outcomes"))
    return train(exports, name="demo", demonstration=True, **TRAINING)  # type: ignore[arg-type]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = build(Path(tmp))
    out = bundled_dir() / "demo"
    save_model(result.fitted, result.card, out, force=True, markdown=card_markdown(result.card))
    sys.stderr.write(f"wrote {out}\n")


if __name__ == "__main__":
    main()
