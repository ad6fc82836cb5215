"""`cordon bench livelihood --people N`: household needs and the emergency channel on a city of N residents.

Measured in one run, on the same database:
- need_bulk: one validated, audited batch of N/100 household needs (the API's bulk path);
- baseline: Django bulk_create of the same number of Need rows (no validation, no audit);
- emergency escalation: N/1000 emergencies left unacknowledged for 25 minutes, then one escalation pass
  (two levels each, with command tasks) and the HQ board query as the city commander.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from cordon.bench.base import SYSTEM, OnCityBench, Timer
from cordon.core import clock
from cordon.core.figures import print_json, print_table
from cordon.livelihood import selectors, services
from cordon.livelihood.models import Emergency, Escalation, Need
from cordon.people.models import Person


class LivelihoodBench(OnCityBench):
    name = "livelihood"
    help = "household needs bulk filing and emergency escalation"

    def measure(self, options: dict, stdout, city: dict) -> dict:
        people = options["people"]
        Escalation.objects.all().delete()
        Emergency.objects.all().delete()
        Need.objects.all().delete()
        n_needs, n_em = max(100, people // 100), max(10, people // 1000)
        households = list(Person.objects.filter(household__isnull=False).order_by("id").values_list("household_id", "household__region_path")[: n_needs * 2 : 2])
        items = [{"household_id": h, "kind": "food", "source": f"bench:{i}"} for i, (h, _p) in enumerate(households)]
        with Timer() as t_bulk:
            services.need_bulk(actor=SYSTEM, items=items)
        now = clock.now()
        with Timer() as t_raw, transaction.atomic():
            Need.objects.bulk_create([Need(household_id=h, kind="food", region_path=p, created_at=now, deadline=now) for h, p in households],
                                     batch_size=2000)
        ems = list(Person.objects.order_by("id").values_list("id", flat=True)[: n_em * 50 : 50])
        past = now - dt.timedelta(minutes=25)
        with Timer() as t_create:
            for pid in ems:
                services.emergency_create(actor=SYSTEM, kind="dialysis", person_id=pid, now=past)
        with Timer() as t_escalate:
            steps = services.emergency_escalate_overdue()
        User = get_user_model()
        boss = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench-admin", "b@example.invalid", "bench-pass-123")
        with Timer() as t_board:
            board = selectors.emergency_board(actor=boss)
        result = {
            "people": people, "needs": len(items), "need_bulk_s": round(t_bulk.seconds, 3),
            "needs_per_s": round(len(items) / t_bulk.seconds), "baseline_bulk_create_s": round(t_raw.seconds, 3),
            "emergencies": len(ems), "emergency_create_s": round(t_create.seconds, 3), "escalation_steps": steps,
            "escalate_pass_s": round(t_escalate.seconds, 3), "board_rows": len(board), "board_s": round(t_board.seconds, 3),
        }
        print_table(stdout, list(result.items()), title=f"livelihood bench, {people:,} residents")
        print_json(stdout, result)
        return result


BENCHES = {"livelihood": LivelihoodBench()}
