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


def _card(actor, person_id: int) -> qr.Label:
    """One person's current health code (404 outside the actor's area, 403 without status.view), audited."""
    selectors.status_of(actor=actor, person_id=person_id)
    person = Person.objects.visible_to(actor, "view").get(pk=person_id)
    issued = credentials.credential_issue(token=person.token)
    audit.record(actor, "status.credential_print", person, changes={"colour": issued["colour"]})
    until = clock.local(issued["expires_at"])
    return qr.Label(code=issued["code"], title=pii.mask_name(person.name),
                    lines=(str(COLOUR_WORDS.get(issued["colour"], issued["colour"])),
                           _("Valid until %(time)s") % {"time": f"{until:%Y-%m-%d %H:%M}"}))


NOTE = _("A health code is valid for a few minutes only: print it when it is needed.")


@login_required
def credential_card(request, person_id: int):
    """The person's current health code as a card (or a label), masked name, colour and the time it expires."""
    selectors.status_of(actor=request.user, person_id=person_id)  # before anything is printed
    return qr.print_page(request, title=_("Health code card"), labels=lambda _ids: [_card(request.user, person_id)],
                         back=reverse("status:person", args=[person_id]), note=NOTE)


@login_required
def credential_cards(request):
    """Health codes of several residents (?ids= of people, e.g. a care home's list) on an A4 label sheet or as cards."""
    def labels(ids):
        for i in ids:  # every one inside the area before anything is issued or audited
            selectors.status_of(actor=request.user, person_id=i)
        return [_card(request.user, i) for i in ids]
    return qr.print_page(request, title=_("Health code cards"), labels=labels, back=reverse("status:index"), note=NOTE)
