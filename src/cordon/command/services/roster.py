"""The duty roster (值班表) and who answers for an object now.

A post is a role at a region (accounts.Post holds it standing; DutyShift rows roster it by shift). `responsible_for`
names the person and the deputy for any object: the object's responsibility (包保) if its person is on duty, else its
deputy, else the on-duty holder of the post that answers for that kind of object on the object's region path, else the
superior post up the region tree (escalation). Every skipped step (off duty, vacant post) is recorded in the path."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cordon.accounts.models import Post
from cordon.command import rules
from cordon.command.enums import OffDutyReason
from cordon.command.models import DutyShift, OffDuty, Responsibility
from cordon.command.services.common import person_and_deputy, require_change
from cordon.command.services.common import region_path as known_region
from cordon.core import access, audit, clock
from cordon.core.access import ROLES
from cordon.core.errors import ServiceError

# The post that answers for a region at each level (1 city .. 5 grid): the escalation chain.
LEVEL_ROLE = {1: "city_commander", 2: "district_officer", 3: "street_officer", 4: "community_worker", 5: "grid_worker"}
# The post that answers for a kind of object before the region's own chain.
OBJECT_ROLE = {"zone": "street_officer", "site": "quarantine_manager", "checkpoint": "checkpoint_officer", "round": "street_officer",
               "testing_site": "community_worker", "closure": "street_officer", "gathering": "street_officer", "venue": "street_officer",
               "loan": "district_officer"}
ROLE_LEVEL = {role: level for level, role in LEVEL_ROLE.items()}
# A grid worker cannot act on command tasks (no command.change): the region's own chain starts at the community.
ACTING_LEVEL = 4
ROSTER_WINDOW = dt.timedelta(days=1)  # a post with shifts within a day of the moment is run by its roster, not standing


@dataclass
class Resolution:
    """Who answers for an object now: person, deputy, how the person was found and the steps skipped on the way."""

    person: object = None
    deputy: object = None
    via: str = ""
    steps: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready: {responsible: {id, name}|None, deputy: ..., via, path: [steps]}."""
        return {"responsible": person_ref(self.person), "deputy": person_ref(self.deputy), "via": self.via, "path": self.steps}


def person_ref(u) -> dict | None:
    """{id, name} of a user (None for nobody)."""
    return None if u is None else {"id": u.pk, "name": rules.display_name(u)}


def ancestors(region_path: str) -> list[str]:
    """The path itself and every region above it, nearest first."""
    parts = region_path.split(".")
    return [".".join(parts[:d]) for d in range(len(parts), 0, -1)]


def off_duty_map(at: dt.datetime, user_ids=None) -> dict[int, str]:
    """{user id: reason} of officers taken out at `at`."""
    qs = OffDuty.objects.filter(since__lte=at).filter(Q(until__isnull=True) | Q(until__gt=at))
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return dict(qs.values_list("user_id", "reason"))


def _step(kind: str, *, path: str = "", role: str = "", who=None, reason: str = "") -> dict:
    out = {"step": kind}
    if path:
        out["region"] = path
    if role:
        out["role"] = role
    if who is not None:
        out["user"], out["name"] = who.pk, rules.display_name(who)
    if reason:
        out["reason"] = reason
    return out


