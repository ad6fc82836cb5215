"""Background jobs of the quarantine app."""

from django.tasks import task

from cordon.core import access
from cordon.quarantine import services


@task
def monitoring_sweep_job():
    """File alerts for people in quarantine whose monitoring is overdue."""
    return services.monitoring_sweep()


@task
def forecast_refresh_job():
    """Recompute Rt and the forecasts per district, the rooms bounded by the people already in a site."""
    return services.forecast_refresh(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (monitoring_sweep_job, 900),
    (forecast_refresh_job, 6 * 3600),  # Rt and forecasts, rooms bounded by people in sites
]
