"""Import a snapshot of the national risk-area list as external risk areas (zones.national reads the document).

A newer snapshot replaces the older: the communities it no longer lists end (listed_until = its update time, kept as
history), new ones begin, the rest stay as they were. Importing the same snapshot again changes nothing; an older
snapshot than the one in force is refused. Only the city command imports (permission zones.national).
"""

import json
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, bulk, clock
from cordon.core.errors import Conflict, ServiceError
from cordon.zones import national
from cordon.zones.models import ExternalArea, NationalList

MAX_BYTES = 20 * 1024 * 1024  # the largest real snapshots (November 2022, ~45,000 communities) are about 3 MB


def read_json(data: bytes) -> dict:
    """The document in an uploaded file (UTF-8, with or without a byte-order mark)."""
    if not data:
        raise ServiceError.field("file", _("the file is empty"))
    if len(data) > MAX_BYTES:
        raise ServiceError.field("file", _("the file is larger than %(n)d MB") % {"n": MAX_BYTES // (1024 * 1024)})
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError.field("file", _("not a JSON document (%(error)s)") % {"error": exc}) from None


def _report(parsed: national.Parsed, *, added=0, removed=0, unchanged=0, changed=False, source="") -> dict:
    return {"end_update_time": national.format_time(parsed.updated_at), **parsed.listed,
            "declared": parsed.declared, "added": added, "removed": removed, "unchanged": unchanged,
            "changed": changed, "source": source}


# long: validate, compare with the areas in force, then end, add and record in one transaction
def national_import(*, actor, doc=None, data: bytes | None = None, source: str = "") -> dict:
    """Import one snapshot of the national list (a parsed document, or the bytes of its JSON file); idempotent. Returns
    the communities the file lists per level (high, middle, low), what it states (declared), and what was added,
    removed (ended) and left unchanged."""
    access.require(actor, "zones.national")
    if doc is None:
        doc = read_json(data or b"")
    parsed = national.parse_document(doc)
    source = (source or "")[:200]
    latest = NationalList.objects.order_by("-updated_at", "-id").first()
    if latest is not None and parsed.updated_at < latest.updated_at:
        message = _("this list (%(this)s) is older than the one in force (%(latest)s); only a newer list replaces it") % {
            "this": national.format_time(parsed.updated_at), "latest": national.format_time(latest.updated_at)}
        raise Conflict(message, fields=[{"field": "data.end_update_time", "message": message}])
    current = {(a["level"], a["province"], a["city"], a["county"], a["community"]): a["id"]
               for a in ExternalArea.objects.filter(listed_until__isnull=True).values("id", "level", "province", "city", "county", "community")}
    wanted = {a.key: a for a in parsed.areas}
    added = [wanted[k] for k in wanted.keys() - current.keys()]
    removed = [current[k] for k in current.keys() - wanted.keys()]
    unchanged = len(wanted.keys() & current.keys())
    if latest is not None and not added and not removed and parsed.updated_at == latest.updated_at:
        return _report(parsed, unchanged=unchanged, source=source)
    with transaction.atomic():
        snapshot = NationalList.objects.create(
            updated_at=parsed.updated_at, batch=secrets.token_hex(16), imported_at=clock.now(),
            imported_by=access.user_or_none(actor), source=source, listed=parsed.listed, declared=parsed.declared,
            added=len(added), removed=len(removed), unchanged=unchanged)
        for i in range(0, len(removed), 5000):
            ExternalArea.objects.filter(pk__in=removed[i:i + 5000]).update(listed_until=parsed.updated_at, ended_by=snapshot)
        bulk.insert_rows(ExternalArea, [
            {"level": a.level, "province": a.province, "city": a.city, "county": a.county, "community": a.community,
             "listed_from": parsed.updated_at, "listed_until": None, "first_list_id": snapshot.pk, "ended_by_id": None}
            for a in sorted(added, key=lambda a: a.key)])
        audit.record(actor, "zones.national_import", snapshot, changes={
            "end_update_time": national.format_time(parsed.updated_at), "listed": parsed.listed, "added": len(added),
            "removed": len(removed), "unchanged": unchanged, "source": source})
    return _report(parsed, added=len(added), removed=len(removed), unchanged=unchanged, changed=True, source=source)
