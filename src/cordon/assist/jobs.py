"""Background jobs for assistance requests: mark overdue requests, deliver messages to partners' endpoints."""

from django.tasks import task

from cordon.assist import exchange, services


@task
def assist_overdue_job() -> int:
    return services.requests_mark_overdue()


@task
def assist_deliver_job() -> dict:
    return exchange.messages_deliver()


# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (assist_overdue_job, 600),
    (assist_deliver_job, 120),
]
