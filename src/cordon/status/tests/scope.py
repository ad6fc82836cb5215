from cordon.core.testing import SYSTEM, Route, ScopedEndpoint


def _person(city):
    from cordon.people.factories import PersonFactory
    from cordon.status import services

    p = PersonFactory(grid=city.a_grid)
    services.reason_set(actor=SYSTEM, person_id=p.pk, reason="close_contact", source="test:1")
    return p


ENDPOINTS = [
    ScopedEndpoint("person status", make=_person, url=lambda o: f"/api/v1/status/people/{o.pk}"),
    ScopedEndpoint("person status page", make=_person, url=lambda o: f"/status/people/{o.pk}/", api=False),
]

ROUTES = [
    Route("status.counts", "/api/v1/status/counts"),
    Route("status.page", "/status/", api=False),
]

# The printed health-code card (the signed credential as a QR code; printing is audited).
ENDPOINTS += [
    ScopedEndpoint("status.web.person.card", make=_person, url=lambda o: f"/status/people/{o.pk}/card/", api=False),
]
ROUTES += [
    Route("status.web.list.cards", "/status/cards/", api=False),
]
