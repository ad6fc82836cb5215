"""A transfer cancelled by hand (the person went by other means, the order was a mistake): only one not yet on the road
with its passenger (planned or dispatched, per TRANSFER_LIFECYCLE), with a reason, audited."""

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit
from cordon.core.errors import ServiceError
from cordon.quarantine.enums import TRANSFER_LIFECYCLE, TransferStatus
from cordon.quarantine.models import Transfer

REASON_MAX = 200


def transfer_cancel(*, actor, transfer: Transfer, reason: str) -> Transfer:
    """Cancel a planned or dispatched transfer; a reason is required and recorded in the audit trail. A transfer that
    picked its passenger up, arrived or was cancelled already is refused (409, code transition)."""
    access.require(actor, "quarantine.change", transfer.region_path)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError.field("reason", _("is required"))
    if len(reason) > REASON_MAX:
        raise ServiceError.field("reason", _("at most %(n)d characters") % {"n": REASON_MAX})
    TRANSFER_LIFECYCLE.step(transfer.status, TransferStatus.CANCELLED)
    with transaction.atomic():
        old = transfer.status
        # only from a status the lifecycle allows now: a copy read before another hand moved it cancels nothing
        moved = (Transfer.objects.filter(pk=transfer.pk, status__in=TRANSFER_LIFECYCLE.sources(TransferStatus.CANCELLED))
                 .update(status=TransferStatus.CANCELLED))
        transfer.refresh_from_db()
        if not moved:
            TRANSFER_LIFECYCLE.step(transfer.status, TransferStatus.CANCELLED)
        audit.record(actor, "transfer.cancel", transfer, changes={"from": old, "to": TransferStatus.CANCELLED,
                                                                  "reason": reason})
    return transfer
