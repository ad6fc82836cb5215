"""A printed health-code card for a resident who cannot show one on a phone (the elderly, children): the signed
credential (CD1...) as a QR code, verified offline at checkpoints and gates like the phone's. It is short-lived by
design (status.credential_ttl_minutes): the card says until when it is valid. Printing is audited."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _

from cordon.core import audit, clock, pii, qr
from cordon.people.models import Person
from cordon.status import credentials, selectors

COLOUR_WORDS = {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}


@login_required
def credential_card(request, person_id: int):
    """The person's current health code as a card (or a label), masked name, colour and the time it expires."""
    selectors.status_of(actor=request.user, person_id=person_id)  # 404 outside the area, 403 without status.view
    person = Person.objects.visible_to(request.user, "view").get(pk=person_id)

    def labels(_ids):
        issued = credentials.credential_issue(token=person.token)
        audit.record(request.user, "status.credential_print", person, changes={"colour": issued["colour"]})
        until = clock.local(issued["expires_at"])
        return [qr.Label(code=issued["code"], title=pii.mask_name(person.name),
                         lines=(str(COLOUR_WORDS.get(issued["colour"], issued["colour"])),
                                _("Valid until %(time)s") % {"time": f"{until:%Y-%m-%d %H:%M}"}))]
    return qr.print_page(request, title=_("Health code card"), labels=labels,
                         back=reverse("status:person", args=[person_id]),
                         note=_("A health code is valid for a few minutes only: print it when it is needed."))
