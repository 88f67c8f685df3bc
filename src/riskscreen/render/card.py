"""Rendering a model card, and an evaluation report, as Markdown text in a language (and JSON through the card
module). The card's own words (intended use, limits, notice) are said through the catalogue; the validation
method and warnings are stored as English text with their messages (`phrases`), and said through those; a card
made before phrases were kept shows them as stored."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from riskscreen.errors import Day, localised, msg
from riskscreen.i18n import texts
from riskscreen.ingest.outcomes import OUTCOME_KEY, definition
from riskscreen.phrases import said
from riskscreen.render.card_sections import band_lines, season_lines
from riskscreen.render.measures import fairness_lines, figure, metrics_lines, price_lines
from riskscreen.scoring.card import (
    EvaluationReport,
    ModelCard,
    card_json,
    evaluation_json,
)
from riskscreen.signals.features import SPEC

__all__ = ["card_json", "card_markdown", "evaluation_json", "evaluation_markdown", "model_line"]


def card_markdown(card: ModelCard, lang: str = "en") -> str:
    say = partial(localised, lang=lang)
    data = card.training_data
    out = [say(msg("# Model card: {name}", name=card.name)), ""]
    if card.demonstration:
        out += [f"> **{say(msg(card.notice or ''))}**", ""]
    out += [
        say(msg("## Intended use")),
        "",
        say(msg(card.intended_use)),
        "",
        say(msg("## Limits")),
        "",
        say(msg(card.limits)),
        "",
        say(msg("## Training data")),
        "",
        say(
            msg(
                "- profile: {profile}; registrations and grades from {first} to {last}",
                profile=data.profile,
                first=data.first_date,
                last=data.last_date,
            )
        ),
        say(msg("- as-of dates: {dates}", dates=", ".join(data.as_of_dates))),
        say(
            msg(
                "- {rows} student-moments of {students} students; {positives} left without a startkwalificatie",
                rows=data.rows,
                students=data.students,
                positives=data.positives,
            )
            if data.leavers is None or data.leavers == data.positives
            else msg(
                "- {rows} student-moments of {students} students; {leavers} students left without a "
                "startkwalificatie; {positives} moments were followed by leaving within the follow-up",
                rows=data.rows,
                students=data.students,
                leavers=data.leavers,
                positives=data.positives,
            )
        ),
        say(
            msg("- the outcome: {definition}", definition=definition(data.follow_up_months))
            if data.outcome == OUTCOME_KEY and data.follow_up_months
            else msg("- the outcome: the outcomes table's `left_without_qualification`, as the school wrote it")
        ),
        say(msg("- data SHA-256: `{sha256}`", sha256=data.sha256)),
    ]
    tables = texts(lang).get("tables", {})
    out += [f"  - {tables.get(f.table, f.table)}: {f.file} `{f.sha256[:16]}…`" for f in data.files]
    v, p = card.validation, card.parameters
    out += [
        "",
        say(msg("## Validation")),
        "",
        f"- {said(v.method, card.phrases, lang)}",
        say(
            msg(
                "- {train} training rows; {test} test rows, {positives} of them followed by leaving",
                train=v.train_rows,
                test=v.test_rows,
                positives=v.test_positives,
            )
        ),
        say(msg("- intervals: {samples} bootstrap samples of the test rows", samples=v.bootstrap_samples)),
        *(
            [
                say(
                    msg(
                        "- the saved model: fitted again with these settings on all {rows} labelled rows ({students} "
                        "students; {positives} rows followed by leaving); the figures below are those of the model "
                        "fitted on the training rows, measured on the test rows",
                        rows=card.final_fit.rows,
                        students=card.final_fit.students,
                        positives=card.final_fit.positives,
                    )
                )
            ]
            if card.final_fit
            else []
        ),
        *(
            [
                say(
                    msg(
                        "- the saved model's own cross-validation on all labelled rows (out-of-fold, a student's rows "
                        "in one fold): ROC AUC {auc}",
                        auc=figure(card.final_fit.out_of_fold_roc_auc, lang, ".4f"),
                    )
                )
            ]
            if card.final_fit and card.final_fit.out_of_fold_roc_auc is not None
            else []
        ),
        *(
            [
                say(
                    msg(
                        "- recalibrated on the latest cohort (as-of {as_of}, {rows} rows): its mean predicted chance "
                        "was {before} where {observed} left, now {after} (intercept {shift}); contributions and "
                        "the bands' chances unchanged",
                        as_of=Day(r.as_of),
                        rows=r.rows,
                        before=figure(r.predicted_before, lang),
                        observed=figure(r.observed_rate, lang),
                        after=figure(r.predicted_after, lang),
                        shift=figure(r.shift, lang, "+.3f"),
                    )
                )
            ]
            if (r := card.recalibration)
            else []
        ),
        say(
            msg(
                "- parameters: C={c}, class_weight={class_weight}, feature set {feature_set}, seed {seed}",
                c=p.c,
                class_weight=p.class_weight,
                feature_set=p.feature_set,
                seed=p.seed,
            )
        ),
        *_shape_lines(card, lang),
        "",
        say(msg("## Features")),
        "",
        *_feature_lines(card, lang),
    ]
    if card.features_dropped:
        out += [
            "",
            say(
                msg(
                    "Dropped because their coefficient had the sign opposite to what research and law "
                    "expect (the model would otherwise reward a warning sign): {features}.",
                    features=", ".join(card.features_dropped),
                )
            ),
        ]
    out += [
        "",
        say(msg("## Risk bands")),
        "",
        *band_lines(card, lang),
        "",
        say(msg("## Metrics on held-out data")),
        "",
    ]
    out += metrics_lines(card.metrics, card.baselines, lang)
    out += price_lines(
        card.price_of_transparency,
        msg("Price of transparency (transparent model minus gradient boosting; negative = given up): "),
        card.price_of_transparency_interval,
        lang,
    )
    for w in [*training_warnings(card, lang), *(said(w, card.phrases, lang) for w in card.metrics.warnings)]:
        out += ["", say(msg("Warning: {warning}", warning=w))]
    out += [
        "",
        say(
            msg(
                "Calibration by decile (mean predicted / observed): {deciles}",
                deciles=", ".join(
                    f"{figure(c.mean_predicted, lang)}/{figure(c.observed, lang)}" for c in card.metrics.calibration
                ),
            )
        ),
    ]
    out += season_lines(card, lang)
    out += ["", say(msg("## Fairness audit (test rows)")), "", *fairness_lines(card.fairness, lang)]
    out += [
        "",
        say(msg("## Versions")),
        "",
        ", ".join(f"{k} {v}" for k, v in card.versions.items())
        + say(msg("; created {created}.", created=card.created)),
        "",
    ]
    return "\n".join(out)


def training_warnings(card: ModelCard, lang: str) -> list[str]:
    """What training warned about, in the reader's language (the card keeps them in English, with their phrases)."""
    return [said(w, card.phrases, lang) for w in card.training_warnings]


