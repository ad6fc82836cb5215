"""Printed venue codes (场所码): each venue's QR code holds its code, as an A4 label sheet or single posters."""

from django.utils.translation import gettext_lazy as _

from cordon.core import qr
from cordon.venues import selectors


def venue_label(v) -> qr.Label:
    return qr.Label(code=v.code, title=v.name, lines=(v.get_kind_display(), v.address), caption=v.code)


# Venue codes with their QR codes for the venues listed (the register's filters) or ?ids=.
venues_print = qr.print_view(
    perm="venues.view", get=selectors.venue_get, label=venue_label, back="venues:index",
    listed=lambda actor, filters: selectors.venue_list(actor=actor, filters=filters),
    title=_("Venue codes"), note=_("Post the code at the entrance: visitors scan it to check in."))
