"""Zones listen to confirmed cases: the case's residence and surroundings are proposed (or the zone it
lives in escalates / restarts its clock)."""

from cordon.cases import events as case_events
from cordon.zones import services


@case_events.CASE_CONFIRMED.subscribe
def propose_for_case(*, case, actor):
    services.zones_propose_for_case(case=case, actor=actor)
