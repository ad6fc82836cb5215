import datetime as dt

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint, list_routes
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
    *list_routes("venues", api=("", "closures"), web=("", "closures/")),
    Route("venues.web.form.closures.new", "/venues/closures/new/", api=False, expect={"viewer_a": 403, "field_a": 403}),
]



def _scans(c):
    """One scan at a fresh district A venue by a district A resident."""
    from cordon.people.factories import PersonFactory

    person, venue = PersonFactory(grid=c.a_grid), VenueFactory(region=c.a_community, kind="supermarket")
    return {"items": [{"person_token": person.token, "venue_code": venue.code,
                       "time_in": (clock.now() - dt.timedelta(hours=2)).isoformat()}]}


def _closure_body(c):
    return {"title": "暂停娱乐场所", "kinds": ["ktv"], "area_path": c.a.path, "starts_at": clock.now().isoformat(),
            "ends_at": (clock.now() + dt.timedelta(days=7)).isoformat()}


# Writes naming district A in the body: district B gets the 400 an unknown venue code (a row error) or an unknown
# area gets; the read-only viewer and the grid worker hold no venues.change (403).
_NAMED = {"commander": 201, "officer_a": 201, "viewer_a": 403, "officer_b": 400, "field_a": 403}

ROUTES += [
    Route("venues.api.checkins.bulk", "/api/v1/venues/checkins/bulk", method="post", kind="create", payload=_scans, expect=_NAMED),
    Route("venues.api.closure.issue", "/api/v1/venues/closures", method="post", kind="create", payload=_closure_body,
          expect=_NAMED),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []

# Venue codes (场所码) printed with their QR codes: the register as filtered, or one venue as a poster.
ROUTES += list_routes("venues", web=("print/",))
ENDPOINTS += [
    ScopedEndpoint("venues.web.venue.print", make=lambda c: VenueFactory(region=c.a_community),
                   url=lambda v: f"/venues/print/?ids={v.pk}&layout=cards", api=False),
]
