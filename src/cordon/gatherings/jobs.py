"""Background jobs for gatherings: re-check approved events against the current risk levels."""

from django.tasks import task

from cordon.core import access
from cordon.gatherings import services


@task
def gatherings_recheck_job() -> dict:
    return services.gatherings_recheck(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (gatherings_recheck_job, 1800),
]
