"""The supervision ledger (挂账销号): inspections put findings on the ledger with an owner and a deadline;
the owner reports the rectification, a verifier re-inspects and closes (or reopens) the item. Separation of
duties: neither the rectification owner nor whoever reported the rectification verifies it; the verifier holds
the inspector role over the item or a post in the issuing inspector's unit (or a unit above it), and closing
needs evidence (a photo or file of the rectification or the re-inspection). Every step is kept (LedgerStep),
so a reopened item shows its whole history."""

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.command import rules
from cordon.command.enums import LEDGER_LIFECYCLE, LedgerStatus, Severity
from cordon.command.models import Evidence, Inspection, LedgerItem, LedgerStep
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
        raise ServiceError.field("place", _("is required"))
    at = parse_dt(at, "at") or clock.now()
    checklist_rows = []
    for n, item in enumerate(checklist or [], start=1):
        if not isinstance(item, dict) or not str(item.get("item", "")).strip():
            raise ServiceError.field("checklist", _("each line needs an item"), row=n)
        checklist_rows.append({"item": str(item["item"]).strip(), "ok": bool(item.get("ok")), "note": str(item.get("note", ""))})
    ruleset = policy.in_force(at)
    hours = ruleset.get("command.ledger_deadline_hours", {}) or {}
    public = set(ruleset.get("command.public_tracking_severities", ["severe"]) or [])
    rows, errors = [], []
    for n, f in enumerate(findings or [], start=1):
        try:
            if not str(f.get("title", "")).strip():
                raise ServiceError.field("title", _("is required"), row=n)
            severity = f.get("severity") or Severity.MINOR
            if severity not in Severity.values:
                raise ServiceError.field("severity", _("must be one of %(choices)s") % {"choices": ', '.join(Severity.values)}, row=n)
            owner = user(f.get("owner_id"), "owner_id", row=n)
            if owner is None:
                raise ServiceError.field("owner_id", _("a rectification owner is required"), row=n)
            deadline = parse_dt(f.get("deadline"), "deadline", row=n) or rules.ledger_deadline(
                severity=severity, found_at=at, hours_by_severity=hours)
            if deadline <= at:
                raise ServiceError.field("deadline", _("must be after the inspection"), row=n)
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
        for item in items:
            _step(item, actor, "found", item.detail, at=at)
        audit.record(actor, "inspection.record", insp, changes={"place": insp.place, "findings": len(items),
                                                                "failed_checks": sum(1 for c in checklist_rows if not c["ok"])})
    for item in items:
        notify_user(item.owner, f"督导发现问题「{item.title}」，请于 {clock.local(item.deadline):%m-%d %H:%M} 前整改", "ledger.assigned")
    return insp


def evidence_add(*, actor, item, upload, stage: str = "finding") -> Evidence:
    """Attach a photo or file to a ledger item (stored in default storage)."""

    access.require(actor, "command.change", item.region_path)
    if stage not in ("finding", "rectification", "reinspection"):
        raise ServiceError.field("stage", _("must be finding, rectification or reinspection"))
    if upload is None:
        raise ServiceError.field("file", _("choose a file"))
    if upload.size > 10 * 1024 * 1024:
        raise ServiceError.field("file", _("larger than 10 MB"))
    with transaction.atomic():
        ev = Evidence.objects.create(item=item, file=upload, name=(upload.name or "file")[:200], stage=stage, uploaded_by=access.user_or_none(actor))
        _step(item, actor, "evidence", f"{stage}: {ev.name}")
        audit.record(actor, "ledger.evidence", item, changes={"evidence": ev.pk, "name": ev.name, "stage": stage})
    return ev


def ledger_rectify(*, actor, item, rectification: str) -> LedgerItem:
    """The owner reports the rectification done; the item waits for re-inspection."""
    access.require(actor, "command.change", item.region_path)
    LEDGER_LIFECYCLE.step(item.status, LedgerStatus.RECTIFIED)
    if not (rectification or "").strip():
        raise ServiceError.field("rectification", _("describe what was done"))
    with transaction.atomic():
        item.status, item.rectification, item.rectified_at = LedgerStatus.RECTIFIED, rectification.strip(), clock.now()
        item.rectified_by = access.user_or_none(actor)
        item.save(update_fields=["status", "rectification", "rectified_at", "rectified_by"])
        _step(item, actor, "rectified", item.rectification)
        audit.record(actor, "ledger.rectify", item, changes={"rectification": item.rectification})
    return item


