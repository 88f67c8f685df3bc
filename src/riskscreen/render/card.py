"""Rendering a model card, and a training or evaluation report, as Markdown text."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _ci(m: dict[str, Any] | None) -> str:
    if not m or m.get("value") is None:
        return "n/a"
    if m.get("low") is None:
        return f"{m['value']:.3f}"
    return f"{m['value']:.3f} ({m['low']:.3f}-{m['high']:.3f})"


def metrics_lines(metrics: dict[str, Any], baselines: dict[str, Any] | None = None) -> list[str]:
    """A table of the model's metrics beside the baselines' (same test rows)."""
    columns = [("model", metrics)]
    for key, title in (("rule_count", "rule-based count"), ("gradient_boosting", "gradient boosting")):
        if baselines and key in baselines:
            columns.append((title, baselines[key]))
    lines = ["| metric (95% interval) | " + " | ".join(t for t, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    rows: list[tuple[str, list[str]]] = [
        ("ROC AUC", [_ci(m.get("roc_auc")) for _, m in columns]),
        ("PR AUC", [_ci(m.get("pr_auc")) for _, m in columns]),
        ("Brier score", [_ci(m.get("brier")) if m.get("brier") else "n/a (not a probability)"
                         for _, m in columns]),
    ]
    for key in metrics.get("precision_at", {}):
        k = metrics["precision_at"][key].get("k")
        rows.append((f"precision in top {key} (k={k})", [_ci(m["precision_at"].get(key)) for _, m in columns]))
        rows.append((f"recall in top {key} (k={k})", [_ci(m["recall_at"].get(key)) for _, m in columns]))
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    return lines


def fairness_lines(audit: dict[str, Any]) -> list[str]:
    if not audit.get("columns"):
        return [audit.get("note", "No audit columns.")]
    lines = [f"Flagged = in the top {audit.get('top_fraction', '10%')}; ratios are to the largest group and "
             f"marked (!) outside {audit['range'][0]}-{audit['range'][1]}. Groups under 30 students are too small "
             "to judge."]
    for column, block in audit["columns"].items():
        lines += ["", f"**{column}** (reference group: {block['reference_group']})", "",
                  "| group | n | prevalence | recall | false positive rate | precision | calibration (mean p / rate) |",
                  "|---|---|---|---|---|---|---|"]
        for g in block["groups"]:
            cells = []
            for metric in ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large"):
                value, ratio = g[metric], g["ratio_to_largest"][metric]
                mark = " (!)" if metric in g["outside_range"] else ""
                cells.append("n/a" if value is None else f"{value:.3f} (x{ratio:.2f}){mark}" if ratio is not None
                             else f"{value:.3f}")
            name = f"{g['group']}{' (small)' if g['small_group'] else ''}"
            lines.append(f"| {name} | {g['n']} | " + " | ".join(cells) + " |")
    return lines


def card_markdown(card: dict[str, Any]) -> str:
    data = card["training_data"]
    out = [f"# Model card: {card['name']}", ""]
    if card.get("demonstration"):
        out += [f"> **{card['notice']}**", ""]
    out += ["## Intended use", "", card["intended_use"], "", "## Limits", "", card["limits"], "",
            "## Training data", "",
            f"- profile: {data['profile']}; registrations and grades from {data['first_date']} to {data['last_date']}",
            f"- as-of dates: {', '.join(data['as_of_dates'])}",
            f"- {data['rows']} student-moments of {data['students']} students; {data['positives']} left without a "
            "startkwalificatie",
            f"- data SHA-256: `{data['sha256']}`"]
    out += [f"  - {f['table']}: {f['file']} `{f['sha256'][:16]}…`" for f in data["files"]]
    v = card["validation"]
    p = card["parameters"]
    out += ["", "## Validation", "", f"- {v['method']}",
            f"- {v['train_rows']} training rows; {v['test_rows']} test rows with {v['test_positives']} who left",
            f"- intervals: {v['bootstrap_samples']} bootstrap samples of the test rows",
            f"- parameters: C={p['C']}, class_weight={p['class_weight']}, feature set {p['feature_set']}, "
            f"seed {p['seed']}", "", "## Features", "",
            "Contribution of a feature = coefficient x (value - reference) / sd; they add up, with the intercept "
            f"{card['intercept']:+.3f}, to the logit. Points: 20 points double the odds.", "",
            "| feature | unit | reference | odds ratio per sd | odds ratio per unit | points per unit |",
            "|---|---|---|---|---|---|"]
    for f in card["features"]:
        out.append(f"| {f['name']}: {f['description']} | {f['unit']} | {f['reference']:.2f} | "
                   f"{f['odds_ratio_per_sd']:.3f} | {f['odds_ratio_per_unit']:.3f} | {f['points_per_unit']:+.2f} |")
    if card.get("features_dropped"):
        out += ["", "Dropped because their coefficient had the sign opposite to what research and law expect "
                    f"(the model would otherwise reward a warning sign): {', '.join(card['features_dropped'])}."]
    b = card["bands"]
    out += ["", "## Risk bands", "", f"- high: probability >= {b['high']:.3f} (top 5% of training students)",
            f"- elevated: probability >= {b['elevated']:.3f} (top 20%)", "", "## Metrics on held-out data", ""]
    out += metrics_lines(card["metrics"], card.get("baselines"))
    price = card.get("price_of_transparency") or {}
    if price:
        out += ["", "Price of transparency (transparent model minus gradient boosting; negative = given up): "
                f"ROC AUC {price.get('roc_auc'):+.3f}, precision in top 10% {price.get('precision_at_10%'):+.3f}."]
    for w in card["metrics"].get("warnings", []):
        out += ["", f"Warning: {w}"]
    out += ["", "Calibration by decile (mean predicted / observed): " + ", ".join(
        f"{c['mean_predicted']:.3f}/{c['observed']:.3f}" for c in card["metrics"].get("calibration", []))]
    out += ["", "## Fairness audit (test rows)", "", *fairness_lines(card.get("fairness", {}))]
    out += ["", "## Versions", "", ", ".join(f"{k} {v}" for k, v in card["versions"].items()),
            f"; created {card['created']}.", ""]
    return "\n".join(out)


def evaluation_markdown(report: dict[str, Any]) -> str:
    out = [f"# Evaluation of model {report['model']}", ""]
    if report.get("demonstration"):
        out += ["> Demonstration model trained on synthetic data.", ""]
    out += [f"{report['n_rows']} student-moments of {report['n_students']} students; {report['n_positive']} left.",
            "", "## The model on all rows", ""]
    out += metrics_lines({k: report[k] for k in ("roc_auc", "pr_auc", "brier", "precision_at", "recall_at")})
    comp = report["baselines"]["comparison_rows"]
    out += ["", f"## Against the baselines ({comp['method']}; {comp['rows']} rows)", ""]
    out += metrics_lines(comp["model_on_these_rows"], report["baselines"])
    price = report.get("price_of_transparency") or {}
    if price:
        out += ["", f"Price of transparency: ROC AUC {price.get('roc_auc'):+.3f}, precision in top 10% "
                    f"{price.get('precision_at_10%'):+.3f}."]
    for w in report.get("warnings", []):
        out += ["", f"Warning: {w}"]
    out += ["", "## Fairness audit", "", *fairness_lines(report.get("fairness", {})), ""]
    return "\n".join(out)


def card_json(card: dict[str, Any]) -> str:
    import json

    return json.dumps(card, indent=2, ensure_ascii=False) + "\n"


def evaluation_json(report: dict[str, Any]) -> str:
    import json

    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def model_line(path: Path, card: dict[str, Any] | None) -> str:
    """One line of `model list`: name, folder, ROC AUC on unseen data, when it was made, and a demo mark."""
    if card is None:
        return f"{path.name:<16} {path}  (card unreadable)"
    auc = (card.get("metrics", {}).get("roc_auc") or {}).get("value")
    demo = "  DEMONSTRATION (synthetic data)" if card.get("demonstration") else ""
    return f"{path.name:<16} {path}  ROC AUC {auc}  created {card.get('created')}{demo}"
