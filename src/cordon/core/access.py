"""Who may see and do what: the only place that decides.

A user holds posts; a post is a role bound to a region (materialised path). A permission is
"domain.action" (domain = an app's data, e.g. "people.view", "cases.change", "people.unmask").
A post grants a permission inside its region when its role's patterns match. Everything is
denied unless a post grants it. Superusers act as the city commander.

Out of scope -> 404 (never reveal that something exists elsewhere); in scope but the action is
not granted -> 403.

Work nobody clicked (the scheduler's jobs, signal receivers, the simulator, the demo seeders, command
line tools) acts as a named `SystemActor` (`access.system("scheduler")`): it holds the city
commander's grants and its audit entries say which part of the platform acted ("system:scheduler").
No service takes `None` for an actor: `None` and anonymous users are granted nothing.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

VIEW, CHANGE, EXPORT, UNMASK, ADMIN = "view", "change", "export", "unmask", "admin"


@dataclass(frozen=True)
class Role:
    code: str
    label: str
    label_en: str
    grants: tuple[str, ...]
    denies: tuple[str, ...] = ()


_ALL_READ = ("*.view",)
_PERSONAL = ("people.unmask", "people.export")
# Letting someone out who must stay (a case, a person under measures, a sealed-zone resident) for a medical emergency,
# childbirth or dialysis: the street and district officers and the commander decide, never the gate or checkpoint staff.
_EXIT_OVERRIDE = ("community.override", "checkpoints.override")

ROLES: dict[str, Role] = {
    r.code: r
    for r in [
        Role("city_commander", "市指挥部", "City commander", ("*",)),
        Role("district_officer", "区县干部", "District officer", ("*.view", "*.change", "*.export", "*.unmask", "*.approve", "*.publish", *_EXIT_OVERRIDE), ("core.*", "audit.*")),
        Role("street_officer", "街道干部", "Street officer", ("*.view", "*.change", "*.export", "*.unmask", *_EXIT_OVERRIDE), ("core.*", "audit.*", "bulletins.change", "bulletins.publish")),
        Role("community_worker", "社区工作者", "Community worker", (*_ALL_READ, "people.*", "community.*", "livelihood.*", "zones.view", "screening.view", "status.view", "contacts.view", "command.change", "selfreport.*"), _EXIT_OVERRIDE),
        Role("grid_worker", "网格员", "Grid worker", (*_ALL_READ, "people.change", "people.unmask", "people.export", "community.*", "livelihood.*", "screening.export", "selfreport.*"), _EXIT_OVERRIDE),
        Role("tracer", "流调员", "Tracer", (*_ALL_READ, *_PERSONAL, "cases.*", "contacts.*", "venues.*", "spacetime.*", "status.change", "assist.*")),
        Role("quarantine_manager", "隔离点管理员", "Quarantine-site manager", (*_ALL_READ, "people.unmask", "quarantine.*", "contacts.view", "command.change")),
        Role("sampler", "采样员", "Sampler", ("regions.view", "people.view", "screening.view", "screening.sample", "people.register")),
        Role("lab", "检测机构", "Laboratory", ("regions.view", "screening.view", "screening.result")),
        Role("checkpoint_officer", "卡口工作人员", "Checkpoint officer", ("regions.view", "checkpoints.*", "status.view", "people.view", "keyworkers.view"), _EXIT_OVERRIDE),
        Role("logistics", "后勤保障", "Logistics", ("regions.view", "supplies.*", "workforce.*", "livelihood.*", "people.view", "keyworkers.*")),
        Role("inspector", "督导检查", "Inspector", (*_ALL_READ, "command.*")),
        Role("viewer", "只读查看", "Read-only viewer", _ALL_READ),
    ]
}

ROLE_CHOICES = [(r.code, r.label) for r in ROLES.values()]


@dataclass(frozen=True)
class SystemActor:
    """The platform itself acting (a job, a receiver, the simulator): named, audited, city-wide."""

    name: str
    is_authenticated = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None

    @property
    def audit_label(self) -> str:
        return f"system:{self.name}"

    def get_username(self) -> str:
        return self.audit_label


def system(name: str) -> SystemActor:
    """The named system actor for background work (scheduler, receivers, sim, demo, cli)."""
    if not name:
        raise ValueError(_("a system actor needs a name"))
    return SystemActor(name)


def is_system(actor) -> bool:
    return isinstance(actor, SystemActor)


def user_or_none(actor):
    """The acting user for a `created_by`-style foreign key: None for the platform itself."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _matches(patterns: tuple[str, ...], perm: str) -> bool:
    return any(fnmatchcase(perm, p) for p in patterns)


