"""Background jobs of the quarantine app."""

from django.tasks import task


@task
def monitoring_sweep_job():
    """File alerts for people in quarantine whose monitoring is overdue."""
    from cordon.quarantine import services

    return services.monitoring_sweep()
