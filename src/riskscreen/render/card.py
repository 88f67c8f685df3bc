"""Rendering a model card, and an evaluation report, as Markdown text in a language (and JSON through the card
module). The card's own words (intended use, limits, notice) are said through the catalogue; the validation
method and warnings are stored as text when the model is trained and are shown as stored."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from riskscreen.errors import Day, localised, msg
from riskscreen.i18n import texts
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
from riskscreen.signals.features import SPEC

__all__ = ["card_json", "card_markdown", "evaluation_json", "evaluation_markdown", "model_line"]


def _ci(m: Interval | None, lang: str) -> str:
    if m is None or m.value is None:
        return localised(msg("n/a"), lang)
    if m.low is None or m.high is None:
        return _number(m.value, lang)
    return f"{_number(m.value, lang)} ({_number(m.low, lang)}-{_number(m.high, lang)})"


def _number(value: float, lang: str, spec: str = ".3f") -> str:
    text = format(value, spec)
    return text.replace(".", ",") if lang == "nl" else text


def metrics_lines(metrics: Metrics, baselines: Baselines | None = None, lang: str = "en") -> list[str]:
    """A table of the model's metrics beside the baselines' (same test rows)."""
    say = partial(localised, lang=lang)
    columns: list[tuple[str, Metrics]] = [(say(msg("model")), metrics)]
    if baselines is not None:
        columns += [(say(msg("rule-based count")), baselines.rule_count),
                    (say(msg("gradient boosting")), baselines.gradient_boosting)]
    lines = [f"| {say(msg('metric (95% interval)'))} | " + " | ".join(t for t, _ in columns) + " |",
             "|---|" + "---|" * len(columns)]
    rows: list[tuple[str, list[str]]] = [
        ("ROC AUC", [_ci(m.roc_auc, lang) for _, m in columns]),
        ("PR AUC", [_ci(m.pr_auc, lang) for _, m in columns]),
        (say(msg("Brier score")), [_ci(m.brier, lang) if m.brier else say(msg("n/a (not a probability)"))
                                   for _, m in columns]),
    ]
    for key, at in metrics.precision_at.items():
        rows.append((say(msg("precision in top {share} (k={k})", share=key, k=at.k)),
                     [_ci(m.precision_at.get(key), lang) for _, m in columns]))
        rows.append((say(msg("recall in top {share} (k={k})", share=key, k=at.k)),
                     [_ci(m.recall_at.get(key), lang) for _, m in columns]))
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    return lines


def fairness_lines(audit: Fairness, lang: str = "en") -> list[str]:
    say = partial(localised, lang=lang)
    if not audit.columns:
        return [say(msg(audit.note)) if audit.note else say(msg("No audit columns."))]
    low, high = audit.range or [0.8, 1.25]
    lines = [say(msg("Flagged = in the top {share}; ratios are to the largest group and marked (!) outside "
                     "{low}-{high}. Groups under 30 students are too small to judge.",
                     share=audit.top_fraction or "10%", low=_number(low, lang, "g"), high=_number(high, lang, "g")))]
    metrics = ("prevalence", "recall", "false_positive_rate", "precision", "calibration_in_the_large")
    for column, block in audit.columns.items():
        lines += ["", say(msg("**{column}** (reference group: {group})", column=column,
                              group=block.reference_group)), "",
                  say(msg("| group | n | prevalence | recall | false positive rate | precision | calibration "
                          "(mean p / rate) |")), "|---|---|---|---|---|---|---|"]
        for g in block.groups:
            cells = []
            for metric in metrics:
                value, ratio = getattr(g, metric), g.ratio_to_largest.get(metric)
                mark = " (!)" if metric in g.outside_range else ""
                cells.append(say(msg("n/a")) if value is None else
                             f"{_number(value, lang)} (x{_number(ratio, lang, '.2f')}){mark}" if ratio is not None
                             else _number(value, lang))
            name = say(msg("{group} (small)", group=g.group)) if g.small_group else g.group
            lines.append(f"| {name} | {g.n} | " + " | ".join(cells) + " |")
    return lines


def card_markdown(card: ModelCard, lang: str = "en") -> str:
    say = partial(localised, lang=lang)
    data = card.training_data
    out = [say(msg("# Model card: {name}", name=card.name)), ""]
    if card.demonstration:
        out += [f"> **{say(msg(card.notice or ''))}**", ""]
    out += [say(msg("## Intended use")), "", say(msg(card.intended_use)), "", say(msg("## Limits")), "",
            say(msg(card.limits)), "", say(msg("## Training data")), "",
            say(msg("- profile: {profile}; registrations and grades from {first} to {last}", profile=data.profile,
                    first=data.first_date, last=data.last_date)),
            say(msg("- as-of dates: {dates}", dates=", ".join(data.as_of_dates))),
            say(msg("- {rows} student-moments of {students} students; {positives} left without a startkwalificatie",
                    rows=data.rows, students=data.students, positives=data.positives)),
            say(msg("- data SHA-256: `{sha256}`", sha256=data.sha256))]
    tables = texts(lang).get("tables", {})
    out += [f"  - {tables.get(f.table, f.table)}: {f.file} `{f.sha256[:16]}…`" for f in data.files]
    v, p = card.validation, card.parameters
    out += ["", say(msg("## Validation")), "", f"- {v.method}",
            say(msg("- {train} training rows; {test} test rows with {positives} who left", train=v.train_rows,
                    test=v.test_rows, positives=v.test_positives)),
            say(msg("- intervals: {samples} bootstrap samples of the test rows", samples=v.bootstrap_samples)),
            *([say(msg("- the saved model: fitted again with these settings on all {rows} labelled rows ({students} "
                       "students, {positives} who left); the figures below are those of the model fitted on the "
                       "training rows, measured on the test rows", rows=card.final_fit.rows,
                       students=card.final_fit.students, positives=card.final_fit.positives))]
              if card.final_fit else []),
            *([say(msg("- the saved model's own cross-validation on all labelled rows (out-of-fold, a student's rows "
                       "in one fold): ROC AUC {auc}", auc=_number(card.final_fit.out_of_fold_roc_auc, lang, ".4f")))]
              if card.final_fit and card.final_fit.out_of_fold_roc_auc is not None else []),
            *([say(msg("- recalibrated on the latest cohort (as-of {as_of}, {rows} rows): its mean predicted chance "
                       "was {before} where {observed} left, now {after} (intercept {shift}); contributions and "
                       "bands' membership unchanged", as_of=Day(r.as_of), rows=r.rows,
                       before=_number(r.predicted_before, lang), observed=_number(r.observed_rate, lang),
                       after=_number(r.predicted_after, lang), shift=_number(r.shift, lang, "+.3f")))]
              if (r := card.recalibration) else []),
            say(msg("- parameters: C={c}, class_weight={class_weight}, feature set {feature_set}, seed {seed}",
                    c=p.c, class_weight=p.class_weight, feature_set=p.feature_set, seed=p.seed)),
            *_shape_lines(card, lang), "", say(msg("## Features")), "", *_feature_lines(card, lang)]
    if card.features_dropped:
        out += ["", say(msg("Dropped because their coefficient had the sign opposite to what research and law "
                            "expect (the model would otherwise reward a warning sign): {features}.",
                            features=", ".join(card.features_dropped)))]
    b = card.bands
    out += ["", say(msg("## Risk bands")), "",
            say(msg("- high: probability >= {high} (top 5% of training students)",
                    high=_number(b["high"], lang))),
            say(msg("- elevated: probability >= {elevated} (top 20%)", elevated=_number(b["elevated"], lang))),
            "", say(msg("## Metrics on held-out data")), ""]
    out += metrics_lines(card.metrics, card.baselines, lang)
    out += _price_lines(card.price_of_transparency, msg("Price of transparency (transparent model minus gradient "
                                                        "boosting; negative = given up): "),
                        card.price_of_transparency_interval, lang)
    for w in [*card.training_warnings, *card.metrics.warnings]:
        out += ["", say(msg("Warning: {warning}", warning=w))]
    out += ["", say(msg("Calibration by decile (mean predicted / observed): {deciles}", deciles=", ".join(
        f"{_number(c.mean_predicted, lang)}/{_number(c.observed, lang)}" for c in card.metrics.calibration)))]
    out += ["", say(msg("## Fairness audit (test rows)")), "", *fairness_lines(card.fairness, lang)]
    out += ["", say(msg("## Versions")), "", ", ".join(f"{k} {v}" for k, v in card.versions.items()),
            say(msg("; created {created}.", created=card.created)), ""]
    return "\n".join(out)


def _shape_lines(card: ModelCard, lang: str) -> list[str]:
    """How the shape was chosen: both shapes' cross-validated AUC, or that it was given."""
    choice = card.shape_choice
    if choice is None:
        return []
    shape = localised(msg("additive (a monotone shape per feature)") if choice.chosen == "additive"
                      else msg("linear"), lang)
    if choice.linear_auc is None or choice.additive_auc is None:
        return [localised(msg("- shape: {shape}; not compared by validation", shape=shape), lang)]
    return [localised(msg("- shape: {shape}; mean ROC AUC in grouped cross-validation on the training rows: "
                          "additive {additive} (penalty {penalty}), linear {linear}; under auto the additive shape "
                          "is chosen only when better by more than 0.005", shape=shape,
                          additive=_number(choice.additive_auc, lang, ".4f"),
                          penalty=_number(choice.penalty or 0.0, lang, "g"),
                          linear=_number(choice.linear_auc, lang, ".4f")), lang)]


