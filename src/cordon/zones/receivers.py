"""Zones listen to confirmed cases: the case's residence and surroundings are proposed (or the zone it
lives in escalates / restarts its clock)."""

from django.dispatch import receiver

from cordon.cases.signals import case_confirmed


@receiver(case_confirmed, dispatch_uid="zones.propose_for_case")
def _on_case_confirmed(sender, case, actor, **kwargs):
    from cordon.zones import services

    services.zones_propose_for_case(case=case, actor=actor)
