"""Background jobs for mass testing. Negative results reach the health-status module in chunks
after the lab import commits, so a city-wide result file is acknowledged in seconds and the status
writes (which touch one row per person) never hold the import's transaction open."""

from django.tasks import task
from django.utils.dateparse import parse_datetime

from cordon.status import services as status_services

STATUS_CHUNK = 5000


@task
def negatives_to_status(items: list[list]) -> int:
    """Record negative samples [(person_id, sampled_at ISO)] on people's health status."""
    return status_services.status_bulk_negatives(items=[(int(pid), parse_datetime(at)) for pid, at in items])
