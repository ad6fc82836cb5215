import datetime as dt

from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import SYSTEM, Route, ScopedEndpoint


def _person(city):
    from cordon.people.factories import PersonFactory

    return PersonFactory(grid=city.a_grid)


def _case(city):
    from cordon.cases import services
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=SYSTEM, person_id=p.pk, kind="confirmed", found_by="manual", source=f"test:{p.pk}")


def _stay(o):
    t = clock.now() - dt.timedelta(hours=5)
    return {"items": [{"kind": "place", "place": "home", "time_in": t.isoformat(), "time_out": (t + dt.timedelta(hours=1)).isoformat()}]}


ENDPOINTS = [
    ScopedEndpoint("case detail", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}"),
    ScopedEndpoint("case infectors", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/infectors"),
    ScopedEndpoint("case cluster", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/cluster"),
    ScopedEndpoint("case stays add", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/stays", method="post", write=True, payload=_stay),
    ScopedEndpoint("case advance", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/advance", method="post", write=True,
                   payload=lambda o: {"status": "investigating"}),
    ScopedEndpoint("case identify", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/identify", method="post", write=True, payload=lambda o: {}),
    ScopedEndpoint("cases.api.update", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}", method="patch", write=True,
                   payload=lambda o: {"notes": "随访"}),
    ScopedEndpoint("case page", make=_case, url=lambda o: f"/cases/{o.pk}/", api=False),
    ScopedEndpoint("cluster page", make=_case, url=lambda o: f"/cases/{o.pk}/cluster/", api=False),
    ScopedEndpoint("case advance form", make=_case, url=lambda o: f"/cases/{o.pk}/advance/", method="post", write=True, api=False,
                   payload=lambda o: "status=investigating", ok_status=(302,), content_type="application/x-www-form-urlencoded"),
]


ROUTES = [
    Route("cases.api.list.index", "/api/v1/cases/"),
    Route("cases.api.list.clusters", "/api/v1/cases/clusters"),
    Route("cases.web.list.index", "/cases/", api=False),
    Route("cases.web.list.clusters", "/cases/clusters/", api=False),
    Route("cases.web.report", "/cases/report/", method="post", kind="create", api=False, content_type=MULTIPART_CONTENT,
          payload=lambda c: {"person_id": _person(c).pk, "kind": "confirmed", "found_by": "manual"},
          expect={"officer_b": 404}),  # a district A resident is not there for district B,
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "DELETE api/v1/cases/<>/stays/<>",
    "POST api/v1/cases/",
    "POST api/v1/cases/<>/contacts",
    "POST api/v1/cases/<>/infector",
    "WEB cases/<>/identify/",
    "WEB cases/<>/infector/",
    "WEB cases/<>/investigation/",
    "WEB cases/<>/named/",
    "WEB cases/<>/stays/",
    "WEB cases/<>/stays/<>/delete/",
]
