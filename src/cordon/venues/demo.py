"""Demo: a closure order for every KTV, gym and cinema of district A with its notices and a round of
compliance inspections (one venue found open files a supervision task), plus a lifted older order."""

import datetime as dt

from cordon.venues import services
from cordon.venues.models import ClosureNotice


def seed(ctx) -> None:
    officer = ctx.accounts["district_a"]
    area = officer.posts.first().region
    now = ctx.now
    order = services.closure_issue(actor=officer, title=f"{area.name}暂停娱乐健身场所营业", kinds=["ktv", "gym", "cinema"], area=area,
                                   starts_at=now - dt.timedelta(days=2), ends_at=now + dt.timedelta(days=5),
                                   reason="本区出现社区传播，暂停密闭娱乐场所营业")
    notices = list(ClosureNotice.objects.filter(order=order).select_related("venue", "order")[:40])
    found = 0
    for i, notice in enumerate(notices[:30]):
        open_now = i % 9 == 4
        services.compliance_inspect(actor=officer, notice=notice, found_open=open_now, note="现场检查" + ("：仍在营业" if open_now else ""),
                                    at=now - dt.timedelta(hours=ctx.rng.randrange(1, 40)))
        found += open_now
    if len(notices) > 31:
        services.closure_reopen_venue(actor=officer, notice=notices[31], note="改作物资中转点，准予恢复")
    old = services.closure_issue(actor=officer, title=f"{area.name}暂停农贸市场堂食", kinds=["restaurant"], area=area,
                                 starts_at=now - dt.timedelta(days=6), ends_at=now + dt.timedelta(days=1), reason="前期管控")
    services.closure_lift(actor=officer, order=old, note="风险解除，提前恢复")
    ctx.say(f"venues: closure {order.number} covers {order.notices.count()} venues, {found} found open; order {old.number} lifted")
