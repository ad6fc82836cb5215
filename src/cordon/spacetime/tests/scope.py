import datetime as dt

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint


def _presence(c):
    from cordon.people.factories import PersonFactory
    from cordon.spacetime.factories import CellPresenceFactory

    return CellPresenceFactory(person=PersonFactory(grid=c.a_grid))


def _batch(c):

    from cordon.people.factories import PersonFactory
    from cordon.spacetime import services

    person = PersonFactory(grid=c.a_grid)
    start = clock.now().replace(microsecond=0) - dt.timedelta(hours=5)
    report = services.presence_bulk(actor=c_commander(c), items=[
        {"person_id": person.pk, "cell_id": "E10N10", "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat()}],
        source="scope-test")
    return report["batch"]


def c_commander(c):
    from django.contrib.auth import get_user_model

    from cordon.accounts.models import Post

    user, created = get_user_model().objects.get_or_create(username="scope_loader")
    if created:
        Post.objects.create(user=user, role="city_commander", region=c.city)
    return user


ENDPOINTS = [
    ScopedEndpoint("api person presence", make=_presence, url=lambda p: f"/api/v1/spacetime/people/{p.person_id}/presence"),
    ScopedEndpoint("api presence batch", make=_batch, url=lambda b: f"/api/v1/spacetime/batches/{b}"),
    ScopedEndpoint("web person presence", make=_presence, url=lambda p: f"/spacetime/people/{p.person_id}/", api=False),
    ScopedEndpoint("web presence batch", make=_batch, url=lambda b: f"/spacetime/batches/{b}/", api=False),
]


def _presence_in(c) -> dict:
    from cordon.people.factories import PersonFactory

    person = PersonFactory(grid=c.a_grid)
    start = clock.now().replace(microsecond=0) - dt.timedelta(hours=5)
    return {"source": "scope-test", "items": [{"person_id": person.pk, "cell_id": "E10N10", "start": start.isoformat(),
                                               "end": (start + dt.timedelta(hours=1)).isoformat()}]}


ROUTES = [
    Route("spacetime.page.upload.template", "/spacetime/upload/template/", api=False),  # an empty template
    Route("spacetime.batches", "/api/v1/spacetime/batches"),
    # officer B names a district A resident: the row error an unknown person gets, nothing stored
    Route("spacetime.presence.bulk", "/api/v1/spacetime/presence/bulk", method="post", kind="create", payload=_presence_in,
          expect={"officer_b": 400}),
    Route("spacetime.page", "/spacetime/", api=False),
    Route("spacetime.page.upload", "/spacetime/upload/", kind="create", api=False),
]
