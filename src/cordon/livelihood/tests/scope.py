import datetime as dt
import itertools
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.livelihood import factories
from cordon.people.factories import PersonFactory

FORM = "application/x-www-form-urlencoded"
_credit = itertools.count(1)


def _commander():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="commander")


def _jpeg():
    return SimpleUploadedFile("door.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")


def _need_with_team(c):
    need = factories.need(c.a_grid)
    need.team_pk = factories.team(c.a_community).pk
    return need


def _assigned(c):
    from cordon.livelihood import services

    need = _need_with_team(c)
    return services.need_assign(actor=_commander(), need=need, team_id=need.team_pk)


def _delivered(c):
    from cordon.livelihood import services

    return services.need_deliver(actor=_commander(), need=_assigned(c), proof=_jpeg(), note="门口")


def _incident(c):
    from cordon.livelihood import services

    return services.incident_create(actor=_commander(), kind="heating", region_id=c.a_grid.pk, address="甲一小区3号楼")


def _point(c):
    from cordon.livelihood import services

    return services.supply_point_create(actor=_commander(), name="甲一超市", kind="supermarket", region_id=c.a_grid.pk)


def _staffed(c):
    from cordon.livelihood import services

    plan = factories.plan(c.a_street)
    services.plan_staff_add(actor=_commander(), plan=plan, rows=[{"name": "李四", "id_number": _id_number()}])
    return plan


def _staff(c):
    return _staffed(c).staff.get()


def _pass_url(c):
    # the matrix also asks for the URL's shape only (no database): then `c` is a stand-in, not the test city
    if not isinstance(c, SimpleNamespace):
        return "/api/v1/livelihood/passes/shape"
    from cordon.livelihood import services
    from cordon.livelihood.models import StaffPass

    plan = services.plan_activate(actor=_commander(), plan=_staffed(c))
    return f"/api/v1/livelihood/passes/{StaffPass.objects.get(staff__plan=plan).code}"


def _id_number():
    from cordon.core.ids import make_id_number

    return make_id_number("990101", dt.date(1990, 1, 1), 500 + next(_credit), "M")


def _enterprise_payload(region):
    return {"name": "甲一食品厂", "credit_code": f"91310000MB2{next(_credit):07d}", "sector": "food", "region_id": region.pk}


