"""Key enterprises and closed-loop production: the whitelist, plans with their staff and drivers, staff passes
(a driver's vehicle also gets the checkpoints' green-lane pass), closed-loop tests, and the retention of the
staff's personal data once a plan has ended."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cordon.checkpoints import services as checkpoint_services
from cordon.checkpoints.models import Pass as VehiclePass
from cordon.command import services as command_services
from cordon.core import access, audit, clock, pii
from cordon.core.errors import Conflict, ServiceError
from cordon.core.ids import InvalidIdNumber, id_number_problem, normalise_id_number, validate_id_number
from cordon.livelihood.enums import PlanStatus, Sector, StaffRole
from cordon.livelihood.models import Enterprise, LoopPlan, LoopStaff, StaffPass
from cordon.livelihood.services.common import SYSTEM, _choice, _region, _require, _section


def enterprise_create(*, actor, name: str, credit_code: str, sector: str, region_id: int, address: str = "",
                      liaison: str = "", liaison_phone: str = "") -> Enterprise:
    """Register an enterprise that applies for the key-enterprise whitelist."""
    sector = _choice(sector, Sector, "sector")
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    code = (credit_code or "").strip().upper()
    if len(code) != 18 or not code.isalnum():
        raise ServiceError.field("credit_code", _("must be the 18-character unified social credit code"))
    region = _region(actor, region_id)
    _require(actor, "livelihood.change", region.path)
    if Enterprise.objects.filter(credit_code=code).exists():
        raise Conflict(_("an enterprise with this credit code is registered already"),
                       fields=[{"field": "credit_code", "message": _("is registered already")}])
    with transaction.atomic():
        ent = Enterprise.objects.create(name=name.strip(), credit_code=code, sector=sector, region=region,
                                        region_path=region.path, address=address, liaison=liaison, liaison_phone=liaison_phone)
        audit.record(actor, "enterprise.create", ent, changes={"name": ent.name, "sector": sector})
    return ent


def enterprise_whitelist(*, actor, enterprise: Enterprise, on: bool = True) -> Enterprise:
    """Put an enterprise on (or take it off) the key-enterprise whitelist; taking it off ends its plans and passes."""
    _require(actor, "livelihood.approve", enterprise.region_path)
    with transaction.atomic():
        enterprise.whitelisted = bool(on)
        enterprise.whitelisted_at = clock.now() if on else None
        enterprise.save(update_fields=["whitelisted", "whitelisted_at"])
        ended = 0
        if not on:
            for plan in enterprise.plans.filter(status=PlanStatus.ACTIVE):
                _plan_end(plan, actor)
                ended += 1
        audit.record(actor, "enterprise.whitelist", enterprise, changes={"whitelisted": bool(on), "plans_ended": ended})
    return enterprise


def plan_create(*, actor, enterprise: Enterprise, start: dt.date, end: dt.date, dormitory: str,
                test_every_days: int | None = None) -> LoopPlan:
    """Draft a closed-loop production plan for a whitelisted enterprise."""
    _require(actor, "livelihood.change", enterprise.region_path)
    if not enterprise.whitelisted:
        raise ServiceError.field("enterprise", _("is not on the key-enterprise whitelist"))
    if not start or not end or end < start:
        raise ServiceError.field("end", _("must be on or after the start"))
    if not (dormitory or "").strip():
        raise ServiceError.field("dormitory", _("is required: closed-loop staff sleep on site"))
    every = int(test_every_days or _section().get("closed_loop", {}).get("test_every_days", 1))
    if every < 1:
        raise ServiceError.field("test_every_days", _("must be at least 1"))
    with transaction.atomic():
        plan = LoopPlan.objects.create(enterprise=enterprise, start=start, end=end, dormitory=dormitory.strip(),
                                       test_every_days=every, region_path=enterprise.region_path)
        audit.record(actor, "loop_plan.create", plan, changes={"start": start, "end": end, "every": every})
    return plan


def plan_staff_add(*, actor, plan: LoopPlan, rows: list[dict]) -> dict:
    """Add staff and drivers to a plan's roster: every row checked first, repeats (same ID number) skipped."""
    _require(actor, "livelihood.change", plan.region_path)
    if plan.status == PlanStatus.ENDED:
        raise Conflict(_("the plan has ended"))
    if not rows:
        raise ServiceError.field("rows", _("is empty"))
    errors, clean = [], []
    for i, r in enumerate(rows, 1):
        name = str(r.get("name") or "").strip()
        if not name:
            errors.append({"field": "name", "message": _("is required"), "row": i})
        idn = normalise_id_number(r.get("id_number"))
        try:
            validate_id_number(idn)
        except InvalidIdNumber as exc:
            errors.append(id_number_problem(exc, row=i))
        role = r.get("role") or StaffRole.STAFF
        if role not in StaffRole.values:
            errors.append({"field": "role", "message": _("must be staff or driver"), "row": i})
        if role == StaffRole.DRIVER and not str(r.get("vehicle") or "").strip():
            errors.append({"field": "vehicle", "message": _("a driver needs a plate number"), "row": i})
        clean.append({"name": name[:50], "id_number": idn, "phone": str(r.get("phone") or "")[:20], "role": role,
                      "dorm_room": str(r.get("dorm_room") or "")[:40], "vehicle": str(r.get("vehicle") or "")[:20]})
    if errors:
        raise ServiceError(_("%(len_errors)s problem(s) in the roster; nothing was written") % {"len_errors": len(errors)}, fields=errors)
    have = set(plan.staff.values_list("id_number", flat=True))
    added = 0
    with transaction.atomic():
        for c in clean:
            if c["id_number"] in have:
                continue
            have.add(c["id_number"])
            staff = LoopStaff.objects.create(plan=plan, region_path=plan.region_path, **c)
            added += 1
            if plan.status == PlanStatus.ACTIVE:
                _issue_pass(staff, plan)
        audit.record(actor, "loop_plan.staff", plan, changes={"rows": len(rows), "added": added})
    return {"rows": len(rows), "added": added}


