"""Background job for health status: colours whose reasons have ended go back (an arrival's period is over)."""

from django.tasks import task

from cordon.status import services


@task
def expire_reasons() -> dict:
    """Recompute the people whose active reasons ended since the last run."""
    return services.reasons_expire()

# Run by the scheduler (cordon.core.schedule): (task, seconds between runs). A minute: the colour of a returnee whose
# period ended is green at the gate within a minute, not at the next unrelated change.
PERIODIC = [
    (expire_reasons, 60),
]
