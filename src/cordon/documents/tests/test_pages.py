"""The document pages and API end to end: issue from a record's page, the register with filters, the detail with
downloads and revocation."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from cordon.core.models import AuditEntry
from cordon.documents.models import Document
from cordon.documents.tests import records

pytestmark = pytest.mark.django_db


def test_an_officer_issues_from_the_stay_and_downloads_both_files(city, cast, client):
    stay = records.stay(city)
    client.force_login(cast.officer_a)
    answer = client.post("/documents/issue/", {"kind": "quarantine_notice", "record": "stay", "record_id": stay.pk,
                                               "back": f"/quarantine/stays/{stay.pk}/"})
    doc = Document.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/documents/{doc.pk}/"
    page = client.get(f"/documents/{doc.pk}/")
    assert page.status_code == 200 and doc.number in page.content.decode() and stay.person.name not in page.content.decode()
    pdf = client.get(f"/documents/{doc.pk}/download/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/documents/{doc.pk}/download/docx/")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client.get(f"/documents/{doc.pk}/download/exe/").status_code == 404
    assert AuditEntry.objects.filter(action="documents.export", object_id=str(doc.pk)).count() == 2
    # a kind the record's state does not allow goes back to the record's page with the reason
    refused = client.post("/documents/issue/", {"kind": "release_certificate", "record": "stay", "record_id": stay.pk,
                                                "back": f"/quarantine/stays/{stay.pk}/"})
    assert refused.status_code == 302 and refused["Location"] == f"/quarantine/stays/{stay.pk}/" and Document.objects.count() == 1


def test_the_register_and_the_api_filter_and_search_alike(city, cast, client):
    client.force_login(cast.officer_a)
    for _ in range(2):
        client.post("/api/v1/documents/", {"kind": "quarantine_notice", "record": "risk", "record_id": records.risk(city).pk},
                    content_type="application/json")
    zone_doc = client.post("/api/v1/documents/", {"kind": "zone_notice", "record": "zone", "record_id": records.zone(city).pk},
                           content_type="application/json")
    assert zone_doc.status_code == 201 and zone_doc.json()["verify_url"].endswith(f"/documents/v/{zone_doc.json()['public_id']}/")
    assert client.get("/api/v1/documents/").json()["count"] == 3
    assert client.get("/api/v1/documents/", {"kind": "zone_notice"}).json()["count"] == 1
    number = zone_doc.json()["number"]
    assert [d["number"] for d in client.get("/api/v1/documents/", {"q": number}).json()["items"]] == [number]
    page = client.get("/documents/", {"kind": "quarantine_notice"})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 2
    assert client.get("/api/v1/documents/", {"kind": "nonsense"}).status_code == 400
    pk = zone_doc.json()["id"]
    revoked = client.post(f"/api/v1/documents/{pk}/revoke", {"reason": "区域范围调整"}, content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.post(f"/api/v1/documents/{pk}/revoke", {"reason": "again"}, content_type="application/json").status_code == 409
    pdf = client.get(f"/api/v1/documents/{pk}/download", {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_record_pages_offer_the_kinds_their_state_allows(city, cast, client):
    request = RequestFactory().get("/x/")
    request.user = cast.officer_a
    stay = records.stay(city, status="released")
    html = Template('{% load documents %}{% document_buttons "stay" stay %}').render(Context({"request": request, "stay": stay}))
    assert 'value="release_certificate"' in html and 'value="quarantine_notice"' not in html
    request.user = cast.viewer_a
    html = Template('{% load documents %}{% document_buttons "stay" stay %}').render(Context({"request": request, "stay": stay}))
    assert "release_certificate" not in html
