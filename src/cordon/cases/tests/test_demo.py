import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model

from cordon.cases import demo
from cordon.cases.models import Case
from cordon.core import clock
from cordon.core.demo import DemoContext
from cordon.people.factories import PersonFactory
from cordon.venues.factories import CheckInFactory, VenueFactory

pytestmark = pytest.mark.django_db


def demo_city(city) -> DemoContext:
    """Residents of district A with venue scans, and tracer_a: what the cases demo starts from."""
    from cordon.accounts.models import Post

    tracer = get_user_model().objects.create_user(username="tracer_a", password="pw-for-tests-1")
    Post.objects.create(user=tracer, role="tracer", region=city.a)
    venues = [VenueFactory(region=city.a_community, kind=k) for k in ("restaurant", "supermarket", "office")]
    people = [PersonFactory(grid=city.a_grid) for _ in range(30)]
    base = clock.now() - dt.timedelta(hours=30)
    for i, p in enumerate(people):
        v = venues[i % 3]
        t = base + dt.timedelta(minutes=10 * (i % 4))
        CheckInFactory(person=p, venue=v, time_in=t, time_out=t + dt.timedelta(hours=1))
    return DemoContext(seed=1, accounts={"tracer_a": tracer}, rng=random.Random(1))


def test_the_demo_seeds_cases_with_trajectories_and_infector_links(city):
    ctx = demo_city(city)
    demo.seed(ctx)
    assert Case.objects.count() == 5
    assert Case.objects.filter(stays__isnull=False).distinct().count() >= 4
    assert Case.objects.filter(infector__isnull=False).count() == 2
    assert "5 cases" in ctx.log[-1]
