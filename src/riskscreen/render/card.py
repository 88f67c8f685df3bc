"""Rendering a model card, and an evaluation report, as Markdown text (and JSON through the card module)."""

from __future__ import annotations

from pathlib import Path

from riskscreen.scoring.card import (
    Baselines,
    EvaluationReport,
    Fairness,
    Interval,
    Metrics,
    ModelCard,
    card_json,
    evaluation_json,
)

__all__ = ["card_json", "card_markdown", "evaluation_json", "evaluation_markdown", "model_line"]


def _ci(m: Interval | None) -> str:
    if m is None or m.value is None:
        return "n/a"
    if m.low is None or m.high is None:
        return f"{m.value:.3f}"
    return f"{m.value:.3f} ({m.low:.3f}-{m.high:.3f})"


def metrics_lines(metrics: Metrics, baselines: Baselines | None = None) -> list[str]:
    """A table of the model's metrics beside the baselines' (same test rows)."""
    columns: list[tuple[str, Metrics]] = [("model", metrics)]
    if baselines is not None:
        columns += [("rule-based count", baselines.rule_count), ("gradient boosting", baselines.gradient_boosting)]
    lines = ["| metric (95% interval) | " + " | ".join(t for t, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    rows: list[tuple[str, list[str]]] = [
        ("ROC AUC", [_ci(m.roc_auc) for _, m in columns]),
        ("PR AUC", [_ci(m.pr_auc) for _, m in columns]),
        ("Brier score", [_ci(m.brier) if m.brier else "n/a (not a probability)" for _, m in columns]),
    ]
    for key, at in metrics.precision_at.items():
        rows.append((f"precision in top {key} (k={at.k})", [_ci(m.precision_at.get(key)) for _, m in columns]))
        rows.append((f"recall in top {key} (k={at.k})", [_ci(m.recall_at.get(key)) for _, m in columns]))
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    return lines


def fairness_lines(audit: Fairness) -> list[str]:
    if not audit.columns:
        return [audit.note or "No audit columns."]
    low, high = audit.range or [0.8, 1.25]
    lines = [f"Flagged = in the top {audit.top_fraction or '10%'}; ratios are to the largest group and "
             f"marked (!) outside {low}-{high}. Groups under 30 students are too small to judge."]
    metrics = ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large")
    for column, block in audit.columns.items():
        lines += ["", f"**{column}** (reference group: {block.reference_group})", "",
                  "| group | n | prevalence | recall | false positive rate | precision | calibration (mean p / rate) |",
                  "|---|---|---|---|---|---|---|"]
        for g in block.groups:
            cells = []
            for metric in metrics:
                value, ratio = getattr(g, metric), g.ratio_to_largest.get(metric)
                mark = " (!)" if metric in g.outside_range else ""
                cells.append("n/a" if value is None else f"{value:.3f} (x{ratio:.2f}){mark}" if ratio is not None
                             else f"{value:.3f}")
            name = f"{g.group}{' (small)' if g.small_group else ''}"
            lines.append(f"| {name} | {g.n} | " + " | ".join(cells) + " |")
    return lines


def card_markdown(card: ModelCard) -> str:
    data = card.training_data
    out = [f"# Model card: {card.name}", ""]
    if card.demonstration:
        out += [f"> **{card.notice}**", ""]
    out += ["## Intended use", "", card.intended_use, "", "## Limits", "", card.limits, "",
            "## Training data", "",
            f"- profile: {data.profile}; registrations and grades from {data.first_date} to {data.last_date}",
            f"- as-of dates: {', '.join(data.as_of_dates)}",
            f"- {data.rows} student-moments of {data.students} students; {data.positives} left without a "
            "startkwalificatie",
            f"- data SHA-256: `{data.sha256}`"]
    out += [f"  - {f.table}: {f.file} `{f.sha256[:16]}…`" for f in data.files]
    v, p = card.validation, card.parameters
    out += ["", "## Validation", "", f"- {v.method}",
            f"- {v.train_rows} training rows; {v.test_rows} test rows with {v.test_positives} who left",
            f"- intervals: {v.bootstrap_samples} bootstrap samples of the test rows",
            *([f"- the saved model: fitted again with these settings on all {card.final_fit.rows} labelled rows "
               f"({card.final_fit.students} students, {card.final_fit.positives} who left); the figures below "
               "are those of the model fitted on the training rows, measured on the test rows"]
              if card.final_fit else []),
            f"- parameters: C={p.c}, class_weight={p.class_weight}, feature set {p.feature_set}, "
            f"seed {p.seed}", "", "## Features", "",
            "Contribution of a feature = coefficient x (value - reference) / sd; they add up, with the intercept "
            f"{card.intercept:+.3f}, to the logit. Points: 20 points double the odds.", "",
            "| feature | unit | reference | odds ratio per sd | odds ratio per unit | points per unit |",
            "|---|---|---|---|---|---|"]
    for f in card.features:
        out.append(f"| {f.name}: {f.description} | {f.unit} | {f.reference:.2f} | "
                   f"{f.odds_ratio_per_sd:.3f} | {f.odds_ratio_per_unit:.3f} | {f.points_per_unit:+.2f} |")
    if card.features_dropped:
        out += ["", "Dropped because their coefficient had the sign opposite to what research and law expect "
                    f"(the model would otherwise reward a warning sign): {', '.join(card.features_dropped)}."]
    b = card.bands
    out += ["", "## Risk bands", "", f"- high: probability >= {b['high']:.3f} (top 5% of training students)",
            f"- elevated: probability >= {b['elevated']:.3f} (top 20%)", "", "## Metrics on held-out data", ""]
    out += metrics_lines(card.metrics, card.baselines)
    out += _price_lines(card.price_of_transparency, "Price of transparency (transparent model minus gradient "
                                                    "boosting; negative = given up): ",
                        card.price_of_transparency_interval)
    for w in [*card.training_warnings, *card.metrics.warnings]:
        out += ["", f"Warning: {w}"]
    out += ["", "Calibration by decile (mean predicted / observed): " + ", ".join(
        f"{c.mean_predicted:.3f}/{c.observed:.3f}" for c in card.metrics.calibration)]
    out += ["", "## Fairness audit (test rows)", "", *fairness_lines(card.fairness)]
    out += ["", "## Versions", "", ", ".join(f"{k} {v}" for k, v in card.versions.items()),
            f"; created {card.created}.", ""]
    return "\n".join(out)


def _price_lines(price: dict[str, float | None], lead: str,
                 interval: dict[str, Interval] | None = None) -> list[str]:
    if not price:
        return []
    auc, top = price.get("roc_auc"), price.get("precision_at_10%")

    def span(key: str) -> str:
        found = (interval or {}).get(key)
        if found is None or found.low is None or found.high is None:
            return ""
        return f" (paired 95% interval {found.low:+.3f} to {found.high:+.3f})"

    return ["", f"{lead}ROC AUC {_signed(auc)}{span('roc_auc')}, precision in top 10% {_signed(top)}"
                f"{span('precision_at_10%')}."]


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def evaluation_markdown(report: EvaluationReport) -> str:
    out = [f"# Evaluation of model {report.model}", ""]
    if report.demonstration:
        out += ["> Demonstration model trained on synthetic data.", ""]
    whole = report.all_rows
    if whole is not None:
        out += [f"{report.n_rows} student-moments; {whole.n_positive} left.", ""]
    comp = report.baselines.comparison_rows
    where = f" ({comp.method}; {comp.rows} rows)" if comp is not None else ""
    out += [f"## On held-out rows, beside the baselines{where}", ""]
    out += metrics_lines(report, report.baselines)
    out += _price_lines(report.price_of_transparency, "Price of transparency, like for like"
                        + (f" ({report.like_for_like})" if report.like_for_like else "") + ": ",
                        report.price_of_transparency_interval)
    for w in report.warnings:
        out += ["", f"Warning: {w}"]
    if whole is not None:
        out += ["", f"## On all {whole.n_students} rows (the held-out rows and the rows the baselines were "
                "fitted on)", "", *metrics_lines(whole)]
    out += ["", "## Fairness audit (all rows)", "", *fairness_lines(report.fairness)]
    if report.drift is not None:
        d = report.drift
        rate = "n/a" if d.leaving_rate is None else f"{d.leaving_rate:.3f}"
        base = "n/a" if d.training_leaving_rate is None else f"{d.training_leaving_rate:.3f}"
        out += ["", "## Drift against the training data", "",
                f"Rate of leaving {rate} here against {base} in training. Feature means against the card's "
                f"reference, in training standard deviations; (!) from {d.mark_at_sd} sd.", "",
                "| feature | reference | mean here | shift (sd) |", "|---|---|---|---|"]
        out += [f"| {f.feature} | {f.reference:.2f} | {'n/a' if f.mean is None else f'{f.mean:.2f}'} | "
                f"{'n/a' if f.shift_in_sd is None else f'{f.shift_in_sd:+.2f}'}{' (!)' if f.marked else ''} |"
                for f in d.features]
    return "\n".join([*out, ""])


def model_line(path: Path, card: ModelCard | None, *, shadowed: bool = False) -> str:
    """One line of `model list`: name, folder, ROC AUC on unseen data, when it was made, and a demo mark."""
    name = str(path) if shadowed else path.name
    where = "  (its name is the bundled model's: use it by its path)" if shadowed else ""
    if card is None:
        return f"{name:<16} {path}  (card unreadable){where}"
    demo = "  DEMONSTRATION (synthetic data)" if card.demonstration else ""
    return f"{name:<16} {path}  ROC AUC {card.metrics.roc_auc.value}  created {card.created}{demo}{where}"


def render_card(card: ModelCard, fmt: str) -> str:
    return card_json(card) if fmt == "json" else card_markdown(card)


def render_evaluation(report: EvaluationReport, fmt: str) -> str:
    return evaluation_json(report) if fmt == "json" else evaluation_markdown(report)
