"""Background jobs of the command module (Django tasks, database backend under `cordon serve`)."""

from django.tasks import task

from cordon.command import services


@task
def escalate_overdue() -> dict:
    """Escalate overdue tasks to the superior post and remind owners of tasks falling due."""
    return services.tasks_escalate_overdue()

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs).
PERIODIC = [
    (escalate_overdue, 900),
]