def _shape_lines(card: ModelCard, lang: str) -> list[str]:
    """How the shape was chosen: both shapes' cross-validated AUC, or that it was given."""
    choice = card.shape_choice
    if choice is None:
        return []
    shape = localised(
        msg("additive (a monotone shape per feature)") if choice.chosen == "additive" else msg("linear"), lang
    )
    if choice.linear_auc is None or choice.additive_auc is None:
        return [localised(msg("- shape: {shape}; not compared by validation", shape=shape), lang)]
    return [
        localised(
            msg(
                "- shape: {shape}; mean ROC AUC in grouped cross-validation on the training rows: "
                "additive {additive} (penalty {penalty}), linear {linear}; under auto the additive shape "
                "is chosen only when better by more than 0.005",
                shape=shape,
                additive=figure(choice.additive_auc, lang, ".4f"),
                penalty=figure(choice.penalty or 0.0, lang, "g"),
                linear=figure(choice.linear_auc, lang, ".4f"),
            ),
            lang,
        )
    ]


def _feature_lines(card: ModelCard, lang: str) -> list[str]:
    """The features table: coefficients of the linear shape, or each additive feature's shape at its knots."""
    say = partial(localised, lang=lang)
    if card.parameters.shape == "additive":
        out = [
            say(
                msg(
                    "Contribution of a feature = its shape at the value, read between the knots below (straight "
                    "in between, flat beyond), compared with the average training student; they add up, with "
                    "the intercept {intercept}, to the logit.",
                    intercept=figure(card.intercept, lang, "+.3f"),
                )
            ),
            "",
            say(msg("| feature | unit | mean | contribution at the knots (value: logit) |")),
            "|---|---|---|---|",
        ]
        for f in card.features:
            knots = "; ".join(
                f"{figure(point.value, lang, '.3g')}: {figure(point.contribution, lang, '+.2f')}"
                for point in f.shape or []
            )
            out.append(
                f"| {f.name}: {_described(f.name, f.description, lang)} | {say(msg(f.unit))} | "
                f"{figure(f.reference, lang, '.2f')} | {knots} |"
            )
        return out
    out = [
        say(
            msg(
                "Contribution of a feature = coefficient x (value - reference) / sd; they add up, with the "
                "intercept {intercept}, to the logit. Points: 20 points double the odds.",
                intercept=figure(card.intercept, lang, "+.3f"),
            )
        ),
        "",
        say(msg("| feature | unit | reference | odds ratio per sd | odds ratio per unit | points per unit |")),
        "|---|---|---|---|---|---|",
    ]
    for f in card.features:
        out.append(
            f"| {f.name}: {_described(f.name, f.description, lang)} | {say(msg(f.unit))} | "
            f"{figure(f.reference, lang, '.2f')} | {figure(f.odds_ratio_per_sd or 0.0, lang)} | "
            f"{figure(f.odds_ratio_per_unit or 0.0, lang)} | "
            f"{figure(f.points_per_unit or 0.0, lang, '+.2f')} |"
        )
    return out


