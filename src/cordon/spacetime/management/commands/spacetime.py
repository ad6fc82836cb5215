from django.core.management.base import BaseCommand

from cordon.core import access, cli
from cordon.spacetime import services


class Command(BaseCommand):
    help = ("Cell presence: `spacetime load FILE --user NAME [--source S]` (CSV/Excel, atomic, errors name row and field); "
            "`spacetime synthesize [--area PATH] [--limit N]` (presence of the generated city from check-ins and homes).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load a CSV/Excel file of presence rows")
        load.add_argument("file")
        load.add_argument("--user", default="", help="the account the load is made (and audited) as (default: system, no area check)")
        load.add_argument("--source", default="", help="operator or batch name (default: the file name)")
        syn = sub.add_parser("synthesize", help="derive presence for the generated city from check-ins and home cells")
        syn.add_argument("--area", default="", help="only residents under this region path")
        syn.add_argument("--limit", type=int, default=None, help="at most this many residents")
        syn.add_argument("--source", default="synthetic")

    def handle(self, *args, **opts):
        if opts["action"] == "synthesize":
            report = services.presence_synthesize(actor=access.system("cli"), region_path=opts["area"], person_limit=opts["limit"], source=opts["source"],
                                                  progress=lambda text: self.stdout.write(f"  {text}"))
            services.presence_vacuum()
            self.stdout.write(str(report))
            return
        user = cli.acting_user(opts["user"], default=access.system("cli"))
        path = cli.input_file(opts["file"])
        with cli.refusal_by_row(self.stderr):
            report = services.presence_import(actor=user, data=path.read_bytes(), filename=path.name, source=opts["source"])
        self.stdout.write(str(report))
