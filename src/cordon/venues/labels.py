"""Printed venue codes (场所码): each venue's QR code holds its code, as an A4 label sheet or single posters."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access, qr
from cordon.venues import selectors


@login_required
def venues_print(request):
    """Venue codes with their QR codes for the venues listed (the register's filters) or ?ids=."""
    access.require(request.user, "venues.view")

    def labels(ids):
        rows = qr.chosen_or_listed(ids, get=lambda i: selectors.venue_get(actor=request.user, pk=i),
                                   listed=lambda: selectors.venue_list(actor=request.user, filters=request.GET))
        return [qr.Label(code=v.code, title=v.name, lines=(v.get_kind_display(), v.address), caption=v.code) for v in rows]
    return qr.print_page(request, title=_("Venue codes"), labels=labels, back=reverse("venues:index"),
                         note=_("Post the code at the entrance: visitors scan it to check in."))
