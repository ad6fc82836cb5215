"""Reads of the duty roster: my work (what I answer for, due, late, escalated to me, handed to me), a person's page
(posts held, on duty now, responsibilities), who is on duty now in a region, and who answers for a named object."""

import datetime as dt

from django.db.models import Q
from django.http import Http404

from cordon.command import selectors
from cordon.command.enums import ObjectType
from cordon.command.models import DutyShift, HandOver, OffDuty, Responsibility, Task, TaskStatus
from cordon.command.services import roster
from cordon.core import access, clock
from cordon.regions.models import Region

OPEN = [TaskStatus.OPEN, TaskStatus.IN_PROGRESS]
DUE_SOON = dt.timedelta(hours=24)


def my_work(*, actor, now: dt.datetime | None = None) -> dict:
    """What the signed-in officer answers for: responsibilities (as responsible, as deputy), open tasks split into late,
    due within a day and later, tasks escalated to them, hand-overs they received, their shifts and whether they are off duty."""
    now = now or clock.now()
    me = access.user_or_none(actor)
    if me is None:
        raise Http404("not found")
    resp = Responsibility.objects.filter(active=True).select_related("responsible", "deputy").order_by("region_path", "id")
    tasks = list(Task.objects.filter(status__in=OPEN, owner=me).select_related("deputy").order_by("deadline")[:500])
    off = OffDuty.objects.filter(user=me, since__lte=now).filter(Q(until__isnull=True) | Q(until__gt=now)).first()
    return {
        "user": me,
        "posts": list(me.posts.filter(active=True).select_related("region")),
        "off_duty": off,
        "responsible": list(resp.filter(responsible=me)),
        "deputy": list(resp.filter(deputy=me)),
        "late": [t for t in tasks if t.deadline < now],
        "due": [t for t in tasks if now <= t.deadline < now + DUE_SOON],
        "later": [t for t in tasks if t.deadline >= now + DUE_SOON],
        "deputy_tasks": list(Task.objects.filter(status__in=OPEN, deputy=me).select_related("owner").order_by("deadline")[:200]),
        "escalated": [t for t in tasks if t.escalation_level > 0],
        "handed_to_me": [h for h in HandOver.objects.filter(at__gte=now - dt.timedelta(days=14)).select_related("from_user")
                         .order_by("-at")[:200] if h.to_user_id == me.pk or any(m.get("to") == me.pk for m in h.items)][:20],
        "shifts": list(DutyShift.objects.filter(Q(user=me) | Q(deputy=me), end__gt=now).order_by("start")[:20]),
        "now": now,
    }


def person_profile(*, actor, user_id: int) -> dict:
    """A person's page for officers: posts held, on duty now (or why not), shifts, what they answer for and hand-overs
    (404 unless the person holds a post inside the actor's area)."""
    d = selectors.duties_of(actor=actor, user_id=user_id)
    now = clock.now()
    u = d["user"]
    off = OffDuty.objects.filter(user=u, since__lte=now).filter(Q(until__isnull=True) | Q(until__gt=now)).order_by("-since").first()
    shifts = list(DutyShift.objects.filter(Q(user=u) | Q(deputy=u), end__gt=now - dt.timedelta(days=1)).order_by("start")[:30])
    on_shift = [s for s in shifts if s.user_id == u.pk and s.start <= now < s.end]
    return {**d, "off_duty": off, "on_duty": off is None, "on_shift": on_shift, "shifts": shifts, "now": now,
            "deputy_tasks": list(Task.objects.visible_to(actor, "view").filter(status__in=OPEN, deputy=u).order_by("deadline")[:200]),
            "handovers": list(HandOver.objects.visible_to(actor, "view").filter(Q(from_user=u) | Q(to_user=u))
                              .select_related("from_user", "to_user").order_by("-at")[:20]),
            "can_change": access.can(actor, "command.change", roster.home_path(u))}


def duty_region(*, actor, region_path: str | None) -> Region:
    """The region asked for (default: the actor's home region), 404 outside the actor's area."""
    areas = access.areas(actor, "command.view")
    path = region_path or (selectors.home_region_path(actor=actor) if "" in areas else min(areas, key=len, default=""))
    region = Region.objects.filter(path=path).first()
    if region is None or not access.can(actor, "command.view", path):
        raise Http404("not found")
    return region


def on_duty(*, actor, region_path: str | None = None) -> dict:
    """Who is on duty now at a region and the regions right below it (每个岗位: on shift or standing, deputy, vacant)."""
    region = duty_region(actor=actor, region_path=region_path)
    return {"region": region, "rows": roster.on_duty_now(region_path=region.path),
            "children": list(Region.objects.filter(parent=region).order_by("path")), "now": clock.now()}


def responsible(*, actor, object_type: str, object_id="", region_path: str) -> dict:
    """Who answers for a named object now, with the deputy and the path (nothing outside the actor's area)."""
    if object_type not in ObjectType.values or not access.can(actor, "command.view", region_path):
        raise Http404("not found")
    return roster.responsible_for(object_type=object_type, object_id=object_id, region_path=region_path).as_dict()


def handover_list(*, actor) -> list:
    """The latest hand-overs inside the actor's area."""
    return list(HandOver.objects.visible_to(actor, "view").select_related("from_user", "to_user", "by").order_by("-at")[:100])
