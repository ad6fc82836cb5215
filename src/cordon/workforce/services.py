"""Writes for the personnel reserve: roster, availability, missions with their need, deployments
(double-booking refused), closed-loop test records."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock, policy
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.regions.models import Region
from cordon.workforce import rules, selectors
from cordon.workforce.models import Deployment, Mission, MissionKind, Skill, Worker


def _require(actor, perm: str, path: str) -> None:
    access.require(actor, perm, path)


def _region(actor, region_id, field: str = "region_id") -> Region:
    region = Region.objects.filter(pk=region_id).first() if str(region_id or "").isdigit() else None
    if region is None or (not access.can(actor, "workforce.view", region.path)):
        raise NotFound.field(field, _("no such region"), code="unknown_region")
    return region


def _skills(skills) -> list[str]:
    skills = [s.strip() for s in (skills.split(",") if isinstance(skills, str) else (skills or [])) if s and s.strip()]
    bad = [s for s in skills if s not in Skill.values]
    if not skills or bad:
        raise ServiceError.field("skills", f"choose from {', '.join(Skill.values)}" + (f" (not {', '.join(bad)})" if bad else ""))
    return sorted(set(skills))


def worker_create(*, actor, name: str, home_district_id: int, skills, phone: str = "", certificates=None,
                  closed_loop: bool = False, dormitory: str = "", test_every_days: int | None = None) -> Worker:
    """Add a person to the reserve roster."""
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    region = _region(actor, home_district_id, "home_district_id")
    _require(actor, "workforce.change", region.path)
    skills = _skills(skills)
    if closed_loop and not (dormitory or "").strip():
        raise ServiceError.field("dormitory", _("closed-loop staff need a dormitory"))
    every = int(test_every_days or policy.in_force(clock.now()).get("workforce.closed_loop_test_every_days", 1))
    certs = [c.strip() for c in (certificates.split(",") if isinstance(certificates, str) else (certificates or [])) if c and c.strip()]
    with transaction.atomic():
        w = Worker.objects.create(name=name.strip(), phone=phone, skills=skills, certificates=certs, home_district=region,
                                  region_path=region.path, closed_loop=bool(closed_loop), dormitory=dormitory, test_every_days=every)
        audit.record(actor, "worker.create", w, changes={"skills": skills})
    return w


def worker_availability(*, actor, worker: Worker, available: bool) -> Worker:
    """Mark a person available or not (leave, sick, quarantined)."""
    _require(actor, "workforce.change", worker.region_path)
    return audit.update(actor, worker, "worker.availability", available=bool(available), changes={"available": bool(available)})


def worker_test_record(*, actor, worker: Worker, tested_on: dt.date) -> Worker:
    """Record a closed-loop worker's (negative) test; a positive one goes through screening and cases."""
    _require(actor, "workforce.change", worker.region_path)
    if tested_on > clock.today():
        raise ServiceError.field("tested_on", _("is in the future"))
    return audit.update(actor, worker, "worker.test", last_test=tested_on, changes={"tested_on": tested_on})


def mission_needs(*, kind: str, region: Region, needs: dict | None, on=None) -> dict[str, int]:
    """The staffing need of a mission: given, or for a testing round samplers = population / people per sampler."""
    out = {k: int(v) for k, v in (needs or {}).items() if int(v or 0) > 0}
    for k in out:
        if k not in Skill.values:
            raise ServiceError.field("needs", _("unknown skill %(k)s") % {"k": k})
    if kind == MissionKind.ROUND and Skill.SAMPLER not in out:
        per = int(policy.in_force(on or clock.now()).get("screening.sizing.people_per_sampler", 360))
        out[Skill.SAMPLER] = rules.samplers_needed(population=region.population, people_per_sampler=per)
    return out


