"""Demo seeding shared by `cordon demo` (cordon.sim.management.commands.demo) and tests: the context every
app's demo seeder (`<app>.demo.seed(ctx)`) gets, and running the seeders the caller lists, each once per city.
The demo accounts are cordon.sim.demo_accounts."""

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction

from cordon.core import clock
from cordon.core.models import DemoStep


@dataclass
class DemoContext:
    seed: int
    accounts: dict = field(default_factory=dict)  # username -> User
    rng: random.Random = field(default_factory=random.Random)
    log: list = field(default_factory=list)
    # The one instant the demo is built around: every seeder places its data relative to it, so a demo
    # started at 00:30 or 23:59 city time is as coherent as one started at noon.
    now: dt.datetime = field(default_factory=clock.now)

    def say(self, line: str) -> None:
        self.log.append(line)

    @property
    def today(self) -> dt.date:
        """The city's date of the demo's instant."""
        return clock.day_of(self.now)

    def times_today(self, n: int, *, hours: float = 6) -> list[dt.datetime]:
        """n increasing instants in the last `hours` before the demo's instant, all on its city day, none after it."""
        start = clock.earlier_today(hours, ref=self.now)
        span = self.now - start
        return [start + span * (i + 1) / (n + 1) for i in range(n)]


def run_seeders(ctx: DemoContext, seeders: Iterable[tuple[str, Callable[[DemoContext], None]]], *,
                only_new: bool = True) -> list[str]:
    """Run each (app label, its demo `seed`) once for this city, in the order given; return the labels run."""
    ran = []
    for label, seed in seeders:
        if only_new and DemoStep.objects.filter(name=label).exists():
            continue
        ctx.rng = random.Random(f"{ctx.seed}-{label}")
        # One app's demo data lands whole or not at all, so a re-run can retry it cleanly.
        with transaction.atomic():
            seed(ctx)
            DemoStep.objects.get_or_create(name=label)
        ran.append(label)
    return ran
