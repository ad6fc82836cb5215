"""The city and district figures at a cut-off: one definition used by the dashboard snapshots, the daily
report and the public bulletins, so the same cut-off always gives the same numbers.

Each figure reads another module's models or selectors through a normal import: a missing model or a
renamed selector fails at import (and in the tests), never as a figure that quietly reads "not available".
`snapshot_data` is heavy by design (counts over the whole region): it runs in the snapshot job
(reports.jobs.snapshot_metrics), never per request.
"""

import datetime as dt

from django.db.models import Count, Q, Sum

from cordon.accounts.models import Post
from cordon.cases.models import Case
from cordon.command.models import DispatchMatch, LedgerItem, Task
from cordon.command.rules import display_name
from cordon.contacts.models import RiskPerson
from cordon.core import access, clock
from cordon.core.filters import inside
from cordon.livelihood.models import Emergency
from cordon.quarantine import selectors as quarantine_selectors
from cordon.quarantine.models import Site
from cordon.regions.models import Level, Region
from cordon.screening.models import Round, Sample, Tube
from cordon.selfreport import selectors as selfreport_selectors
from cordon.status.models import StatusReason
from cordon.supplies import selectors as supplies_selectors
from cordon.surveillance import selectors as surveillance_selectors
from cordon.zones.models import Zone

DAY = dt.timedelta(days=1)
TREND_DAYS = 14

# Figures shown on the dashboard, in the daily report and available to bulletins: key -> label (zh, en).
FIGURES = {
    "cases_new": ("新增阳性感染者", "New infections"),
    "cases_new_confirmed": ("新增确诊病例", "New confirmed cases"),
    "cases_new_asymptomatic": ("新增无症状感染者", "New asymptomatic infections"),
    "cases_total": ("累计阳性感染者", "Infections to date"),
    "rt_districts_above_one": ("Rt>1的区县数(可估计区县中)", "Districts with Rt > 1 (of those estimable)"),
    "rt_districts_estimable": ("Rt可估计的区县数", "Districts with an Rt estimate"),
    "rt_districts_not_estimable": ("Rt不足以估计的区县数", "Districts with too few cases for Rt"),
    "contacts_new": ("新增密切接触者", "New close contacts"),
    "contacts_total": ("累计密切接触者", "Close contacts to date"),
    "risk_people_open": ("在管风险人员", "Risk people under management"),
    "measure_centralized_quarantine": ("集中隔离人数", "In centralized quarantine"),
    "measure_home_isolation": ("居家隔离人数", "In home isolation"),
    "measure_home_monitoring": ("居家健康监测人数", "Under home health monitoring"),
    "measure_close_contact": ("密接管控人数", "Close contacts under measures"),
    "measure_awaiting_site": ("待转运集中隔离人数", "Due for a quarantine site, not yet in one"),
    "selfreport_enrolled": ("居家人员应自报人数", "People at home due to self-report"),
    "selfreport_reported": ("居家人员已自报人数", "People at home who self-reported"),
    "selfreport_missing": ("居家人员未自报人数", "People at home who did not self-report"),
    "selfreport_fever": ("自报发热或有症状人数", "Self-reported fever or symptoms"),
    "quarantine_rooms": ("隔离房间数", "Quarantine rooms"),
    "quarantine_occupied": ("隔离房间在用", "Quarantine rooms occupied"),
    "quarantine_free": ("隔离房间可用", "Quarantine rooms free (open sites)"),
    "quarantine_occupancy_pct": ("隔离房间使用率(%)", "Quarantine occupancy (%)"),
    "screening_sampled": ("当日采样人次", "People sampled today"),
    "screening_coverage_pct": ("核酸检测覆盖率(%)", "Testing coverage (%)"),
    "screening_pending_tubes": ("待检样本管", "Tubes awaiting results"),
    "supply_min_days": ("物资最短保障天数", "Shortest supply cover (days)"),
    "supply_low_lines": ("低于安全库存天数的物资品项", "Supply lines below their safety days"),
    "emergencies_open": ("未办结急难求助", "Open emergency requests"),
    "tasks_open": ("在办任务", "Open tasks"),
    "tasks_overdue": ("超时任务", "Overdue tasks"),
    "ledger_open": ("未销号督办事项", "Open ledger items"),
    "ledger_overdue": ("超期未整改事项", "Overdue ledger items"),
    "ledger_public": ("挂牌督办事项", "Items under public tracking"),
    "dispatch_on_loan": ("跨区支援在途", "Cross-district loans out"),
}
MEASURE_REASONS = ("centralized_quarantine", "home_isolation", "home_monitoring", "close_contact")


