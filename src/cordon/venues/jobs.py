"""Background jobs for venues: apply closure orders' scheduled starts and expiries."""

from django.tasks import task

from cordon.venues import services


@task
def closures_sync_job() -> dict:
    return services.closures_sync()

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (closures_sync_job, 300),
]
