"""Writes for household needs, the emergency medical channel, utility incidents, supply points and key
enterprises. Every write is atomic and audited.

Emergencies are accepted whatever the person's health status (no code path here reads it): nobody
under measures may be refused care. A missed deadline files a command task one post further up the
region path each escalation step (`emergency_escalate_overdue`, run by livelihood.jobs and on board load).

By sub-domain: needs (delivery teams, household needs, the resident portal), emergencies, utilities
(incidents, supply points), closed_loop (key enterprises, closed-loop plans, staff passes, retention);
common holds the system actor and the checks they share. Callers use `from cordon.livelihood import services`.
"""

from cordon.livelihood.services.closed_loop import (
    enterprise_create,
    enterprise_whitelist,
    pass_verify,
    plan_activate,
    plan_create,
    plan_end,
    plan_staff_add,
    retention_run,
    staff_test_record,
)
from cordon.livelihood.services.common import SYSTEM
from cordon.livelihood.services.emergencies import (
    emergency_acknowledge,
    emergency_close,
    emergency_create,
    emergency_dispatch,
    emergency_escalate_overdue,
    emergency_portal,
)
from cordon.livelihood.services.needs import (
    PROOF_MAX_BYTES,
    PROOF_TYPES,
    need_assign,
    need_bulk,
    need_cancel,
    need_create,
    need_deliver,
    need_portal,
    portal_identify,
    team_create,
)
from cordon.livelihood.services.utilities import (
    incident_create,
    incident_update,
    supply_point_create,
    supply_point_stock,
)

__all__ = [
    "SYSTEM", "PROOF_MAX_BYTES", "PROOF_TYPES", "team_create", "need_create", "need_bulk",
    "portal_identify", "need_portal", "need_assign", "need_deliver", "need_cancel", "emergency_create",
    "emergency_portal", "emergency_acknowledge", "emergency_dispatch", "emergency_close",
    "emergency_escalate_overdue", "incident_create", "incident_update", "supply_point_create",
    "supply_point_stock", "enterprise_create", "enterprise_whitelist", "plan_create", "plan_staff_add",
    "plan_activate", "plan_end", "staff_test_record", "pass_verify", "retention_run",
]
