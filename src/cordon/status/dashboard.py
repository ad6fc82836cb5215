from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.status import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "status.view"):
        return []
    c = selectors.colour_counts(actor=actor)
    return [{"title": _("Red codes"), "value": c.get("red", 0), "sub": _("%(n)d yellow") % {"n": c.get("yellow", 0)},
             "url": reverse("status:index"), "tone": "red" if c.get("red") else "green"}]