def role_grants(role_code: str, perm: str) -> bool:
    role = ROLES.get(role_code)
    if role is None:
        return False
    return _matches(role.grants, perm) and not _matches(role.denies, perm)


def posts(actor) -> list[tuple[str, str]]:
    """[(role, region_path)] for an authenticated active actor, cached on the actor object."""
    if isinstance(actor, SystemActor):
        return [("city_commander", "")]
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return []
    cached = getattr(actor, "_cordon_posts", None)
    if cached is None:
        if actor.is_superuser:
            # The city commander's post at the root: "" is the whole city (every region path is inside it).
            cached = [("city_commander", "")]
        else:
            cached = list(actor.posts.filter(active=True).values_list("role", "region__path"))
        actor._cordon_posts = cached
    return cached


def forget(actor) -> None:
    """Drop cached posts after they change."""
    if actor is not None and not isinstance(actor, SystemActor) and hasattr(actor, "_cordon_posts"):
        del actor._cordon_posts


def _inside(path: str, area: str) -> bool:
    return area == "" or path == area or path.startswith(area + ".")


def _collapse(areas: list[str]) -> list[str]:
    """Drop areas already covered by an ancestor in the list."""
    out: list[str] = []
    for area in sorted(set(areas), key=len):
        if not any(_inside(area, kept) for kept in out):
            out.append(area)
    return out


def areas(actor, perm: str) -> list[str]:
    """Region paths inside which `actor` holds `perm` (minimal list; "" means everywhere)."""
    return _collapse([path for role, path in posts(actor) if role_grants(role, perm)])


def can(actor, perm: str, region_path: str | None = None) -> bool:
    """Does the actor hold `perm` at `region_path` (anywhere, when None)?"""
    granted = areas(actor, perm)
    if region_path is None:
        return bool(granted)
    return any(_inside(region_path, area) for area in granted)


def require(actor, perm: str, region_path: str | None = None) -> None:
    if not can(actor, perm, region_path):
        raise PermissionDenied(perm)


def domain_of(model) -> str:
    return getattr(model, "ACCESS_DOMAIN", None) or model._meta.app_label


def perm_for(model, action: str) -> str:
    return action if "." in action else f"{domain_of(model)}.{action}"


def scope_q(actor, perm: str, field: str = "region_path") -> Q | None:
    """A filter for rows inside the actor's areas for `perm`, or None when there are none."""
    granted = areas(actor, perm)
    if not granted:
        return None
    q = Q()
    for area in granted:
        if area == "":
            return Q()
        q |= Q(**{field: area}) | Q(**{f"{field}__startswith": area + "."})
    return q


def scope(queryset, actor, action: str = VIEW, field: str = "region_path"):
    """The queryset narrowed to what the actor may `action` (deny by default)."""
    q = scope_q(actor, perm_for(queryset.model, action), field)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def get_for(actor, queryset, action: str = VIEW, **lookup):
    """One object: 404 when missing or outside the actor's view, 403 when visible but `action` is not granted."""
    obj = scope(queryset, actor, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404("not found")
    if action != VIEW:
        require(actor, perm_for(queryset.model, action), obj.region_path)
    return obj


def can_unmask(actor, obj_or_path, domain: str = "people") -> bool:
    path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.region_path
    return can(actor, f"{domain}.{UNMASK}", path)