def _feature_lines(card: ModelCard, lang: str) -> list[str]:
    """The features table: coefficients of the linear shape, or each additive feature's shape at its knots."""
    say = partial(localised, lang=lang)
    if card.parameters.shape == "additive":
        out = [say(msg("Contribution of a feature = its shape at the value, read between the knots below (straight "
                       "in between, flat beyond), compared with the average training student; they add up, with "
                       "the intercept {intercept}, to the logit.", intercept=_number(card.intercept, lang, "+.3f"))),
               "", say(msg("| feature | unit | mean | contribution at the knots (value: logit) |")),
               "|---|---|---|---|"]
        for f in card.features:
            knots = "; ".join(f"{_number(point.value, lang, '.3g')}: {_number(point.contribution, lang, '+.2f')}"
                              for point in f.shape or [])
            out.append(f"| {f.name}: {_described(f.name, f.description, lang)} | {say(msg(f.unit))} | "
                       f"{_number(f.reference, lang, '.2f')} | {knots} |")
        return out
    out = [say(msg("Contribution of a feature = coefficient x (value - reference) / sd; they add up, with the "
                   "intercept {intercept}, to the logit. Points: 20 points double the odds.",
                   intercept=_number(card.intercept, lang, "+.3f"))), "",
           say(msg("| feature | unit | reference | odds ratio per sd | odds ratio per unit | points per unit |")),
           "|---|---|---|---|---|---|"]
    for f in card.features:
        out.append(f"| {f.name}: {_described(f.name, f.description, lang)} | {say(msg(f.unit))} | "
                   f"{_number(f.reference, lang, '.2f')} | {_number(f.odds_ratio_per_sd or 0.0, lang)} | "
                   f"{_number(f.odds_ratio_per_unit or 0.0, lang)} | "
                   f"{_number(f.points_per_unit or 0.0, lang, '+.2f')} |")
    return out


