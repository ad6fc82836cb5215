from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.community import selectors
from cordon.core import access


def tiles(actor) -> list[dict]:
    if not access.can(actor, "community.view"):
        return []
    rows = selectors.progress(actor=actor)
    hh = sum(r["households"] for r in rows)
    visited = sum(r["visited"] for r in rows)
    return [{"title": _("Door checks today"), "value": f"{visited}/{hh}",
             "sub": _("%(n)d with symptoms") % {"n": sum(r["symptoms"] for r in rows)}, "url": reverse("community:index"),
             "tone": "green" if hh and visited >= hh else "yellow"}]
