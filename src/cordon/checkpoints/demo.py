"""Demo: checkpoints on the city's roads, stations and village entrances, shifts, green-lane passes
and two days of passage inspections (codes signed at the time of each passage, a few arrivals from
risk areas held and handed over to measures)."""

import datetime as dt

from cordon.checkpoints import services
from cordon.checkpoints.enums import CheckpointKind
from cordon.keyworkers import selectors as keyworkers_selectors
from cordon.people.models import Person
from cordon.regions.models import Level, Region
from cordon.status import credentials
from cordon.status import services as status_services

NAMES = {"road": "高速道口", "rail": "火车站", "airport": "机场", "bus_station": "长途汽车站", "village_entrance": "村口"}


def seed(ctx) -> None:
    actor = ctx.accounts["commander"]
    rng = ctx.rng
    now = ctx.now
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path")[:6])
    kinds = list(CheckpointKind.values)
    checkpoints = []
    for i, district in enumerate(districts):
        street = Region.objects.filter(level=Level.STREET, path__startswith=district.path + ".").order_by("path").first() or district
        for j in range(2):
            kind = kinds[(i * 2 + j) % len(kinds)]
            cp = services.checkpoint_create(actor=actor, name=f"{district.name}{NAMES[kind]}{j + 1}号卡口", kind=kind, region=street,
                                            location=f"{street.name}", code=f"CP{i:02d}{j}")
            start = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=8)
            services.shift_add(actor=actor, checkpoint=cp, starts_at=start, ends_at=start + dt.timedelta(hours=12),
                               leader=f"王{rng.choice('强军伟磊')}", leader_phone=f"139{rng.randrange(10**8):08d}",
                               staff=[f"李{c}" for c in rng.sample("一二三四五六七八", 3)])
            checkpoints.append(cp)
    passes = [services.pass_issue(actor=actor, plate=f"沪A{rng.randrange(10**5):05d}", enterprise=e, cargo=c, driver=f"赵{k}",
                                  region_path=districts[0].path, valid_from=now - dt.timedelta(days=1),
                                  valid_until=now + dt.timedelta(days=13), source=f"demo:pass:{k}")
              for k, (e, c) in enumerate([("城市粮油保供公司", "粮油"), ("蔬菜批发市场", "蔬菜"), ("医药物流中心", "药品")])]
    ids = list(Person.objects.order_by("?").values_list("id", "token")[:300])
    # Most travellers tested recently: record negatives for 80% of the sample.
    status_services.status_bulk_negatives(items=[(pid, now - dt.timedelta(hours=rng.randrange(4, 90))) for pid, _ in ids
                                                 if rng.random() < 0.8])
    stored = holds = 0
    for n, cp in enumerate(checkpoints):
        items = []
        for k in range(len(ids) // len(checkpoints)):
            pid, token = ids[(n * 25 + k) % len(ids)]
            at = now - dt.timedelta(minutes=rng.randrange(10, 60 * 40))
            code = credentials.credential_issue(token=token, now=at)["code"]
            level = "high" if rng.random() < 0.03 else ""
            items.append({"code": code, "at": at.isoformat(), "client_ref": f"demo-{cp.pk}-{k}", "origin_level": level,
                          "origin": "外省某市" if level else rng.choice(["本市", "邻市", "省内"]), "destination": "本市",
                          "offline": rng.random() < 0.2})
        for k, p in enumerate(passes):
            at = now - dt.timedelta(minutes=rng.randrange(10, 600))
            items.append({"subject": "vehicle", "plate": p.plate, "pass_number": p.number, "at": at.isoformat(),
                          "client_ref": f"demo-{cp.pk}-v{k}", "origin": "邻市", "destination": "本市"})
        result = services.inspections_bulk(actor=actor, checkpoint=cp, items=items)
        stored += result["stored"]
        holds += result["holds"]
    kw = _key_worker_passages(ctx, checkpoints=checkpoints, districts=districts)
    ctx.say(f"checkpoints: {len(checkpoints)} checkpoints, {len(passes)} green-lane passes, {stored} inspections ({holds} held), "
            f"{kw['stored']} passages of key workers and drivers ({kw['holds']} held)")


def _key_worker_passages(ctx, *, checkpoints, districts) -> dict:
    """Key workers and freight drivers showing their passes (keyworkers) at the checkpoints over the last day: most on
    their route, a few declaring another destination (held: not on the route), suspended passes held."""
    actor, rng, now = ctx.accounts["commander"], ctx.rng, ctx.now
    kw_passes = list(keyworkers_selectors.pass_list(actor=actor).exclude(status="revoked")[:60])
    stored = holds = 0
    for n, cp in enumerate(checkpoints):
        items = []
        for k, p in enumerate(kw_passes[n % 3::3]):
            holder = p.keyperson
            elsewhere = rng.random() < 0.1
            items.append({"subject": "vehicle" if holder.category == "driver" else "person", "kw_pass": p.number,
                          "at": (now - dt.timedelta(minutes=rng.randrange(5, 60 * 20))).isoformat(), "client_ref": f"demo-{cp.pk}-kw{k}",
                          "origin": holder.origin_name, "destination": rng.choice(districts).path if elsewhere else holder.destination_path
                          or holder.destination_division})
        if items:
            result = services.inspections_bulk(actor=actor, checkpoint=cp, items=items)
            stored += result["stored"]
            holds += result["holds"]
    return {"stored": stored, "holds": holds}