def _step(item, actor, step: str, note: str = "", *, at=None) -> LedgerStep:
    return LedgerStep.objects.create(item=item, step=step, actor=access.user_or_none(actor), at=at or clock.now(), note=note or "",
                                     deadline=item.deadline)


def _covers(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer + ".")


def may_verify(*, actor, item) -> tuple[bool, str]:
    """(allowed, why not) for verifying a ledger item: not its owner nor its rectifier; the inspector role over the
    item, or a post in the issuing inspector's unit or a unit above it."""
    who = access.user_or_none(actor)
    if who is None:
        return False, "a re-inspection is done by a named person"
    if who.pk in (item.owner_id, item.rectified_by_id):
        return False, "the rectification owner or whoever rectified an item cannot verify it; an inspector must"
    mine = list(Post.objects.filter(user=who, active=True).values_list("role", "region__path"))
    if any(role == "inspector" and _covers(path, item.region_path) for role, path in mine):
        return True, ""
    inspector_id = item.inspection.inspector_id if item.inspection_id else None
    if inspector_id == who.pk:
        return True, ""
    units = Post.objects.filter(user_id=inspector_id, active=True).values_list("region__path", flat=True) if inspector_id else []
    if any(_covers(path, unit) for unit in units for _role, path in mine):
        return True, ""
    return False, "verification needs the inspector role or a post in the issuing inspector's unit"


def ledger_reinspect(*, actor, item, passed: bool, note: str = "", new_deadline=None, upload=None) -> LedgerItem:
    """Re-inspect a rectified item (separation of duties, see the module): passed closes it (销号) and needs evidence
    (`upload` adds a re-inspection file); failed puts it back open with a new deadline, its history kept."""
    access.require(actor, "command.change", item.region_path)
    LEDGER_LIFECYCLE.step(item.status, LedgerStatus.CLOSED if passed else LedgerStatus.OPEN)
    allowed, why = may_verify(actor=actor, item=item)
    if not allowed:
        # 挂账销号: whoever did the rectification never verifies and closes it themselves
        raise ServiceError.field("actor", why, code="own_rectification" if "rectif" in why else "not_inspector")
    now = clock.now()
    deadline = None
    if not passed:
        deadline = parse_dt(new_deadline, "new_deadline")
        if deadline is None or deadline <= now:
            raise ServiceError.field("new_deadline", _("a failed re-inspection needs a new deadline in the future"))
    elif upload is None and not item.evidence.filter(stage__in=("rectification", "reinspection")).exists():
        raise ServiceError.field("file", _("closing an item needs evidence: attach a photo or file of the rectification or the re-inspection"))
    with transaction.atomic():
        if upload is not None:
            evidence_add(actor=actor, item=item, upload=upload, stage="reinspection")
        item.reinspection_note = note
        if passed:
            item.status, item.closed_at, item.closed_by = LedgerStatus.CLOSED, now, access.user_or_none(actor)
        else:
            item.status, item.deadline, item.reopened = LedgerStatus.OPEN, deadline, item.reopened + 1
        item.save(update_fields=["status", "closed_at", "closed_by", "deadline", "reinspection_note", "reopened"])
        _step(item, actor, "passed" if passed else "failed", note)
        audit.record(actor, "ledger.close" if passed else "ledger.reopen", item, changes={"note": note, "reopened": item.reopened})
    return item


def ledger_flag(*, actor, item, public: bool) -> LedgerItem:
    """Put an item on (or take it off) public tracking (挂牌督办)."""
    access.require(actor, "command.approve", item.region_path)
    with transaction.atomic():
        item.public_tracking = bool(public)
        item.save(update_fields=["public_tracking"])
        _step(item, actor, "flagged" if item.public_tracking else "unflagged")
        audit.record(actor, "ledger.flag", item, changes={"public_tracking": item.public_tracking})
    return item
