"""`cordon bench zones --people N`: on the bench city, designate a whole community as a zone (resolving
households, people, needs and workers), put it in force, check its lifting criteria, answer
risk_level_for_path 1,000 times and build the public list; baseline: counting the same community's
households and residents with two plain queries. Everything runs in a transaction that is rolled back."""

import time

from django.db import transaction

from cordon.bench.base import SYSTEM, OnCityBench, Rollback
from cordon.core.figures import print_json, print_table
from cordon.people.models import Household, Person
from cordon.regions.models import Level, Region
from cordon.zones import selectors, services
from cordon.zones.enums import ACTIVE
from cordon.zones.models import Zone


class ZonesBench(OnCityBench):
    name = "zones"
    help = "designate/confirm/criteria/risk-level/public-list timings on the bench city"

    def measure(self, options: dict, stdout, city: dict) -> dict:
        busy = [p for p in Zone.objects.filter(status__in=ACTIVE).values_list("region_path", flat=True)]
        community = next(c for c in Region.objects.filter(level=Level.COMMUNITY).order_by("-population", "path")
                         if not any(b.startswith(c.path) or c.path.startswith(b) for b in busy))
        out = {}
        try:
            with transaction.atomic():
                t = time.perf_counter()
                hh = Household.objects.filter(region_path__startswith=community.path + ".").count()
                ppl = Person.objects.filter(region_path__startswith=community.path + ".").count()
                out["baseline_count_s"] = time.perf_counter() - t
                t = time.perf_counter()
                zone = services.zone_designate(actor=SYSTEM, kind=list(services.zone_rules()[1]["kinds"])[0],
                                               picks=[{"type": "community", "id": community.pk}])
                out["designate_s"] = time.perf_counter() - t
                t = time.perf_counter()
                services.zone_confirm(actor=SYSTEM, zone=zone)
                out["confirm_s"] = time.perf_counter() - t
                t = time.perf_counter()
                services.criteria(zone=zone)
                out["criteria_s"] = time.perf_counter() - t
                paths = list(Region.objects.filter(level=Level.GRID).values_list("path", flat=True)[:1000])
                t = time.perf_counter()
                for p in paths:
                    selectors.risk_level_for_path(region_path=p)
                out["risk_level_per_call_ms"] = (time.perf_counter() - t) / max(1, len(paths)) * 1000
                t = time.perf_counter()
                selectors.public_risk_areas()
                out["public_list_s"] = time.perf_counter() - t
                out.update(community_households=hh, community_people=ppl, zone_households=zone.households, zone_people=zone.population)
                raise Rollback
        except Rollback:
            pass
        print_table(stdout, list(out.items()), title=f"zones bench, {options['people']:,} residents, community {community.name}")
        print_json(stdout, {"bench": "zones", "people": options["people"], **out})
        return out


BENCHES = {"zones": ZonesBench()}
