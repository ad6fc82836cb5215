"""Reads for household needs, emergencies, incidents, supply points and key enterprises, scoped to the
actor. Personal data is masked unless the actor may unmask (and that view is audited)."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count, Q, QuerySet

from cordon.core import access, audit, clock, pii
from cordon.livelihood import rules
from cordon.livelihood.enums import EmergencyStatus, IncidentStatus, NeedStatus, PlanStatus
from cordon.livelihood.filters import (
    OPEN_EMERGENCY,
    OPEN_NEED,
    EmergencyFilter,
    EnterpriseFilter,
    IncidentFilter,
    NeedFilter,
    SupplyPointFilter,
)
from cordon.livelihood.models import (
    DeliveryTeam,
    Emergency,
    Enterprise,
    Incident,
    LoopPlan,
    LoopStaff,
    Need,
    StaffPass,
    SupplyPoint,
)


def need_list(*, actor, filters: Mapping | None = None) -> QuerySet[Need]:
    """Household needs in the actor's area, newest first, filtered by NeedFilter (status, kind, team, region, overdue)."""
    qs = Need.objects.visible_to(actor, "view").select_related("household", "team").order_by("-created_at", "-id")
    return NeedFilter.apply(filters, qs)


def need_get(*, actor, pk: int, action: str = "view") -> Need:
    """One need; 404 outside the actor's area."""
    return access.get_for(actor, Need.objects.select_related("household", "team", "person"), action, pk=pk)


def need_row(need: Need, *, now: dt.datetime | None = None) -> dict:
    """A need as listed (address masked)."""
    now = now or clock.now()
    return {"id": need.pk, "kind": need.kind, "kind_label": str(need.get_kind_display()), "status": need.status,
            "status_label": str(need.get_status_display()), "channel": need.channel, "detail": need.detail,
            "household_id": need.household_id, "address": pii.mask_address(need.household.address),
            "team_id": need.team_id, "team": need.team.name if need.team_id else "", "created_at": need.created_at,
            "deadline": need.deadline, "delivered_at": need.delivered_at, "has_proof": bool(need.proof),
            "overdue": need.status in OPEN_NEED and need.deadline < now, "grid_path": need.region_path}


def team_list(*, actor, active_only: bool = True, covering: str | None = None) -> QuerySet[DeliveryTeam]:
    """Delivery teams in the actor's area (optionally those serving a given region path)."""
    qs = DeliveryTeam.objects.visible_to(actor, "view").order_by("region_path", "name")
    if active_only:
        qs = qs.filter(active=True)
    if covering:
        parts = covering.split(".")
        qs = qs.filter(region_path__in=[".".join(parts[:i]) for i in range(1, len(parts) + 1)])
    return qs.annotate(open_needs=Count("needs", filter=Q(needs__status=NeedStatus.ASSIGNED)))


def emergency_list(*, actor, filters: Mapping | None = None) -> QuerySet[Emergency]:
    """Emergencies in the actor's area, newest first, filtered by EmergencyFilter (status, kind)."""
    qs = Emergency.objects.visible_to(actor, "view").select_related("person", "household").order_by("-created_at", "-id")
    return EmergencyFilter.apply(filters, qs)


def emergency_get(*, actor, pk: int, action: str = "view") -> Emergency:
    """One emergency; 404 outside the actor's area."""
    return access.get_for(actor, Emergency.objects.select_related("person", "household"), action, pk=pk)


