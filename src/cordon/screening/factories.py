"""Test data for mass testing: a published round over district A with people sampled into tubes."""

import datetime as dt
import itertools

from cordon.core import access, clock
from cordon.people.factories import PersonFactory
from cordon.screening import services
from cordon.screening.enums import RoundStatus
from cordon.screening.models import Round, Site

_codes = itertools.count(1)


def tube_code() -> str:
    return f"T{next(_codes):09d}"


TESTS = access.system("tests")


def make_round(*, region, actor=TESTS, pool_size: int = 10, published: bool = True) -> Round:
    """A round over `region` with one site per community (plain rows, no services)."""
    now = clock.now()
    rnd = Round.objects.create(name="第1轮", region=region, region_path=region.path, starts_at=now - dt.timedelta(hours=1),
                               ends_at=now + dt.timedelta(hours=23), pool_size=pool_size,
                               status=RoundStatus.PUBLISHED if published else RoundStatus.DRAFT, ruleset="protocol-9")
    return rnd


def make_site(*, rnd, community, grids, pool_size: int = 10) -> Site:
    return Site.objects.create(round=rnd, region=community, region_path=community.path, name=f"{community.name}采样点",
                               grid_paths=[g.path for g in grids], population=0, opens_at=rnd.starts_at,
                               closes_at=rnd.ends_at, pool_size=pool_size)


def sampled_tube(*, actor, rnd, site, grid, n: int = 3):
    """n new residents of `grid` sampled into one new tube; returns (tube code, people)."""
    people = [PersonFactory(grid=grid) for _ in range(n)]
    code = tube_code()
    services.samples_register(actor=actor, round_id=rnd.pk,
                              items=[{"person": p.id_number, "tube": code, "site": site.pk} for p in people])
    return code, people
