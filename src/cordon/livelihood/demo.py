"""Demo data: delivery teams, needs a grid worker files and a team completes (with photo proof), emergencies
(one escalates because nobody acknowledged it), heating tickets, supply points, key enterprises with a
running closed loop."""

import base64
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from cordon.core import access
from cordon.core.ids import make_id_number
from cordon.livelihood import services
from cordon.livelihood.enums import NeedKind
from cordon.livelihood.models import Need
from cordon.people.models import Person
from cordon.regions.models import Level, Region

SYSTEM = access.system("demo")  # this module's work that no user clicked

# a 1x1 PNG, standing in for the courier's photo
PHOTO = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _photo(n: int):
    return SimpleUploadedFile(f"delivery-{n}.png", PHOTO, content_type="image/png")


# long: the demo's livelihood story told in order; splitting it would scatter one narrative
def seed(ctx) -> None:
    grid_worker = ctx.accounts.get("grid_a")
    officer = ctx.accounts.get("district_a")
    grid = grid_worker.posts.first().region if grid_worker else Region.objects.filter(level=Level.GRID).order_by("path").first()
    community, street = grid.parent, grid.parent.parent
    district = street.parent
    rng = ctx.rng

    # delivery teams: one per street in the first two districts, one for the demo community
    streets = list(Region.objects.filter(level=Level.STREET).order_by("path")[:24])
    teams = {s.path: services.team_create(actor=SYSTEM, name=f"{s.name}保供配送队", region_id=s.pk, members=rng.randint(3, 8)) for s in streets}
    home_team = services.team_create(actor=SYSTEM, name=f"{community.name}志愿者配送组", region_id=community.pk, members=6)
    teams.setdefault(street.path, home_team)

    # the grid worker files needs for households in their grid; a team delivers most with a photo
    people = list(Person.objects.filter(region_path=grid.path, household__isnull=False).order_by("id")[:40])
    kinds = list(NeedKind.values)
    filed = delivered = 0
    for i, p in enumerate(people[:30]):
        need = services.need_create(actor=grid_worker, household_id=p.household_id, person_id=p.pk, kind=kinds[i % len(kinds)],
                                    detail=["大米 10 斤、食用油", "降压药 2 盒", "卫生纸、洗衣液", "上门助餐", "婴儿奶粉 2 罐"][i % 5])
        filed += 1
        if i % 6 == 5:
            continue  # left open for the team board
        services.need_assign(actor=officer, need=need, team_id=home_team.pk)
        if i % 3 != 2:
            services.need_deliver(actor=officer, need=need, proof=_photo(i), note="已放门口，电话告知")
            delivered += 1

    # needs elsewhere in the first district, filed in one batch and spread over the street teams
    others = list(Person.objects.filter(region_path__startswith=district.path + ".", household__isnull=False)
                  .exclude(region_path=grid.path).order_by("id")[:2000:10])
    batch = services.need_bulk(actor=SYSTEM, items=[{"household_id": p.household_id, "kind": rng.choice(kinds),
                                                   "source": f"demo.need:{p.pk}"} for p in others[:150]])
    for need in Need.objects.filter(pk__in=batch["ids"]).order_by("id")[:100]:
        team = next((t for path, t in teams.items() if need.region_path.startswith(path + ".")), None)
        if team:
            services.need_assign(actor=SYSTEM, need=need, team_id=team.pk)

    # emergencies: one nobody acknowledged (escalates), one acknowledged, one dispatched and closed, fresh ones
    now = ctx.now
    # the grid worker files it, so the patient lives in the grid worker's grid (a district-wide pick failed
    # whenever the district's first dialysis patient lived in another grid)
    vulnerable = list(Person.objects.filter(region_path=grid.path, dialysis=True).order_by("id")[:3]) or people[30:33]
    pool = people[30:40] or people
    esc = services.emergency_create(actor=grid_worker, kind="dialysis", person_id=vulnerable[0].pk, detail="规律透析，今日需到院",
                                    now=now - dt.timedelta(minutes=27))
    ack = services.emergency_create(actor=grid_worker, kind="pregnancy", person_id=pool[0].pk, detail="孕 38 周，见红",
                                    now=now - dt.timedelta(minutes=8))
    services.emergency_acknowledge(actor=officer, emergency=ack)
    done = services.emergency_create(actor=grid_worker, kind="chest_pain", person_id=pool[1].pk, detail="胸痛 20 分钟",
                                     now=now - dt.timedelta(minutes=50))
    services.emergency_dispatch(actor=officer, emergency=done, dispatch_kind="ambulance", hospital="区中心医院", vehicle="120-07")
    services.emergency_close(actor=officer, emergency=done, outcome="入院治疗")
    services.emergency_create(actor=SYSTEM, kind="child_fever", person_id=pool[2].pk, detail="3 岁，39.2℃", channel="portal",
                              now=now - dt.timedelta(minutes=4))
    steps = services.emergency_escalate_overdue(now=now)

    # heating and essentials
    communities = list(Region.objects.filter(level=Level.COMMUNITY, path__startswith=district.path + ".").order_by("path")[:8])
    for i, c in enumerate(communities[:5]):
        inc = services.incident_create(actor=SYSTEM, kind=["heating", "water", "heating", "power", "gas"][i], region_id=c.pk,
                                       address=f"{c.name} {i + 3}号楼", detail="封控楼栋报修", households_affected=rng.randint(6, 60))
        if i == 2:
            services.incident_update(actor=SYSTEM, incident=inc, status="resolved", resolution="抢修完成，已恢复供暖")
    for i, c in enumerate(communities):
        sp = services.supply_point_create(actor=SYSTEM, name=f"{c.name}{['联华超市', '农贸批发市场', '益丰大药房', '保供分拨点'][i % 4]}",
                                          kind=["supermarket", "wholesale", "pharmacy", "station"][i % 4], region_id=c.pk)
        services.supply_point_stock(actor=SYSTEM, point=sp, levels={"vegetables": rng.choice(["ample", "tight"]),
                                                                  "milk": rng.choice(["ample", "ample", "tight", "out"])})

    # key enterprises, one running a closed loop
    ents = []
    for i, (name, sector) in enumerate([("城市供水集团", "utilities"), ("康泰医药物流", "medical"), ("粮油保供中心", "food"),
                                        ("顺达冷链运输", "logistics"), ("精密芯片制造", "key_industry")]):
        ent = services.enterprise_create(actor=SYSTEM, name=name, credit_code=f"91{district.code[:6]}MA{i:08d}"[:18].ljust(18, "0"),
                                         sector=sector, region_id=street.pk, liaison="李经理", liaison_phone=f"1390000{i:04d}")
        if i < 4:
            services.enterprise_whitelist(actor=SYSTEM, enterprise=ent, on=True)
        ents.append(ent)
    today = ctx.today
    plan = services.plan_create(actor=SYSTEM, enterprise=ents[4] if ents[4].whitelisted else ents[2], start=today - dt.timedelta(days=3),
                                end=today + dt.timedelta(days=25), dormitory="厂区 2 号宿舍楼", test_every_days=1)
    rows = [{"name": f"员工{n:02d}", "id_number": make_id_number("990101", dt.date(1985 + n % 15, 1 + n % 12, 1 + n % 27), 700 + n, "M"),
             "phone": f"1370000{n:04d}", "dorm_room": f"{200 + n // 2}"} for n in range(12)]
    rows += [{"name": f"司机{n}", "id_number": make_id_number("990101", dt.date(1980, 3, 1 + n), 800 + n, "M"), "role": "driver",
              "vehicle": f"沪D{n:05d}", "dorm_room": "110"} for n in range(2)]
    services.plan_staff_add(actor=SYSTEM, plan=plan, rows=rows)
    services.plan_activate(actor=SYSTEM, plan=plan)
    for s in plan.staff.all():
        services.staff_test_record(actor=SYSTEM, staff=s, tested_on=today - dt.timedelta(days=0 if s.pk % 5 else 2), negative=True)
    ctx.say(f"livelihood: {filed} needs filed by the grid worker ({delivered} delivered with proof), {batch['created']} more in "
            f"{district.name}; emergency #{esc.pk} escalated {steps} step(s); closed loop at {plan.enterprise.name} with {len(rows)} staff")
