"""What community does when a lower app tells it something (core.events)."""

from cordon.command import events as command_events
from cordon.community import services


@command_events.RETENTION_DUE.subscribe
def retention_due(*, actor, days, dry_run, today) -> dict:
    """Pseudonymise (or count) returnees and compound passes past retention: {"returnees", "passes", "days", "dry_run"}."""
    return services.retention_run(actor=actor, days=days, dry_run=dry_run, today=today)
