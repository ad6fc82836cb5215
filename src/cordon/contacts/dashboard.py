from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.contacts import selectors
from cordon.core import access


def tiles(actor) -> list[dict]:
    if not access.can(actor, "contacts.view"):
        return []
    c = selectors.counts(actor=actor)["status"]
    return [{"title": _("Contacts to review"), "value": c.get("proposed", 0), "url": reverse("contacts:index") + "?status=proposed",
             "tone": "yellow" if c.get("proposed") else "green"},
            {"title": _("Under measures"), "value": c.get("under_measures", 0), "url": reverse("contacts:index") + "?status=under_measures"}]
