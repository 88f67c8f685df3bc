"""Sections of the model card on how its chances are to be read: the bands as fixed chances and how they were
chosen, and the calibration per season of the school year (where the chances were measured, and where not)."""

from __future__ import annotations

import datetime as dt

from riskscreen.errors import localised, msg
from riskscreen.i18n import chance, signed, texts
from riskscreen.render.measures import figure
from riskscreen.scoring.card import ModelCard
from riskscreen.scoring.season import season_of


def band_lines(card: ModelCard, lang: str) -> list[str]:
    """The bands as chances, and how they were chosen (quantiles of the training rows on older cards)."""
    b, choice = card.bands, card.band_choice
    high, elevated = chance(b["high"], lang), chance(b["elevated"], lang)
    if choice is None:
        return [
            localised(msg("- high: probability >= {high} (top 5% of training students)", high=high), lang=lang),
            localised(msg("- elevated: probability >= {elevated} (top 20%)", elevated=elevated), lang=lang),
        ]
    filled = (
        msg("{count} students per list date", count=choice.capacity)
        if choice.capacity is not None
        else msg("{share} of the students per list date", share=chance(choice.capacity_share or 0.0, lang))
    )
    return [
        localised(
            msg(
                "- high: a chance of {high} or more: on the held-out history, the students at or above it fill "
                "what the school can talk with ({filled}); {share} of the held-out rows",
                high=high,
                filled=filled,
                share=chance(choice.held_out_share["high"], lang),
            ),
            lang=lang,
        ),
        localised(
            msg(
                "- elevated: a chance of {elevated} or more: at least twice the average chance of leaving in the "
                "training history ({base}); {share} of the held-out rows",
                elevated=elevated,
                base=chance(choice.base_rate, lang),
                share=chance(choice.held_out_share["elevated"], lang),
            ),
            lang=lang,
        ),
        "",
        localised(
            msg("Bands are fixed chances: how many students fall in each differs between schools and weeks."), lang=lang
        ),
    ]


def season_lines(card: ModelCard, lang: str) -> list[str]:
    """Calibration per season of the school year on the held-out rows, and the seasons no as-of date reached."""
    if card.calibration_by_season is None:
        return []
    words = texts(lang)["seasons"]
    out = [
        "",
        localised(msg("## Calibration by season (held-out rows)"), lang=lang),
        "",
        localised(msg("| season | rows | who left | mean chance | rate of leaving |"), lang=lang),
        "|---|---|---|---|---|",
    ]
    measured = [s for s in card.calibration_by_season if s.rows]
    for s in measured:
        out.append(
            f"| {words[s.season]} | {s.rows} | {s.leavers} | {figure(s.mean_predicted or 0.0, lang)} "
            f"| {figure(s.observed or 0.0, lang)} |"
        )
    if card.season_shifts:
        shifts = ", ".join(f"{words[k]} {signed(v, lang)}" for k, v in card.season_shifts.items())
        out += [
            "",
            localised(
                msg(
                    "The chances above are after the model's constant is moved per season (in logits, learnt on the "
                    "training rows; a list takes the shift of its own date's season): {shifts}.",
                    shifts=shifts,
                ),
                lang=lang,
            ),
        ]
    trained = {season_of(dt.date.fromisoformat(d)) for d in card.training_data.as_of_dates}
    untested = [s.season for s in card.calibration_by_season if not s.rows]
    if [s for s in untested if s in trained]:
        out += [
            "",
            localised(
                msg(
                    "Trained on but not tested in: {seasons}; the held-out rows are the latest as-of dates whose "
                    "outcomes are known.",
                    seasons=", ".join(words[s] for s in untested if s in trained),
                ),
                lang=lang,
            ),
        ]
    if [s for s in untested if s not in trained]:
        out += [
            "",
            localised(
                msg(
                    "Not measured in: {seasons}. The model was not trained or tested there; a list made more than "
                    "six weeks from its as-of dates says so.",
                    seasons=", ".join(words[s] for s in untested if s not in trained),
                ),
                lang=lang,
            ),
        ]
    return out
