"""Demo data: responsibilities, tasks late and on time (one escalated), inspections with open and closed
ledger items, a dispatch on loan; reports.demo takes the snapshots and a daily report, bulletins.demo publishes a bulletin."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from cordon.accounts.models import Post
from cordon.command import demo_roster, services
from cordon.command.models import Task
from cordon.core import access
from cordon.regions.models import Level, Region

SYSTEM = access.system("demo")  # this module's work that no user clicked


# long: the demo's command story told in order; splitting it would scatter one narrative
def seed(ctx) -> None:
    acc = ctx.accounts
    commander, district_a, district_b = acc["commander"], acc["district_a"], acc["district_b"]
    street, community, inspector = acc["street_a"], acc["community_a"], acc["inspector"]
    now = ctx.now
    demo_roster.seed_roster(ctx)  # who holds each post when: every task below gets a named owner and deputy
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path")[:3])
    a, b = districts[0], districts[1] if len(districts) > 1 else districts[0]
    street_region = Region.objects.filter(level=Level.STREET, path__startswith=a.path + ".").order_by("path").first()
    grids = list(Region.objects.filter(level=Level.GRID, path__startswith=street_region.path + ".").order_by("path")[:6])

    for i, grid in enumerate(grids):
        services.responsibility_assign(actor=commander, object_type="region", region_path=grid.path, label=f"{grid.name}包保",
                                       responsible_id=(community if i % 2 else street).pk, deputy_id=district_a.pk)
    services.responsibility_assign(actor=commander, object_type="region", region_path=a.path, label=f"{a.name}防控总负责",
                                   responsible_id=district_a.pk, deputy_id=street.pk)

    titles = ["核查返乡人员健康码", "封控小区物资配送到户", "补采漏检人员核酸", "隔离点转运车辆调度", "独居老人上门探视",
              "重点场所扫码查验抽查", "发热门诊患者闭环转运", "密接人员信息核对", "社区消杀记录补录", "卡口值守人员轮换"]
    made = []
    for i, title in enumerate(titles * 2):
        grid = grids[i % len(grids)]
        deadline = now + dt.timedelta(hours=ctx.rng.choice([-30, -8, -3, 2, 6, 20, 48]))
        t = services.task_create(actor=SYSTEM, title=title, kind="manual", region_path=grid.path, deadline=deadline,
                                 owner=[street, community, district_a][i % 3], priority=1 + i % 3, detail="演示任务",
                                 source=f"demo.task:{i}")
        made.append(t)
    # A share of the tasks is done, some on time and some late, so the statistics have all outcomes.
    for t in made[:8]:
        services.task_close(actor=SYSTEM, task=t, result="已办结")
        done_at = t.deadline - dt.timedelta(hours=1) if t.pk % 2 else t.deadline + dt.timedelta(hours=2)
        Task.objects.filter(pk=t.pk).update(done_at=min(done_at, now), created_at=t.deadline - dt.timedelta(hours=24))
    Task.objects.filter(pk__in=[t.pk for t in made[8:]]).update(created_at=now - dt.timedelta(days=1))
    escalated = services.tasks_escalate_overdue(now=now)

    insp = services.inspection_record(actor=inspector, region_path=grids[0].path, place=f"{grids[0].name}某小区东门",
                                      at=now - dt.timedelta(days=2),
                                      checklist=[{"item": "扫码测温查验落实", "ok": False}, {"item": "物资配送到户", "ok": True}],
                                      findings=[{"title": "东门夜间无人值守", "severity": "severe", "owner_id": street.pk},
                                                {"title": "扫码登记台账不全", "severity": "minor", "owner_id": community.pk},
                                                {"title": "消杀记录未公示", "severity": "serious", "owner_id": community.pk}])
    items = list(insp.items.order_by("id"))
    # 挂账销号 with separation of duties: the owner rectifies, the city inspector verifies with a photo and closes
    services.ledger_rectify(actor=community, item=items[1], rectification="已补齐台账")
    services.evidence_add(actor=community, item=items[1], upload=ContentFile(_PHOTO, name="台账补齐.jpg"), stage="rectification")
    services.ledger_reinspect(actor=inspector, item=items[1], passed=True, note="复查合格，销号")
    # a failed re-inspection reopens the item with a new deadline; its history stays on the item page
    services.ledger_rectify(actor=community, item=items[2], rectification="已在楼栋公示")
    services.ledger_reinspect(actor=inspector, item=items[2], passed=False, note="仅公示一栋，其余楼栋未公示",
                              new_deadline=now + dt.timedelta(hours=20))
    services.ledger_rectify(actor=community, item=items[2], rectification="全部楼栋已公示")
    services.inspection_record(actor=inspector, region_path=grids[-1].path, place=f"{grids[-1].name}农贸市场",
                               checklist=[{"item": "重点人员台账完整", "ok": True}],
                               findings=[{"title": "市场出入口未设一米线", "severity": "minor", "owner_id": community.pk}])

    today = ctx.today
    services.dispatch_post(actor=district_a, side="request", resource="samplers", quantity=40, region_path=a.path,
                           start=today, end=today + dt.timedelta(days=3), note="全员核酸采样力量不足")
    services.dispatch_post(actor=district_a, side="request", resource="rooms", quantity=60, region_path=a.path,
                           start=today, end=today + dt.timedelta(days=7))
    services.dispatch_post(actor=district_b, side="offer", resource="samplers", quantity=30, region_path=b.path,
                           start=today, end=today + dt.timedelta(days=5))
    services.dispatch_post(actor=district_b, side="offer", resource="rooms", quantity=80, region_path=b.path,
                           start=today, end=today + dt.timedelta(days=10))
    matches = services.dispatch_suggest(actor=commander)
    lent = 0
    for m in matches:
        services.dispatch_decide(actor=commander, match=m, approve=True, note="市指挥部同意")
        lent += _name_the_loan(m, b, street_region, today)
        services.dispatch_advance(actor=commander, match=m)
    ctx.say(f"command: {len(made)} tasks ({escalated['escalated']} escalated), 2 inspections (1 item closed, 1 reopened), "
            f"{len(matches)} dispatch loans naming {lent} people lent")
    demo_roster.seed_handover(ctx)  # an officer put under measures hands over in one step


_PHOTO = b"\xff\xd8\xff\xe0 demo evidence photo"


def _name_the_loan(match, lender, post_region, today) -> int:
    """Name who and what a demo loan lends: samplers of the lending district by person, rooms by site."""
    if match.resource not in services.dispatch.PEOPLE:
        services.dispatch_add_line(actor=SYSTEM, match=match, item=f"{lender.name}集中隔离酒店房间", quantity=match.quantity, unit="间")
        return 0
    User = get_user_model()
    n = min(match.quantity, 3)
    for i in range(1, n + 1):
        person, _ = User.objects.get_or_create(username=f"sampler_b{i}", defaults={"first_name": f"{lender.name}采样员{i}"})
        Post.objects.get_or_create(user=person, role="sampler", region=lender, defaults={"title": f"{lender.name}采样队"})
        services.dispatch_lend_person(actor=SYSTEM, match=match, user_id=person.pk, post=f"{post_region.name}核酸采样点{i}号台",
                                      post_path=post_region.path, start=today, planned_return=match.due_back or today)
    return n
