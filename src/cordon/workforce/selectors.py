"""Reads for the personnel reserve: roster, missions and how full they are, free people for a shift,
and the reserve level per skill against need (round samplers and tracers per open case)."""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from cordon.cases.models import Case as CaseModel
from cordon.core import access, clock, pii, policy
from cordon.workforce import rules
from cordon.workforce.filters import MissionFilter, WorkerFilter
from cordon.workforce.models import Deployment, Mission, Skill, Worker


def worker_list(*, actor, filters: Mapping | None = None) -> QuerySet[Worker]:
    """People in the reserve in the actor's area, filtered by WorkerFilter (skill, available, q)."""
    qs = Worker.objects.visible_to(actor, "view").select_related("home_district").order_by("region_path", "id")
    return WorkerFilter.apply(filters, qs)


def worker_get(*, actor, pk: int, action: str = "view") -> Worker:
    """One person; 404 outside the actor's area."""
    return access.get_for(actor, Worker.objects.all(), action, pk=pk)


def worker_card(w: Worker) -> dict:
    """A person as listed (name and phone masked)."""
    today = clock.today()
    due = (w.last_test + dt.timedelta(days=w.test_every_days)) if w.last_test else today
    return {"id": w.pk, "name": pii.mask_name(w.name), "phone": pii.mask_phone(w.phone), "skills": w.skills,
            "certificates": w.certificates, "home_district": w.home_district.name, "region_path": w.region_path,
            "available": w.available, "closed_loop": w.closed_loop, "dormitory": w.dormitory, "last_test": w.last_test,
            "next_test": due if w.closed_loop else None, "test_overdue": bool(w.closed_loop and due < today)}


def mission_list(*, actor, filters: Mapping | None = None) -> QuerySet[Mission]:
    """Missions in the actor's area, newest first, filtered by MissionFilter (kind, current)."""
    qs = Mission.objects.visible_to(actor, "view").select_related("region").order_by("-starts_at")
    return MissionFilter.apply(filters, qs)


def mission_get(*, actor, pk: int, action: str = "view") -> Mission:
    """One mission; 404 outside the actor's area."""
    return access.get_for(actor, Mission.objects.select_related("region"), action, pk=pk)


def deployment_get(*, actor, pk: int, action: str = "view") -> Deployment:
    """One deployment; 404 outside the actor's area."""
    return access.get_for(actor, Deployment.objects.select_related("mission", "worker"), action, pk=pk)


def mission_deployments(*, mission: Mission) -> QuerySet[Deployment]:
    """The active deployments of a mission the caller already holds."""
    return mission.deployments.filter(cancelled=False).select_related("worker").order_by("skill", "starts_at")


def mission_fill(*, mission: Mission) -> list[dict]:
    """Per skill: needed, deployed, short."""
    have: dict[str, int] = {}
    for skill in mission.deployments.filter(cancelled=False).values_list("skill", flat=True):
        have[skill] = have.get(skill, 0) + 1
    return rules.fill(needs=mission.needs, have=have)


def free_workers(*, actor, skill: str, starts_at, ends_at, near: str = "") -> list[Worker]:
    """Available people with the skill and no overlapping shift, those from the mission's district first."""
    busy = Deployment.objects.filter(cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at).values("worker_id")
    qs = worker_list(actor=actor, filters={"skill": skill, "available": True}).exclude(pk__in=busy)
    district = ".".join(near.split(".")[:2]) if near else ""
    if district:
        qs = qs.annotate(home=Case(When(Q(region_path=district) | Q(region_path__startswith=district + "."), then=Value(0)),
                                   default=Value(1), output_field=IntegerField())).order_by("home", "id")
    return list(qs[:500])


def _open_cases(actor) -> int:
    return CaseModel.objects.visible_to(actor, "view").exclude(status="report_done").count()


def reserve_levels(*, actor) -> list[dict]:
    """Per skill: people in the reserve, available, deployed now, and needed (current missions; tracers per open case)."""
    now = clock.now()
    workers = Worker.objects.visible_to(actor, "view")
    deployed_now = set(Deployment.objects.visible_to(actor, "view").filter(cancelled=False, starts_at__lte=now, ends_at__gt=now)
                       .values_list("worker_id", flat=True))
    counts = {s: {"total": 0, "available": 0, "deployed": 0} for s in Skill.values}
    for wid, skills, available in workers.values_list("id", "skills", "available"):
        for s in skills:
            if s in counts:
                counts[s]["total"] += 1
                counts[s]["available"] += int(available and wid not in deployed_now)
                counts[s]["deployed"] += int(wid in deployed_now)
    need = dict.fromkeys(Skill.values, 0)
    for m in mission_list(actor=actor, filters={"current": True}).filter(starts_at__lte=now + dt.timedelta(days=1)):
        for s, n in m.needs.items():
            need[s] = need.get(s, 0) + int(n)
    per_case = int(policy.in_force(now).get("workforce.tracers_per_case", 3))
    need[Skill.TRACER] = max(need[Skill.TRACER], rules.tracers_needed(open_cases=_open_cases(actor), per_case=per_case))
    out = []
    for s, label in Skill.choices:
        c = counts[s]
        out.append({"skill": s, "label": str(label), **c, "need": need.get(s, 0),
                    "short": max(0, need.get(s, 0) - c["deployed"] - c["available"])})
    return out
