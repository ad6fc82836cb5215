"""Demo data: a reserve roster across districts (samplers, tracers, medical, lab, drivers, volunteers,
some closed-loop), a testing round in district A's first street whose sampler need a fill deploys
from the reserve, and a checkpoint mission left short."""

import datetime as dt

from cordon.core import access
from cordon.regions.models import Level, Region
from cordon.workforce import selectors, services

SYSTEM = access.system("demo")  # this module's work that no user clicked

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
MIX = [("sampler", 0.4), ("tracer", 0.12), ("medical", 0.15), ("lab", 0.08), ("driver", 0.1), ("volunteer", 0.15)]


def seed(ctx) -> None:
    rng = ctx.rng
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path"))
    a = districts[0]
    street = Region.objects.filter(level=Level.STREET, parent=a).order_by("path").first()
    people = 0
    for d in districts:
        n = 60 if d.pk == a.pk else 25
        for _ in range(n):
            skill = rng.choices([s for s, _ in MIX], weights=[w for _, w in MIX])[0]
            skills = [skill] + (["sampler"] if skill == "medical" and rng.random() < 0.5 else [])
            closed = skill in ("lab", "sampler") and rng.random() < 0.3
            w = services.worker_create(actor=SYSTEM, name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), home_district_id=d.pk,
                                       skills=skills, phone=f"135{rng.randint(0, 99_999_999):08d}",
                                       certificates=["护士执业证书"] if skill == "medical" else (["核酸采样培训合格证"] if "sampler" in skills else []),
                                       closed_loop=closed, dormitory="区集中住宿点 3 号楼" if closed else "")
            if closed:
                services.worker_test_record(actor=SYSTEM, worker=w, tested_on=ctx.today - dt.timedelta(days=rng.randint(0, 2)))
            if rng.random() < 0.08:
                services.worker_availability(actor=SYSTEM, worker=w, available=False)
            people += 1
    officer = ctx.accounts.get("district_a")
    start = ctx.now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=2)
    rnd = services.mission_create(actor=officer, kind="round", name=f"{street.name} 全员核酸第 1 轮", region_id=street.pk,
                                  starts_at=start, ends_at=start + dt.timedelta(hours=10), source="demo.round:1")
    # district A's sampler reserve is sized to the round (plus a few spare)
    for i in range(rnd.needs.get("sampler", 0) + 5):
        services.worker_create(actor=SYSTEM, name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), home_district_id=a.pk,
                               skills=["sampler"], phone=f"136{i:08d}", certificates=["核酸采样培训合格证"])
        people += 1
    filled = services.deploy_fill(actor=officer, mission=rnd)
    fill = selectors.mission_fill(mission=rnd)
    services.mission_create(actor=officer, kind="checkpoint", name=f"{a.name}高速出口卡口", region_id=a.pk, starts_at=start,
                            ends_at=start + dt.timedelta(hours=12), needs={"medical": 4, "volunteer": 6, "driver": 2})
    ctx.say(f"workforce: {people} people in the reserve; round '{rnd.name}' needs "
            + ", ".join(f"{f['skill']} {f['need']}" for f in fill) + f", {filled['added']} deployed from the reserve")
