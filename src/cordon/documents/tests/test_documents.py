"""Official documents: each kind filled from its record as .docx and PDF, numbered per kind, unit and year in the
city's time, signed, superseded and revoked, verified on a public page that shows only masked data, and scoped."""

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404
from docx import Document as Docx

from cordon.core import clock
from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.core.testing import SYSTEM
from cordon.documents import rules, selectors, services
from cordon.documents.models import Document
from cordon.documents.tests import pdftext, records

pytestmark = pytest.mark.django_db


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def test_each_kind_is_filled_from_its_record_as_docx_and_pdf(city, cast):
    made = [
        ("quarantine_notice", "risk", records.risk(city, name="李四海", id_number="110101199001011234")),
        ("release_certificate", "stay", records.stay(city, status="released", name="王五", id_number="110101198502023456")),
        ("zone_notice", "zone", records.zone(city)),
        ("zone_lifting", "zone", records.zone(city, lifted=True)),
    ]
    for kind, record, obj in made:
        doc = services.document_issue(actor=cast.officer_a, kind=kind, record=record, record_id=obj.pk)
        docx, ctype, name = services.document_file(actor=cast.officer_a, document=doc, fmt="docx")
        text = _docx_text(docx)
        assert doc.number in text and rules.TITLES[kind] in text and doc.unit_name in text, kind
        assert "{{" not in text and rules.written_date(clock.today()) in text
        assert ctype.endswith("document") and name.endswith(".docx")
        pdf, ctype, _ = services.document_file(actor=cast.officer_a, document=doc, fmt="pdf")
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and ctype == "application/pdf"
        shown = pdftext.text(pdf)
        assert doc.number in shown and rules.TITLES[kind] in shown, kind
        assert b"/STSong-Light" in pdf and b"/Subtype /Image" in pdf  # the CJK font and the QR code
        if record != "zone":
            assert obj.person.name in text and obj.person.id_number in text and obj.person.name in shown
        else:
            assert obj.name in text and "封控区" in text
    stay_doc = Document.objects.get(kind="release_certificate")
    assert "城东隔离酒店" in stay_doc.content["place"]
    assert AuditEntry.objects.filter(action="documents.export").count() == 8


def test_numbers_run_per_kind_unit_and_year_without_gaps(city, cast):
    a1 = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=records.risk(city).pk)
    a2 = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=records.risk(city).pk)
    z1 = services.document_issue(actor=cast.officer_a, kind="zone_notice", record="zone", record_id=records.zone(city).pk)
    c1 = services.document_issue(actor=cast.commander, kind="quarantine_notice", record="risk", record_id=records.risk(city).pk)
    year = clock.today().year
    district = city.a.name
    assert (a1.serial, a2.serial, z1.serial, c1.serial) == (1, 2, 1, 1)
    assert a2.number == f"{district}隔字〔{year}〕第00002号" and a2.unit_name == f"{district}疫情防控指挥部"
    assert z1.number == f"{district}封字〔{year}〕第00001号"
    assert c1.unit_name == f"{city.city.name}疫情防控指挥部"
    # a refused issue takes no number
    with pytest.raises(ServiceError):
        services.document_issue(actor=cast.officer_a, kind="release_certificate", record="risk", record_id=records.risk(city).pk)
    a3 = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=records.risk(city).pk)
    assert a3.serial == 3


def test_the_date_and_year_are_the_citys_at_half_past_midnight(city, cast):
    risk = records.risk(city)
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=False):
        doc = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=risk.pk)
    assert doc.issued_on == dt.date(2027, 1, 1) and doc.year == 2027 and "〔2027〕" in doc.number
    assert doc.content["issued_on"] == "2027年1月1日"


def test_issuing_again_supersedes_and_the_page_says_so(city, cast, client):
    risk = records.risk(city)
    first = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=risk.pk)
    second = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=risk.pk)
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_by == second and second.status == "valid"
    page = client.get(f"/documents/v/{first.public_id}/")
    assert page.status_code == 200 and page.context["view"]["status"] == "superseded" and second.number in page.content.decode()


def test_the_public_verification_shows_only_masked_data_and_revocation(city, cast, client):
    risk = records.risk(city, name="李四海", id_number="110101199001011234")
    doc = services.document_issue(actor=cast.officer_a, kind="quarantine_notice", record="risk", record_id=risk.pk)
    page = client.get(f"/documents/v/{doc.public_id}/")
    body = page.content.decode()
    assert page.status_code == 200 and page.context["view"]["valid"] is True
    assert "李**" in body and "1101**********1234" in body and doc.number in body and doc.unit_name in body
    assert "李四海" not in body and "110101199001011234" not in body
    assert doc.content["place"] == risk.person.household.address and doc.content["place"] not in body  # home: room hidden
    api = client.get(f"/api/v1/documents/verify/{doc.public_id}").json()
    assert api["valid"] is True and api["number"] == doc.number
    assert "李四海" not in str(api) and "李**" in [f["value"] for f in api["facts"]]
    with pytest.raises(ServiceError):
        services.document_revoke(actor=cast.officer_a, document=doc, reason=" ")
    with pytest.raises(PermissionDenied):
        services.document_revoke(actor=cast.viewer_a, document=doc, reason="信息有误")
    services.document_revoke(actor=cast.officer_a, document=doc, reason="信息有误")
    page = client.get(f"/documents/v/{doc.public_id}/")
    assert page.context["view"]["status"] == "revoked" and page.context["view"]["valid"] is False and "信息有误" in page.content.decode()
    assert AuditEntry.objects.filter(action="document.revoke", object_id=str(doc.pk)).exists()
    assert client.get("/documents/v/nothing-here/").status_code == 404


def test_a_changed_statement_no_longer_matches_its_signature(city, cast):
    doc = services.document_issue(actor=cast.officer_a, kind="zone_notice", record="zone", record_id=records.zone(city).pk)
    assert selectors.signature_ok(doc)
    Document.objects.filter(pk=doc.pk).update(content={**doc.content, "area": "别处"})
    doc.refresh_from_db()
    assert not selectors.signature_ok(doc) and selectors.public_view(doc)["valid"] is False


def test_issuing_is_scoped_to_the_records_region_and_domain(city, cast):
    risk = records.risk(city)
    with pytest.raises(Http404):
        services.document_issue(actor=cast.officer_b, kind="quarantine_notice", record="risk", record_id=risk.pk)
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=cast.viewer_a, kind="quarantine_notice", record="risk", record_id=risk.pk)
    with pytest.raises(ServiceError) as refused:
        services.document_issue(actor=cast.officer_a, kind="zone_notice", record="risk", record_id=risk.pk)
    assert refused.value.fields[0]["field"] == "kind"
    doc = services.document_issue(actor=SYSTEM, kind="quarantine_notice", record="risk", record_id=risk.pk)
    assert list(selectors.document_list(actor=cast.officer_b)) == [] and list(selectors.document_list(actor=cast.officer_a)) == [doc]
    with pytest.raises(Http404):
        selectors.document_get(actor=cast.officer_b, pk=doc.pk)
    with pytest.raises(PermissionDenied):
        services.document_file(actor=cast.viewer_a, document=doc, fmt="pdf")