def _cases(path: str, cut_off: dt.datetime) -> dict:
    qs = Case.objects.filter(inside(path), confirmed_at__lt=cut_off)
    day = qs.filter(confirmed_at__gte=cut_off - DAY).values("kind").annotate(n=Count("id"))
    by_kind = {row["kind"]: row["n"] for row in day}
    return {"cases_new": sum(by_kind.values()), "cases_new_confirmed": by_kind.get("confirmed", 0),
            "cases_new_asymptomatic": by_kind.get("asymptomatic", 0), "cases_total": qs.count()}


def _contacts(path: str, cut_off: dt.datetime) -> dict:
    close = RiskPerson.objects.filter(inside(path), category="close_contact", created_at__lt=cut_off).exclude(status="rejected")
    open_qs = RiskPerson.objects.filter(inside(path), created_at__lt=cut_off).filter(
        Q(status__in=("proposed", "confirmed", "under_measures")) | Q(released_at__gte=cut_off))
    return {"contacts_new": close.filter(created_at__gte=cut_off - DAY).count(), "contacts_total": close.count(),
            "risk_people_open": open_qs.count()}


def _measures(path: str, cut_off: dt.datetime) -> dict:
    """Close contacts under measures from the status reasons; people in a site, at home, or due for a site from the
    one quarantine selector (people_in_measures: stays with status in, and the queue), never from plan phases."""
    close = (StatusReason.objects.filter(inside(path), reason="close_contact", since__lte=cut_off)
             .filter(Q(until__isnull=True) | Q(until__gt=cut_off))
             .filter(Q(active=True) | Q(cleared_at__gt=cut_off))
             .values("person_id").distinct().count())
    return {"measure_close_contact": close}


def _people_in_quarantine(path: str, cut_off: dt.datetime) -> dict:
    people = quarantine_selectors.people_in_measures(region_path=path, cut_off=cut_off)
    return {"measure_centralized_quarantine": people["centralized"], "measure_home_isolation": people["home_isolation"],
            "measure_home_monitoring": people["home_monitoring"], "measure_awaiting_site": people["awaiting_site"]}


def _selfreport(path: str, cut_off: dt.datetime) -> dict:
    """People under home measures due to self-report on the cut-off's city day, who did (before the cut-off), who
    did not, and who reported a fever or a symptom (selfreport.selectors.day_figures)."""
    f = selfreport_selectors.day_figures(region_path=path, day=clock.day_of(cut_off - dt.timedelta(microseconds=1)), cut_off=cut_off)
    return {"selfreport_enrolled": f["enrolled"], "selfreport_reported": f["reported"], "selfreport_missing": f["missing"],
            "selfreport_fever": f["fever"]}


def _quarantine(path: str, cut_off: dt.datetime) -> dict:
    # Rooms keep no status history: occupancy is the state when the snapshot is taken (quarantine.selectors.room_figures).
    rooms = quarantine_selectors.room_figures(region_path=path)
    total, used = rooms["rooms"], rooms["occupied"]
    return {"quarantine_rooms": total, "quarantine_occupied": used, "quarantine_free": rooms["free"],
            "quarantine_occupancy_pct": round(100.0 * used / total, 1) if total else 0.0}


def _screening(path: str, cut_off: dt.datetime) -> dict:
    day = Sample.objects.filter(inside(path), sampled_at__gte=cut_off - DAY, sampled_at__lt=cut_off).count()
    rnd = (Round.objects.filter(status__in=("published", "closed"), starts_at__lte=cut_off)
           .filter(inside(path) | Q(region_path__in=[".".join(path.split(".")[:i]) for i in range(1, path.count(".") + 1)]))
           .order_by("-starts_at").first())
    coverage = 0.0
    if rnd is not None:
        population = Region.objects.filter(path=path).values_list("population", flat=True).first() or 0
        sampled = (Sample.objects.filter(inside(path), round=rnd, is_retest=False, sampled_at__lt=cut_off)
                   .values("person_id").distinct().count())
        coverage = round(100.0 * sampled / population, 1) if population else 0.0
    pending = Tube.objects.filter(inside(path), result="pending", status__in=("closed", "received"), opened_at__lt=cut_off).count()
    return {"screening_sampled": day, "screening_coverage_pct": coverage, "screening_pending_tubes": pending}


