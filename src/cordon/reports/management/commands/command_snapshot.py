import datetime as dt

from django.core.management.base import BaseCommand

from cordon.reports import services


class Command(BaseCommand):
    help = "Precompute the dashboard figures (city and districts) at a cut-off, now by default."

    def add_arguments(self, parser):
        parser.add_argument("--cut-off", help="ISO date-time")

    def handle(self, *args, **options):
        at = dt.datetime.fromisoformat(options["cut_off"]) if options.get("cut_off") else None
        snaps = services.snapshot_take(cut_off=at)
        for s in snaps:
            self.stdout.write(f"{s.region_path}  {s.cut_off:%Y-%m-%d %H:%M}  {s.seconds:.2f}s")
