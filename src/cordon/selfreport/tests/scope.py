from types import SimpleNamespace

from cordon.core.testing import CAST, Route, ScopedEndpoint
from cordon.people.factories import PersonFactory
from cordon.selfreport import services
from cordon.selfreport.factories import EnrolmentFactory


def _enrolment(c):
    return EnrolmentFactory(person=PersonFactory(grid=c.a_grid))


def _link(c):
    if not isinstance(c, SimpleNamespace):  # only the URL's shape is asked for
        return "/selfreport/r/token/"
    return f"/selfreport/r/{services.link_token(_enrolment(c))}/"


def _api_link(c):
    if not isinstance(c, SimpleNamespace):
        return "/api/v1/selfreport/r/token"
    return f"/api/v1/selfreport/r/{services.link_token(_enrolment(c))}"


ENDPOINTS = [
    ScopedEndpoint("selfreport api reports", make=_enrolment, url=lambda e: f"/api/v1/selfreport/enrolments/{e.pk}/reports"),
    ScopedEndpoint("selfreport api resend", make=_enrolment, url=lambda e: f"/api/v1/selfreport/enrolments/{e.pk}/resend",
                   method="post", write=True),
    ScopedEndpoint("selfreport web detail", make=_enrolment, url=lambda e: f"/selfreport/{e.pk}/", api=False),
]

ROUTES = [
    Route("selfreport.api.enrolments", "/api/v1/selfreport/enrolments"),
    Route("selfreport.api.summary", "/api/v1/selfreport/summary"),
    Route("selfreport.page", "/selfreport/", api=False),
    # the person's own link: public, the token is the credential; an unknown token is a 404 for everyone
    Route("selfreport.web.public", _link, kind="public", api=False),
    Route("selfreport.web.public.unknown", "/selfreport/r/no-such-token/", kind="public", api=False, expect=dict.fromkeys(CAST, 404)),
    Route("selfreport.api.submit", _api_link, method="post", kind="public", payload=lambda c: {"temperature": 36.5, "symptoms": []},
          expect=dict.fromkeys(CAST, 201)),
]
