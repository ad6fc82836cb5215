"""Daily retention: pseudonymise the personal data of returnees and compound passes past their retention period."""

from django.tasks import task

from cordon.community import services
from cordon.core import access


@task
def retention_job() -> dict:
    return services.retention_run(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (retention_job, 24 * 3600),
]
