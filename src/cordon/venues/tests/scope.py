from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.venues.factories import VenueFactory


def _person_with_scan(c):
    from cordon.people.factories import PersonFactory
    from cordon.venues.factories import CheckInFactory

    person = PersonFactory(grid=c.a_grid)
    CheckInFactory(person=person, venue=VenueFactory(region=c.a_community))
    return person


ENDPOINTS = [
    ScopedEndpoint("api venue detail", make=lambda c: VenueFactory(region=c.a_community), url=lambda v: f"/api/v1/venues/{v.pk}"),
    ScopedEndpoint("venues.person.checkins", make=_person_with_scan, url=lambda p: f"/api/v1/venues/people/{p.pk}/checkins"),
]


def _closure(c):

    from cordon.venues.models import ClosureOrder

    return ClosureOrder.objects.create(number=f"T{ClosureOrder.objects.count() + 1:06d}", title="t", kinds=["ktv"], area=c.a,
                                       region_path=c.a.path, starts_at=clock.now(), status="in_force")


def _notice(c):

    from cordon.venues.models import ClosureNotice

    order = _closure(c)
    venue = VenueFactory(region=c.a_community, kind="ktv")
    return ClosureNotice.objects.create(order=order, venue=venue, region_path=venue.region_path, text="n", issued_at=clock.now())


ENDPOINTS += [
    ScopedEndpoint("api closure detail", make=_closure, url=lambda o: f"/api/v1/venues/closures/{o.pk}"),
    ScopedEndpoint("api closure lift", make=_closure, url=lambda o: f"/api/v1/venues/closures/{o.pk}/lift", method="post", write=True,
                   payload=lambda o: {"note": "x"}),
    ScopedEndpoint("api closure compliance inspection", make=_notice, url=lambda o: f"/api/v1/venues/closures/notices/{o.pk}/inspect",
                   method="post", write=True, payload=lambda o: {"found_open": False}),
    ScopedEndpoint("venues.api.closure.notices", make=_closure, url=lambda o: f"/api/v1/venues/closures/{o.pk}/notices"),
    ScopedEndpoint("venues.api.notice.reopen", make=_notice, url=lambda o: f"/api/v1/venues/closures/notices/{o.pk}/reopen",
                   method="post", write=True, payload=lambda o: {"note": "整改完毕"}),
    ScopedEndpoint("web closure detail", make=_closure, url=lambda o: f"/venues/closures/{o.pk}/", api=False),
]


ROUTES = [
    Route("venues.api.list.index", "/api/v1/venues/"),
    Route("venues.api.list.closures", "/api/v1/venues/closures"),
    Route("venues.web.list.index", "/venues/", api=False),
    Route("venues.web.list.closures", "/venues/closures/", api=False),
    Route("venues.web.form.closures.new", "/venues/closures/new/", api=False, expect={"viewer_a": 403, "field_a": 403}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "POST api/v1/venues/checkins/bulk",
    "POST api/v1/venues/closures",
]
