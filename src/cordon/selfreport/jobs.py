"""Background jobs of self-reporting: enrolment follows the home measures, the morning and second reminders, and
the missed-report tasks after the cut-off (each idempotent, so a frequent run is safe)."""

from django.tasks import task

from cordon.core import access
from cordon.selfreport import services


@task
def selfreport_enrol_job() -> dict:
    """Enrol people who came under home measures, end the enrolments whose measures ended."""
    return services.enrolments_sync(actor=access.system("scheduler"))


@task
def selfreport_remind_job() -> dict:
    """Send the day's link (morning) and the reminder before the cut-off to those who have not reported."""
    return services.reminders_send(actor=access.system("scheduler"))


@task
def selfreport_misses_job() -> dict:
    """After the cut-off, a task for the grid worker of each person who has not reported today."""
    return services.misses_file(actor=access.system("scheduler"))


# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (selfreport_enrol_job, 3600),
    (selfreport_remind_job, 900),
    (selfreport_misses_job, 900),
]