def _described(name: str, description: str, lang: str) -> str:
    """A feature's description in the language (its declared label), else as the card has it."""
    spec = SPEC.get(name)
    if lang == "en" or spec is None or lang not in spec.words:
        return description  # the card's own words, as card.md has them
    return spec.words[lang].label


def _price_lines(price: dict[str, float | None], lead: str,
                 interval: dict[str, Interval] | None = None, lang: str = "en") -> list[str]:
    if not price:
        return []
    auc, top = price.get("roc_auc"), price.get("precision_at_10%")

    def span(key: str) -> str:
        found = (interval or {}).get(key)
        if found is None or found.low is None or found.high is None:
            return ""
        return localised(msg(" (paired 95% interval {low} to {high})", low=_number(found.low, lang, "+.3f"),
                             high=_number(found.high, lang, "+.3f")), lang)

    return ["", localised(msg("{lead}ROC AUC {auc}{auc_interval}, precision in top 10% {top}{top_interval}.",
                              lead=lead, auc=_signed(auc, lang), auc_interval=span("roc_auc"),
                              top=_signed(top, lang), top_interval=span("precision_at_10%")), lang)]


def _signed(value: float | None, lang: str) -> str:
    return localised(msg("n/a"), lang) if value is None else _number(value, lang, "+.3f")


