from cordon.core.testing import ScopedEndpoint
from cordon.people.factories import PersonFactory
from cordon.screening.factories import make_round, make_site, tube_code


def _site(c):
    rnd = make_round(region=c.a)
    return make_site(rnd=rnd, community=c.a_community, grids=[c.a_grid])


def _site_with_person(c):
    site = _site(c)
    site.person = PersonFactory(grid=c.a_grid)
    return site


def _draft(c):
    return make_round(region=c.a, published=False)


ENDPOINTS = [
    ScopedEndpoint("api round detail", make=lambda c: make_round(region=c.a), url=lambda r: f"/api/v1/screening/rounds/{r.pk}"),
    ScopedEndpoint("api round coverage", make=lambda c: make_round(region=c.a), url=lambda r: f"/api/v1/screening/rounds/{r.pk}/coverage"),
    ScopedEndpoint("api round publish", make=_draft, url=lambda r: f"/api/v1/screening/rounds/{r.pk}/publish", method="post",
                   write=True, payload=lambda r: {}),
    ScopedEndpoint("api bulk samples", make=_site_with_person, url=lambda s: f"/api/v1/screening/rounds/{s.round_id}/samples",
                   method="post", write=True,
                   payload=lambda s: {"items": [{"person": s.person.id_number, "tube": tube_code(), "site": s.pk}]}),
    ScopedEndpoint("api site update", make=_site, url=lambda s: f"/api/v1/screening/sites/{s.pk}", method="post", write=True,
                   payload=lambda s: {"tables": 3}),
    ScopedEndpoint("web round page", make=lambda c: make_round(region=c.a), url=lambda r: f"/screening/rounds/{r.pk}/", api=False),
    ScopedEndpoint("web site page", make=_site, url=lambda s: f"/screening/sites/{s.pk}/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/screening/retests",
    "GET api/v1/screening/rounds",
    "GET api/v1/screening/rounds/<>/sites",
    "GET api/v1/screening/rounds/<>/unsampled",
    "GET api/v1/screening/tubes",
    "POST api/v1/screening/lookup",
    "POST api/v1/screening/results",
    "POST api/v1/screening/results/hl7",
    "POST api/v1/screening/results/import",
    "POST api/v1/screening/retests/<>/sample",
    "POST api/v1/screening/rounds",
    "POST api/v1/screening/rounds/<>/close",
    "POST api/v1/screening/tubes/<>/close",
    "POST api/v1/screening/tubes/receive",
    "WEB screening/",
    "WEB screening/coverage/",
    "WEB screening/lookup/",
    "WEB screening/results/",
    "WEB screening/retests/<>/sample/",
    "WEB screening/rounds/<>/close/",
    "WEB screening/rounds/<>/publish/",
    "WEB screening/sites/<>/sampler/",
]
