"""Printed QR labels of a quarantine site: one per room door (CQR.<site id>.<room number>), read by the site page's
scanner, which opens the room's row (and its stay) in the corridor."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import qr
from cordon.quarantine import selectors


def room_code(room) -> str:
    """What a room's QR code holds."""
    return f"CQR.{room.site_id}.{room.number}"


@login_required
def rooms_print(request, pk: int):
    """The rooms of a site with their QR codes, as an A4 label sheet or single door cards (all rooms or ?ids=)."""
    site = selectors.site_get(actor=request.user, pk=pk)

    def labels(ids):
        rooms = selectors.room_list(actor=request.user, site=site)
        if ids:
            rooms = rooms.filter(pk__in=ids)
        return [qr.Label(code=room_code(r), title=f"{site.name} {r.number}",
                         lines=(_("Floor %(floor)s") % {"floor": r.floor}, r.get_kind_display()), caption=r.number)
                for r in rooms[:qr.MAX_LABELS]]
    return qr.print_page(request, title=_("Room codes") + " · " + site.name, labels=labels,
                         back=reverse("quarantine:site", args=[site.pk]),
                         note=_("Stick each code on its room's door; scan it on the site page to open the room."))
