"""A synthetic city of a given size for benchmarks, generated once per bench database."""

import fcntl
import os
from pathlib import Path

from django.conf import settings

from cordon.people.models import Person
from cordon.regions.models import Region
from cordon.sim import citygen
from cordon.venues.models import VenueUnit


def ensure_city(*, people: int, seed: int = 1, progress: bool = True) -> dict:
    """Make sure the current database holds a generated city of `people` residents; generate it if not."""
    lock_path = Path(settings.VAR_DIR) / f"bench-city-{os.getpid() if settings.DATABASES['default']['NAME'] == ':memory:' else 'lock'}"
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        root = Region.objects.filter(parent__isnull=True).first()
        # A city from before sub-venue units (no VenueUnit rows) is regenerated: tracing needs them.
        if (root is not None and root.population == people and Person.objects.count() == people
                and VenueUnit.objects.exists()):
            return {"generated": False, "people": people}
        stats = citygen.generate_city(people=people, seed=seed, progress=progress, replace=root is not None)
        return {"generated": True, "people": stats.people, "seconds": stats.seconds}
