"""Reads of official documents and their templates; the public verification view (masked)."""

import base64
import hashlib
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from cordon.core import access, clock
from cordon.documents import render, rules
from cordon.documents.enums import DOMAIN_OF, FIELD_LABELS, Kind, Record
from cordon.documents.filters import DocumentFilter
from cordon.documents.models import Document, Template
from cordon.status import credentials

DEFAULTS = Path(__file__).resolve().parent / "defaults"


def document_list(*, actor, filters: Mapping | None = None) -> QuerySet[Document]:
    """Documents issued inside the actor's area, newest first, filtered by DocumentFilter (kind, status, record, q)."""
    qs = Document.objects.visible_to(actor, "view").select_related("template", "issued_by").order_by("-issued_at", "-id")
    return DocumentFilter.apply(filters, qs)


def document_get(*, actor, pk: int, action: str = "view") -> Document:
    """One document (404 outside the actor's area, 403 when the action is not granted there)."""
    return access.get_for(actor, Document.objects.select_related("template", "issued_by", "superseded_by"), action, pk=pk)


def documents_of(*, actor, record: str, record_id: int) -> QuerySet[Document]:
    """The documents issued from one record, newest first (what its page lists)."""
    return Document.objects.visible_to(actor, "view").filter(record=record, record_id=record_id).order_by("-issued_at", "-id")


def by_public_id(*, public_id: str) -> Document | None:
    """The document a QR code names (no login: the caller shows only `public_view`)."""
    return Document.objects.select_related("superseded_by").filter(public_id=public_id).first()


def verify_url(public_id: str) -> str:
    """The absolute address the document's QR code opens."""
    return settings.CORDON_PUBLIC_URL.rstrip("/") + reverse("documents:verify", args=[public_id])


def signature_ok(doc: Document) -> bool:
    """Does the stored signature match what the document states (Ed25519, the status credentials' keys)?"""
    key = credentials.public_keys().get(doc.key_id)
    if key is None:
        return False
    data = rules.signed_bytes(public_id=doc.public_id, kind=doc.kind, number=doc.number, unit=doc.unit_name,
                              issued_on=doc.content.get("issued_on", ""), content=doc.content)
    try:
        signature = base64.urlsafe_b64decode(doc.signature + "=" * (-len(doc.signature) % 4))
    except ValueError:
        return False
    return credentials.signature_valid(key, signature, data)


def public_view(doc: Document) -> dict:
    """What the verification page shows: only what the document states, masked, and whether it holds."""
    shown = rules.masked(doc.content)
    return {"public_id": doc.public_id, "number": doc.number, "kind": doc.kind, "title": rules.TITLES[doc.kind],
            "unit": doc.unit_name, "issued_on": doc.issued_on, "status": doc.status,
            "valid": doc.status == "valid" and signature_ok(doc), "signature_ok": signature_ok(doc),
            "revoked_at": doc.revoked_at, "revoke_reason": doc.revoke_reason,
            "superseded_by": doc.superseded_by.number if doc.superseded_by_id else "",
            "facts": [(FIELD_LABELS[name], shown[name]) for name in rules.PLACEHOLDERS[doc.kind]
                      if name in shown and name in FIELD_LABELS]}


def issue_choices(*, actor, record: str, record_id: int, region_path: str, state: str) -> dict:
    """What a record's page offers: the kinds the actor may issue from it now (by the record's state), and the
    documents issued from it."""
    from_state = {Record.RISK: {"under_measures": [Kind.QUARANTINE_NOTICE], "released": [Kind.RELEASE_CERTIFICATE]},
                  Record.STAY: {"expected": [Kind.QUARANTINE_NOTICE], "in": [Kind.QUARANTINE_NOTICE],
                                "released": [Kind.RELEASE_CERTIFICATE]},
                  Record.ZONE: {"lifted": [Kind.ZONE_LIFTING], "cancelled": []}}[record]
    default = [Kind.ZONE_NOTICE] if record == Record.ZONE else []
    may = access.can(actor, f"{DOMAIN_OF[record]}.change", region_path)
    kinds = [(k, Kind(k).label) for k in from_state.get(state, default)] if may else []
    return {"record": record, "record_id": record_id, "kinds": kinds,
            "documents": list(documents_of(actor=actor, record=record, record_id=record_id)[:10])}


def _default(kind: str) -> Template:
    data = (DEFAULTS / f"{kind}.docx").read_bytes()
    used = sorted(render.placeholders_of(data))
    try:
        with transaction.atomic():
            return Template.objects.create(kind=kind, version=1, content=data, filename=f"{kind}.docx",
                                           sha256=hashlib.sha256(data).hexdigest(), placeholders=used,
                                           note="默认模板", uploaded_at=clock.now())
    except IntegrityError:
        return Template.objects.get(kind=kind, version=1)


def template_current(*, kind: str) -> Template:
    """The kind's newest template version (the shipped default becomes version 1 on first use)."""
    return Template.objects.filter(kind=kind).order_by("-version").first() or _default(kind)


def template_get(*, kind: str, version: int) -> Template:
    """One template version of a kind (templates are city-wide: no region); 404 when there is none."""
    if kind not in Kind.values:
        raise Http404("no such kind")
    template_current(kind=kind)  # the shipped default is version 1
    template = Template.objects.filter(kind=kind, version=version).first()
    if template is None:
        raise Http404("no such template")
    return template


def templates() -> list[dict]:
    """Each kind with its current template, its versions and the placeholders it may use."""
    out = []
    for kind, label in Kind.choices:
        current = template_current(kind=kind)
        out.append({"kind": kind, "label": label, "title": rules.TITLES[kind], "current": current,
                    "versions": list(Template.objects.filter(kind=kind).order_by("-version").defer("content")),
                    "placeholders": rules.PLACEHOLDERS[kind], "required": rules.REQUIRED[kind]})
    return out
