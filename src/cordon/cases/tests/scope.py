import datetime as dt

from cordon.core import clock
from cordon.core.testing import ScopedEndpoint


def _case(city):
    from cordon.cases import services
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=None, person_id=p.pk, kind="confirmed", found_by="manual", source=f"test:{p.pk}")


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
    ScopedEndpoint("case page", make=_case, url=lambda o: f"/cases/{o.pk}/", api=False),
    ScopedEndpoint("cluster page", make=_case, url=lambda o: f"/cases/{o.pk}/cluster/", api=False),
    ScopedEndpoint("case advance form", make=_case, url=lambda o: f"/cases/{o.pk}/advance/", method="post", write=True, api=False,
                   payload=lambda o: "status=investigating", ok_status=(302,), content_type="application/x-www-form-urlencoded"),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "DELETE api/v1/cases/<>/stays/<>",
    "GET api/v1/cases/",
    "GET api/v1/cases/clusters",
    "PATCH api/v1/cases/<>",
    "POST api/v1/cases/",
    "POST api/v1/cases/<>/contacts",
    "POST api/v1/cases/<>/infector",
    "WEB cases/",
    "WEB cases/<>/identify/",
    "WEB cases/<>/infector/",
    "WEB cases/<>/investigation/",
    "WEB cases/<>/named/",
    "WEB cases/<>/stays/",
    "WEB cases/<>/stays/<>/delete/",
    "WEB cases/clusters/",
    "WEB cases/report/",
]
