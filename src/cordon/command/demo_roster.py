"""Demo duty roster (值班表): a named officer at every district and street post of the demo city, day and night shifts at
district A's first street, and a community worker put under measures whose work is handed over in one step. With these,
every open task, zone, site, checkpoint and round on the demo resolves to a named person and deputy (command.services.roster)."""

import datetime as dt

from django.contrib.auth import get_user_model

from cordon.accounts.models import Post
from cordon.command import services
from cordon.command.models import DutyShift, HandOver, Responsibility
from cordon.core import access, clock
from cordon.regions.models import Level, Region

SYSTEM = access.system("demo")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["建国", "志强", "海燕", "秀英", "卫东", "红梅", "晓明", "丽华", "国庆", "春生", "桂兰", "振华"]


def _officer(ctx, username: str, role: str, region, title: str):
    """A named officer holding a post (no password: a name on the roster, not a demo login)."""
    User = get_user_model()
    n = User.objects.count()
    u = User.objects.filter(username=username).first()
    if u is None:
        u = User(username=username, first_name=f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}")
        u.set_unusable_password()
        u.save()
    Post.objects.get_or_create(user=u, role=role, region=region, defaults={"title": title[:120]})
    return u


def seed_roster(ctx) -> dict:
    """Officers at every district and street post that has none, and 12-hour shifts around the demo's instant at the first
    street of district A (the demo street officer by day, a second officer by night, each the other's deputy)."""
    acc = ctx.accounts
    staffed = set(Post.objects.filter(active=True, role__in=["district_officer", "street_officer"])
                  .values_list("region__path", "role"))
    made = 0
    for region in Region.objects.filter(level__in=[Level.DISTRICT, Level.STREET]).order_by("path"):
        role = "district_officer" if region.level == Level.DISTRICT else "street_officer"
        if (region.path, role) not in staffed:
            _officer(ctx, f"duty_{region.path.replace('.', '_')}", role, region, f"{region.name}值班干部")
            made += 1
    street_post = Post.objects.filter(user=acc["street_a"], role="street_officer").select_related("region").first()
    street = street_post.region
    night = _officer(ctx, "street_a_night", "street_officer", street, f"{street.name}夜班值班干部")
    day0 = clock.day_of(ctx.now) - dt.timedelta(days=1)
    for d in range(3):
        morning = clock.at(day0 + dt.timedelta(days=d), dt.time(8))
        evening = morning + dt.timedelta(hours=12)
        for who, deputy, start in ((acc["street_a"], night, morning), (night, acc["street_a"], evening)):
            if not DutyShift.objects.filter(region_path=street.path, role="street_officer", start=start).exists():
                services.shift_add(actor=SYSTEM, region_path=street.path, role="street_officer", user_id=who.pk, deputy_id=deputy.pk,
                                   start=start, end=start + dt.timedelta(hours=12), note="白班" if start == morning else "夜班")
    ctx.say(f"command: duty roster: {made} officers named at vacant district and street posts, "
            f"{DutyShift.objects.count()} shifts at {street.name}")
    return {"street": street, "night": night}


def seed_handover(ctx) -> HandOver | None:
    """A second community worker answers for a grid and two tasks, then is traced as a close contact: taken out, and
    everything handed to the deputy in one step (the trail is on the hand-overs page)."""
    acc = ctx.accounts
    community = Post.objects.filter(user=acc["community_a"], active=True).select_related("region").first().region
    grid = Region.objects.filter(parent=community).order_by("-path").first() or community
    worker = _officer(ctx, "community_a2", "community_worker", community, f"{community.name}社区工作者")
    if HandOver.objects.filter(from_user=worker).exists():
        return None
    if not Responsibility.objects.filter(object_type="region", region_path=grid.path, active=True).exists():
        services.responsibility_assign(actor=SYSTEM, object_type="region", region_path=grid.path, label=f"{grid.name}包保",
                                       responsible_id=worker.pk, deputy_id=acc["community_a"].pk)
    for title, hours in (("独居老人核酸上门采样", 5), ("封控楼栋物资清点", 20)):
        services.task_create(actor=SYSTEM, title=title, kind="manual", region_path=grid.path, owner=worker,
                             deadline=ctx.now + dt.timedelta(hours=hours), source=f"demo.handover:{title}")
    handover = services.officer_take_out(actor=SYSTEM, user_id=worker.pk, reason="contact", since=ctx.now,
                                         note="流调判定为密切接触者，集中隔离", source="demo")
    ctx.say(f"command: {worker.first_name} put under measures; {len(handover.items)} items handed over in one step")
    return handover
