"""The demo accounts: one user per role, each with a post in the demo city (and a superuser for the back
office), made by `cordon demo` and by tests that seed demo data."""

from django.contrib.auth import get_user_model
from django.db import transaction

from cordon.accounts.models import Post
from cordon.regions.models import Level, Region

DEMO_PASSWORD = "cordon-demo-2026"


def _regions():
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
