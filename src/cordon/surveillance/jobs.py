"""Background jobs: daily detection (run by the database task worker).

The Rt and forecast refresh is scheduled by quarantine (`quarantine.jobs.forecast_refresh_job`): the
forecast's room bound needs the people in quarantine sites, which quarantine counts and passes in."""

from django.tasks import task

from cordon.core import access
from cordon.surveillance import services


@task
def detect_all():
    return services.detect(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (detect_all, 24 * 3600),
]
