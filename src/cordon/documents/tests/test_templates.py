"""Replacing a kind's template: validated (a readable .docx that renders with the kind's placeholders, unknown or
missing ones named), stored as the next version, used by new documents while earlier ones keep theirs."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document as Docx

from cordon.core.errors import ServiceError
from cordon.core.models import AuditEntry
from cordon.documents import selectors, services
from cordon.documents.defaults.build import HERE as DEFAULTS
from cordon.documents.tests import records

pytestmark = pytest.mark.django_db


def _docx(*lines: str) -> bytes:
    doc = Docx()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


def test_a_replacement_template_is_the_next_version_and_old_documents_keep_theirs(city, cast):
    zone = records.zone(city)
    old = services.document_issue(actor=cast.officer_a, kind="zone_notice", record="zone", record_id=zone.pk)
    assert old.template.version == 1
    new = services.template_upload(actor=cast.commander, kind="zone_notice", filename="通告.docx", note="第二版",
                                   data=_docx("{{ unit }}", "{{ number }}", "新版通告：{{ zone_name }}（{{ zone_kind }}）", "{{ issued_on }}"))
    assert new.version == 2 and set(new.placeholders) == {"unit", "number", "zone_name", "zone_kind", "issued_on"}
    assert selectors.template_current(kind="zone_notice") == new
    fresh = services.document_issue(actor=cast.officer_a, kind="zone_notice", record="zone", record_id=zone.pk)
    assert fresh.template == new
    assert "新版通告" in _text(services.document_file(actor=cast.officer_a, document=fresh, fmt="docx")[0])
    old_text = _text(services.document_file(actor=cast.officer_a, document=old, fmt="docx")[0])
    assert "新版通告" not in old_text and "特此通告" in old_text
    assert AuditEntry.objects.filter(action="document.template_upload").count() == 1


@pytest.mark.parametrize(("data", "named"), [
    (b"not a word file", "docx"),
    (_docx("{{ number }} {{ unit }} {{ issued_on }} {{ zone_name }} {{ secret_field }}"), "secret_field"),
    (_docx("{{ number }} {{ unit }} {{ issued_on }}"), "zone_name"),
    (_docx("{{ number }} {{ unit }} {{ issued_on }} {{ zone_name }} {% if %}"), "docx"),
])
def test_a_template_that_does_not_fit_its_kind_is_refused_on_the_file_field(city, cast, data, named):
    with pytest.raises(ServiceError) as refused:
        services.template_upload(actor=cast.commander, kind="zone_notice", data=data, filename="x.docx")
    assert refused.value.fields[0]["field"] == "file"
    assert named in refused.value.message or named == "docx"
    assert selectors.template_current(kind="zone_notice").version == 1


def test_only_the_city_administrator_replaces_templates(city, cast):
    with pytest.raises(PermissionDenied):
        services.template_upload(actor=cast.officer_a, kind="zone_notice", data=(DEFAULTS / "zone_notice.docx").read_bytes(),
                                 filename="x.docx")


def test_the_templates_page_lists_placeholders_and_takes_an_upload(city, cast, client):
    client.force_login(cast.commander)
    page = client.get("/documents/templates/")
    assert page.status_code == 200 and "{{ person_name }}" in page.content.decode() and "隔离告知书" in page.content.decode()
    upload = io.BytesIO(_docx("{{ number }} {{ unit }} {{ issued_on }} {{ person_name }} {{ id_number }}"))
    upload.name = "notice.docx"
    answer = client.post("/documents/templates/", {"kind": "quarantine_notice", "file": upload, "note": ""})
    assert answer.status_code == 302 and selectors.template_current(kind="quarantine_notice").version == 2
    bad = io.BytesIO(_docx("{{ number }}"))
    bad.name = "bad.docx"
    answer = client.post("/documents/templates/", {"kind": "quarantine_notice", "file": bad, "note": ""})
    assert answer.status_code == 200 and "file" in answer.context["form"].errors
    assert selectors.template_current(kind="quarantine_notice").version == 2
    current = selectors.template_current(kind="quarantine_notice")
    assert client.get(f"/documents/templates/quarantine_notice/{current.version}/").content == bytes(current.content)
