"""Background jobs for tracing: the SLA check that files overdue tasks, and the daily advance of measure plans."""

from django.tasks import task

from cordon.core import access


@task
def check_overdue() -> int:
    """File tracing.overdue tasks for cases with a step past its 2 h / 4 h / 24 h deadline."""
    from cordon.cases import services

    return services.check_overdue(actor=access.system("scheduler"))


@task
def advance_measures() -> dict:
    """Move measure plans on by the calendar and release people whose criteria are met."""
    from cordon.contacts import services

    return services.measures_advance(actor=access.system("scheduler"))