class _Posts:
    """The standing holders and the shifts of every post on one region path at one moment (two queries)."""

    def __init__(self, paths: list[str], roles: set[str], at: dt.datetime):
        self.at = at
        self.standing: dict[tuple, list] = {}
        for post in (Post.objects.filter(region__path__in=paths, role__in=roles, active=True, user__is_active=True)
                     .select_related("user", "region").order_by("id")):
            self.standing.setdefault((post.region.path, post.role), []).append(post.user)
        self.rostered: set[tuple] = set()
        self.shifts: dict[tuple, list] = {}
        for s in (DutyShift.objects.filter(region_path__in=paths, role__in=roles, start__lt=at + ROSTER_WINDOW,
                                            end__gt=at - ROSTER_WINDOW).select_related("user", "deputy").order_by("start", "id")):
            key = (s.region_path, s.role)
            self.rostered.add(key)
            if s.start <= at < s.end:
                self.shifts.setdefault(key, []).append(s)

    def candidates(self, path: str, role: str):
        """(user, how) for the post, in order: the shift holders, the shift deputies; standing holders when not rostered."""
        key = (path, role)
        if key in self.rostered:
            shifts = self.shifts.get(key, [])
            yield from ((s.user, "shift") for s in shifts)
            yield from ((s.deputy, "shift_deputy") for s in shifts if s.deputy_id)
        else:
            yield from ((u, "post") for u in self.standing.get(key, []))


def _walk(region_path: str, role: str, at: dt.datetime, off: dict, steps: list, exclude: set):
    """Everyone who could answer, best first: the role's holders up the path, then each level's own post (escalation)."""
    paths = ancestors(region_path)
    top = ROLE_LEVEL.get(role, 3)  # a specialised post (site, checkpoint) answers to the street and above
    chain = [(p, LEVEL_ROLE.get(p.count(".") + 1)) for p in paths if p.count(".") + 1 <= min(top, ACTING_LEVEL)]
    posts = _Posts(paths, {role, *(r for _, r in chain if r)}, at)
    plan = [(p, role, "post") for p in paths] + [(p, r, "escalated") for p, r in chain if r and r != role]
    for path, r, phase in plan:
        found = False
        for who, how in posts.candidates(path, r):
            if who.pk in exclude:
                continue
            if who.pk in off:
                steps.append(_step("off_duty", path=path, role=r, who=who, reason=off[who.pk]))
                continue
            found = True
            yield who, (how if phase == "post" else "escalated"), path, r
        if not found and (phase == "escalated" or path == region_path):
            steps.append(_step("vacant", path=path, role=r))


def default_role(region_path: str) -> str:
    """The post that answers for a region: its level's own post, the community's for a grid."""
    return LEVEL_ROLE[min(region_path.count(".") + 1, ACTING_LEVEL)]


def _responsibility(object_type: str, object_id: str, region_path: str):
    qs = Responsibility.objects.filter(object_type=object_type, object_id=object_id, active=True).select_related("responsible", "deputy")
    if not object_id:
        qs = qs.filter(region_path=region_path)
    return qs.order_by("-id").first()


def responsible_for(*, object_type: str = "", object_id="", region_path: str, role: str = "", at: dt.datetime | None = None,
                    exclude=(), off: dict[int, str] | None = None) -> Resolution:
    """The named person and deputy who answer for an object now, with the path (responsibility, deputy, post, escalation);
    `off` is off_duty_map(at) when the caller resolves many at one moment."""
    at = at or clock.now()
    object_id = str(object_id or "")
    exclude = set(exclude)
    steps: list = []
    resp = _responsibility(object_type, object_id, region_path) if object_type else None
    off = off_duty_map(at) if off is None else off
    named = []
    if resp is not None:
        for who, how in ((resp.responsible, "responsibility"), (resp.deputy, "deputy")):
            if who is None or who.pk in exclude:
                continue
            if who.pk in off:
                steps.append(_step("off_duty", path=resp.region_path, who=who, reason=off[who.pk]))
            else:
                named.append((who, how))
    role = role or OBJECT_ROLE.get(object_type) or default_role(region_path)
    seen = {u.pk for u, _ in named} | exclude
    for who, how, path, r in _walk(region_path, role, at, off, steps, exclude):
        if len(named) >= 2:
            break
        if who.pk in seen:
            continue
        seen.add(who.pk)
        if not named:
            steps.append(_step("found", path=path, role=r, who=who))
        named.append((who, how))
    if not named:
        return Resolution(via="nobody", steps=steps)
    person, via = named[0]
    if via == "responsibility" and not steps:
        steps.append(_step("found", path=resp.region_path, who=person))
    return Resolution(person=person, deputy=named[1][0] if len(named) > 1 else None, via=via, steps=steps)