def _issue_pass(staff: LoopStaff, plan: LoopPlan) -> StaffPass:
    """A staff pass; a driver's vehicle also gets the checkpoints' green-lane pass (checkpoints.services.pass_issue)."""
    days = int(_section().get("closed_loop", {}).get("pass_days", 14))
    today = clock.today()
    start = max(plan.start, today)
    until = min(plan.end, start + dt.timedelta(days=days - 1))
    if staff.role == StaffRole.DRIVER and staff.vehicle:
        tz = clock.zone()
        checkpoint_services.pass_issue(
            actor=SYSTEM, plate=staff.vehicle, enterprise=plan.enterprise.name, region_path=plan.region_path,
            valid_from=dt.datetime.combine(start, dt.time.min, tzinfo=tz), valid_until=dt.datetime.combine(until, dt.time.max, tzinfo=tz),
            cargo=plan.enterprise.get_sector_display(), driver=staff.name, source=_vehicle_source(staff))
    return StaffPass.objects.create(staff=staff, region_path=plan.region_path, code=secrets.token_hex(8),
                                    valid_from=start, valid_until=until, issued_at=clock.now())


def _vehicle_source(staff: LoopStaff) -> str:
    return f"livelihood.loopstaff:{staff.pk}"


def _revoke_passes(actor, staff_qs) -> int:
    """Revoke staff passes and the drivers' green-lane vehicle passes (through checkpoints.pass_revoke when the actor
    may; otherwise a task asks the checkpoint side to revoke it)."""
    n = StaffPass.objects.filter(staff__in=staff_qs, revoked=False).update(revoked=True)
    sources = [_vehicle_source(s) for s in staff_qs.filter(role=StaffRole.DRIVER)]
    for vp in VehiclePass.objects.filter(source__in=sources, revoked=False):
        if access.can(actor, "checkpoints.change", vp.region_path):
            checkpoint_services.pass_revoke(actor=actor, vehicle_pass=vp)
        else:
            command_services.task_create(actor=SYSTEM, title=f"吊销闭环司机车辆通行证 {vp.plate}", kind="livelihood.vehicle_pass_revoke",
                                         region_path=vp.region_path, owner_role="checkpoint_officer", priority=1,
                                         deadline=clock.now() + dt.timedelta(hours=1), source=vp.source)
    return n


def plan_activate(*, actor, plan: LoopPlan) -> LoopPlan:
    """Start the closed loop: needs a roster; every member gets a pass for the green lane."""
    _require(actor, "livelihood.approve", plan.region_path)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(_("the plan is %(status)s already") % {"status": plan.status})
    if not plan.enterprise.whitelisted:
        raise ServiceError.field("enterprise", _("is not on the key-enterprise whitelist"))
    staff = list(plan.staff.all())
    if not staff:
        raise ServiceError.field("staff", _("add the roster before starting the closed loop"))
    with transaction.atomic():
        plan.status = PlanStatus.ACTIVE
        plan.save(update_fields=["status"])
        for s in staff:
            _issue_pass(s, plan)
        audit.record(actor, "loop_plan.activate", plan, changes={"passes": len(staff)})
    return plan


