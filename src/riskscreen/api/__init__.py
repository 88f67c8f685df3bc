"""The library API: one function per use case, over typed sources and results; the CLI is a skin over these.

`screening` reads and scores a school, `models` trains and evaluates; the weekly cycle is `workspace` (the
school's workspace and its history), `cycle` (the weekly list), `actions`, `reports` (to DUO and the jeugdarts)
and `sharing` (the bases for sharing with the youth worker); `region` makes the municipality's picture and
`privacy` the papers. This module only gathers them.
"""

from __future__ import annotations

from riskscreen.api.actions import (
    ImportResult,
    actions_table,
    add_action,
    close_action,
    import_actions,
    update_referral,
)
from riskscreen.api.cycle import Weekly, mentor_views, weekly_shortlist
from riskscreen.api.models import Evaluation, evaluate, model_card, models, train
from riskscreen.api.privacy import privacy_papers
from riskscreen.api.region import aggregate, merge_aggregates
from riskscreen.api.reports import DueReport, record_report, reports_due
from riskscreen.api.screening import (
    Scores,
    Sources,
    explain,
    load_model,
    profile_template,
    profiles,
    read,
    score,
    validate,
)
from riskscreen.api.sharing import end_sharing, set_sharing, sharing_table
from riskscreen.api.workspace import (
    HistoryTable,
    history,
    init_workspace,
    log_output,
    output_log,
    prune_history,
    workspace,
)

__all__ = [
    "DueReport",
    "Evaluation",
    "HistoryTable",
    "ImportResult",
    "Scores",
    "Sources",
    "Weekly",
    "actions_table",
    "add_action",
    "aggregate",
    "close_action",
    "end_sharing",
    "evaluate",
    "explain",
    "history",
    "import_actions",
    "init_workspace",
    "load_model",
    "log_output",
    "mentor_views",
    "merge_aggregates",
    "model_card",
    "models",
    "output_log",
    "privacy_papers",
    "profile_template",
    "profiles",
    "prune_history",
    "read",
    "record_report",
    "reports_due",
    "score",
    "set_sharing",
    "sharing_table",
    "train",
    "update_referral",
    "validate",
    "weekly_shortlist",
    "workspace",
]
