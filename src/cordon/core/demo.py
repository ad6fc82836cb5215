"""Demo set-up shared by `cordon demo` and tests: the demo accounts (one per role) and the
per-app demo seeding hooks (`<app>.demo.seed(ctx)`), each run once per city."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from cordon.core import clock
from cordon.core.models import DemoStep
from cordon.core.registry import app_submodules

DEMO_PASSWORD = "cordon-demo-2026"


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


def _regions():
    from cordon.regions.models import Level, Region

    city = Region.objects.get(parent__isnull=True)
    districts = list(Region.objects.filter(level=Level.DISTRICT).order_by("path")[:2])
    a = districts[0]
    b = districts[1] if len(districts) > 1 else districts[0]
    street = Region.objects.filter(level=Level.STREET, path__startswith=a.path + ".").order_by("path").first()
    community = Region.objects.filter(level=Level.COMMUNITY, path__startswith=street.path + ".").order_by("path").first()
    grid = Region.objects.filter(level=Level.GRID, path__startswith=community.path + ".").order_by("path").first()
    return city, a, b, street, community, grid


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """[(username, role, region name, description)] created for the demo."""
    city, a, b, street, community, grid = _regions()
    return [
        ("commander", "city_commander", city, "市指挥部 City HQ commander"),
        ("district_a", "district_officer", a, f"{a.name} officer (read-write)"),
        ("viewer_a", "viewer", a, f"{a.name} viewer (read-only)"),
        ("district_b", "district_officer", b, f"{b.name} officer"),
        ("street_a", "street_officer", street, f"{street.name} officer"),
        ("community_a", "community_worker", community, f"{community.name} worker"),
        ("grid_a", "grid_worker", grid, f"{grid.name} grid worker"),
        ("tracer_a", "tracer", a, f"{a.name} tracer"),
        ("site_manager", "quarantine_manager", a, f"{a.name} quarantine-site manager"),
        ("sampler_a", "sampler", a, f"{a.name} sampler"),
        ("lab", "lab", city, "city laboratory"),
        ("checkpoint_a", "checkpoint_officer", a, f"{a.name} checkpoint officer"),
        ("logistics_a", "logistics", a, f"{a.name} logistics"),
        ("inspector", "inspector", city, "city inspector"),
    ]


def ensure_accounts() -> dict:
    from cordon.accounts.models import Post

    User = get_user_model()
    out = {}
    with transaction.atomic():
        for username, role, region, desc in demo_accounts():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password=DEMO_PASSWORD, first_name=desc[:150],
                                                is_staff=True, is_superuser=False)
            Post.objects.get_or_create(user=user, role=role, region=region, defaults={"title": desc[:120]})
            out[username] = user
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
    return out


def run_seeders(ctx: DemoContext, *, only_new: bool = True) -> list[str]:
    """Run each app's demo seeder once for this city; return the names run."""
    ran = []
    for label, module in app_submodules("demo"):
        seed = getattr(module, "seed", None)
        if seed is None:
            continue
        if only_new and DemoStep.objects.filter(name=label).exists():
            continue
        ctx.rng = random.Random(f"{ctx.seed}-{label}")
        # One app's demo data lands whole or not at all, so a re-run can retry it cleanly.
        with transaction.atomic():
            seed(ctx)
            DemoStep.objects.get_or_create(name=label)
        ran.append(label)
    return ran
