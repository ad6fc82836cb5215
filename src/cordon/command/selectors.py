"""Reads of tasks, responsibilities, the supervision ledger, dispatch, snapshots and reports."""

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404

from cordon.command.filters import (
    OPEN,
    DispatchMatchFilter,
    DispatchPostFilter,
    InspectionFilter,
    LedgerFilter,
    ResponsibilityFilter,
    TaskFilter,
)
from cordon.command.models import (
    DailyReport,
    DispatchMatch,
    DispatchMember,
    DispatchPost,
    Inspection,
    LedgerItem,
    MetricSnapshot,
    Responsibility,
    Task,
    TaskStatus,
)
from cordon.core import access, clock
from cordon.regions.models import Region
from cordon.regions.selectors import root_path


def task_list(*, actor, filters: Mapping | None = None) -> QuerySet[Task]:
    """Tasks inside the actor's jurisdiction by deadline, filtered by TaskFilter."""
    return TaskFilter.apply(filters, Task.objects.visible_to(actor, "view").select_related("owner", "deputy").order_by("deadline"))


# The action of working on one's own task (start it, close it as done): its owner and deputy may, whatever their role.
WORK = "work"


def task_get(*, actor, pk: int, action: str = "view") -> Task:
    """One task (404 outside the actor's area); its owner and deputy always see their own task and may work on it
    (action WORK), whatever their role (a sampler or a lab given a retest or a result to enter opens the task's link)."""
    me = access.user_or_none(actor)
    if action in ("view", WORK) and me is not None:
        mine = Task.objects.select_related("owner").filter(Q(owner=me) | Q(deputy=me), pk=pk).first()
        if mine is not None:
            return mine
    return access.get_for(actor, Task.objects.select_related("owner"), "change" if action == WORK else action, pk=pk)


def _stats_fields(now: dt.datetime) -> dict:
    done = Q(status=TaskStatus.DONE)
    return {
        "total": Count("id"),
        "on_time": Count("id", filter=done & Q(done_at__lte=F("deadline"))),
        "late": Count("id", filter=done & Q(done_at__gt=F("deadline"))),
        "open": Count("id", filter=Q(status__in=OPEN, deadline__gte=now)),
        "overdue": Count("id", filter=Q(status__in=OPEN, deadline__lt=now)),
        "escalated": Count("id", filter=Q(escalation_level__gt=0)),
    }


def _unit_width(level: int) -> int:
    """Length of the region paths at a level (codes have a fixed width per level), for grouping by path prefix."""
    return Region.objects.filter(level=level).annotate(n=Length("path")).order_by("-n").values_list("n", flat=True).first() or 0


def task_stats(*, actor, by: str = "owner", since: dt.datetime | None = None, until: dt.datetime | None = None) -> list[dict]:
    """Tasks on time, late, open and overdue per person (by="owner") or per unit (by="unit": the street level, or district)."""
    now = clock.now()
    qs = Task.objects.visible_to(actor, "view").exclude(status=TaskStatus.CANCELLED)
    if since:
        qs = qs.filter(created_at__gte=since)
    if until:
        qs = qs.filter(created_at__lt=until)
    if by == "owner":
        rows = list(qs.values("owner_id", "owner__username", "owner__first_name").annotate(**_stats_fields(now)).order_by("-overdue", "-total"))
        for r in rows:
            r["key"] = r.pop("owner_id")
            r["label"] = r.pop("owner__first_name") or r.pop("owner__username") or "—"
            r.pop("owner__username", None)
    else:
        width = _unit_width(2 if by == "district" else 3)
        rows = list(qs.annotate(unit=Substr("region_path", 1, width)).values("unit").annotate(**_stats_fields(now)).order_by("unit"))
        names = dict(Region.objects.filter(path__in=[r["unit"] for r in rows]).values_list("path", "name"))
        for r in rows:
            r["key"] = r.pop("unit")
            r["label"] = names.get(r["key"], r["key"])
    for r in rows:
        closed = r["on_time"] + r["late"]
        r["on_time_pct"] = round(100.0 * r["on_time"] / closed, 1) if closed else None
    return rows


def user_choices(*, actor) -> QuerySet:
    """Users holding a post inside the actor's area (candidates for owner, deputy, responsible)."""
    q = access.scope_q(actor, "command.view", field="posts__region__path")
    User = get_user_model()
    if q is None:
        return User.objects.none()
    lent_in = staff_on_loan(actor=actor).values("user_id")  # people lent to the area serve it as its own staff meanwhile
    return User.objects.filter((q & Q(posts__active=True)) | Q(pk__in=lent_in), is_active=True).distinct().order_by("username")


def responsibility_list(*, actor, filters: Mapping | None = None) -> QuerySet[Responsibility]:
    """Responsibilities (包保) in force inside the actor's area, filtered by ResponsibilityFilter."""
    qs = (Responsibility.objects.visible_to(actor, "view").filter(active=True).select_related("responsible", "deputy")
          .order_by("region_path", "object_type"))
    return ResponsibilityFilter.apply(filters, qs)


