"""Home-page tiles: the running round's coverage, tubes in transit, positive pools and open retests."""

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.screening import metrics, selectors
from cordon.screening.enums import RoundStatus


def tiles(actor) -> list[dict]:
    if not access.can(actor, "screening.view"):
        return []
    # the newest published round, else the newest round: one query, without the area's map boundary
    published_first = Case(When(status=RoundStatus.PUBLISHED, then=Value(0)), default=Value(1), output_field=IntegerField())
    rnd = selectors.round_list(actor=actor).defer("region__boundary").order_by(published_first, "-starts_at", "-id").first()
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