def mission_create(*, actor, kind: str, name: str, region_id: int, starts_at: dt.datetime, ends_at: dt.datetime,
                   needs: dict | None = None, source: str = "") -> Mission:
    """Open a site, round, zone or checkpoint mission with its staffing need (idempotent per source)."""
    if kind not in MissionKind.values:
        raise ServiceError.field("kind", _("must be one of %(choices)s") % {"choices": ', '.join(MissionKind.values)})
    region = _region(actor, region_id)
    _require(actor, "workforce.change", region.path)
    if not (name or "").strip():
        raise ServiceError.field("name", _("is required"))
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise ServiceError.field("ends_at", _("must be after the start"))
    if source:
        existing = Mission.objects.filter(source=source).first()
        if existing:
            return existing
    with transaction.atomic():
        m = Mission.objects.create(kind=kind, name=name.strip(), region=region, region_path=region.path, starts_at=starts_at,
                                   ends_at=ends_at, needs=mission_needs(kind=kind, region=region, needs=needs, on=starts_at), source=source)
        audit.record(actor, "mission.create", m, changes={"kind": kind, "needs": m.needs})
    return m


def deploy(*, actor, mission: Mission, worker_id: int, skill: str, starts_at: dt.datetime | None = None,
           ends_at: dt.datetime | None = None) -> Deployment:
    """Book a person for a shift on a mission; refused when they are unavailable, lack the skill or are booked already."""
    _require(actor, "workforce.change", mission.region_path)
    worker = Worker.objects.filter(pk=worker_id).first() if str(worker_id or "").isdigit() else None
    if worker is None or (not access.can(actor, "workforce.view", worker.region_path)):
        raise NotFound.field("worker_id", _("no such person in your reserve"), code="unknown_worker")
    if skill not in worker.skills:
        raise ServiceError.field("skill", _("%(name)s is not registered as %(skill)s") % {"name": worker.name, "skill": skill})
    if not worker.available:
        raise ServiceError.field("worker_id", _("%(name)s is not available") % {"name": worker.name})
    starts_at, ends_at = starts_at or mission.starts_at, ends_at or mission.ends_at
    if ends_at <= starts_at:
        raise ServiceError.field("ends_at", _("must be after the start"))
    with transaction.atomic():
        Worker.objects.select_for_update().filter(pk=worker.pk).first()
        clash = Deployment.objects.filter(worker=worker, cancelled=False, starts_at__lt=ends_at, ends_at__gt=starts_at).select_related("mission").first()
        if clash:
            raise Conflict(_("%(name)s is already deployed to %(name2)s %(local_starts_at)s–%(local_ends_at)s") % {"name": worker.name, "name2": clash.mission.name, "local_starts_at": f'{clock.local(clash.starts_at):%m-%d %H:%M}', "local_ends_at": f'{clock.local(clash.ends_at):%H:%M}'},
                           fields=[{"field": "worker_id", "message": _("double-booked")}])
        d = Deployment.objects.create(worker=worker, mission=mission, skill=skill, starts_at=starts_at, ends_at=ends_at,
                                      region_path=mission.region_path)
        audit.record(actor, "deployment.create", d, changes={"worker": worker.pk, "skill": skill})
    return d


def deployment_cancel(*, actor, deployment: Deployment) -> Deployment:
    """Release a person from a shift."""
    _require(actor, "workforce.change", deployment.region_path)
    if deployment.cancelled:
        raise Conflict(_("the deployment is cancelled already"))
    return audit.update(actor, deployment, "deployment.cancel", cancelled=True)


def deploy_fill(*, actor, mission: Mission) -> dict:
    """Fill a mission's shortfall from available, unbooked people with the skill (home district first)."""
    added = 0
    for row in selectors.mission_fill(mission=mission):
        if row["short"] <= 0:
            continue
        candidates = selectors.free_workers(actor=actor, skill=row["skill"], starts_at=mission.starts_at, ends_at=mission.ends_at,
                                            near=mission.region_path)[: row["short"]]
        for w in candidates:
            deploy(actor=actor, mission=mission, worker_id=w.pk, skill=row["skill"])
            added += 1
    return {"added": added}
