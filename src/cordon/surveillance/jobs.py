"""Background jobs: daily detection and Rt/forecast refresh (run by the database task worker)."""

from django.tasks import task

from cordon.core import access


@task
def detect_all():
    from cordon.surveillance import services

    return services.detect(actor=access.system("scheduler"))


@task
def rt_refresh_all():
    from cordon.surveillance import services

    return services.rt_refresh(actor=access.system("scheduler"))