def responsibility_get(*, actor, pk: int, action: str = "view") -> Responsibility:
    """One responsibility."""
    return access.get_for(actor, Responsibility.objects.all(), action, pk=pk)


def duties_of(*, actor, user_id: int) -> dict:
    """Everything a person answers for, inside the actor's area: responsibilities, deputy roles, open tasks, open ledger items.

    404 unless the person holds an active post inside the actor's area or above it (the actor's chain of command, to
    whom their tasks escalate); a user name elsewhere is not revealed. Only those posts are listed."""
    q = access.scope_q(actor, "command.view", field="region__path")
    user = get_user_model().objects.filter(pk=user_id).first()
    # the chain of command: the regions above every post the actor holds (whatever its role), and the actor's own
    above = {path.rsplit(".", n)[0] for _role, path in access.posts(actor) for n in range(path.count(".") + 1)}
    visible = Q(region__path__in=above) if q is None else q | Q(region__path__in=above)
    posts = [] if user is None or not above else list(user.posts.filter(visible, active=True).select_related("region"))
    if not posts:
        raise Http404("not found")
    resp = responsibility_list(actor=actor, filters={"user": user_id})
    return {
        "user": user,
        "posts": posts,
        "responsible": [r for r in resp if r.responsible_id == user.pk],
        "deputy": [r for r in resp if r.deputy_id == user.pk],
        "tasks": list(task_list(actor=actor, filters={"owner": user.pk}).filter(status__in=OPEN)[:200]),
        "ledger": list(ledger_list(actor=actor, filters={"owner": user.pk}).filter(status__in=["open", "rectified"])[:200]),
    }


def inspection_list(*, actor, filters: Mapping | None = None) -> QuerySet[Inspection]:
    """Inspections inside the actor's area, newest first, filtered by InspectionFilter."""
    qs = Inspection.objects.visible_to(actor, "view").select_related("inspector").annotate(n_items=Count("items")).order_by("-at")
    return InspectionFilter.apply(filters, qs)


def inspection_get(*, actor, pk: int) -> Inspection:
    """One inspection."""
    return access.get_for(actor, Inspection.objects.select_related("inspector"), "view", pk=pk)


def ledger_list(*, actor, filters: Mapping | None = None) -> QuerySet[LedgerItem]:
    """Ledger items (挂账) inside the actor's area, filtered by LedgerFilter."""
    qs = LedgerItem.objects.visible_to(actor, "view").select_related("owner", "inspection").order_by("status", "deadline")
    return LedgerFilter.apply(filters, qs)


def ledger_get(*, actor, pk: int, action: str = "view") -> LedgerItem:
    """One ledger item."""
    return access.get_for(actor, LedgerItem.objects.select_related("owner", "inspection", "closed_by"), action, pk=pk)


def public_tracking_items() -> list[dict]:
    """Items under public tracking (挂牌督办) for the public portal: title, place, deadline, state; nothing personal."""
    rows = list(LedgerItem.objects.filter(public_tracking=True).select_related("inspection").order_by("status", "deadline")[:100])
    names = dict(Region.objects.filter(path__in={r.region_path for r in rows}).values_list("path", "name"))
    return [{"title": r.title, "area": names.get(r.region_path, ""), "place": r.inspection.place if r.inspection else "",
             "deadline": r.deadline, "status": r.status, "closed_at": r.closed_at} for r in rows]


def accountability_report(*, actor, start: dt.date, end: dt.date, by: str = "district") -> list[dict]:
    """Per unit and period: inspections, findings, closed on time / late, still open and overdue, tasks on time / late / overdue."""
    since, until = clock.day_start(start), clock.day_start(end + dt.timedelta(days=1))
    now = clock.now()
    depth = 2 if by == "district" else 3
    units = {r.path: r.name for r in Region.objects.filter(level=depth)}
    width = _unit_width(depth)
    items = (LedgerItem.objects.visible_to(actor, "view").filter(created_at__gte=since, created_at__lt=until)
             .annotate(unit=Substr("region_path", 1, width)).values("unit").annotate(
                 found=Count("id"),
                 severe=Count("id", filter=Q(severity="severe")),
                 closed_on_time=Count("id", filter=Q(status="closed", closed_at__lte=F("deadline"))),
                 closed_late=Count("id", filter=Q(status="closed", closed_at__gt=F("deadline"))),
                 open_overdue=Count("id", filter=Q(status="open", deadline__lt=now)),
                 still_open=Count("id", filter=~Q(status="closed")),
                 reopened=Count("id", filter=Q(reopened__gt=0))))
    inspections = (Inspection.objects.visible_to(actor, "view").filter(at__gte=since, at__lt=until)
                   .annotate(unit=Substr("region_path", 1, width)).values("unit").annotate(n=Count("id")))
    tasks = {r["key"]: r for r in task_stats(actor=actor, by=by, since=since, until=until)}
    rows: dict[str, dict] = {}
    for r in items:
        rows.setdefault(r["unit"], {}).update({k: v for k, v in r.items() if k != "unit"})
    for r in inspections:
        rows.setdefault(r["unit"], {})["inspections"] = r["n"]
    for key, t in tasks.items():
        rows.setdefault(key, {}).update({"tasks_on_time": t["on_time"], "tasks_late": t["late"], "tasks_overdue": t["overdue"]})
    keys = ["inspections", "found", "severe", "closed_on_time", "closed_late", "reopened", "still_open", "open_overdue",
            "tasks_on_time", "tasks_late", "tasks_overdue"]
    out = []
    for unit in sorted(rows):
        row = {"unit": unit, "name": units.get(unit, unit), **{k: rows[unit].get(k, 0) for k in keys}}
        pen = row["open_overdue"] + row["closed_late"] + row["reopened"] + row["tasks_overdue"] + row["tasks_late"]
        row["flag"] = "red" if row["open_overdue"] or row["tasks_overdue"] else ("yellow" if pen else "green")
        out.append(row)
    return out


