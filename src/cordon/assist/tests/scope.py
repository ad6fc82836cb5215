import datetime as dt

from cordon.assist.factories import PartnerFactory, RequestFactory
from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint


def _incoming(c, **kw):
    """An incoming request about a resident of district A, routed there."""
    from cordon.people.factories import PersonFactory

    person = PersonFactory(grid=c.a_grid)
    return RequestFactory(region=c.a, person=person, id_number=person.id_number, **kw)


def _draft(c):
    return RequestFactory(region=c.a_community, direction="out", status="draft", their_ref="")


ENDPOINTS = [
    ScopedEndpoint("api assist request", make=_incoming, url=lambda o: f"/api/v1/assist/requests/{o.pk}"),
    ScopedEndpoint("api assist send", make=_draft, url=lambda o: f"/api/v1/assist/requests/{o.pk}/send", method="post", write=True),
    ScopedEndpoint("api assist accept", make=_incoming, url=lambda o: f"/api/v1/assist/requests/{o.pk}/accept", method="post",
                   write=True, payload=lambda o: {}),
    ScopedEndpoint("api assist start", make=lambda c: _incoming(c, status="accepted"), url=lambda o: f"/api/v1/assist/requests/{o.pk}/start",
                   method="post", write=True),
    ScopedEndpoint("api assist reply", make=_incoming, url=lambda o: f"/api/v1/assist/requests/{o.pk}/reply", method="post",
                   write=True, payload=lambda o: {"result": "not_found", "note": "查无此人"}),
    ScopedEndpoint("api assist reject", make=_incoming, url=lambda o: f"/api/v1/assist/requests/{o.pk}/reject", method="post",
                   write=True, payload=lambda o: {"reason": "不在本市居住"}),
    ScopedEndpoint("web assist request", make=_incoming, url=lambda o: f"/assist/{o.pk}/", api=False),
]


def _draft_in(c) -> dict:
    partner = PartnerFactory()
    return {"partner_id": partner.pk, "region_path": c.a_community.path, "name": "王五", "phone": "13700000000",
            "contact_kind": "close_contact", "last_exposure": (clock.now() - dt.timedelta(hours=3)).isoformat()}


_UNSIGNED = dict.fromkeys(("commander", "officer_a", "viewer_a", "officer_b", "field_a", "anonymous"), 401)
_WRITERS_ONLY = {"viewer_a": 403, "field_a": 403}

ROUTES = [
    Route("assist.requests", "/api/v1/assist/requests"),
    # officer B names a region of district A: the answer an unknown region gets
    Route("assist.draft", "/api/v1/assist/requests", method="post", kind="create", payload=_draft_in, expect={"officer_b": 400}),
    Route("assist.partners", "/api/v1/assist/partners"),
    Route("assist.partner_create", "/api/v1/assist/partners", method="post", kind="create",
          payload=lambda c: {"name": "苏州市疫情防控指挥部", "region_code": "320500", "secret": "s" * 24},
          expect={"officer_a": 403, "officer_b": 403}),
    # partner calls: signed by a partner's secret, never a user session (tests/test_exchange.py signs them)
    Route("assist.incoming", "/api/v1/assist/incoming", method="post", kind="public", payload=lambda c: {}, expect=_UNSIGNED),
    Route("assist.incoming_status", "/api/v1/assist/incoming-status", method="post", kind="public", payload=lambda c: {}, expect=_UNSIGNED),
    Route("assist.outgoing_status", "/api/v1/assist/outgoing-status", kind="public", expect=_UNSIGNED),
    Route("assist.page", "/assist/", api=False),
    Route("assist.new", "/assist/new/", api=False, expect=_WRITERS_ONLY),
    Route("assist.upload", "/assist/upload/", api=False, expect=_WRITERS_ONLY),
    Route("assist.template", "/assist/upload/template/", api=False),
    Route("assist.partners_page", "/assist/partners/", api=False),
]
