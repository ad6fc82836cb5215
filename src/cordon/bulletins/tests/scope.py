from cordon.core.testing import ScopedEndpoint


def _bulletin(city, approved=False):
    from django.contrib.auth import get_user_model

    from cordon.bulletins import services

    admin = get_user_model().objects.filter(username="commander").first()
    b = services.bulletin_draft(actor=admin, region_path=city.a.path)
    if approved:
        services.bulletin_approve(actor=admin, bulletin=b)
    return b


ENDPOINTS = [
    ScopedEndpoint("bulletins.api.get", make=_bulletin, url=lambda b: f"/api/v1/bulletins/{b.pk}"),
    ScopedEndpoint("bulletins.api.edit", make=_bulletin, url=lambda b: f"/api/v1/bulletins/{b.pk}/edit", method="post", write=True,
                   payload=lambda b: {"title": "{region}通报", "body": "新增{cases_new}例"}),
    ScopedEndpoint("bulletins.api.publish", make=lambda c: _bulletin(c, approved=True), url=lambda b: f"/api/v1/bulletins/{b.pk}/publish",
                   method="post", write=True),
    ScopedEndpoint("bulletins.web.detail", make=_bulletin, url=lambda b: f"/bulletins/{b.pk}/", api=False),
]


# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = [
    "GET api/v1/bulletins/",
    "GET api/v1/bulletins/public",
    "POST api/v1/bulletins/",
    "POST api/v1/bulletins/<>/approve",
    "POST api/v1/bulletins/<>/withdraw",
    "WEB bulletins/",
    "WEB bulletins/<>/<>/",
    "WEB bulletins/portal/",
    "WEB bulletins/portal/<>/",
]
