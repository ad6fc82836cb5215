"""Demo zones in several states in district A: proposed for a case, in force, counting down,
eligible to lift, lifted; and two real consecutive snapshots of the national risk-area list (April 2022)."""

import datetime as dt
import pathlib

from cordon.core import clock, policy
from cordon.regions.models import Building
from cordon.status import services as status_services
from cordon.zones import services
from cordon.zones.models import Zone, ZoneHousehold

# Real snapshots (zones/data/national/README.md): the second ends eight middle-risk communities of the first.
NATIONAL_SNAPSHOTS = [pathlib.Path(__file__).parent / "data" / "national" / name
                      for name in ("2022041518-4e719d68.json", "2022041520-f04a1ad0.json")]


def _national(ctx, officer) -> None:
    for path in NATIONAL_SNAPSHOTS:
        r = services.national_import(actor=officer, data=path.read_bytes(), source=path.name)
        ctx.say(f"zones: national risk-area list {r['end_update_time']}: {r['high']} high, {r['middle']} middle, {r['low']} low "
                f"communities ({r['added']} added, {r['removed']} ended)")


def _backdate(zone, days: int, *, now):
    then = now - dt.timedelta(days=days)
    Zone.objects.filter(pk=zone.pk).update(in_force_at=then, clock_start=then, status="countdown")
    zone.refresh_from_db()
    return zone


def seed(ctx) -> None:
    officer = ctx.accounts.get("commander")
    if officer is None:
        return
    taken = set(ZoneHousehold.objects.filter(active=True).values_list("household__building_id", flat=True))
    buildings = [b for b in Building.objects.filter(households__isnull=False).distinct().order_by("id")[:400] if b.pk not in taken]
    ctx.rng.shuffle(buildings)
    kinds = list(policy.in_force().section("zones").get("kinds") or {})
    top = kinds[0]
    made = []
    for state, days in (("designated", 0), ("in_force", 0), ("countdown", 3), ("eligible", 20), ("lifted", 20)):
        if not buildings:
            break
        b = buildings.pop()
        try:
            zone = services.zone_designate(actor=officer, kind=top, picks=[{"type": "building", "id": b.pk}],
                                           note=f"demo: {state}")
        except Exception as exc:  # noqa: BLE001 - e.g. a building already in a zone proposed by a demo case
            ctx.say(f"zones: demo zone over {b} skipped: {exc}")
            continue
        if state != "designated":
            services.zone_confirm(actor=officer, zone=zone)
        if days:
            _backdate(zone, days, now=ctx.now)
        if state in ("eligible", "lifted"):
            people = list(zone.members.values_list("household__members__id", flat=True))
            status_services.status_bulk_negatives(items=[(p, clock.earlier_today(6, ref=ctx.now)) for p in people if p])
        if state != "designated":
            services.zone_evaluate(zone=zone, actor=officer)
        if state == "lifted":
            try:
                services.zone_lift(actor=officer, zone=zone, note="demo")
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                ctx.say(f"zones: demo lift refused: {exc}")
        made.append(zone)
    _national(ctx, officer)
    ctx.say(f"zones: {len(made)} demo zones ({', '.join(z.status for z in made)}); "
            f"{Zone.objects.filter(origin='case').count()} proposed for demo cases")
