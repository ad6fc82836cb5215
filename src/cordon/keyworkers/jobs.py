"""Background jobs for key workers: read residents' mass-testing results, then suspend passes of holders whose test
is overdue or positive (and reinstate those tested since)."""

from django.tasks import task

from cordon.core import access
from cordon.keyworkers import services


@task
def keyworkers_refresh_job() -> dict:
    who = access.system("scheduler")
    read = services.tests_from_screening(actor=who)
    return {**read, **services.passes_refresh(actor=who)}

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (keyworkers_refresh_job, 900),
]
