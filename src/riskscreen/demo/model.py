"""The bundled demonstration model's recipe: the sample generator's history and the training settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskscreen.demo import files as demo_files
from riskscreen.demo import sample
from riskscreen.ingest.pipeline import load_exports
from riskscreen.training.train import TrainingResult, train

# The recipe of the bundled model; a test rebuilds it and compares the card.
HISTORY: dict[str, Any] = {"students": 3000, "seed": 7, "history_years": 4, "profile": "magister", "seasons": True}
TRAINING: dict[str, Any] = {"seed": 0, "n_boot": 500}


def build(workdir: Path) -> TrainingResult:
    school = sample.generate(
        HISTORY["students"],
        seed=HISTORY["seed"],
        history_years=HISTORY["history_years"],
        profile=str(HISTORY["profile"]),
        seasons=bool(HISTORY["seasons"]),
    )
    demo_files.write(school, workdir)
    exports = load_exports(workdir, require=("attendance", "grades", "outcomes"))
    return train(exports, name="demo", demonstration=True, **TRAINING)