def on_duty_now(*, region_path: str, at: dt.datetime | None = None) -> list[dict]:
    """Every post at `region_path` and the regions right below it: who holds it now (shift or standing), the deputy, or vacant."""
    at = at or clock.now()
    depth = region_path.count(".") + 1
    posts = Post.objects.filter(Q(region__path=region_path) | Q(region__path__startswith=region_path + ".", region__level__lte=depth + 1),
                                active=True).select_related("user", "region").order_by("region__path", "role", "id")
    shifts = DutyShift.objects.filter(Q(region_path=region_path) | Q(region_path__startswith=region_path + "."),
                                      start__lte=at, end__gt=at).select_related("user", "deputy")
    off = off_duty_map(at)
    rows: dict[tuple, dict] = {}
    for p in posts:
        row = rows.setdefault((p.region.path, p.role), {"region": p.region, "role": p.role, "holders": [], "shift": None})
        row["holders"].append({"user": p.user, "off": off.get(p.user_id, "")})
    for s in shifts:
        if s.region_path.count(".") > depth:
            continue
        row = rows.setdefault((s.region_path, s.role), {"region_path": s.region_path, "role": s.role, "holders": [], "shift": None})
        row["shift"] = {"user": s.user, "deputy": s.deputy, "start": s.start, "end": s.end, "off": off.get(s.user_id, "")}
    out = []
    for (path, role), row in sorted(rows.items()):
        duty = responsible_for(region_path=path, role=role, at=at)
        out.append({**row, "path": path, "role_label": ROLES[role].label if role in ROLES else role, "person": duty.person,
                    "deputy": duty.deputy, "via": duty.via})
    return out


def shift_add(*, actor, region_path: str, role: str, user_id, start: dt.datetime, end: dt.datetime, deputy_id=None,
              note: str = "") -> DutyShift:
    """Put a person on the roster for a post (a role at a region) from start to end, with the shift's deputy."""
    known_region(region_path)
    require_change(actor, region_path)
    if role not in ROLES:
        raise ServiceError.field("role", _("unknown post"))
    who, deputy = person_and_deputy(user_id, deputy_id, field="user", same_message=_("must be someone other than the person on duty"))
    if start is None or end is None or end <= start:
        raise ServiceError.field("end", _("must be after the start"))
    if DutyShift.objects.filter(user=who, start__lt=end, end__gt=start).exclude(region_path=region_path, role=role).exists():
        raise ServiceError.field("user", _("is on another post's shift at that time"), code="conflict")
    with transaction.atomic():
        shift = DutyShift.objects.create(region_path=region_path, role=role, user=who, deputy=deputy, start=start, end=end, note=note,
                                         created_by=access.user_or_none(actor))
        audit.record(actor, "duty.shift_add", shift, changes={"role": role, "user": who.pk, "deputy": deputy.pk if deputy else None,
                                                               "start": start, "end": end})
    return shift


def home_path(u) -> str:
    """The region of a user's first active post ("" when none)."""
    return Post.objects.filter(user=u, active=True).order_by("id").values_list("region__path", flat=True).first() or ""


def off_duty_validate(*, reason: str, since: dt.datetime | None, until: dt.datetime | None) -> None:
    """The reason is known and the period is not backwards."""
    if reason not in OffDutyReason.values:
        raise ServiceError.field("reason", _("must be one of %(values)s") % {"values": ", ".join(OffDutyReason.values)})
    if since and until and until <= since:
        raise ServiceError.field("until", _("must be after the start"))


def officers(ids) -> dict:
    """{id: user} of active users."""
    return {u.pk: u for u in get_user_model().objects.filter(pk__in=list(ids), is_active=True)}
