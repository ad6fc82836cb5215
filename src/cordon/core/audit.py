"""Append-only, hash-chained audit log.

Each entry's hash covers its fields and the previous entry's hash; AuditHead keeps the newest
id and hash so deleting the tail is caught too. Writers serialise on the head row (SELECT ... FOR
UPDATE on PostgreSQL; SQLite transactions are already serial). Bulk writes record one entry per
batch with counts, not one per row.

The hash covers a canonical form of the entry: the time as UTC text with microseconds, JSON with
sorted keys and fixed separators, whatever timezone or dict order the caller used.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import clock
from cordon.core.middleware import current_request_id
from cordon.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, *, pk, at, actor_id, actor_label, action, object_type, object_id,
               region_path, changes, request_id) -> str:
    # The instant is hashed in one canonical form (UTC, microseconds): the caller's clock may hand over
    # +08:00 (the simulator) or UTC, and the database gives back UTC, so hashing `at` as given broke the chain.
    payload = _canonical([prev_hash, pk, clock.utc_iso(at), actor_id, actor_label, action, object_type,
                          str(object_id), region_path, changes, request_id])
    return hashlib.sha256(payload.encode()).hexdigest()


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None:  # every entry names who acted: a user, or the part of the platform (access.system)
        raise ValueError(_("audit.record needs an actor; the platform acts as access.system(<name>)"))
    if not getattr(actor, "is_authenticated", False):
        return None, getattr(actor, "audit_label", "anonymous")
    return actor.pk, actor.get_username()


OBJECT_ID_MAX = 64  # AuditEntry.object_id


def _fit_id(object_id: str) -> str:
    """A list of ids ("12,13,14,...") cut at a comma to fit the column (the full list stays in `changes`)."""
    if len(object_id) <= OBJECT_ID_MAX:
        return object_id
    cut = object_id[:OBJECT_ID_MAX - 1]
    return (cut.rsplit(",", 1)[0] if "," in cut else cut) + "…"


def batch_path(paths) -> str:
    """The region_path of a batch's entry: the deepest region path above (or at) every row's ("" when none)."""
    parts = [p.split(".") for p in paths if p]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return ".".join(common)


def record(actor, action: str, obj=None, *, object_type: str = "", object_id="", region_path: str = "",
           changes: dict | None = None) -> AuditEntry:
    """Append one audit entry inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        region_path = region_path or getattr(obj, "region_path", "")
    actor_id, actor_label = _actor_fields(actor)
    object_id = _fit_id(str(object_id or ""))
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AuditHead.objects.get_or_create(pk=1)
        at = clock.now()
        fields = dict(at=at, actor_id=actor_id, actor_label=actor_label, action=action,
                      object_type=object_type, object_id=object_id, region_path=region_path or "",
                      changes=json.loads(_canonical(changes or {})), request_id=current_request_id() or "")
        entry = AuditEntry.objects.create(prev_hash=head.last_hash, hash="", **fields)
        entry.hash = entry_hash(head.last_hash, pk=entry.pk, **fields)
        AuditEntry.objects.filter(pk=entry.pk).update(hash=entry.hash)
        AuditHead.objects.filter(pk=1).update(last_id=entry.pk, last_hash=entry.hash)
    return entry


def update(actor, obj, action: str, *, changes: dict | None = None, **values):
    """Set `values` on `obj` and save only those fields, with the audit entry `action` (and its `changes`), in one
    transaction; returns `obj`. The caller has checked the permission."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(values))
        record(actor, action, obj, changes=changes)
    return obj


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    entry_id: int | None = None


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain; report the first changed, inserted or deleted entry."""
    prev_hash, prev_id, checked = GENESIS, 0, 0
    last = 0
    while True:
        rows = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            break
        for e in rows:
            checked += 1
            computed = entry_hash(e.prev_hash, pk=e.pk, at=e.at, actor_id=e.actor_id, actor_label=e.actor_label,
                                  action=e.action, object_type=e.object_type, object_id=e.object_id,
                                  region_path=e.region_path, changes=e.changes, request_id=e.request_id)
            if computed != e.hash:
                return VerifyResult(False, checked, f"entry {e.pk} was changed (its hash does not match its content)", e.pk)
            if e.prev_hash != prev_hash:
                if e.pk != prev_id + 1 and prev_id:
                    what = f"entries {prev_id + 1}..{e.pk - 1} were deleted" if e.pk > prev_id + 1 else "chain broken"
                    return VerifyResult(False, checked, f"{what} (entry {e.pk} does not follow entry {prev_id})", e.pk)
                return VerifyResult(False, checked, f"entry {e.pk} was inserted or the one before it was removed "
                                    f"(its link does not match entry {prev_id or 'genesis'})", e.pk)
            prev_hash, prev_id = e.hash, e.pk
        last = rows[-1].pk
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != prev_id or head.last_hash != prev_hash):
        if head.last_id > prev_id:
            return VerifyResult(False, checked, f"entries after {prev_id} up to {head.last_id} were deleted", prev_id + 1)
        return VerifyResult(False, checked, f"entry {prev_id} was appended outside the audit service", prev_id)
    return VerifyResult(True, checked)
