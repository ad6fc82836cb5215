"""Writes for zones, by sub-domain; callers use `from cordon.zones import services`.

- designation: designate by picked units or a polygon (or the rest of a district), assign workers.
- lifecycle: confirm, cancel, evaluate against the lifting criteria, lift (or lower), escalate or restart on a
  new positive.
- proposals: propose zones on a confirmed case (zones.receivers subscribes to cases.events.CASE_CONFIRMED).
- national: import a snapshot of the national risk-area list as external risk areas (newer replaces older, with history).
- common: the rule set of a zone, area checks, the ZoneEvent record, counts and residents' status reason.

Every change is audited and kept as a ZoneEvent. Lifting re-checks every criterion of the zone's
rule set and refuses naming each one that does not hold.
"""

from cordon.zones.services.common import SYSTEM, zone_rules
from cordon.zones.services.designation import REGION_PICKS, zone_assign_worker, zone_designate
from cordon.zones.services.lifecycle import (
    criteria,
    zone_cancel,
    zone_confirm,
    zone_evaluate,
    zone_lift,
    zone_positive_found,
    zones_refresh,
)
from cordon.zones.services.national import national_import
from cordon.zones.services.proposals import zones_propose_for_case

__all__ = [
    "REGION_PICKS", "SYSTEM", "criteria", "national_import", "zone_assign_worker", "zone_cancel", "zone_confirm", "zone_designate",
    "zone_evaluate", "zone_lift", "zone_positive_found", "zone_rules", "zones_propose_for_case", "zones_refresh",
]
