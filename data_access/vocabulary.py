"""Domain vocabulary shared by the simulator, the importer and the models."""

from __future__ import annotations

# Open stages in order; a deal leaves the last one as won, or any one as lost.
STAGES: tuple[str, ...] = (
    "qualification",
    "needs_analysis",
    "solution_demo",
    "budget_approval",
    "tender",
    "negotiation",
)
# What a deal's amount counts: the sample company's yuan unless an import says otherwise (stored in
# the preferences table under this key).
AMOUNT_UNIT_KEY = "amount_unit"
DEFAULT_AMOUNT_UNIT = "CNY"
DECISION_STAGE = "budget_approval"  # from here on the hospital decides: the "decision cycle"
QUOTE_STAGE = "solution_demo"  # the price is quoted on entering this stage

FORECAST_CATEGORY = {
    "qualification": "pipeline",
    "needs_analysis": "pipeline",
    "solution_demo": "best_case",
    "budget_approval": "best_case",
    "tender": "commit",
    "negotiation": "commit",
    "won": "closed",
    "lost": "omitted",
}

EXECUTIVE_ROLES = ("president", "finance")  # meeting one of these = executive sponsor met
