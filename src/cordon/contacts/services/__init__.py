"""Writes for risk persons, by sub-domain: finding the contacts of a case (finding), writing proposals, decisions,
manual entries and the export (proposals), measure plans with their advance and release (measures). Callers use
`from cordon.contacts import services`; the names below are the public ones."""

from cordon.cases.selectors import case_window
from cordon.contacts.services.finding import GENERAL_CONTACT, MAX_DWELL, WRITTEN, identify
from cordon.contacts.services.measures import (
    CATEGORY_REASONS,
    measures_advance,
    measures_apply,
    measures_apply_many,
    measures_recompute_all,
    risk_release,
    risks_release_many,
)
from cordon.contacts.services.proposals import (
    STRICTNESS,
    _withdraw_case,
    contacts_identify,
    risk_add,
    risk_decide,
    risk_export,
    riskperson_propose,
)

__all__ = [
    "CATEGORY_REASONS", "GENERAL_CONTACT", "MAX_DWELL", "STRICTNESS", "WRITTEN", "_withdraw_case", "case_window",
    "contacts_identify", "identify", "measures_advance", "measures_apply", "measures_apply_many", "measures_recompute_all", "risk_add",
    "risk_decide", "risk_export", "risk_release", "riskperson_propose", "risks_release_many",
]
