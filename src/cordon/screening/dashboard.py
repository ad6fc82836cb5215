"""Home-page tiles: the running round's coverage, tubes in transit, positive pools and open retests."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.screening import metrics, selectors
from cordon.screening.enums import RoundStatus


def tiles(actor) -> list[dict]:
    if not access.can(actor, "screening.view"):
        return []
    rnd = selectors.round_list(actor=actor, filters={"status": RoundStatus.PUBLISHED}).first() or selectors.round_list(actor=actor).first()
    if rnd is None:
        return []
    totals = metrics.totals(rnd, actor=actor)
    tubes = metrics.tube_pipeline(rnd, actor=actor)
    pos = metrics.positives(rnd, actor=actor)
    url = reverse("screening:coverage") + f"?round={rnd.pk}"
    return [
        {"title": _("Testing coverage"), "value": f"{totals['coverage']}%", "sub": f"{rnd.name}: {totals['sampled']:,}/{totals['roster']:,}",
         "url": url, "tone": "green" if totals["coverage"] >= 95 else "yellow"},
        {"title": _("Tubes in transit / at labs"), "value": f"{tubes['in_transit']:,} / {tubes['at_lab']:,}",
         "url": reverse("screening:results") + f"?round={rnd.pk}"},
        {"title": _("Positive pools"), "value": pos["positive_pools"], "sub": _("%(n)d retests open") % {"n": pos["retest_pending"] + pos["retest_sampled"]},
         "url": reverse("screening:results") + f"?round={rnd.pk}&tab=retests", "tone": "red" if pos["positive_pools"] else "green"},
    ]
