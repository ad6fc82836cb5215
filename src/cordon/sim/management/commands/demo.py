import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cordon.core import demo
from cordon.core.models import DemoStep
from cordon.regions.models import Region
from cordon.sim import citygen, demo_accounts


class Command(BaseCommand):
    help = "Set up the demo city: generate it (unless one exists), demo accounts, each module's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--regenerate", action="store_true", help="replace the existing city")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **opts):
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        exists = Region.objects.filter(parent__isnull=True).exists()
        if opts["regenerate"] or not exists:
            stats = citygen.generate_city(people=opts["people"], seed=opts["seed"], progress=not opts["quiet"], replace=exists)
            DemoStep.objects.all().delete()
            self.stdout.write(f"generated a city of {stats.people:,} residents, {stats.venues:,} venues, "
                              f"{stats.checkins:,} check-ins in {stats.seconds:.1f} s")
        else:
            self.stdout.write("reusing the existing city (make demo REGENERATE=1 to replace it)")
        accounts = demo_accounts.ensure_accounts()
        ctx = demo.DemoContext(seed=opts["seed"], accounts=accounts)
        ran = demo.run_seeders(ctx)
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        if ran:
            self.stdout.write("demo data added by: " + ", ".join(ran))
        self.stdout.write(f"\nDemo ready in {time.perf_counter() - start:.1f} s. Accounts (password: {demo_accounts.DEMO_PASSWORD}):")
        for username, role, region, desc in demo_accounts.demo_accounts():
            self.stdout.write(f"  {username:14} {role:20} {region.name:10} {desc}")
        self.stdout.write(f"  {'admin':14} {'superuser':20} {'':10} Django admin back office")
