"""What reports answers for the apps below it (core.events)."""

from cordon.checkpoints.models import Checkpoint
from cordon.command import events as command_events
from cordon.gatherings.models import Gathering
from cordon.quarantine.models import Site
from cordon.screening.models import Round
from cordon.screening.models import Site as TestingSite
from cordon.venues.models import ClosureOrder, Venue
from cordon.zones.models import Zone

# command.events.OBJECT_TYPES_ABOVE -> the model whose rows carry the region path
LOCATED = {"zone": Zone, "site": Site, "checkpoint": Checkpoint, "round": Round, "venue": Venue, "testing_site": TestingSite,
           "closure": ClosureOrder, "gathering": Gathering}


@command_events.OBJECT_REGION.answer
def object_region(*, object_type: str, object_id: int) -> str | None:
    """The region path of zone/site/checkpoint/round/venue `object_id`; None when there is no such object."""
    return LOCATED[object_type].objects.filter(pk=object_id).values_list("region_path", flat=True).first()
