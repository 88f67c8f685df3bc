"""PNG figures of an evaluation: ROC curve, precision at k, calibration; baselines on the same axes."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_curve

from riskscreen.errors import OutputError, UsageError, msg
from riskscreen.files import write_output

NAMES = {
    "model": "riskscreen model",
    "rule_count": "ABC count",
    "unauthorised_hours": "unauthorised hours",
    "gradient_boosting": "gradient boosting",
}
NOT_PROBABILITIES = ("rule_count", "unauthorised_hours")  # a count and hours: no calibration curve


def require_matplotlib() -> None:
    """Refuse --plots before any work when matplotlib is missing, with a command that installs it."""
    if importlib.util.find_spec("matplotlib") is None:
        raise UsageError(
            msg("`plots` needs matplotlib, which is not installed"),
            hint=msg(
                "install it with `.venv/bin/python -m pip install matplotlib` (in the riskscreen "
                "folder after `make demo`), or `pip install 'riskscreen[plots]'`"
            ),
        )


def write_plots(
    y: np.ndarray,
    scores: dict[str, np.ndarray],
    out_dir: Path,
    *,
    force: bool = False,
    rows: dict[str, np.ndarray] | None = None,
) -> list[Path]:
    """Three PNG files; each curve uses the rows its scores belong to (rows[name], default all)."""
    require_matplotlib()
    import matplotlib  # the optional extra [plots]: only when plots are asked for

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # the optional extra [plots]

    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            msg("the plots folder {out_dir} cannot be made ({strerror})", out_dir=out_dir, strerror=exc.strerror),
            hint=msg("give `plots` a folder that can be written"),
        ) from None
    rows = rows or {}
    written = []

    def save(fig: object, name: str) -> None:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")  # type: ignore[attr-defined]
        plt.close(fig)  # type: ignore[arg-type]
        written.append(write_output(out_dir / name, buffer.getvalue(), force=force))

    fig, ax = plt.subplots(figsize=(5, 5))
    for key, s in scores.items():
        yy = y[rows[key]] if key in rows else y
        fpr, tpr, _ = roc_curve(yy, s)
        ax.plot(fpr, tpr, label=NAMES.get(key, key))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    ax.set(xlabel="false positive rate", ylabel="true positive rate (recall)", title="ROC curve")
    ax.legend(loc="lower right")
    save(fig, "roc.png")

    fig, ax = plt.subplots(figsize=(6, 4))
    for key, s in scores.items():
        yy = y[rows[key]] if key in rows else y
        order = np.argsort(-s, kind="stable")
        hits = np.cumsum(yy[order])
        k = np.arange(1, yy.size + 1)
        upto = max(1, int(0.3 * yy.size))
        ax.plot(100 * k[:upto] / yy.size, (hits / k)[:upto], label=NAMES.get(key, key))
    ax.set(xlabel="top k (% of students)", ylabel="precision", title="Precision in the top k")
    ax.legend()
    save(fig, "precision_at_k.png")

    fig, ax = plt.subplots(figsize=(5, 5))
    for key, s in scores.items():
        if key in NOT_PROBABILITIES:
            continue
        yy = y[rows[key]] if key in rows else y
        order = np.argsort(s, kind="stable")
        chunks = np.array_split(order, min(10, yy.size))
        ax.plot([s[c].mean() for c in chunks], [yy[c].mean() for c in chunks], marker="o", label=NAMES.get(key, key))
    top = float(max(*(s.max() for k, s in scores.items() if k not in NOT_PROBABILITIES), 0.05))
    ax.plot([0, top], [0, top], color="grey", linestyle=":", linewidth=1)
    ax.set(xlabel="mean predicted probability", ylabel="observed rate", title="Calibration by decile")
    ax.legend()
    save(fig, "calibration.png")
    return written
