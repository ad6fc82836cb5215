"""Demo: freight drivers (routes from neighbouring cities to the districts, some closed-loop) and key workers (water,
power, hospitals, markets; some of them residents whose mass-testing results are read), their test results (a few
overdue, one positive whose pass is suspended at once), passes for those tested in time (the scheduler's refresh
suspends each as its holder's test falls overdue). The checkpoints' demo then records passages of these pass holders."""

import datetime as dt

from cordon.core import clock
from cordon.core.ids import make_id_number
from cordon.keyworkers import services
from cordon.people.models import Person
from cordon.regions.models import Level, Region

ORIGINS = ["320500", "330100", "340100", "320200", "330400", "320100"]  # 苏州, 杭州, 合肥, 无锡, 嘉兴, 南京
EMPLOYERS = [("城市保供物流公司", "essential"), ("医药物流中心", "medical"), ("蔬菜批发市场", "essential"), ("汽车零部件厂", "production"),
             ("粮油储备公司", "essential"), ("半导体材料公司", "production")]
ROLES = [("自来水厂", "水厂运行值守"), ("供电公司", "电网抢修"), ("市第一人民医院", "医护人员"), ("农贸市场", "市场保供"), ("燃气公司", "燃气管网巡检"),
         ("通信公司", "通信保障")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def seed(ctx) -> None:
    actor = ctx.accounts["commander"]
    rng = ctx.rng
    now = ctx.now
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path")[:6])
    if not districts:
        return
    communities = {d.pk: list(Region.objects.filter(level=Level.COMMUNITY, path__startswith=d.path + ".").order_by("path")[:20]) or [d]
                   for d in districts}
    residents = list(Person.objects.filter(birth_date__lte=dt.date(1995, 1, 1), birth_date__gte=dt.date(1965, 1, 1))
                     .order_by("id").values_list("id_number", "name", "phone", "region_path")[:2000:50])
    made = []
    for i in range(36):
        district = districts[i % len(districts)]
        employer, cargo = EMPLOYERS[i % len(EMPLOYERS)]
        made.append(services.keyperson_register(
            actor=actor, category="driver", name=f"{SURNAMES[i % len(SURNAMES)]}师傅", phone=f"139{rng.randrange(10**8):08d}",
            id_number=make_id_number(ORIGINS[i % len(ORIGINS)], dt.date(1970 + i % 25, 1 + i % 12, 1 + i % 27), i, "M"),
            employer=employer, region=rng.choice(communities[district.pk]), plate=f"{'苏浙皖苏浙苏'[i % 6]}{'EABCFD'[i % 6]}{rng.randrange(10**5):05d}",
            origin=ORIGINS[i % len(ORIGINS)], destination=rng.choice(communities[district.pk]).path, cargo=cargo,
            closed_loop=rng.random() < 0.7))
    for i, (id_number, name, phone, path) in enumerate(residents[:30]):
        employer, role = ROLES[i % len(ROLES)]
        region = Region.objects.filter(path=path.rsplit(".", 1)[0]).first() or districts[0]
        made.append(services.keyperson_register(
            actor=actor, category="worker", name=name, id_number=id_number, phone=phone or f"138{rng.randrange(10**8):08d}", employer=employer,
            region=region, role=role, shift=rng.choice(["day", "night", "rotating"]), origin=path, closed_loop=rng.random() < 0.3))
    tested = passes = 0
    left = clock.day_bounds(ctx.today)[1] - now  # until the end of the demo's city day
    for n, kp in enumerate(made):
        every = 48 if kp.category == "driver" else 72
        # most tested in time; every seventh overdue (last negative longer ago than the cadence), every seventh due
        # later today (the city's day of the demo's instant); one positive
        hours = every + rng.randrange(2, 20) if n % 7 == 3 else rng.randrange(2, every - 12)
        if n % 7 == 1 and left > dt.timedelta(minutes=20):
            hours = every - left.total_seconds() / 3600 / 2
        services.test_record(actor=actor, keyperson=kp, sampled_at=now - dt.timedelta(hours=hours + every), outcome="negative")
        services.test_record(actor=actor, keyperson=kp, sampled_at=now - dt.timedelta(hours=hours), outcome="negative")
        tested += 2
        if n % 7 != 3 and n % 11 != 5:
            kp.refresh_from_db()
            within = 48 if kp.category == "driver" else 72
            if now - kp.last_negative_at <= dt.timedelta(hours=within):
                services.pass_issue(actor=actor, keyperson=kp, valid_from=now - dt.timedelta(days=1 + rng.randrange(0, 5)))
                passes += 1
    services.test_record(actor=actor, keyperson=made[0], sampled_at=now - dt.timedelta(hours=1), outcome="positive")  # suspends its pass
    read = services.tests_from_screening(actor=actor)
    refreshed = services.passes_refresh(actor=actor)
    ctx.say(f"keyworkers: {len(made)} drivers and key workers, {tested} test results (+{read['added']} from mass testing), "
            f"{passes} passes, {refreshed['suspended']} suspended by the refresh")