def low_supplies(*, region_path: str) -> list[dict]:
    """Stock lines inside a region whose days of supply fall under the item's own safety days (supplies.selectors.forecast),
    shortest first: what the low-supply alert names. Stock is a current state, so this is today's whatever the cut-off."""
    rows = [r for r in supplies_selectors.forecast(actor=access.system("command"))
            if r["low"] and (r["region_path"] == region_path or r["region_path"].startswith(region_path + "."))]
    rows.sort(key=lambda r: (r["days"] is None, r["days"] or 0))
    return [{"warehouse": r["warehouse"], "item": r["item"], "days": None if r["days"] is None else round(float(r["days"]), 1),
             "low_days": r["low_days"]} for r in rows]


def _supplies(path: str, cut_off: dt.datetime) -> dict:
    days = supplies_selectors.supply_days(actor=access.system("command"), region_path=path)
    return {"supply_min_days": None if days is None else round(float(days), 1), "supply_low_lines": len(low_supplies(region_path=path))}


def _rt(path: str, cut_off: dt.datetime) -> dict:
    # Only estimable districts (posterior CV below the rule set's threshold) are counted above 1 (lower bound > 1).
    counts = surveillance_selectors.rt_district_counts(region_path=path, on=clock.day_of(cut_off - dt.timedelta(microseconds=1)))
    return {"rt_districts_above_one": counts["above_one"], "rt_districts_estimable": counts["estimable"],
            "rt_districts_not_estimable": counts["not_estimable"]}


def _livelihood(path: str, cut_off: dt.datetime) -> dict:
    n = (Emergency.objects.filter(inside(path), created_at__lt=cut_off)
         .filter(~Q(status="closed") | Q(closed_at__gte=cut_off)).count())
    return {"emergencies_open": n}


def _command(path: str, cut_off: dt.datetime) -> dict:
    tasks = Task.objects.filter(inside(path), created_at__lt=cut_off).filter(
        Q(status__in=("open", "in_progress")) | Q(done_at__gte=cut_off))
    ledger = LedgerItem.objects.filter(inside(path), created_at__lt=cut_off).filter(
        Q(status__in=("open", "rectified")) | Q(closed_at__gte=cut_off))
    agg_t = tasks.aggregate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=cut_off)))
    agg_l = ledger.aggregate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=cut_off) & ~Q(status="rectified")),
                             public=Count("id", filter=Q(public_tracking=True)))
    loans = DispatchMatch.objects.filter(inside(path) | inside(path, "borrower_path"),
                                         status="dispatched", dispatched_at__lt=cut_off).aggregate(n=Sum("quantity"))
    return {"tasks_open": agg_t["open"], "tasks_overdue": agg_t["overdue"], "ledger_open": agg_l["open"],
            "ledger_overdue": agg_l["overdue"], "ledger_public": agg_l["public"], "dispatch_on_loan": loans["n"] or 0}


PROVIDERS = [_cases, _contacts, _measures, _quarantine, _people_in_quarantine, _selfreport, _screening, _rt, _supplies, _livelihood, _command]


QUARANTINE_PROVIDERS = (_quarantine, _people_in_quarantine)  # the room and people-in-measures figures


def figures(*, region_path: str, cut_off: dt.datetime, providers=PROVIDERS) -> dict:
    """{figure: value} for a region at a cut-off (None only where a figure has no value, e.g. no supply consumption);
    `providers` (default all) limits the counts made, e.g. QUARANTINE_PROVIDERS for the quarantine figures alone."""
    out: dict = {key: None for key in FIGURES}
    for provider in providers:
        out.update(provider(region_path, cut_off))
    return out


def outbreak_start(*, region_path: str) -> dt.datetime | None:
    """When the outbreak began in a region: the first case confirmed inside it (None before any case)."""
    first = Case.objects.filter(inside(region_path), confirmed_at__isnull=False).order_by("confirmed_at").values_list("confirmed_at", flat=True)
    return first.first()


