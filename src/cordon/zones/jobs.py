"""Daily tick: re-evaluate every zone in force (countdown, eligibility)."""

from django.tasks import task

from cordon.core import access
from cordon.zones import services


@task
def zones_refresh_job():
    return services.zones_refresh(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (zones_refresh_job, 3600),
]
