"""Background job for tracing: the SLA check that files overdue tasks (contacts.jobs advances measure plans)."""

from django.tasks import task

from cordon.cases import services
from cordon.core import access


@task
def check_overdue() -> int:
    """File tracing.overdue tasks for cases with a step past its 2 h / 4 h / 24 h deadline."""
    return services.check_overdue(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (check_overdue, 300),
]
