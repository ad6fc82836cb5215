"""Background jobs for mass testing. Negative results reach the health-status module in chunks
after the lab import commits, so a city-wide result file is acknowledged in seconds and the status
writes (which touch one row per person) never hold the import's transaction open."""

from django.tasks import task
from django.utils.dateparse import parse_datetime

from cordon.screening.models import Sample
from cordon.status import services as status_services

STATUS_TUBES = 2000  # negative tubes per job: up to 20,000 samples of 10-in-1 tubes


@task
def negative_tubes_to_status(tube_ids: list[int]) -> int:
    """Record the samples of negative tubes on people's health status (each person's latest swab counts)."""
    samples = Sample.objects.filter(tube_id__in=tube_ids).values_list("person_id", "sampled_at")
    return status_services.status_bulk_negatives(items=list(samples))


@task
def negatives_to_status(items: list[list]) -> int:
    """Record negative samples [(person_id, sampled_at ISO)] on people's health status (the jobs of lab imports queued
    before negative_tubes_to_status, which passes tube ids instead)."""
    return status_services.status_bulk_negatives(items=[(int(pid), parse_datetime(at)) for pid, at in items])
