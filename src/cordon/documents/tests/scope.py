import io
from urllib.parse import urlencode

from django.test.client import MULTIPART_CONTENT

from cordon.core.testing import CAST, SYSTEM, Route, ScopedEndpoint
from cordon.documents import services
from cordon.documents.defaults.build import HERE as DEFAULTS
from cordon.documents.tests import records

FORM = "application/x-www-form-urlencoded"


def _doc(c):
    return services.document_issue(actor=SYSTEM, kind="quarantine_notice", record="risk", record_id=records.risk(c).pk)


def _template_file():
    data = io.BytesIO((DEFAULTS / "zone_notice.docx").read_bytes())
    data.name = "zone_notice.docx"
    return {"kind": "zone_notice", "file": data, "note": "新版"}


ENDPOINTS = [
    ScopedEndpoint("api document detail", make=_doc, url=lambda d: f"/api/v1/documents/{d.pk}"),
    ScopedEndpoint("api document download", make=_doc, url=lambda d: f"/api/v1/documents/{d.pk}/download?format=pdf", write=True),
    ScopedEndpoint("api document revoke", make=_doc, url=lambda d: f"/api/v1/documents/{d.pk}/revoke", method="post", write=True,
                   payload=lambda d: {"reason": "信息有误"}),
    ScopedEndpoint("api document issue", make=records.risk, url=lambda r: "/api/v1/documents/", method="post", write=True,
                   payload=lambda r: {"kind": "quarantine_notice", "record": "risk", "record_id": r.pk}),
    ScopedEndpoint("web document detail", make=_doc, url=lambda d: f"/documents/{d.pk}/", api=False),
    ScopedEndpoint("web document download", make=_doc, url=lambda d: f"/documents/{d.pk}/download/docx/", api=False, write=True),
    ScopedEndpoint("web document revoke", make=_doc, url=lambda d: f"/documents/{d.pk}/", method="post", write=True, api=False,
                   payload=lambda d: urlencode({"reason": "信息有误"}), content_type=FORM, ok_status=(302,)),
    ScopedEndpoint("web document issue", make=records.stay, url=lambda s: "/documents/issue/", method="post", write=True, api=False,
                   payload=lambda s: urlencode({"kind": "quarantine_notice", "record": "stay", "record_id": s.pk}), content_type=FORM,
                   ok_status=(302,)),
]

ONLY_ADMIN = {"officer_a": 403, "officer_b": 403}

ROUTES = [
    Route("documents.list", "/api/v1/documents/"),
    Route("documents.templates", "/api/v1/documents/templates"),
    Route("documents.template_upload", "/api/v1/documents/templates", method="post", kind="create",
          payload=lambda c: _template_file(), content_type=MULTIPART_CONTENT, expect=ONLY_ADMIN),
    # no login, and an unknown id answers 404 to everyone (the valid, masked answer is in test_documents.py)
    Route("documents.verify", "/api/v1/documents/verify/no-such-document", kind="public", expect=dict.fromkeys(CAST, 404)),
    Route("documents.page", "/documents/", api=False),
    Route("documents.templates_page", "/documents/templates/", api=False),
    Route("documents.templates_upload_page", "/documents/templates/", method="post", kind="create", api=False,
          payload=lambda c: _template_file(), content_type=MULTIPART_CONTENT, expect=ONLY_ADMIN),
    Route("documents.template_download", "/documents/templates/zone_notice/1/", api=False),
    Route("documents.verify_page", "/documents/v/no-such-document/", kind="public", api=False, expect=dict.fromkeys(CAST, 404)),
]
