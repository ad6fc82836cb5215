
from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import Route, ScopedEndpoint
from cordon.people.factories import PersonFactory
from cordon.screening.factories import make_round, make_site, sampled_tube, tube_code

FORM = "application/x-www-form-urlencoded"


def _commander():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="commander")


def _round(c, published=True):
    rnd = make_round(region=c.a, actor=_commander(), published=published)
    rnd.grid = c.a_grid.path
    return rnd


def _site(c):
    return make_site(rnd=_round(c), community=c.a_community, grids=[c.a_grid])


def _site_with_person(c):
    site = _site(c)
    site.person = PersonFactory(grid=c.a_grid)
    return site


def _draft(c):
    return _round(c, published=False)


def _tube(c, closed=False):
    """An open tube of district A holding three swabs (closed by hand when `closed`)."""
    from cordon.screening import services
    from cordon.screening.models import Tube

    site = _site(c)
    code, _people = sampled_tube(actor=_commander(), rnd=site.round, site=site, grid=c.a_grid, n=3)
    if closed:
        services.tube_close(actor=_commander(), code=code)
    return Tube.objects.get(code=code)


def _sampled_person(c):
    site = _site(c)
    _code, people = sampled_tube(actor=_commander(), rnd=site.round, site=site, grid=c.a_grid, n=1)
    return people[0]


def _retest(c):
    """A member of a positive pool of district A, waiting for the single-tube retest."""
    from cordon.screening import services
    from cordon.screening.models import Retest

    tube = _tube(c, closed=True)
    services.results_apply(actor=_commander(), items=[{"tube": tube.code, "result": "positive"}], source="test")
    return Retest.objects.filter(pool_tube=tube).first()


def _hl7(c):
    tube = _tube(c, closed=True)
    return ("MSH|^~\\&|LIS|LAB|CORDON|CITY|20260101120000||ORU^R01|1|P|2.5\r"
            f"OBR|1|{tube.code}||94500-6^SARS-CoV-2 RNA^LN\r"
            "OBX|1|ST|94500-6^SARS-CoV-2 RNA^LN||negative|||N|||F\r")


