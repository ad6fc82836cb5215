from cordon.core import clock
from cordon.core.testing import Route, ScopedEndpoint
from cordon.reports import services

FORM = "application/x-www-form-urlencoded"


def _report(city):
    from django.contrib.auth import get_user_model

    return services.report_generate(actor=get_user_model().objects.get(username="commander"), report_date=clock.today(),
                                    region_path=city.a.path)


# The dashboard and the daily reports keep their /command/ paths (reports.urls.MOUNT, reports.api.MOUNT).
ENDPOINTS = [
    ScopedEndpoint("reports.api.report", make=_report, url=lambda r: f"/api/v1/command/reports/{r.pk}"),
    ScopedEndpoint("reports.web.report_docx", make=_report, url=lambda r: f"/command/reports/{r.pk}/docx/", api=False),
    ScopedEndpoint("reports.api.report.docx", make=_report, url=lambda r: f"/api/v1/command/reports/{r.pk}/docx"),
    ScopedEndpoint("reports.web.report", make=_report, url=lambda r: f"/command/reports/{r.pk}/", api=False),
    ScopedEndpoint("reports.api.report.generate", make=lambda c: c.a, url=lambda r: "/api/v1/command/reports", method="post", write=True,
                   payload=lambda r: {"report_date": str(clock.today()), "region_path": r.path}),
]

ROUTES = [
    Route("reports.api.snapshot", "/api/v1/command/snapshot"),
    Route("reports.api.reports", "/api/v1/command/reports"),
    Route("reports.web.index", "/command/", api=False),
    Route("reports.web.refresh", "/command/refresh/", method="post", kind="create", api=False, content_type=FORM),
    Route("reports.web.reports", "/command/reports/", api=False),
    Route("reports.web.accountability_docx", "/command/ledger/accountability/docx/", api=False),
]

# Routes not in the access matrix yet (tests/architecture/test_route_matrix.py): this list may only shrink.
UNCOVERED = []
