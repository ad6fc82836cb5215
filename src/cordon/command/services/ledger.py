"""The supervision ledger (挂账销号): inspections put findings on the ledger with an owner and a deadline;
the owner reports the rectification, another officer re-inspects and closes (or reopens) the item."""

from django.db import transaction

from cordon.command import rules
from cordon.command.enums import Severity
from cordon.command.models import Evidence, Inspection, LedgerItem
from cordon.command.services.common import notify_user, parse_dt, require_change, user
from cordon.command.services.common import region_path as known_region
from cordon.core import access, audit, clock, policy
from cordon.core.errors import ServiceError


def inspection_record(*, actor, region_path: str, place: str, at=None, checklist: list | None = None, note: str = "",
                      findings: list | None = None) -> Inspection:
    """Record an inspection and put each finding on the ledger with a rectification owner and deadline.

    findings: [{"title", "detail"?, "severity": minor|serious|severe, "owner_id", "deadline"?}] - validated
    together, nothing written when one row is bad; severe findings go on public tracking by the rule set.
    """

    known_region(region_path)
    require_change(actor, region_path)
    if not (place or "").strip():
        raise ServiceError.field("place", "is required")
    at = parse_dt(at, "at") or clock.now()
    checklist_rows = []
    for n, item in enumerate(checklist or [], start=1):
        if not isinstance(item, dict) or not str(item.get("item", "")).strip():
            raise ServiceError.field("checklist", "each line needs an item", row=n)
        checklist_rows.append({"item": str(item["item"]).strip(), "ok": bool(item.get("ok")), "note": str(item.get("note", ""))})
    ruleset = policy.in_force(at)
    hours = ruleset.get("command.ledger_deadline_hours", {}) or {}
    public = set(ruleset.get("command.public_tracking_severities", ["severe"]) or [])
    rows, errors = [], []
    for n, f in enumerate(findings or [], start=1):
        try:
            if not str(f.get("title", "")).strip():
                raise ServiceError.field("title", "is required", row=n)
            severity = f.get("severity") or Severity.MINOR
            if severity not in Severity.values:
                raise ServiceError.field("severity", f"must be one of {', '.join(Severity.values)}", row=n)
            owner = user(f.get("owner_id"), "owner_id", row=n)
            if owner is None:
                raise ServiceError.field("owner_id", "a rectification owner is required", row=n)
            deadline = parse_dt(f.get("deadline"), "deadline", row=n) or rules.ledger_deadline(
                severity=severity, found_at=at, hours_by_severity=hours)
            if deadline <= at:
                raise ServiceError.field("deadline", "must be after the inspection", row=n)
            rows.append({"title": str(f["title"]).strip(), "detail": str(f.get("detail", "")), "severity": severity, "owner": owner,
                         "deadline": deadline, "public_tracking": bool(f.get("public_tracking")) or severity in public})
        except ServiceError as exc:
            errors.extend(exc.fields)
    if errors:
        raise ServiceError(f"{len(errors)} finding(s) invalid: " + "; ".join(f"row {e.get('row')}, {e['field']}: {e['message']}"
                                                                          for e in errors), fields=errors)
    with transaction.atomic():
        insp = Inspection.objects.create(region_path=region_path, place=place.strip(), inspector=actor, at=at,
                                         checklist=checklist_rows, note=note)
        items = [LedgerItem.objects.create(inspection=insp, region_path=region_path, **r) for r in rows]
        audit.record(actor, "inspection.record", insp, changes={"place": insp.place, "findings": len(items),
                                                                "failed_checks": sum(1 for c in checklist_rows if not c["ok"])})
    for item in items:
        notify_user(item.owner, f"督导发现问题「{item.title}」，请于 {clock.local(item.deadline):%m-%d %H:%M} 前整改", "ledger.assigned")
    return insp


def evidence_add(*, actor, item, upload, stage: str = "finding") -> Evidence:
    """Attach a photo or file to a ledger item (stored in default storage)."""

    access.require(actor, "command.change", item.region_path)
    if stage not in ("finding", "rectification", "reinspection"):
        raise ServiceError.field("stage", "must be finding, rectification or reinspection")
    if upload is None:
        raise ServiceError.field("file", "choose a file")
    if upload.size > 10 * 1024 * 1024:
        raise ServiceError.field("file", "larger than 10 MB")
    with transaction.atomic():
        ev = Evidence.objects.create(item=item, file=upload, name=(upload.name or "file")[:200], stage=stage, uploaded_by=access.user_or_none(actor))
        audit.record(actor, "ledger.evidence", item, changes={"evidence": ev.pk, "name": ev.name, "stage": stage})
    return ev


def ledger_rectify(*, actor, item, rectification: str) -> LedgerItem:
    """The owner reports the rectification done; the item waits for re-inspection."""
    access.require(actor, "command.change", item.region_path)
    if item.status != "open":
        raise ServiceError.field("status", "only an open item can be reported rectified", code="state")
    if not (rectification or "").strip():
        raise ServiceError.field("rectification", "describe what was done")
    with transaction.atomic():
        item.status, item.rectification, item.rectified_at = "rectified", rectification.strip(), clock.now()
        item.rectified_by = access.user_or_none(actor)
        item.save(update_fields=["status", "rectification", "rectified_at", "rectified_by"])
        audit.record(actor, "ledger.rectify", item, changes={"rectification": item.rectification})
    return item


def ledger_reinspect(*, actor, item, passed: bool, note: str = "", new_deadline=None) -> LedgerItem:
    """Re-inspect a rectified item: passed closes it (销号); failed puts it back open with a new deadline."""
    access.require(actor, "command.change", item.region_path)
    if item.status != "rectified":
        raise ServiceError.field("status", "only a rectified item can be re-inspected", code="state")
    if actor is not None and item.rectified_by_id is not None and getattr(actor, "pk", None) == item.rectified_by_id:
        # 挂账销号: whoever did the rectification never verifies and closes it themselves
        raise ServiceError.field("actor", "the person who rectified an item cannot re-inspect it; another officer must",
                                 code="own_rectification")
    now = clock.now()
    with transaction.atomic():
        item.reinspection_note = note
        if passed:
            item.status, item.closed_at, item.closed_by = "closed", now, access.user_or_none(actor)
        else:
            deadline = parse_dt(new_deadline, "new_deadline")
            if deadline is None or deadline <= now:
                raise ServiceError.field("new_deadline", "a failed re-inspection needs a new deadline in the future")
            item.status, item.deadline = "open", deadline
        item.save(update_fields=["status", "closed_at", "closed_by", "deadline", "reinspection_note"])
        audit.record(actor, "ledger.close" if passed else "ledger.reopen", item, changes={"note": note})
    return item


def ledger_flag(*, actor, item, public: bool) -> LedgerItem:
    """Put an item on (or take it off) public tracking (挂牌督办)."""
    access.require(actor, "command.approve", item.region_path)
    with transaction.atomic():
        item.public_tracking = bool(public)
        item.save(update_fields=["public_tracking"])
        audit.record(actor, "ledger.flag", item, changes={"public_tracking": item.public_tracking})
    return item