def emergency_card(e: Emergency, *, actor, unmask: bool = False, now: dt.datetime | None = None) -> dict:
    """An emergency as shown: waiting minutes, the deadline it is heading for, contact masked unless unmasked (audited)."""
    now = now or clock.now()
    show = bool(unmask) and access.can_unmask(actor, e.region_path)
    if show:
        audit.record(actor, "emergency.unmask", e)
    waited = ((e.dispatched_at or now) - e.created_at).total_seconds() / 60
    next_deadline = e.ack_deadline if e.status == EmergencyStatus.OPEN else (
        e.dispatch_deadline if e.status == EmergencyStatus.ACKNOWLEDGED else None)
    name = e.person.name if e.person_id else ""
    address = e.household.address if e.household_id else ""
    return {"id": e.pk, "kind": e.kind, "kind_label": str(e.get_kind_display()), "status": e.status,
            "status_label": str(e.get_status_display()), "detail": e.detail, "channel": e.channel,
            "name": name if show else pii.mask_name(name), "phone": e.phone if show else pii.mask_phone(e.phone),
            "address": address if show else pii.mask_address(address), "person_id": e.person_id,
            "created_at": e.created_at, "minutes_waiting": int(waited), "band": rules.age_band(waited),
            "next_deadline": next_deadline, "overdue": bool(next_deadline and now > next_deadline),
            "minutes_left": int((next_deadline - now).total_seconds() // 60) if next_deadline else None,
            "escalation_level": e.escalation_level, "dispatch_kind": e.dispatch_kind, "hospital": e.hospital,
            "vehicle": e.vehicle, "acknowledged_at": e.acknowledged_at, "dispatched_at": e.dispatched_at,
            "closed_at": e.closed_at, "outcome": e.outcome, "grid_path": e.region_path, "masked": not show}


def emergency_board(*, actor) -> list[dict]:
    """Open emergencies in the actor's area, longest waiting first."""
    now = clock.now()
    qs = emergency_list(actor=actor, filters={"status": "active"}).order_by("created_at", "id")[:200]
    return [emergency_card(e, actor=actor, now=now) for e in qs]


def escalations_of(*, actor, emergency: Emergency) -> QuerySet:
    """The escalation steps of an emergency the actor can see."""
    return emergency.escalations.order_by("level")


def incident_list(*, actor, filters: Mapping | None = None) -> QuerySet[Incident]:
    """Utility tickets in the actor's area, open first, filtered by IncidentFilter (status, kind)."""
    qs = Incident.objects.visible_to(actor, "view").select_related("region").order_by("status", "-reported_at")
    return IncidentFilter.apply(filters, qs)


def incident_get(*, actor, pk: int, action: str = "view") -> Incident:
    """One incident ticket; 404 outside the actor's area."""
    return access.get_for(actor, Incident.objects.all(), action, pk=pk)


def supply_point_list(*, actor, filters: Mapping | None = None) -> QuerySet[SupplyPoint]:
    """Supply points in the actor's area, filtered by SupplyPointFilter (kind; `short`: closed or a category tight or out)."""
    qs = SupplyPoint.objects.visible_to(actor, "view").select_related("region").order_by("region_path", "name")
    return SupplyPointFilter.apply(filters, qs)


def supply_point_get(*, actor, pk: int, action: str = "view") -> SupplyPoint:
    """One supply point; 404 outside the actor's area."""
    return access.get_for(actor, SupplyPoint.objects.all(), action, pk=pk)


def enterprise_list(*, actor, filters: Mapping | None = None) -> QuerySet[Enterprise]:
    """Enterprises in the actor's area, the whitelist first, filtered by EnterpriseFilter (sector, whitelisted)."""
    qs = EnterpriseFilter.apply(filters, Enterprise.objects.visible_to(actor, "view").order_by("-whitelisted", "name"))
    return qs.annotate(running=Count("plans", filter=Q(plans__status=PlanStatus.ACTIVE)))


def enterprise_get(*, actor, pk: int, action: str = "view") -> Enterprise:
    """One enterprise; 404 outside the actor's area."""
    return access.get_for(actor, Enterprise.objects.all(), action, pk=pk)


def plan_get(*, actor, pk: int, action: str = "view") -> LoopPlan:
    """One closed-loop plan; 404 outside the actor's area."""
    return access.get_for(actor, LoopPlan.objects.select_related("enterprise"), action, pk=pk)


def staff_get(*, actor, pk: int, action: str = "view") -> LoopStaff:
    """One closed-loop staff member; 404 outside the actor's area."""
    return access.get_for(actor, LoopStaff.objects.select_related("plan__enterprise"), action, pk=pk)


def plan_roster(*, actor, plan: LoopPlan) -> list[dict]:
    """The plan's staff with their next test due and their pass, masked."""
    today = clock.today()
    passes = {p.staff_id: p for p in StaffPass.objects.visible_to(actor, "view").filter(staff__plan=plan, revoked=False)}
    out = []
    for s in plan.staff.order_by("role", "id"):
        due = rules.next_test_due(last_test=s.last_test, every_days=plan.test_every_days, start=plan.start)
        p = passes.get(s.pk)
        out.append({"id": s.pk, "name": pii.mask_name(s.name), "id_number": pii.mask_id_number(s.id_number),
                    "phone": pii.mask_phone(s.phone), "role": s.role, "role_label": str(s.get_role_display()),
                    "dorm_room": s.dorm_room, "vehicle": s.vehicle, "last_test": s.last_test,
                    "last_negative": s.last_negative, "next_test": due,
                    "test_overdue": plan.status == PlanStatus.ACTIVE and due < today,
                    "pass_code": p.code if p else "", "pass_until": p.valid_until if p else None})
    return out


def summary(*, actor) -> dict:
    """Counts for the dashboards."""
    now = clock.now()
    needs = Need.objects.visible_to(actor, "view")
    ems = Emergency.objects.visible_to(actor, "view")
    return {
        "needs_pending": needs.filter(status__in=OPEN_NEED).count(),
        "needs_overdue": needs.filter(status__in=OPEN_NEED, deadline__lt=now).count(),
        "needs_delivered_today": needs.filter(status=NeedStatus.DELIVERED, delivered_at__date=clock.today()).count(),
        "emergencies_open": ems.filter(status__in=OPEN_EMERGENCY).count(),
        "emergencies_overdue": ems.filter(Q(status=EmergencyStatus.OPEN, ack_deadline__lt=now)
                                          | Q(status=EmergencyStatus.ACKNOWLEDGED, dispatch_deadline__lt=now)).count(),
        "incidents_open": Incident.objects.visible_to(actor, "view").exclude(status=IncidentStatus.RESOLVED).count(),
        "enterprises_whitelisted": Enterprise.objects.visible_to(actor, "view").filter(whitelisted=True).count(),
        "plans_running": LoopPlan.objects.visible_to(actor, "view").filter(status=PlanStatus.ACTIVE).count(),
    }
