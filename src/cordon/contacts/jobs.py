"""Background job for contacts: the daily advance of measure plans."""

from django.tasks import task

from cordon.contacts import services
from cordon.core import access


@task
def advance_measures() -> dict:
    """Move measure plans on by the calendar and release people whose criteria are met."""
    return services.measures_advance(actor=access.system("scheduler"))

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (advance_measures, 900),
]
