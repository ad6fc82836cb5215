"""Writes for centralized quarantine, by sub-domain; `from cordon.quarantine import services` sees them all.

- common: the system actor, visibility, rule lookups, parsing of cells
- sites: sites and rooms
- queue: the placement queue (requests filed, one or a batch, and withdrawn)
- placement: room proposals for the queue
- stays: stays (check-in, home measures, release, hospital) and transfers
- monitoring: readings, missed-monitoring alerts, scheduled tests and their results
- forecast: the Rt/forecast refresh with the people in sites
"""

from cordon.quarantine.services.common import SYSTEM
from cordon.quarantine.services.forecast import forecast_refresh
from cordon.quarantine.services.monitoring import (
    TEST_ALIASES,
    monitoring_sweep,
    neighbour_stays,
    reading_record,
    reading_record_self,
    test_result_record,
    test_results_import,
)
from cordon.quarantine.services.placement import (
    proposal_build,
    proposal_confirm,
    proposal_discard,
)
from cordon.quarantine.services.sites import (
    ROOM_ALIASES,
    SITE_FIELDS,
    room_set_status,
    rooms_add,
    rooms_generate,
    rooms_import,
    site_create,
    site_readiness,
    site_set_status,
    site_update,
)
from cordon.quarantine.services.stays import (
    home_stay_start,
    stay_check_in,
    stay_release,
    stay_to_hospital,
    transfer_advance,
    transfer_update,
)

__all__ = [
    "ROOM_ALIASES", "SITE_FIELDS", "SYSTEM", "TEST_ALIASES",
    "forecast_refresh", "home_stay_start", "monitoring_sweep", "neighbour_stays", "proposal_build", "proposal_confirm", "proposal_discard", "reading_record",
    "reading_record_self", "room_set_status", "rooms_add", "rooms_generate", "rooms_import", "site_create",
    "site_readiness", "site_set_status", "site_update", "stay_check_in", "stay_release", "stay_to_hospital",
    "test_result_record", "test_results_import", "transfer_advance", "transfer_update",
]

# transfers: a transfer cancelled by hand, with a reason
from cordon.quarantine.services.transfers import transfer_cancel  # noqa: E402

__all__ += ["transfer_cancel"]

# stays: many arrivals checked in at once (the twin's placement runs)
from cordon.quarantine.services.stays import stays_check_in_many  # noqa: E402

__all__ += ["stays_check_in_many"]

# the placement queue: requests filed one at a time or as a batch (a tracer confirming a case's contacts)
from cordon.quarantine.services.queue import (  # noqa: E402
    placement_cancel,
    placement_cancel_many,
    placement_enqueue,
    placement_enqueue_many,
)

__all__ += ["placement_cancel", "placement_cancel_many", "placement_enqueue", "placement_enqueue_many"]

# stays: the day's releases in one batch (a refused stay is reported, not raised)
from cordon.quarantine.services.stays import stays_release_many  # noqa: E402

__all__ += ["stays_release_many"]
