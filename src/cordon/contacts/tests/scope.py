
from cordon.core import clock
from cordon.core.testing import ScopedEndpoint


def _proposal(city):
    from cordon.contacts.models import RiskPerson
    from cordon.people.factories import PersonFactory

    p = PersonFactory(grid=city.a_grid)
    return RiskPerson.objects.create(person=p, region_path=p.region_path, category="close_contact", last_exposure=clock.now(),
                                     evidence=[{"rule": "named", "setting": "meal"}])


ENDPOINTS = [
    ScopedEndpoint("risk person", make=_proposal, url=lambda o: f"/api/v1/contacts/{o.pk}"),
    ScopedEndpoint("risk person page", make=_proposal, url=lambda o: f"/contacts/{o.pk}/", api=False),
    ScopedEndpoint("risk person reject", make=_proposal, url=lambda o: "/api/v1/contacts/decide", method="post", write=True,
                   payload=lambda o: {"ids": [o.pk], "decision": "reject"}),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/contacts/",
    "GET api/v1/contacts/export",
    "POST api/v1/contacts/",
    "POST api/v1/contacts/<>/release",
    "WEB contacts/",
    "WEB contacts/<>/release/",
    "WEB contacts/add/",
    "WEB contacts/decide/",
]