def _plan_end(plan: LoopPlan, actor) -> None:
    plan.status = PlanStatus.ENDED
    plan.save(update_fields=["status"])
    _revoke_passes(actor, plan.staff.all())


def plan_end(*, actor, plan: LoopPlan) -> LoopPlan:
    """End a closed loop; its passes are revoked."""
    _require(actor, "livelihood.change", plan.region_path)
    if plan.status == PlanStatus.ENDED:
        raise Conflict(_("the plan has ended already"))
    with transaction.atomic():
        _plan_end(plan, actor)
        audit.record(actor, "loop_plan.end", plan)
    return plan


def staff_test_record(*, actor, staff: LoopStaff, tested_on: dt.date, negative: bool) -> LoopStaff:
    """Record a closed-loop test; a positive one revokes the person's pass and files a task for the site."""
    _require(actor, "livelihood.change", staff.region_path)
    if tested_on > clock.today():
        raise ServiceError.field("tested_on", _("is in the future"))
    with transaction.atomic():
        staff.last_test, staff.last_negative = tested_on, bool(negative)
        staff.save(update_fields=["last_test", "last_negative"])
        if not negative:
            _revoke_passes(actor, LoopStaff.objects.filter(pk=staff.pk))
            command_services.task_create(actor=SYSTEM, title=f"闭环人员核酸阳性：{staff.plan.enterprise.name}",
                                         kind="livelihood.loop_positive", region_path=staff.region_path, priority=1,
                                         deadline=clock.now() + dt.timedelta(hours=2), source=f"livelihood.loopstaff:{staff.pk}")
        audit.record(actor, "loop_staff.test", staff, changes={"tested_on": tested_on, "negative": bool(negative)})
    return staff


def pass_verify(*, code: str, on: dt.date | None = None) -> dict:
    """Check a staff or driver pass at a checkpoint's green lane: valid or the reason it is not."""
    p = StaffPass.objects.filter(code=(code or "").strip()).select_related("staff__plan__enterprise").first()
    on = on or clock.today()
    if p is None:
        return {"valid": False, "reason": "unknown pass"}
    reason = ""
    if p.revoked:
        reason = "revoked"
    elif not (p.valid_from <= on <= p.valid_until):
        reason = "expired" if on > p.valid_until else "not yet valid"
    elif p.staff.plan.status != PlanStatus.ACTIVE:
        reason = "closed loop not running"
    return {"valid": not reason, "reason": reason, "enterprise": p.staff.plan.enterprise.name, "role": p.staff.role,
            "vehicle": p.staff.vehicle, "valid_until": p.valid_until}


def retention_run(*, actor, days: int | None = None, dry_run: bool = False, today: dt.date | None = None) -> dict:
    """Pseudonymise the closed-loop staff of plans that ended more than `days` ago (CORDON_RETENTION_DAYS):
    names 已脱敏, ID numbers a keyed pseudonym, phones blank; roles, rooms and test dates stay for the statistics."""
    access.require(actor, "livelihood.change")
    days = settings.CORDON_RETENTION_DAYS if days is None else int(days)
    if days < 0:
        raise ServiceError.field("days", _("must be 0 or more"))
    cut = (today or clock.today()) - dt.timedelta(days=days)
    staff = access.scope(LoopStaff.objects.filter(plan__end__lt=cut).exclude(name=pii.PSEUDONYM_NAME), actor,
                         "livelihood.change")
    counts = {"staff": staff.count(), "days": days, "dry_run": dry_run}
    if dry_run:
        return counts
    with transaction.atomic():
        for s in staff.select_for_update().only("pk", "id_number"):
            LoopStaff.objects.filter(pk=s.pk).update(name=pii.PSEUDONYM_NAME, id_number=pii.pseudonym_id_number(s.id_number),
                                                     phone="")
        audit.record(actor, "livelihood.retention", object_type="livelihood.loopstaff",
                     changes={"staff": counts["staff"], "days": days, "plans_ended_before": cut})
    return counts
