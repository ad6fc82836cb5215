"""Demo: planned gatherings across the city, decided by the rule set (some not approved), and a
few suspended after a re-check or by an officer's decision, each with notices to the organizer."""

import datetime as dt

from cordon.gatherings import services
from cordon.gatherings.models import Gathering
from cordon.regions.models import Level, Region

EVENTS = ["广场舞比赛", "社区义诊", "婚宴", "企业年会", "庙会", "篮球联赛", "读书会", "招聘会", "老年大学开学典礼", "亲子运动会"]


def seed(ctx) -> None:
    actor = ctx.accounts["commander"]
    rng = ctx.rng
    now = ctx.now
    communities = list(Region.objects.filter(level=Level.COMMUNITY).order_by("path")[:400])
    made = []
    for i in range(30):
        start = (now + dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(0, 10))).replace(minute=0, second=0, microsecond=0)
        made.append(services.gathering_register(
            actor=actor, title=f"{EVENTS[i % len(EVENTS)]}（第{i + 1}场）", organizer=rng.choice(["文体协会", "街道工会", "某科技公司", "居委会"]),
            organizer_phone=f"137{rng.randrange(10**8):08d}", region=rng.choice(communities),
            expected_attendance=rng.choice([20, 40, 80, 150, 300, 800, 1500]), address="社区活动中心",
            starts_at=start, ends_at=start + dt.timedelta(hours=3)))
    result = services.gatherings_recheck(actor=actor)
    approved = [g for g in made if Gathering.objects.get(pk=g.pk).status == "approved"]
    for g in approved[:3]:
        services.gathering_suspend(actor=actor, gathering=g, reason="活动所在街道出现阳性病例，暂停举办")
    ctx.say(f"gatherings: {len(made)} registered, {len(approved)} approved, {result['suspended']} suspended by re-check, 3 by officers")