def evaluation_markdown(report: EvaluationReport, lang: str = "en") -> str:
    say = partial(localised, lang=lang)
    out = [say(msg("# Evaluation of model {model}", model=report.model)), ""]
    if report.demonstration:
        out += [f"> {say(msg('Demonstration model trained on synthetic data.'))}", ""]
    whole = report.all_rows
    if whole is not None:
        out += [say(msg("{rows} student-moments; {positives} left.", rows=report.n_rows,
                        positives=whole.n_positive)), ""]
    comp = report.baselines.comparison_rows
    out += [say(msg("## On held-out rows, beside the baselines ({method}; {rows} rows)", method=comp.method,
                    rows=comp.rows)) if comp is not None else say(msg("## On held-out rows, beside the baselines")),
            ""]
    out += metrics_lines(report, report.baselines, lang)
    lead = (msg("Price of transparency, like for like ({how}): ", how=report.like_for_like) if report.like_for_like
            else msg("Price of transparency, like for like: "))
    out += _price_lines(report.price_of_transparency, lead, report.price_of_transparency_interval, lang)
    for w in report.warnings:
        out += ["", say(msg("Warning: {warning}", warning=w))]
    if whole is not None:
        out += ["", say(msg("## On all {rows} rows (the held-out rows and the rows the baselines were fitted on)",
                            rows=whole.n_students)), "", *metrics_lines(whole, lang=lang)]
    out += ["", say(msg("## Fairness audit (all rows)")), "", *fairness_lines(report.fairness, lang)]
    if report.drift is not None:
        d = report.drift
        rate = say(msg("n/a")) if d.leaving_rate is None else _number(d.leaving_rate, lang)
        base = say(msg("n/a")) if d.training_leaving_rate is None else _number(d.training_leaving_rate, lang)
        out += ["", say(msg("## Drift against the training data")), "",
                say(msg("Rate of leaving {rate} here against {base} in training. Feature means against the card's "
                        "reference, in training standard deviations; (!) from {mark} sd.", rate=rate, base=base,
                        mark=_number(d.mark_at_sd, lang, "g"))), "",
                say(msg("| feature | reference | mean here | shift (sd) |")), "|---|---|---|---|"]
        out += [f"| {f.feature} | {_number(f.reference, lang, '.2f')} | "
                f"{say(msg('n/a')) if f.mean is None else _number(f.mean, lang, '.2f')} | "
                f"{say(msg('n/a')) if f.shift_in_sd is None else _number(f.shift_in_sd, lang, '+.2f')}"
                f"{' (!)' if f.marked else ''} |" for f in d.features]
    return "\n".join([*out, ""])


def model_line(path: Path, card: ModelCard | None, *, shadowed: bool = False, lang: str = "en") -> str:
    """One line of `model list`: name, folder, ROC AUC on unseen data, when it was made, and a demo mark."""
    say = partial(localised, lang=lang)
    name = str(path) if shadowed else path.name
    where = say(msg("  (its name is the bundled model's: use it by its path)")) if shadowed else ""
    if card is None:
        return f"{name:<16} {path}  {say(msg('(card unreadable)'))}{where}"
    demo = say(msg("  DEMONSTRATION (synthetic data)")) if card.demonstration else ""
    auc = card.metrics.roc_auc.value
    created = say(msg("created {created}", created=card.created))
    return f"{name:<16} {path}  ROC AUC {'-' if auc is None else _number(auc, lang)}  {created}{demo}{where}"


def render_card(card: ModelCard, fmt: str, lang: str = "en") -> str:
    return card_json(card) if fmt == "json" else card_markdown(card, lang)


def render_evaluation(report: EvaluationReport, fmt: str, lang: str = "en") -> str:
    return evaluation_json(report) if fmt == "json" else evaluation_markdown(report, lang)
