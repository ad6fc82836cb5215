import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from cordon.assist import demo as assist_demo
from cordon.bulletins import demo as bulletins_demo
from cordon.cases import demo as cases_demo
from cordon.checkpoints import demo as checkpoints_demo
from cordon.command import demo as command_demo
from cordon.community import demo as community_demo
from cordon.contacts import demo as contacts_demo
from cordon.core import demo
from cordon.core.models import DemoStep
from cordon.documents import demo as documents_demo
from cordon.gatherings import demo as gatherings_demo
from cordon.keyworkers import demo as keyworkers_demo
from cordon.livelihood import demo as livelihood_demo
from cordon.outbox import demo as outbox_demo
from cordon.outbox import services as outbox_services
from cordon.quarantine import demo as quarantine_demo
from cordon.questionnaires import demo as questionnaires_demo
from cordon.regions.models import Region
from cordon.reports import demo as reports_demo
from cordon.screening import demo as screening_demo
from cordon.selfreport import demo as selfreport_demo
from cordon.sim import citygen, demo_accounts
from cordon.sim import demo as sim_demo
from cordon.spacetime import demo as spacetime_demo
from cordon.supplies import demo as supplies_demo
from cordon.surveillance import demo as surveillance_demo
from cordon.venues import demo as venues_demo
from cordon.workforce import demo as workforce_demo
from cordon.zones import demo as zones_demo

# Each app's demo seeder, in the order of settings.CORDON_APPS (an app's data may build on a lower app's);
# tests/architecture checks that no app's demo module is left out.
SEEDERS = [
    ("outbox", outbox_demo.seed),
    ("questionnaires", questionnaires_demo.seed),
    ("venues", venues_demo.seed),
    ("spacetime", spacetime_demo.seed),
    ("cases", cases_demo.seed),
    ("contacts", contacts_demo.seed),
    ("surveillance", surveillance_demo.seed),
    ("quarantine", quarantine_demo.seed),
    ("zones", zones_demo.seed),
    ("keyworkers", keyworkers_demo.seed),
    ("community", community_demo.seed),
    ("checkpoints", checkpoints_demo.seed),
    ("gatherings", gatherings_demo.seed),
    ("supplies", supplies_demo.seed),
    ("workforce", workforce_demo.seed),
    ("screening", screening_demo.seed),
    ("livelihood", livelihood_demo.seed),
    ("selfreport", selfreport_demo.seed),
    ("assist", assist_demo.seed),
    ("command", command_demo.seed),
    ("reports", reports_demo.seed),
    ("bulletins", bulletins_demo.seed),
    ("documents", documents_demo.seed),
    ("sim", sim_demo.seed),
]


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
        ran = demo.run_seeders(ctx, SEEDERS)
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        if ran:
            self.stdout.write("demo data added by: " + ", ".join(ran))
        sent = outbox_services.send_due()  # the seeders' notices, through the demo's channels (SMS to the log)
        self.stdout.write(f"outbox: {sent['sent']} notices sent, {sent['waiting']} waiting for a disabled channel")
        self.stdout.write(f"\nDemo ready in {time.perf_counter() - start:.1f} s. Accounts (password: {demo_accounts.DEMO_PASSWORD}):")
        for username, role, region, desc in demo_accounts.demo_accounts():
            self.stdout.write(f"  {username:14} {role:20} {region.name:10} {desc}")
        self.stdout.write(f"  {'admin':14} {'superuser':20} {'':10} Django admin back office")
