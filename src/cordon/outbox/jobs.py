"""Background jobs of the outbox: deliver due messages every minute (the scheduler queues it, the worker runs it)."""

from django.tasks import task

from cordon.outbox import services


@task
def send_due_job() -> dict:
    """Deliver every message due now, within each channel's rate limit."""
    return services.send_due()

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (send_due_job, 60),
]
