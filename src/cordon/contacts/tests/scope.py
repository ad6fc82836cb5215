import datetime as dt

from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint

FORM = "application/x-www-form-urlencoded"


def _proposal(city):
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", last_exposure=clock.now(),
                                     evidence=[{"rule": "named", "setting": "meal"}])


def _releasable(city):
    """Under measures, the plan over yesterday and no test scheduled: release is due."""
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    start, end = clock.today() - dt.timedelta(days=8), clock.today() - dt.timedelta(days=1)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", status="under_measures",
                                     last_exposure=clock.now() - dt.timedelta(days=9), evidence=[{"rule": "named", "setting": "meal"}],
                                     plan=[{"kind": "home", "start": start.isoformat(), "end": end.isoformat(), "test_days": []}])


def _add_in(city) -> dict:
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return {"person_id": p.pk, "category": "close_contact", "last_exposure": (clock.now() - dt.timedelta(days=1)).isoformat()}


def _add_form(city) -> str:
    from urllib.parse import urlencode

    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return urlencode({"id_number": p.id_number, "category": "close_contact",
                      "last_exposure": (clock.now() - dt.timedelta(days=1)).isoformat()})


def _decide_form(city) -> str:
    return f"ids={_proposal(city).pk}&decision=reject"


def _case(city):
    from cordon.cases import services
    from cordon.core.testing import SYSTEM
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return services.case_report(actor=SYSTEM, person_id=p.pk, kind="confirmed", found_by="manual", source=f"test:{p.pk}")


ENDPOINTS = [
    ScopedEndpoint("risk person", make=_proposal, url=lambda o: f"/api/v1/contacts/{o.pk}"),
    ScopedEndpoint("risk person page", make=_proposal, url=lambda o: f"/contacts/{o.pk}/", api=False),
    ScopedEndpoint("risk person reject", make=_proposal, url=lambda o: "/api/v1/contacts/decide", method="post", write=True,
                   payload=lambda o: {"ids": [o.pk], "decision": "reject"}),
    ScopedEndpoint("contacts.release", make=_releasable, url=lambda o: f"/api/v1/contacts/{o.pk}/release", method="post", write=True),
    ScopedEndpoint("contacts.page.release", make=_releasable, url=lambda o: f"/contacts/{o.pk}/release/", method="post", write=True,
                   api=False, payload=lambda o: "", ok_status=(302,), content_type=FORM),
    # identification of one case again, served by contacts under the case's path
    ScopedEndpoint("case identify", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/identify", method="post", write=True, payload=lambda o: {}),
    ScopedEndpoint("cases.web.identify", make=_case, url=lambda o: f"/cases/{o.pk}/identify/", method="post", write=True, api=False,
                   payload=lambda o: "", ok_status=(302,), content_type=FORM),
]


ROUTES = [
    Route("contacts.list", "/api/v1/contacts/"),
    # the grid worker reads contacts but neither exports nor changes them
    Route("contacts.export", "/api/v1/contacts/export", expect={"viewer_a": 403, "field_a": 403}),
    # officer B names a district A resident: 404, as for a resident that does not exist
    Route("contacts.add", "/api/v1/contacts/", method="post", kind="create", payload=_add_in, expect={"officer_b": 404}),
    Route("contacts.page", "/contacts/", api=False),
    # pages answer a refused form with a redirect and a message; a missing permission is 403
    Route("contacts.page.add", "/contacts/add/", method="post", kind="create", api=False, payload=_add_form, content_type=FORM),
    Route("contacts.page.decide", "/contacts/decide/", method="post", kind="create", api=False, payload=_decide_form, content_type=FORM),
]