def _described(name: str, description: str, lang: str) -> str:
    """A feature's description in the language (its declared label), else as the card has it."""
    spec = SPEC.get(name)
    if lang == "en" or spec is None or lang not in spec.words:
        return description  # the card's own words, as card.md has them
    return spec.words[lang].label


def evaluation_markdown(report: EvaluationReport, lang: str = "en") -> str:
    say = partial(localised, lang=lang)
    out = [say(msg("# Evaluation of model {model}", model=report.model)), ""]
    if report.demonstration:
        out += [f"> {say(msg('Demonstration model trained on synthetic data.'))}", ""]
    whole = report.all_rows
    if whole is not None:
        out += [
            say(msg("{rows} student-moments; {positives} left.", rows=report.n_rows, positives=whole.n_positive)),
            "",
        ]
    comp = report.baselines.comparison_rows
    out += [
        say(
            msg(
                "## On held-out rows, beside the baselines ({method}; {rows} rows)",
                method=said(comp.method, report.phrases, lang),
                rows=comp.rows,
            )
        )
        if comp is not None
        else say(msg("## On held-out rows, beside the baselines")),
        "",
    ]
    out += metrics_lines(report, report.baselines, lang)
    lead = (
        msg("Price of transparency, like for like ({how}): ", how=said(report.like_for_like, report.phrases, lang))
        if report.like_for_like
        else msg("Price of transparency, like for like: ")
    )
    out += price_lines(report.price_of_transparency, lead, report.price_of_transparency_interval, lang)
    for w in report.warnings:
        out += ["", say(msg("Warning: {warning}", warning=said(w, report.phrases, lang)))]
    if whole is not None:
        out += [
            "",
            say(
                msg(
                    "## On all {rows} rows (the held-out rows and the rows the baselines were fitted on)",
                    rows=whole.n_students,
                )
            ),
            "",
            *metrics_lines(whole, lang=lang),
        ]
    out += ["", say(msg("## Fairness audit (all rows)")), "", *fairness_lines(report.fairness, lang)]
    if report.drift is not None:
        d = report.drift
        rate = say(msg("n/a")) if d.leaving_rate is None else figure(d.leaving_rate, lang)
        base = say(msg("n/a")) if d.training_leaving_rate is None else figure(d.training_leaving_rate, lang)
        out += [
            "",
            say(msg("## Drift against the training data")),
            "",
            say(
                msg(
                    "Rate of leaving {rate} here against {base} in training. Feature means against the card's "
                    "reference, in training standard deviations; (!) from {mark} sd.",
                    rate=rate,
                    base=base,
                    mark=figure(d.mark_at_sd, lang, "g"),
                )
            ),
            "",
            say(msg("| feature | reference | mean here | shift (sd) |")),
            "|---|---|---|---|",
        ]
        out += [
            f"| {f.feature} | {figure(f.reference, lang, '.2f')} | "
            f"{say(msg('n/a')) if f.mean is None else figure(f.mean, lang, '.2f')} | "
            f"{say(msg('n/a')) if f.shift_in_sd is None else figure(f.shift_in_sd, lang, '+.2f')}"
            f"{' (!)' if f.marked else ''} |"
            for f in d.features
        ]
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
    return f"{name:<16} {path}  ROC AUC {'-' if auc is None else figure(auc, lang)}  {created}{demo}{where}"


def render_card(card: ModelCard, fmt: str, lang: str = "en") -> str:
    return card_json(card) if fmt == "json" else card_markdown(card, lang)


def render_evaluation(report: EvaluationReport, fmt: str, lang: str = "en") -> str:
    return evaluation_json(report) if fmt == "json" else evaluation_markdown(report, lang)
