from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cordon.bench.registry import all_benches


class Command(BaseCommand):
    help = "Run a benchmark: prints a table and, last, one JSON line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="bench", required=True)
        for name, bench in sorted(all_benches().items()):
            p = sub.add_parser(name, help=bench.help)
            bench.add_arguments(p)

    def handle(self, *args, **opts):
        bench = all_benches().get(opts["bench"])
        if bench is None:
            raise CommandError(_("unknown bench %(bench)s") % {"bench": opts['bench']})
        bench.run(opts, self.stdout)
