import datetime as dt

from django.test.client import MULTIPART_CONTENT

from cordon.core import clock
from cordon.core.testing import SYSTEM, Route, ScopedEndpoint, list_routes


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
    ScopedEndpoint("cases.api.update", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}", method="patch", write=True,
                   payload=lambda o: {"notes": "随访"}),
    ScopedEndpoint("case page", make=_case, url=lambda o: f"/cases/{o.pk}/", api=False),
    ScopedEndpoint("cluster page", make=_case, url=lambda o: f"/cases/{o.pk}/cluster/", api=False),
    ScopedEndpoint("case advance form", make=_case, url=lambda o: f"/cases/{o.pk}/advance/", method="post", write=True, api=False,
                   payload=lambda o: "status=investigating", ok_status=(302,), content_type="application/x-www-form-urlencoded"),
]


ROUTES = [
    *list_routes("cases", api=("", "clusters"), web=("", "clusters/")),
    Route("cases.web.report", "/cases/report/", method="post", kind="create", api=False, content_type=MULTIPART_CONTENT,
          payload=lambda c: {"person_id": _person(c).pk, "kind": "confirmed", "found_by": "manual"},
          expect={"officer_b": 404}),  # a district A resident is not there for district B,
]


def _case_with_stay(city):
    from cordon.cases import services

    case = _case(city)
    services.stays_add(actor=SYSTEM, case=case, items=_stay(case)["items"])
    case.stay_id = case.stays.order_by("-pk").values_list("pk", flat=True).first()
    return case


def _exposure(o):
    return (clock.now() - dt.timedelta(hours=3)).isoformat()


_FORM = "application/x-www-form-urlencoded"


def _form(url, payload=lambda o: "", name=""):
    return ScopedEndpoint(name, make=_case, url=url, method="post", write=True, api=False, payload=payload,
                          ok_status=(302,), content_type=_FORM)


ENDPOINTS += [
    ScopedEndpoint("cases.api.stay.delete", make=_case_with_stay, url=lambda o: f"/api/v1/cases/{o.pk}/stays/{o.stay_id}",
                   method="delete", write=True, ok_status=(204,)),
    ScopedEndpoint("cases.api.contacts", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/contacts", method="post", write=True,
                   payload=lambda o: {"items": [{"person_id": _person_near(o).pk, "setting": "同住",
                                                 "last_exposure": _exposure(o)}]}),
    ScopedEndpoint("cases.api.infector", make=_case, url=lambda o: f"/api/v1/cases/{o.pk}/infector", method="post", write=True,
                   payload=lambda o: {"infector_id": None}),
    _form(lambda o: f"/cases/{o.pk}/investigation/", lambda o: "notes=%E9%9A%8F%E8%AE%BF", "cases.web.investigation"),
    # the current 流调表 (questionnaires app): a refusal of the answers still redirects back to the case page
    _form(lambda o: f"/cases/{o.pk}/questionnaire/", lambda o: "occupation=student&has_symptoms=no&vaccinated=no&travelled=no&risk_area=no"
          "&contact_case=no&first_positive_at=2026-12-01T08%3A30&found_how=screening", "cases.web.questionnaire"),
    _form(lambda o: f"/cases/{o.pk}/stays/", lambda o: "kind=place&place=home&time_in=" + _exposure(o).replace("+", "%2B"),
          "cases.web.stay.add"),
    _form(lambda o: f"/cases/{o.pk}/named/", lambda o: f"id_number={_person_near(o).id_number}&setting=%E5%90%8C%E4%BD%8F"
          f"&last_exposure={_exposure(o).replace('+', '%2B')}", "cases.web.named"),
    _form(lambda o: f"/cases/{o.pk}/infector/", lambda o: "infector_id=", "cases.web.infector"),
    ScopedEndpoint("cases.web.stay.delete", make=_case_with_stay, url=lambda o: f"/cases/{o.pk}/stays/{o.stay_id}/delete/",
                   method="post", write=True, api=False, ok_status=(302,), content_type=_FORM, payload=lambda o: ""),
]

ROUTES += [
    Route("cases.api.report", "/api/v1/cases/", method="post", kind="create",
          payload=lambda c: {"person_id": _person(c).pk, "kind": "confirmed", "found_by": "manual"},
          expect={"officer_b": 404, "field_a": 403}),
]


def _person_near(case):
    from cordon.people.factories import PersonFactory
    from cordon.regions.models import Region

    return PersonFactory(grid=Region.objects.get(path=case.person.region_path))


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
]
