"""Daily tick: re-evaluate every zone in force (countdown, eligibility)."""

from django.tasks import task

from cordon.core import access


@task
def zones_refresh_job():
    from cordon.zones import services

    return services.zones_refresh(actor=access.system("scheduler"))
