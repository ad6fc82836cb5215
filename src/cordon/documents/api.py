"""Documents API: issue from a record, list, detail, download (.docx or PDF), revoke, the templates and their
placeholders, the administrator's template upload, and the public verification (no login, masked)."""

import datetime as dt
from typing import Literal
from urllib.parse import quote

from django.http import Http404, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cordon.core import access
from cordon.core.apikit import Id, actor, file_responses
from cordon.core.pagination import MappedRows, Pagination
from cordon.documents import render, selectors, services

router = Router(tags=["documents"])


class DocumentsIssueIn(Schema):
    kind: Literal["quarantine_notice", "release_certificate", "zone_notice", "zone_lifting"]
    record: Literal["risk", "stay", "zone"] = Field(description="The record it is issued from: risk person, quarantine stay or zone")
    record_id: Id


class DocumentsDocumentOut(Schema):
    id: int
    public_id: str
    kind: str
    record: str
    record_id: int
    number: str
    unit_name: str
    issued_at: dt.datetime
    issued_on: dt.date
    label: str = Field(description="Whom or what it concerns, masked")
    status: str
    template_version: int = Field(validation_alias="template.version")
    revoked_at: dt.datetime | None
    revoke_reason: str
    verify_url: str


class DocumentsRevokeIn(Schema):
    reason: str = Field(max_length=300)


class DocumentsFactOut(Schema):
    label: str
    value: str


class DocumentsVerifyOut(Schema):
    number: str
    kind: str
    title: str
    unit: str
    issued_on: dt.date
    status: str = Field(description="valid, superseded or revoked")
    valid: bool = Field(description="In force and its signature matches what it states")
    signature_ok: bool
    revoked_at: dt.datetime | None
    revoke_reason: str
    superseded_by: str
    facts: list[DocumentsFactOut] = Field(description="What the document states, masked")


class DocumentsTemplateOut(Schema):
    id: int
    kind: str
    version: int
    filename: str
    sha256: str
    placeholders: list[str]
    note: str
    uploaded_at: dt.datetime


class DocumentsKindOut(Schema):
    kind: str
    title: str
    current: DocumentsTemplateOut
    placeholders: list[str] = Field(description="What a template of this kind may use")
    required: list[str] = Field(description="What a template of this kind must use")


def _out(doc):
    doc.verify_url = selectors.verify_url(doc.public_id)
    return doc


@router.get("/", response=list[DocumentsDocumentOut])
@paginate(Pagination)
def list_documents(request, kind: str | None = None, status: str | None = None, record: str | None = None, q: str | None = None):
    """Documents issued in your area, newest first (filters: kind, status, record; q searches number, name and unit)."""
    rows = selectors.document_list(actor=actor(request), filters={"kind": kind, "status": status, "record": record, "q": q})
    return MappedRows(rows, _out)


@router.post("/", response={201: DocumentsDocumentOut})
def issue(request, payload: DocumentsIssueIn):
    """Issue a document from a record, filled from it, numbered and signed (needs the change permission of the
    record's domain in its region); an earlier valid one of the same kind and record is superseded."""
    return Status(201, _out(services.document_issue(actor=actor(request), **payload.model_dump())))


@router.get("/templates", response=list[DocumentsKindOut])
def list_templates(request):
    """Each kind with the template version in use and the placeholders a template may and must use."""
    access.require(actor(request), "documents.view")
    return selectors.templates()


@router.post("/templates", response={201: DocumentsTemplateOut})
def upload_template(request, kind: Form[Literal["quarantine_notice", "release_certificate", "zone_notice", "zone_lifting"]],
                    file: File[UploadedFile], note: Form[str] = ""):
    """Upload a replacement .docx template for a kind (the city administrator: documents.admin); it must render with
    the kind's placeholders, and becomes the next version."""
    return Status(201, services.template_upload(actor=actor(request), kind=kind, data=file.read(), filename=file.name or "",
                                                note=note))


@router.get("/verify/{public_id}", auth=None, response=DocumentsVerifyOut)
def verify(request, public_id: str):
    """No login: what a document states (masked), and whether it is valid, superseded or revoked."""
    doc = selectors.by_public_id(public_id=public_id)
    if doc is None:
        raise Http404("no such document")
    view = selectors.public_view(doc)
    return {**view, "facts": [{"label": str(label), "value": str(value)} for label, value in view["facts"]]}


@router.get("/{int:pk}", response=DocumentsDocumentOut)
def get_document(request, pk: Id):
    """One document."""
    return _out(selectors.document_get(actor=actor(request), pk=pk))


@router.get("/{int:pk}/download", openapi_extra=file_responses(render.DOCX_TYPE, render.PDF_TYPE))
def download(request, pk: Id, format: Literal["docx", "pdf"] = "pdf"):  # noqa: A002 - the API's parameter name
    """The filled document as PDF or .docx (needs documents.export; audited as an export of personal data)."""
    doc = selectors.document_get(actor=actor(request), pk=pk, action="export")
    data, ctype, filename = services.document_file(actor=actor(request), document=doc, fmt=format)
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"
    return response


@router.post("/{int:pk}/revoke", response=DocumentsDocumentOut)
def revoke(request, pk: Id, payload: DocumentsRevokeIn):
    """Revoke a document with the reason (audited); its verification then says revoked."""
    doc = selectors.document_get(actor=actor(request), pk=pk, action="change")
    return _out(services.document_revoke(actor=actor(request), document=doc, reason=payload.reason))
