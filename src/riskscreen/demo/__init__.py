"""Invented data to try riskscreen on: a school, an MBO location, a region, the bundled model's recipe.

The demo is a client of the library: it calls riskscreen as a school would, and the library never imports it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from riskscreen.demo import files as demo_files
from riskscreen.demo import model, sample
from riskscreen.demo.mbo import generate_mbo
from riskscreen.errors import UsageError, msg
from riskscreen.render.card import card_markdown
from riskscreen.scoring.store import bundled_dir, save_model

__all__ = ["rebuild_demo_model", "write_sample"]


def write_sample(
    out_dir: Path,
    *,
    students: int = 1000,
    seed: int = 2026,
    as_of: dt.date = dt.date(2026, 11, 27),
    history_years: int = 0,
    profile: str = "magister",
    weeks: int = 1,
    force: bool = False,
) -> list[Path]:
    """A deterministic synthetic school (invented data) written as exports; with weeks > 1, that many weekly
    exports of the same school in weekNN/ folders. Returns what was written. (A region of several schools, each with
    a workspace that ran the weekly cycle, is written by riskscreen.demo.region, a client of this library.)"""
    if history_years < 0 or history_years > 20:
        raise UsageError(msg("`history_years` must be from 0 to 20"))
    if not 1 <= weeks <= 52:
        raise UsageError(msg("`weeks` must be from 1 to 52"))
    if weeks > 1 and history_years:
        raise UsageError(msg("`weeks` and `history_years` cannot be combined"), hint=msg("choose one"))
    if profile == "eduarte":  # an MBO location: no history (the bundled model learned from VO histories)
        if history_years:
            raise UsageError(msg("an MBO sample location has no history"), hint=msg("leave out `history_years`"))
        school = generate_mbo(students, seed=seed, as_of=as_of)
    else:
        school = sample.generate(students, seed=seed, as_of=as_of, history_years=history_years, profile=profile)
    if weeks > 1:
        return demo_files.write_weeks(school, out_dir, weeks, force=force)
    return demo_files.write(school, out_dir, force=force)


def rebuild_demo_model(out: Path | None = None) -> Path:
    """Train the bundled demonstration model again from its recipe (`make model`); returns its folder."""
    with tempfile.TemporaryDirectory() as tmp:
        result = model.build(Path(tmp))
    target = out or bundled_dir() / "demo"
    save_model(result.fitted, result.card, target, force=True, markdown=card_markdown(result.card))
    return target
