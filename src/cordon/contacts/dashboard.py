from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.contacts.models import RiskPerson
from cordon.core import access


def tiles(actor) -> list[dict]:
    if not access.can(actor, "contacts.view"):
        return []
    # selectors.counts()["status"] without the per-category count the tile does not show
    c = dict(RiskPerson.objects.visible_to(actor, "view").values("status").annotate(n=Count("id")).values_list("status", "n"))
    return [{"title": _("Contacts to review"), "value": c.get("proposed", 0), "url": reverse("contacts:index") + "?status=proposed",
             "tone": "yellow" if c.get("proposed") else "green"},
            {"title": _("Under measures"), "value": c.get("under_measures", 0), "url": reverse("contacts:index") + "?status=under_measures"}]
