"""Measures as a card and an evaluation say them: figures with intervals, the baselines beside, fairness, the price."""

from __future__ import annotations

from functools import partial

from riskscreen.errors import localised, msg
from riskscreen.i18n import decimal
from riskscreen.scoring.card import (
    Baselines,
    Fairness,
    Interval,
    Metrics,
)
from riskscreen.training.fairness import SMALL_GROUP_LEAVERS


def interval_text(m: Interval | None, lang: str) -> str:
    if m is None or m.value is None:
        return localised(msg("n/a"), lang)
    if m.low is None or m.high is None:
        return figure(m.value, lang)
    return f"{figure(m.value, lang)} ({figure(m.low, lang)}-{figure(m.high, lang)})"


def figure(value: float, lang: str, spec: str = ".3f") -> str:
    return decimal(value, lang, spec)


def metrics_lines(metrics: Metrics, baselines: Baselines | None = None, lang: str = "en") -> list[str]:
    """A table of the model's metrics beside the baselines' (same test rows)."""
    say = partial(localised, lang=lang)
    columns: list[tuple[str, Metrics]] = [(say(msg("model")), metrics)]
    if baselines is not None:
        columns += [
            (say(msg("ABC count")), baselines.rule_count),
            *([(say(msg("unauthorised hours")), baselines.unauthorised_hours)] if baselines.unauthorised_hours else []),
            (say(msg("gradient boosting")), baselines.gradient_boosting),
        ]
    lines = [
        f"| {say(msg('metric (95% interval)'))} | " + " | ".join(t for t, _ in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    rows: list[tuple[str, list[str]]] = [
        ("ROC AUC", [interval_text(m.roc_auc, lang) for _, m in columns]),
        ("PR AUC", [interval_text(m.pr_auc, lang) for _, m in columns]),
        (
            say(msg("Brier score")),
            [interval_text(m.brier, lang) if m.brier else say(msg("n/a (not a probability)")) for _, m in columns],
        ),
    ]
    for key, at in metrics.precision_at.items():
        rows.append(
            (
                say(msg("precision in top {share} (k={k})", share=key, k=at.k)),
                [interval_text(m.precision_at.get(key), lang) for _, m in columns],
            )
        )
        rows.append(
            (
                say(msg("recall in top {share} (k={k})", share=key, k=at.k)),
                [interval_text(m.recall_at.get(key), lang) for _, m in columns],
            )
        )
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    return lines


def fairness_lines(audit: Fairness, lang: str = "en") -> list[str]:
    say = partial(localised, lang=lang)
    if not audit.columns:
        return [say(msg(audit.note)) if audit.note else say(msg("No audit columns."))]
    low, high = audit.range or [0.8, 1.25]
    lines = [
        say(
            msg(
                "Flagged = in the top {share}; ratios are to the largest group, in brackets the 95% interval. (!) "
                "marks a ratio outside {low}-{high} whose interval leaves out the largest group's value. A group "
                "with fewer than {leavers} leavers is too small to judge.",
                share=audit.top_fraction or "10%",
                low=figure(low, lang, "g"),
                high=figure(high, lang, "g"),
                leavers=SMALL_GROUP_LEAVERS,
            )
        )
    ]
    metrics = ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large")
    for column, block in audit.columns.items():
        lines += [
            "",
            say(msg("**{column}** (reference group: {group})", column=column, group=block.reference_group)),
            "",
            say(
                msg(
                    "| group | n | leavers | prevalence | recall | false positive rate | precision | calibration "
                    "(mean p / rate) |"
                )
            ),
            "|---|---|---|---|---|---|---|---|",
        ]
        for g in block.groups:
            cells = []
            for metric in metrics:
                value, ratio = getattr(g, metric), g.ratio_to_largest.get(metric)
                if value is None:
                    cells.append(say(msg("n/a")))
                    continue
                span = g.intervals.get(metric)
                shown = figure(value, lang) + (f" ({figure(span[0], lang)}-{figure(span[1], lang)})" if span else "")
                if ratio is not None:
                    shown += f" x{figure(ratio, lang, '.2f')}" + (" (!)" if metric in g.outside_range else "")
                cells.append(shown)
            name = say(msg("{group} (small)", group=g.group)) if g.small_group else g.group
            leavers = "" if g.leavers is None else str(g.leavers)
            lines.append(f"| {name} | {g.n} | {leavers} | " + " | ".join(cells) + " |")
    return lines


def price_lines(
    price: dict[str, float | None], lead: str, interval: dict[str, Interval] | None = None, lang: str = "en"
) -> list[str]:
    if not price:
        return []
    auc, top = price.get("roc_auc"), price.get("precision_at_10%")

    def span(key: str) -> str:
        found = (interval or {}).get(key)
        if found is None or found.low is None or found.high is None:
            return ""
        return localised(
            msg(
                " (paired 95% interval {low} to {high})",
                low=figure(found.low, lang, "+.3f"),
                high=figure(found.high, lang, "+.3f"),
            ),
            lang,
        )

    return [
        "",
        localised(
            msg(
                "{lead}ROC AUC {auc}{auc_interval}, precision in top 10% {top}{top_interval}.",
                lead=lead,
                auc=signed_figure(auc, lang),
                auc_interval=span("roc_auc"),
                top=signed_figure(top, lang),
                top_interval=span("precision_at_10%"),
            ),
            lang,
        ),
    ]


def signed_figure(value: float | None, lang: str) -> str:
    return localised(msg("n/a"), lang) if value is None else figure(value, lang, "+.3f")
