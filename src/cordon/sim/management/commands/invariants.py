"""`cordon invariants`: check the platform's invariants (cordon.sim.invariants) on this database, now.

Prints each invariant with its violation count, the violations (up to --limit per invariant) with the
objects involved, and last one JSON line (`invariants_checked`, `violations`, `violation_examples`).
Exit status 1 when there is any violation (--strict), else 0."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cordon.core.figures import print_json, print_table
from cordon.sim import invariants


class Command(BaseCommand):
    help = "Check the platform's invariants on this database and list the violations with the objects involved."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="an invariant's name (repeatable)")
        parser.add_argument("--limit", type=int, default=20, help="violations listed per invariant")
        parser.add_argument("--strict", action="store_true", help="exit 1 when anything is violated")

    def handle(self, *args, **o):
        tally = invariants.Tally()
        tally.add(invariants.check(actor=invariants.SYSTEM, only=o["only"] or None))
        summary = tally.summary(examples=o["limit"])
        names = o["only"] or summary["invariants_checked"]
        print_table(self.stdout, [(n, summary["violations"][n]) for n in names], title="invariants: violations")
        for name, items in summary["violation_examples"].items():
            for v in items:
                self.stdout.write(f"  {name}: {v['kind']} {v['ids']}: {v['detail']}\n")
        print_json(self.stdout, {"invariants_checked": names, "violations": {n: summary["violations"][n] for n in names},
                                 "violations_total": summary["violations_total"],
                                 "violation_examples": summary["violation_examples"]})
        if o["strict"] and summary["violations_total"]:
            raise SystemExit(1)
