"""Writes of the command module: tasks (filed by every module, escalated when overdue), responsibility (包保),
the supervision ledger (挂账销号) and cross-district dispatch. Callers use `from cordon.command import services`;
the code lives in one sub-module per part."""

from cordon.command.services.common import SYSTEM
from cordon.command.services.dispatch import (
    dispatch_add_line,
    dispatch_advance,
    dispatch_decide,
    dispatch_lend_person,
    dispatch_post,
    dispatch_return_person,
    dispatch_suggest,
)
from cordon.command.services.handover import (
    answers_for,
    officer_back,
    officer_take_out,
    persons_under_measures,
    persons_under_measures_many,
)
from cordon.command.services.ledger import (
    evidence_add,
    inspection_record,
    ledger_flag,
    ledger_rectify,
    ledger_reinspect,
    may_verify,
)
from cordon.command.services.responsibility import responsibility_assign, responsibility_end
from cordon.command.services.roster import Resolution, on_duty_now, responsible_for, shift_add
from cordon.command.services.tasks import (
    ESCALATION_ROLES,
    task_close,
    task_close_by_source,
    task_close_by_sources,
    task_create,
    task_create_manual,
    task_create_many,
    task_escalate,
    task_reassign,
    task_start,
    tasks_escalate_overdue,
)

__all__ = [
    "ESCALATION_ROLES", "SYSTEM", "dispatch_add_line", "dispatch_advance", "dispatch_decide", "dispatch_lend_person", "dispatch_post",
    "dispatch_return_person", "dispatch_suggest", "evidence_add", "may_verify",
    "inspection_record", "ledger_flag", "ledger_reinspect", "ledger_rectify", "responsibility_assign", "responsibility_end",
    "task_close", "task_close_by_source", "task_close_by_sources", "task_create", "task_create_many", "task_create_manual", "task_escalate", "task_reassign", "task_start",
    "tasks_escalate_overdue",
    "Resolution", "answers_for", "officer_back", "officer_take_out", "persons_under_measures", "persons_under_measures_many", "on_duty_now", "responsible_for", "shift_add",
]
