"""Daily: move-in requests nobody decided within a week expire."""

from django.tasks import task

from cordon.core import access
from cordon.people import services


@task
def moves_expire_job() -> int:
    return services.moves_expire(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (moves_expire_job, 24 * 3600),
]
