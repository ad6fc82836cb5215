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
