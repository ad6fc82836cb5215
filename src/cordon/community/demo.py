"""Demo grid work: today's door checks in district A's first grids, a pass and passages at a compound,
a village checkpoint with returnees."""

import datetime as dt

from cordon.community import services
from cordon.core.ids import make_id_number
from cordon.people.models import Household
from cordon.regions.models import Building, Level, Region


def seed(ctx) -> None:
    officer = ctx.accounts.get("district_a")
    if officer is None:
        return
    district = officer.posts.first().region
    grids = list(Region.objects.filter(level=Level.GRID, path__startswith=district.path + ".").order_by("path")[:6])
    checked = 0
    for g in grids:
        ids = list(Household.objects.filter(region_path=g.path).values_list("id", flat=True)[:300])
        share = ctx.rng.uniform(0.3, 1.0)
        items = [{"household_id": h, "symptoms": ctx.rng.random() < 0.01,
                  "needs": ctx.rng.sample(list(services.NEED_KINDS[:5]), k=ctx.rng.randint(0, 2))}
                 for h in ids[: int(len(ids) * share)]]
        if items:
            checked += services.doorcheck_bulk(actor=officer, items=items)["created"]
    b = Building.objects.filter(region_path__startswith=district.path + ".").order_by("id").first()
    if b is not None:
        p = services.pass_issue(actor=officer, community_id=b.community_id, compound=b.compound, holder_name="王师傅",
                                holder_phone="13900001111", role="delivery", valid_from=ctx.today)
        for i, at in enumerate(ctx.times_today(6)):
            services.passage_record(actor=officer, community_id=b.community_id, compound=b.compound,
                                    direction="in" if i % 2 == 0 else "out", pass_code=p.code, purpose="配送",
                                    at=at)
    village = Region.objects.filter(level=Level.COMMUNITY, is_rural=True).order_by("path").first()
    returnees = 0
    if village is not None:
        district_a = ctx.accounts.get("commander")
        cp = services.checkpoint_create(actor=district_a, village_id=village.pk, name="村口检查点", location="村东路口",
                                        staff="村两委值班", phone="13900002222")
        grid = Region.objects.filter(level=Level.GRID, path__startswith=village.path + ".").order_by("path").first()
        for i in range(8):
            services.returnee_register(grid_id=grid.pk if grid else None, actor=district_a, village_id=village.pk, name=f"返乡{i}号",
                                       id_number=make_id_number(village.code[:6], dt.date(1980 + i, 3, 1), 900 + i, "M"),
                                       phone=f"1370000{i:04d}", from_place="外省某市",
                                       from_risk=["", "low", "medium", "high"][i % 4], checkpoint_id=cp.pk,
                                       arrived_on=ctx.today - dt.timedelta(days=i % 3))
            returnees += 1
    ctx.say(f"community: {checked} door checks today, passes and passages, {returnees} returnees")
