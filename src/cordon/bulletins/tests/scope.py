from types import SimpleNamespace

from cordon.core.testing import Route, ScopedEndpoint


def _bulletin(city, approved=False):
    from django.contrib.auth import get_user_model

    from cordon.bulletins import services

    admin = get_user_model().objects.filter(username="commander").first()
    b = services.bulletin_draft(actor=admin, region_path=city.a.path)
    if approved:
        services.bulletin_approve(actor=admin, bulletin=b)
    return b


def _published(city):
    from django.contrib.auth import get_user_model

    from cordon.bulletins import services

    b = _bulletin(city, approved=True)
    return services.bulletin_publish(actor=get_user_model().objects.get(username="commander"), bulletin=b)


def _portal_url(c):
    # the matrix also asks for the URL's shape only (no database): then `c` is a stand-in, not the test city
    pk = _published(c).pk if isinstance(c, SimpleNamespace) else c.pk
    return f"/bulletins/portal/{pk}/"


ENDPOINTS = [
    ScopedEndpoint("bulletins.api.get", make=_bulletin, url=lambda b: f"/api/v1/bulletins/{b.pk}"),
    ScopedEndpoint("bulletins.api.edit", make=_bulletin, url=lambda b: f"/api/v1/bulletins/{b.pk}/edit", method="post", write=True,
                   payload=lambda b: {"title": "{region}通报", "body": "新增{cases_new}例"}),
    ScopedEndpoint("bulletins.api.publish", make=lambda c: _bulletin(c, approved=True), url=lambda b: f"/api/v1/bulletins/{b.pk}/publish",
                   method="post", write=True),
    ScopedEndpoint("bulletins.web.detail", make=_bulletin, url=lambda b: f"/bulletins/{b.pk}/", api=False),
    ScopedEndpoint("bulletins.api.draft", make=lambda c: c.a, url=lambda r: "/api/v1/bulletins/", method="post", write=True,
                   payload=lambda r: {"region_path": r.path}),
    ScopedEndpoint("bulletins.api.approve", make=_bulletin, url=lambda b: f"/api/v1/bulletins/{b.pk}/approve", method="post",
                   write=True),
    ScopedEndpoint("bulletins.api.withdraw", make=_published, url=lambda b: f"/api/v1/bulletins/{b.pk}/withdraw", method="post",
                   write=True, payload=lambda b: {"reason": "更正"}),
    ScopedEndpoint("bulletins.web.action", make=_bulletin, url=lambda b: f"/bulletins/{b.pk}/approve/", method="post", write=True,
                   api=False, ok_status=(302,), content_type="application/x-www-form-urlencoded"),
]

ROUTES = [
    Route("bulletins.api.list", "/api/v1/bulletins/", expect={"field_a": 200}),
    Route("bulletins.api.public", "/api/v1/bulletins/public", kind="public"),
    Route("bulletins.web.index", "/bulletins/", api=False),
    Route("bulletins.web.portal", "/bulletins/portal/", kind="public", api=False),
    Route("bulletins.web.portal_bulletin", _portal_url, kind="public", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
