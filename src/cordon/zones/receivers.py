"""Zones listen to confirmed cases: the case's residence and surroundings are proposed (or the zone it
lives in escalates / restarts its clock). Zones answer screening's question of the risk level over a place."""

from cordon.cases import events as case_events
from cordon.screening import events as screening_events
from cordon.zones import selectors, services


@case_events.CASE_CONFIRMED.subscribe
def propose_for_case(*, case, actor):
    services.zones_propose_for_case(case=case, actor=actor)


@screening_events.ZONE_LEVEL.answer
def zone_level(*, region_path, on):
    return selectors.risk_level_for_path(region_path=region_path, on=on)
