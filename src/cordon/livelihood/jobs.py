"""Background jobs: raise overdue emergencies up the responsibility chain (run every minute by the
worker or cron via `manage.py escalate_overdue`; the emergency board also runs it on load)."""

from django.tasks import task

from cordon.core import access
from cordon.livelihood import services


@task
def escalate_overdue() -> int:
    """Escalate every emergency whose acknowledge or dispatch deadline has passed; returns steps taken."""
    return services.emergency_escalate_overdue()


@task
def retention_job() -> dict:
    """Pseudonymise closed-loop staff of plans past the retention period."""
    return services.retention_run(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (escalate_overdue, 60),
    (retention_job, 24 * 3600),
]
