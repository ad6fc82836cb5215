"""Home-page tile: skills short of their need."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.workforce import selectors


def tiles(actor) -> list[dict]:
    if not access.can(actor, "workforce.view"):
        return []
    levels = selectors.reserve_levels(actor=actor)
    short = [r for r in levels if r["short"]]
    return [{"title": _("Personnel deployed now"), "value": sum(r["deployed"] for r in levels),
             "sub": _("short: %(skills)s") % {"skills": ", ".join(r["label"] for r in short)} if short else _("every need covered"),
             "url": reverse("workforce:index"), "tone": "red" if short else "green"}]