def dispatch_posts(*, actor, filters: Mapping | None = None) -> QuerySet[DispatchPost]:
    """Requests and offers inside the actor's area, filtered by DispatchPostFilter."""
    return DispatchPostFilter.apply(filters, DispatchPost.objects.visible_to(actor, "view").order_by("-created_at"))


def dispatch_matches(*, actor, filters: Mapping | None = None) -> QuerySet[DispatchMatch]:
    """Loans the actor's area lends (scope) or borrows (borrower path inside the actor's area)."""
    lend = access.scope_q(actor, "command.view")
    borrow = access.scope_q(actor, "command.view", field="borrower_path")
    if lend is None:
        return DispatchMatch.objects.none()
    qs = DispatchMatch.objects.filter(lend | borrow).select_related("request", "offer", "approved_by").order_by("-created_at")
    return DispatchMatchFilter.apply(filters, qs)


def dispatch_match_get(*, actor, pk: int, action: str = "view") -> DispatchMatch:
    """One loan (scoped on the lender)."""
    return access.get_for(actor, DispatchMatch.objects.select_related("request", "offer"), action, pk=pk)


def dispatch_loan_get(*, actor, pk: int) -> DispatchMatch:
    """One loan seen by its lender or its borrower (404 for anyone else), with its people and items."""
    m = dispatch_matches(actor=actor).filter(pk=pk).prefetch_related("members__user", "lines").first()
    if m is None:
        raise Http404("not found")
    return m


def dispatch_member_get(*, actor, pk: int) -> DispatchMember:
    """One person lent, for the lender to confirm the return (404 outside the lending area)."""
    member = DispatchMember.objects.select_related("match", "user").filter(pk=pk).first()
    if member is None:
        raise Http404("not found")
    access.get_for(actor, DispatchMatch.objects.all(), "change", pk=member.match_id)
    return member


def staff_on_loan(*, actor, on: dt.date | None = None) -> QuerySet[DispatchMember]:
    """People lent to the actor's area and serving there on a day (loan under way, started, not yet returned)."""
    borrow = access.scope_q(actor, "command.view", field="match__borrower_path")
    if borrow is None:
        return DispatchMember.objects.none()
    return (DispatchMember.objects.filter(borrow, match__status="dispatched", returned_at__isnull=True, start__lte=on or clock.today())
            .select_related("user", "match").order_by("planned_return", "id"))


def dispatch_post_get(*, actor, pk: int, action: str = "view") -> DispatchPost:
    """One request or offer."""
    return access.get_for(actor, DispatchPost.objects.all(), action, pk=pk)


def home_region_path(*, actor) -> str:
    """The widest region the actor may view command data in (the city for HQ, else the first district)."""
    areas = access.areas(actor, "command.view")
    if not areas:
        return ""
    if "" in areas:
        return root_path()
    return ".".join(sorted(areas, key=len)[0].split(".")[:2])


def snapshot_latest(*, actor, region_path: str | None = None) -> MetricSnapshot | None:
    """The newest stored snapshot for the actor's home region (or a region inside it)."""
    path = region_path or home_region_path(actor=actor)
    if not path:
        return None
    return MetricSnapshot.objects.visible_to(actor, "view").filter(region_path=path).order_by("-cut_off").first()


def snapshot_series(*, actor, region_path: str, limit: int = 30) -> list[MetricSnapshot]:
    """Recent snapshots of one region, oldest first (for figures over time)."""
    rows = list(MetricSnapshot.objects.visible_to(actor, "view").filter(region_path=region_path).order_by("-cut_off")
                .only("cut_off", "data")[:limit])
    return rows[::-1]


def report_list(*, actor, region_path: str | None = None) -> QuerySet[DailyReport]:
    """Daily reports, newest first, every version kept."""
    qs = DailyReport.objects.visible_to(actor, "view").select_related("created_by")
    return qs.filter(region_path=region_path) if region_path else qs


def report_get(*, actor, pk: int) -> DailyReport:
    """One daily report."""
    return access.get_for(actor, DailyReport.objects.all(), "view", pk=pk)
