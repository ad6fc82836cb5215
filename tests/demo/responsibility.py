"""Counts, on a built demo, the objects with no named responsible person now (command.services.roster.responsible_for):
open tasks without an owner, and zones, quarantine sites, checkpoints, testing sites and rounds, grids, venue closures,
gathering decisions and dispatch loans for which the roster names nobody."""

from cordon.checkpoints.models import Checkpoint
from cordon.command.models import DispatchMatch, Task
from cordon.command.services import roster
from cordon.gatherings.models import Gathering
from cordon.quarantine.models import Site
from cordon.regions.models import Level, Region
from cordon.screening.models import Round
from cordon.screening.models import Site as TestingSite
from cordon.venues.models import ClosureOrder
from cordon.zones.models import Zone

OBJECTS = {"zone": Zone, "site": Site, "checkpoint": Checkpoint, "round": Round, "testing_site": TestingSite,
           "closure": ClosureOrder, "gathering": Gathering, "loan": DispatchMatch}


def without_responsible() -> dict:
    """{kind: (total, without a named responsible person)} on the current database."""
    out = {"open_task": (Task.objects.filter(status__in=["open", "in_progress"]).count(),
                         Task.objects.filter(status__in=["open", "in_progress"], owner__isnull=True).count())}
    for kind, model in OBJECTS.items():
        rows = list(model.objects.values_list("pk", "region_path"))
        out[kind] = (len(rows), sum(1 for pk, path in rows
                                    if roster.responsible_for(object_type=kind, object_id=pk, region_path=path).person is None))
    grids = list(Region.objects.filter(level=Level.GRID).values_list("path", flat=True))
    out["grid"] = (len(grids), sum(1 for p in grids if roster.responsible_for(object_type="region", region_path=p).person is None))
    return out
