"""Daily: move-in requests nobody decided within a week expire."""

from django.tasks import task

from cordon.core import access


@task
def moves_expire_job() -> int:
    from cordon.people import services

    return services.moves_expire(actor=access.system("scheduler"))
