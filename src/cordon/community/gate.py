"""The compound gate's offline queue: passages logged on a phone while the network was down, uploaded in one batch.

Each row is what the door worker logged: a pass (its code, or a scanned pass label) or a resident (the person token
read from their health code), the direction and the time it happened. Rows go through services.passage_record (the
same checks, the same audit entry each); a refused row stops the whole batch with its row number, nothing written,
so the phone can show the refusal, drop that row and send the rest again. The API wraps this in an Idempotency-Key,
so a batch sent twice (a lost answer, a resend) is stored once."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.community import services
from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.people.models import Person

MAX_ITEMS = 500
PAST = dt.timedelta(days=3)
FUTURE = dt.timedelta(minutes=10)


def _when(value, row: int) -> dt.datetime:
    if value is None:
        return clock.now()
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.zone())
    now = clock.now()
    if not (now - PAST <= value <= now + FUTURE):
        raise ServiceError.field("at", _("must be within the last 3 days"), row=row)
    return value


def _person_id(token: str, row: int) -> int | None:
    if not token:
        return None
    pk = Person.objects.filter(token=token[:32]).values_list("pk", flat=True).first()
    if pk is None:
        raise ServiceError.field("person_token", _("no resident with this code"), row=row)
    return pk


def _row(actor, item: dict, row: int):
    return services.passage_record(
        actor=actor, community_id=item["community_id"], compound=item["compound"], direction=item["direction"],
        pass_code=(item.get("pass_code") or "").strip(), person_id=_person_id((item.get("person_token") or "").strip(), row),
        purpose=item.get("purpose") or "", at=_when(item.get("at"), row))


def passages_bulk(*, actor, items: list[dict]) -> dict:
    """Log a phone's queued passages in one transaction; a refused row names its row and nothing is written."""
    if len(items) > MAX_ITEMS:
        raise ServiceError.field("items", _("at most %(n)d rows in one batch") % {"n": MAX_ITEMS})
    with transaction.atomic():
        logs = []
        for row, item in enumerate(items, start=1):
            try:
                logs.append(_row(actor, item, row))
            except ServiceError as exc:
                if any("row" in f for f in exc.fields or []):
                    raise
                fields = [{**f, "row": row} for f in (exc.fields or [{"field": "items", "message": exc.message}])]
                text = _("row %(row)s, %(field)s: %(message)s") % {"row": row, "field": fields[0]["field"], "message": fields[0]["message"]}
                raise type(exc)(text, code=exc.code, fields=fields, status=exc.status) from exc
    return {"received": len(items), "stored": len(logs), "ids": [log.pk for log in logs]}