def _daily_counts(model, path: str, field: str, days: list[dt.date], **filters) -> list[int]:
    start, end = clock.day_start(days[0]), clock.day_bounds(days[-1])[1]
    stamps = model.objects.filter(inside(path), **{f"{field}__gte": start, f"{field}__lt": end}, **filters).values_list(field, flat=True)
    counts = dict.fromkeys(days, 0)
    for stamp in stamps.iterator():
        d = clock.day_of(stamp)
        if d in counts:
            counts[d] += 1
    return [counts[d] for d in days]


def trend(*, region_path: str, cut_off: dt.datetime, days: int = TREND_DAYS) -> dict:
    """New infections and close contacts per day over the `days` days up to the cut-off."""
    last = clock.day_of(cut_off - dt.timedelta(microseconds=1))
    dates = [last - dt.timedelta(days=i) for i in range(days - 1, -1, -1)]
    return {"dates": [d.isoformat() for d in dates],
            "cases": _daily_counts(Case, region_path, "confirmed_at", dates),
            "contacts": _daily_counts(RiskPerson, region_path, "created_at", dates, category="close_contact")}


def _posts(user_ids) -> dict[int, str]:
    """A person's post next to their name: the unit and the role of their first active post (永安街道 街道干部)."""
    out: dict[int, str] = {}
    for p in Post.objects.filter(user_id__in=[u for u in user_ids if u], active=True).select_related("region").order_by("id"):
        role = access.ROLES.get(p.role)
        out.setdefault(p.user_id, f"{p.region.name} {role.label if role else p.role}")
    return out


def late_items(*, region_path: str, cut_off: dt.datetime, limit: int = 15) -> dict:
    """What is late and whose it is: the most overdue tasks and ledger items with their owners (name and post)."""
    tasks = list(Task.objects.filter(inside(region_path), status__in=("open", "in_progress"), deadline__lt=cut_off)
                 .select_related("owner").order_by("priority", "deadline")[:limit])
    items = list(LedgerItem.objects.filter(inside(region_path), status="open", deadline__lt=cut_off)
                 .select_related("owner").order_by("deadline")[:limit])
    posts = _posts({t.owner_id for t in tasks} | {i.owner_id for i in items})
    return {
        "tasks": [{"id": t.pk, "title": t.title, "owner": display_name(t.owner), "owner_id": t.owner_id, "post": posts.get(t.owner_id, ""),
                   "deadline": t.deadline.isoformat(), "hours_late": round((cut_off - t.deadline).total_seconds() / 3600, 1),
                   "priority": t.priority, "escalation_level": t.escalation_level, "region_path": t.region_path} for t in tasks],
        "ledger": [{"id": i.pk, "title": i.title, "owner": display_name(i.owner), "owner_id": i.owner_id, "post": posts.get(i.owner_id, ""),
                    "deadline": i.deadline.isoformat(), "severity": i.severity, "public": i.public_tracking, "region_path": i.region_path}
                   for i in items],
    }


def map_layers(*, region_path: str, cut_off: dt.datetime) -> dict:
    """Per-district counts for the map: infections to date, new infections, zones and sites in force."""
    districts = list(Region.objects.filter(level=Level.DISTRICT).filter(inside(region_path, "path") | Q(
        path__in=[".".join(region_path.split(".")[:i]) for i in range(1, region_path.count(".") + 2)])).order_by("path")
        .values("name", "path", "lon", "lat"))
    out = []
    for d in districts:
        row = {"name": d["name"], "path": d["path"], "lon": d["lon"], "lat": d["lat"], "cases_total": None, "cases_new": None,
               "zones": None, "sites": None}
        c = _cases(d["path"], cut_off)
        row["cases_total"], row["cases_new"] = c["cases_total"], c["cases_new"]
        for key, model, statuses in (("zones", Zone, ("in_force", "countdown", "eligible")), ("sites", Site, ("open", "full"))):
            row[key] = model.objects.filter(inside(d["path"]), status__in=statuses).count()
        out.append(row)
    return {"districts": out}


def snapshot_data(*, region_path: str, cut_off: dt.datetime) -> dict:
    """Everything the dashboard shows for a region at a cut-off."""
    return {"figures": figures(region_path=region_path, cut_off=cut_off),
            "trend": trend(region_path=region_path, cut_off=cut_off),
            "late": late_items(region_path=region_path, cut_off=cut_off),
            "map": map_layers(region_path=region_path, cut_off=cut_off),
            "supply_low": low_supplies(region_path=region_path)[:10]}