ENDPOINTS = [
    ScopedEndpoint("api livelihood need detail", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/api/v1/livelihood/needs/{n.pk}"),
    ScopedEndpoint("web livelihood need page", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/livelihood/needs/{n.pk}/", api=False),
    ScopedEndpoint("api livelihood need create", make=lambda c: PersonFactory(grid=c.a_grid), url=lambda p: "/api/v1/livelihood/needs",
                   method="post", write=True, payload=lambda p: {"household_id": p.household_id, "kind": "food"}),
    ScopedEndpoint("api livelihood need cancel", make=lambda c: factories.need(c.a_grid), url=lambda n: f"/api/v1/livelihood/needs/{n.pk}/cancel",
                   method="post", write=True, payload=lambda n: {"reason": "duplicate"}),
    ScopedEndpoint("api livelihood emergency detail", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}"),
    ScopedEndpoint("web livelihood emergency page", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/livelihood/emergencies/{e.pk}/", api=False),
    ScopedEndpoint("api livelihood emergency acknowledge", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}/acknowledge", method="post", write=True),
    ScopedEndpoint("api livelihood emergency create", make=lambda c: PersonFactory(grid=c.a_grid),
                   url=lambda p: "/api/v1/livelihood/emergencies", method="post", write=True,
                   payload=lambda p: {"kind": "chest_pain", "person_id": p.pk}),
    ScopedEndpoint("api livelihood enterprise whitelist", make=lambda c: factories.enterprise(c.a_street, whitelisted=False),
                   url=lambda e: f"/api/v1/livelihood/enterprises/{e.pk}/whitelist", method="post", write=True,
                   payload=lambda e: {"on": True}),
    ScopedEndpoint("web livelihood plan page", make=lambda c: factories.plan(c.a_street), url=lambda p: f"/livelihood/plans/{p.pk}/", api=False),
    ScopedEndpoint("api livelihood plan detail", make=lambda c: factories.plan(c.a_street), url=lambda p: f"/api/v1/livelihood/plans/{p.pk}"),
    ScopedEndpoint("livelihood.api.emergency.close", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}/close", method="post", write=True,
                   payload=lambda e: {"outcome": "居家治疗"}),
    ScopedEndpoint("livelihood.api.emergency.dispatch", make=lambda c: factories.emergency(c.a_grid),
                   url=lambda e: f"/api/v1/livelihood/emergencies/{e.pk}/dispatch", method="post", write=True,
                   payload=lambda e: {"dispatch_kind": "doctor"}),
    ScopedEndpoint("livelihood.api.enterprise.create", make=lambda c: c.a_street, url=lambda r: "/api/v1/livelihood/enterprises",
                   method="post", write=True, payload=_enterprise_payload),
    ScopedEndpoint("livelihood.api.enterprise.plan", make=lambda c: factories.enterprise(c.a_street),
                   url=lambda e: f"/api/v1/livelihood/enterprises/{e.pk}/plans", method="post", write=True,
                   payload=lambda e: {"start": str(clock.today()), "end": str(clock.today() + dt.timedelta(days=14)),
                                      "dormitory": "厂区宿舍 B 栋"}),
    ScopedEndpoint("livelihood.api.incident.create", make=lambda c: c.a_grid, url=lambda r: "/api/v1/livelihood/incidents",
                   method="post", write=True, payload=lambda r: {"kind": "water", "region_id": r.pk, "address": "甲一小区1号楼"}),
    ScopedEndpoint("livelihood.api.incident.status", make=_incident, url=lambda i: f"/api/v1/livelihood/incidents/{i.pk}/status",
                   method="post", write=True, payload=lambda i: {"status": "in_progress"}),
    ScopedEndpoint("livelihood.api.need.assign", make=_need_with_team, url=lambda n: f"/api/v1/livelihood/needs/{n.pk}/assign",
                   method="post", write=True, payload=lambda n: {"team_id": n.team_pk}),
    ScopedEndpoint("livelihood.api.need.deliver", make=_assigned, url=lambda n: f"/api/v1/livelihood/needs/{n.pk}/deliver",
                   method="post", write=True, content_type=MULTIPART_CONTENT, payload=lambda n: {"proof": _jpeg(), "note": "门口"}),
    ScopedEndpoint("livelihood.api.plan.activate", make=_staffed, url=lambda p: f"/api/v1/livelihood/plans/{p.pk}/activate",
                   method="post", write=True),
    ScopedEndpoint("livelihood.api.plan.end", make=lambda c: factories.plan(c.a_street),
                   url=lambda p: f"/api/v1/livelihood/plans/{p.pk}/end", method="post", write=True),
    ScopedEndpoint("livelihood.api.plan.staff", make=lambda c: factories.plan(c.a_street),
                   url=lambda p: f"/api/v1/livelihood/plans/{p.pk}/staff", method="post", write=True,
                   payload=lambda p: [{"name": "王五", "id_number": _id_number()}]),
    ScopedEndpoint("livelihood.api.staff.test", make=_staff, url=lambda s: f"/api/v1/livelihood/staff/{s.pk}/tests",
                   method="post", write=True, payload=lambda s: {"tested_on": str(clock.today()), "negative": True}),
    ScopedEndpoint("livelihood.api.supply_point.create", make=lambda c: c.a_grid, url=lambda r: "/api/v1/livelihood/supply-points",
                   method="post", write=True, payload=lambda r: {"name": "甲一药房", "kind": "pharmacy", "region_id": r.pk}),
    ScopedEndpoint("livelihood.api.supply_point.stock", make=_point, url=lambda p: f"/api/v1/livelihood/supply-points/{p.pk}/stock",
                   method="post", write=True, payload=lambda p: {"grain": "tight"}),
    ScopedEndpoint("livelihood.api.team.create", make=lambda c: c.a_community, url=lambda r: "/api/v1/livelihood/teams",
                   method="post", write=True, payload=lambda r: {"name": "配送二队", "region_id": r.pk}),
    ScopedEndpoint("livelihood.web.enterprise", make=lambda c: factories.enterprise(c.a_street),
                   url=lambda e: f"/livelihood/enterprises/{e.pk}/", api=False),
    ScopedEndpoint("livelihood.web.need.proof", make=_delivered, url=lambda n: f"/livelihood/needs/{n.pk}/proof/", api=False),
]

ROUTES = [
    Route("livelihood.api.needs", "/api/v1/livelihood/needs"),
    Route("livelihood.api.teams", "/api/v1/livelihood/teams"),
    Route("livelihood.api.emergencies", "/api/v1/livelihood/emergencies"),
    Route("livelihood.api.emergencies.board", "/api/v1/livelihood/emergencies/board"),
    Route("livelihood.api.incidents", "/api/v1/livelihood/incidents"),
    Route("livelihood.api.supply_points", "/api/v1/livelihood/supply-points"),
    Route("livelihood.api.enterprises", "/api/v1/livelihood/enterprises"),
    # the green-lane pass check is city-wide (any checkpoint verifies any pass; enterprise and plate, nothing personal)
    Route("livelihood.api.pass", _pass_url),
    # one fresh household of district A per member: another district's household is refused by row exactly as an unknown
    # one (400); the read-only viewer may not write (403); the grid worker files needs in its grid (livelihood.*)
    Route("livelihood.api.needs.bulk", "/api/v1/livelihood/needs/bulk", method="post", kind="create",
          payload=lambda c: [{"household_id": PersonFactory(grid=c.a_grid).household_id, "kind": "food"}],
          expect={"commander": 201, "officer_a": 201, "officer_b": 400, "field_a": 201}),
    Route("livelihood.web.index", "/livelihood/", api=False),
    Route("livelihood.web.teams", "/livelihood/teams/", api=False),
    Route("livelihood.web.emergencies", "/livelihood/emergencies/", api=False),
    Route("livelihood.web.essentials", "/livelihood/essentials/", api=False),
    Route("livelihood.web.enterprises", "/livelihood/enterprises/", api=False),
    Route("livelihood.web.escalate", "/livelihood/emergencies/escalate/", method="post", kind="create", api=False,
          content_type=FORM, expect={"field_a": 302}),
    Route("livelihood.web.portal", "/livelihood/portal/", kind="public", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
