from django.core.management.base import BaseCommand

from cordon.people.models import Household, Person
from cordon.regions.models import Region
from cordon.sim import citygen
from cordon.venues.models import CheckIn, Venue


class Command(BaseCommand):
    help = "Synthetic city: `generate --people N --seed S [--replace]`, `info`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="generate a deterministic synthetic city")
        gen.add_argument("--people", type=int, default=100_000)
        gen.add_argument("--seed", type=int, default=1)
        gen.add_argument("--replace", action="store_true", help="replace an existing city")
        gen.add_argument("--quiet", action="store_true")
        sub.add_parser("info", help="what the current city holds")

    def handle(self, *args, **opts):
        if opts["action"] == "generate":
            stats = citygen.generate_city(people=opts["people"], seed=opts["seed"], progress=not opts["quiet"],
                                          replace=opts["replace"])
            self.stdout.write(f"{stats.people:,} residents, {stats.households:,} households, {stats.regions:,} regions, "
                              f"{stats.venues:,} venues, {stats.checkins:,} check-ins in {stats.seconds:.1f} s")
            return
        root = Region.objects.filter(parent__isnull=True).first()
        if root is None:
            self.stdout.write("no city yet: cordon city generate --people N")
            return
        self.stdout.write(f"{root.name} ({root.code}): {Person.objects.count():,} residents, {Household.objects.count():,} "
                          f"households, {Region.objects.count():,} regions, {Venue.objects.count():,} venues, "
                          f"{CheckIn.objects.count():,} check-ins")
