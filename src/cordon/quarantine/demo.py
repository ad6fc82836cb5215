"""Demo data: sites per district (with reserve gaps), people in quarantine with monitoring and tests,
a placement proposal for district A waiting for the site manager, home measures, transfers."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cordon.core import access, clock
from cordon.people.models import Person
from cordon.quarantine import rules, services
from cordon.quarantine.enums import (
    ACTIVE_STAY,
    READINESS_ITEMS,
    RoomStatus,
    SiteStatus,
    StayStatus,
    TestResult,
)
from cordon.quarantine.models import PlacementRequest, Reading, Room, ScheduledTest, Site, Stay, Transfer
from cordon.regions.models import Level, Region

SYSTEM = access.system("demo")  # this module's work that no user clicked

HOTELS = ["锦江之星", "如家酒店", "汉庭酒店", "全季酒店", "维也纳酒店", "格林豪泰", "城市便捷", "青年旅舍", "培训中心", "疗养院"]


def _people(district: Region, n: int, rng, exclude: set) -> list[Person]:
    ids = list(Person.objects.filter(region_path__startswith=district.path + ".").exclude(pk__in=exclude)
               .exclude(quarantine_stays__status__in=ACTIVE_STAY)  # people earlier seeders already placed
               .order_by("id").values_list("id", flat=True)[:4000])
    rng.shuffle(ids)
    chosen = ids[:n]
    exclude.update(chosen)
    return list(Person.objects.filter(pk__in=chosen).select_related("household"))


def _rooms(site: Site, count: int) -> None:
    per_floor = 20
    Room.objects.bulk_create([Room(site=site, region_path=site.region_path, number=f"{2 + i // per_floor}{i % per_floor + 1:02d}",
                                   floor=2 + i // per_floor, position=i % per_floor + 1, accessible=(i % per_floor == 0))
                              for i in range(count)])


# long: the demo's quarantine story told in order (sites, queue, proposal, check-ins, tests); splitting it would scatter one narrative
def seed(ctx) -> None:  # noqa: C901 - a scripted demo story, one branch per step
    """Sites, reserves, a proposal for district A, people in quarantine with readings and tests."""
    rng = ctx.rng
    hq = ctx.accounts.get("commander")
    officer_a = ctx.accounts.get("district_a")
    manager = ctx.accounts.get("site_manager")
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path"))
    if not districts:
        return
    today = ctx.today
    now = ctx.now
    rs_q = rules  # pure helpers
    open_site = {}
    with transaction.atomic():
        for i, d in enumerate(districts):
            target = rs_q.reserve_target(d.population, 20)
            share = [0.55, 1.1, 0.8, 1.3, 0.7][i % 5]  # some districts fall short of the target
            total = max(20, int(target * share))
            streets = list(Region.objects.filter(level=Level.STREET, path__startswith=d.path + ".").order_by("path")[:3])
            n_sites = 2 if total < 80 else 3
            for k in range(n_sites):
                where = streets[k % len(streets)] if streets else d
                site = services.site_create(actor=hq, name=f"{d.name}{HOTELS[(i + k) % len(HOTELS)]}",
                                            address=f"{where.name}健康路{10 + k * 7}号", region_id=where.pk,
                                            lends_rooms=(k == 1),
                                            lon=(where.lon or d.lon or 121.4) + rng.uniform(-0.01, 0.01),
                                            lat=(where.lat or d.lat or 31.2) + rng.uniform(-0.01, 0.01))
                _rooms(site, max(10, total // n_sites))
                site.manager = manager if d == districts[0] else None
                site.doctors_on_duty, site.nurses_on_duty = 2, 2
                if k == 0:
                    site.readiness = {key: True for key in READINESS_ITEMS}
                    site.status = SiteStatus.OPEN
                    open_site[d.path] = site
                elif k == 1:
                    site.readiness = {key: (j < 5) for j, key in enumerate(READINESS_ITEMS)}
                    site.status = SiteStatus.READYING
                site.save()
    used: set[int] = set()
    placed = 0
    # People already in quarantine in each district's open site: confirmed earlier, checked in days ago.
    for d in districts[:6]:
        people = _people(d, 8, rng, used)
        for p in people:
            days_in = rng.randint(0, 4)
            start = today - dt.timedelta(days=days_in)
            req = services.placement_enqueue(actor=SYSTEM, person_id=p.pk, category="close_contact", start=start,
                                             end=start + dt.timedelta(days=4), source=f"demo.quarantine:{p.pk}")
            PlacementRequest.objects.filter(pk=req.pk).update(created_at=now - dt.timedelta(days=days_in, hours=3))
        try:
            proposal = services.proposal_build(actor=hq, district_path=d.path)
        except Exception:  # no rooms: the queue stays as it is
            continue
        out = services.proposal_confirm(actor=hq, line_ids=list(proposal.lines.values_list("id", flat=True)))
        for stay in Stay.objects.filter(pk__in=out["stays"]).select_related("person"):
            for t in stay.transfers.all():
                Transfer.objects.filter(pk=t.pk).update(vehicle=f"沪A{rng.randint(10000, 99999)}", escort="转运组")
                t.refresh_from_db()
                for _ in range(3):
                    services.transfer_advance(actor=hq, transfer=t)
            days_in = max(0, (today - stay.start).days)  # a stay that begins tomorrow was still checked in today
            checked = clock.earlier_today(2, ref=now) - dt.timedelta(days=days_in)
            Stay.objects.filter(pk=stay.pk).update(checked_in_at=checked)
            readings = []
            overdue = rng.random() < 0.15
            for k in range(days_in * 2 + 1):
                at = checked + dt.timedelta(hours=12 * k)
                if at > now or (overdue and at > now - dt.timedelta(hours=20)):
                    break
                temp = Decimal(str(round(rng.uniform(36.0, 37.1), 1)))
                readings.append(Reading(stay=stay, region_path=stay.region_path, at=at, temperature=temp,
                                        by_self=k % 2 == 1))
            if readings:
                Reading.objects.bulk_create(readings)
                Stay.objects.filter(pk=stay.pk).update(last_monitored_at=readings[-1].at)
            ScheduledTest.objects.filter(stay=stay, due__lt=today).update(result=TestResult.NEGATIVE, result_at=now,
                                                                          sampled_at=now - dt.timedelta(hours=6))
            placed += 1
        # Release the ones whose days are complete: they go home with a transfer and home monitoring.
        for stay in Stay.objects.filter(pk__in=out["stays"], planned_end__lte=today, status=StayStatus.IN):
            ScheduledTest.objects.filter(stay=stay).update(result=TestResult.NEGATIVE, result_at=now, sampled_at=now)
            try:
                services.stay_release(actor=hq, stay=stay, today=today)
                Room.objects.filter(pk=stay.room_id).update(status=RoomStatus.FREE)
            except Exception:
                pass
    # A fever alert in district A.
    first = Stay.objects.filter(status=StayStatus.IN, site__isnull=False,
                                region_path__startswith=districts[0].path).first()
    if first is not None:
        services.reading_record(actor=hq, stay=first, temperature="37.8", symptoms=["cough"])
    # District A: a fresh queue (two families with a child) and a proposal for the site manager to confirm.
    a = districts[0]
    people = _people(a, 10, rng, used)
    for p in people:
        services.placement_enqueue(actor=officer_a or hq, person_id=p.pk, category="close_contact", start=today,
                                   end=today + dt.timedelta(days=4), source=f"demo.quarantine.new:{p.pk}")
    families = list(Person.objects.filter(region_path__startswith=a.path + ".", household__size__gte=3)
                    .exclude(pk__in=used).values_list("household_id", flat=True).distinct()[:2])
    for hh in families:
        for p in Person.objects.filter(household_id=hh):
            used.add(p.pk)
            services.placement_enqueue(actor=officer_a or hq, person_id=p.pk, category="close_contact", start=today,
                                       end=today + dt.timedelta(days=4), source=f"demo.quarantine.family:{hh}")
    try:
        services.proposal_build(actor=officer_a or hq, district_path=a.path)
    except Exception:
        pass
    # Home measures in district A with the community worker.
    worker = ctx.accounts.get("community_a")
    for p in _people(a, 4, rng, used):
        kind = "home_isolation" if p.household and p.household.has_separate_room_with_bathroom else "home_monitoring"
        services.home_stay_start(actor=hq, person_id=p.pk, kind=kind, start=today - dt.timedelta(days=1),
                                 end=today + dt.timedelta(days=5), community_worker_id=worker.pk if worker else hq.pk,
                                 category="high_risk_arrival")
    # Queued elsewhere, for the forecast trend.
    for d in districts[1:4]:
        for k, p in enumerate(_people(d, 6, rng, used)):
            req = services.placement_enqueue(actor=SYSTEM, person_id=p.pk, category="close_contact", start=today,
                                             end=today + dt.timedelta(days=4), source=f"demo.quarantine.q:{p.pk}")
            PlacementRequest.objects.filter(pk=req.pk).update(created_at=now - dt.timedelta(days=k % 4))
    ctx.say(f"quarantine: {Site.objects.count()} sites, {Room.objects.count()} rooms, {placed} people placed, "
            f"{PlacementRequest.objects.filter(status='proposed').count()} awaiting the site manager")
