"""Printed QR labels of mass testing: blank tube labels for a site, read by the sampler page's scanner."""

import secrets

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import access, qr
from cordon.core.errors import ServiceError
from cordon.screening import rules, selectors


@login_required
def tube_labels(request, pk: int):
    """Blank tube labels with QR codes for a site (?count=, one A4 sheet by default), for the site's samplers."""
    site = selectors.site_get(actor=request.user, pk=pk)
    if not (access.can(request.user, "screening.sample", site.region_path) or access.can(request.user, "screening.change", site.region_path)):
        raise PermissionDenied("screening.sample")

    def labels(_ids):
        raw = request.GET.get("count") or str(qr.SHEET_LABELS)
        if not raw.isdigit() or not 1 <= int(raw) <= qr.MAX_LABELS:
            raise ServiceError.field("count", _("a number from 1 to %(n)d") % {"n": qr.MAX_LABELS})
        pool = _("Single tube") if site.pool_size == 1 else f"{site.pool_size}-in-1"
        return [qr.Label(code=code, title=site.name, lines=(site.round.name, pool), caption=code)
                for code in rules.fresh_tube_codes(site_id=site.pk, count=int(raw), token=secrets.token_hex)]
    return qr.print_page(request, title=_("Tube labels") + " · " + site.name, labels=labels,
                         back=reverse("screening:sampler", args=[site.pk]),
                         note=_("Fresh barcodes: a tube opens when its first swab is registered on the sampler page."))