ENDPOINTS = [
    ScopedEndpoint("api round detail", make=_round, url=lambda r: f"/api/v1/screening/rounds/{r.pk}"),
    ScopedEndpoint("api round coverage", make=_round, url=lambda r: f"/api/v1/screening/rounds/{r.pk}/coverage"),
    ScopedEndpoint("api round publish", make=_draft, url=lambda r: f"/api/v1/screening/rounds/{r.pk}/publish", method="post",
                   write=True, payload=lambda r: {}),
    ScopedEndpoint("api bulk samples", make=_site_with_person, url=lambda s: f"/api/v1/screening/rounds/{s.round_id}/samples",
                   method="post", write=True,
                   payload=lambda s: {"items": [{"person": s.person.id_number, "tube": tube_code(), "site": s.pk}]}),
    ScopedEndpoint("api site update", make=_site, url=lambda s: f"/api/v1/screening/sites/{s.pk}", method="post", write=True,
                   payload=lambda s: {"tables": 3}),
    ScopedEndpoint("web round page", make=_round, url=lambda r: f"/screening/rounds/{r.pk}/", api=False),
    ScopedEndpoint("web site page", make=_site, url=lambda s: f"/screening/sites/{s.pk}/", api=False),
    ScopedEndpoint("screening.api.round.sites", make=_site, url=lambda s: f"/api/v1/screening/rounds/{s.round_id}/sites"),
    ScopedEndpoint("screening.api.round.unsampled", make=_round,
                   url=lambda r: f"/api/v1/screening/rounds/{r.pk}/unsampled?grid={r.grid}"),
    ScopedEndpoint("screening.api.round.plan", make=lambda c: c.a, url=lambda r: "/api/v1/screening/rounds", method="post", write=True,
                   payload=lambda r: {"name": "第2轮", "region": r.path, "starts_at": "2030-01-01T08:00:00+08:00",
                                      "ends_at": "2030-01-01T20:00:00+08:00"}),
    ScopedEndpoint("screening.api.round.close", make=_round, url=lambda r: f"/api/v1/screening/rounds/{r.pk}/close", method="post",
                   write=True, payload=lambda r: {}),
    ScopedEndpoint("screening.api.tube.close", make=_tube, url=lambda t: f"/api/v1/screening/tubes/{t.code}/close", method="post",
                   write=True, payload=lambda t: {}),
    ScopedEndpoint("screening.api.tube.results", make=_tube, url=lambda t: f"/api/v1/screening/tubes/{t.code}/results"),
    ScopedEndpoint("screening.web.tube", make=_tube, url=lambda t: f"/screening/tubes/{t.code}/", api=False),
    ScopedEndpoint("screening.api.retest.sample", make=_retest, url=lambda r: f"/api/v1/screening/retests/{r.pk}/sample",
                   method="post", write=True, payload=lambda r: {"tube": tube_code()}),
    ScopedEndpoint("screening.web.retest.sample", make=_retest, url=lambda r: f"/screening/retests/{r.pk}/sample/", method="post",
                   write=True, api=False, ok_status=(302,), payload=lambda r: {"tube": tube_code()}, content_type=FORM),
    ScopedEndpoint("screening.web.round.close", make=_round, url=lambda r: f"/screening/rounds/{r.pk}/close/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=FORM),
    ScopedEndpoint("screening.web.round.publish", make=_draft, url=lambda r: f"/screening/rounds/{r.pk}/publish/", method="post",
                   write=True, api=False, ok_status=(302,), content_type=FORM),
    # the sampler's phone page is the sampling tool: it needs screening.sample or .change, a read-only viewer gets 403
    ScopedEndpoint("screening.web.site.sampler", make=_site, url=lambda s: f"/screening/sites/{s.pk}/sampler/", write=True,
                   api=False),
    # blank tube labels (QR) are printed by the samplers of the site, like the sampler page
    ScopedEndpoint("screening.web.site.tube_labels", make=_site, url=lambda s: f"/screening/sites/{s.pk}/tubes/print/", write=True,
                   api=False),
]

# Bulk writes naming tubes (results, lab reception): each member gets a fresh tube of district A. Another district's
# tube answers exactly as an unknown tube does (400, the row is refused): so does the tube of a community site to a
# grid worker, whose area is one grid; a read-only viewer of the district may not write (403).
_BULK = {"viewer_a": 403, "officer_b": 400, "field_a": 400}

ROUTES = [
    Route("screening.page.results.template", "/screening/results/template/", api=False),  # an empty template
    Route("screening.api.rounds", "/api/v1/screening/rounds"),
    Route("screening.api.tubes", "/api/v1/screening/tubes"),
    Route("screening.api.retests", "/api/v1/screening/retests"),
    Route("screening.api.results", "/api/v1/screening/results", method="post", kind="create",
          payload=lambda c: {"items": [{"tube": _tube(c, closed=True).code, "result": "negative"}]},
          expect={"commander": 201, "officer_a": 201, **_BULK}),
    Route("screening.api.results.import", "/api/v1/screening/results/import", method="post", kind="create",
          content_type=MULTIPART_CONTENT,
          payload=lambda c: {"file": _csv(f"tube,result\n{_tube(c, closed=True).code},negative\n")},
          expect={"commander": 200, "officer_a": 200, **_BULK}),
    Route("screening.api.results.hl7", "/api/v1/screening/results/hl7", method="post", kind="create", content_type="text/plain",
          payload=_hl7, expect={"commander": 200, "officer_a": 200, **_BULK}),
    # a sampler's phone uploads retest samples in bulk: another district's retest answers as an unknown one (400, the row
    # is refused); a read-only viewer, and a grid worker (no screening.sample), may not sample (403)
    Route("screening.api.retests.samples", "/api/v1/screening/retests/samples", method="post", kind="create",
          payload=lambda c: {"items": [{"retest": _retest(c).pk, "tube": tube_code()}]},
          expect={"commander": 201, "officer_a": 201, "viewer_a": 403, "officer_b": 400, "field_a": 403}),
    Route("screening.api.tubes.receive", "/api/v1/screening/tubes/receive", method="post", kind="create",
          payload=lambda c: {"codes": [_tube(c, closed=True).code], "lab": "甲检测所"},
          expect={"commander": 200, "officer_a": 200, **_BULK}),
    # public: a resident looks up their own results (ID number and phone), no login
    Route("screening.api.lookup", "/api/v1/screening/lookup", method="post", kind="public",
          payload=lambda c: (lambda p: {"id_number": p.id_number, "phone": p.phone})(_sampled_person(c))),
    Route("screening.web.index", "/screening/", api=False),
    Route("screening.web.coverage", "/screening/coverage/", api=False),
    Route("screening.web.results", "/screening/results/", api=False),
    Route("screening.web.lookup", "/screening/lookup/", kind="public", api=False),
]


def _csv(text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("results.csv", text.encode(), content_type="text/csv")


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
