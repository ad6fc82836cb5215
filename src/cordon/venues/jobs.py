"""Background jobs for venues: apply closure orders' scheduled starts and expiries."""

from django.tasks import task


@task
def closures_sync_job() -> dict:
    from cordon.venues import services

    return services.closures_sync()
