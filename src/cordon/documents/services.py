"""Writes of official documents: issue from a record (numbered without gaps per kind, issuing unit and year; signed
with the city's Ed25519 key over what it states; the earlier valid document of the same kind and record is
superseded), revoke with a reason, download (audited as an export of personal data), and upload a replacement
template (validated: it must render with its kind's placeholders)."""

import base64
import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.contacts import selectors as contacts_selectors
from cordon.core import access, audit, clock, pii, policy
from cordon.core.errors import Conflict, ServiceError
from cordon.documents import render, rules, selectors
from cordon.documents.enums import DOMAIN_OF, KINDS_OF, DocStatus, Kind, Record
from cordon.documents.models import Counter, Document, Template
from cordon.quarantine import selectors as quarantine_selectors
from cordon.regions.models import Level, Region
from cordon.status import credentials
from cordon.zones import selectors as zones_selectors

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def _inside(path: str, area: str) -> bool:
    return area == "" or path == area or path.startswith(area + ".")


def issuing_unit(*, actor, perm: str, region_path: str) -> tuple[str, str, str]:
    """(unit path, unit name, short name for the number): the region of the actor's post that grants `perm` over the
    record (the most specific one), named "<region>疫情防控指挥部"."""
    areas = [area for role, area in access.posts(actor) if access.role_grants(role, perm) and _inside(region_path, area)]
    area = max(areas, key=len) if areas else ""
    region = (Region.objects.filter(path=area).first() if area else
              Region.objects.filter(level=Level.CITY).order_by("path").first())
    short = region.name if region is not None else "本市"
    return (region.path if region is not None else area), short + rules.UNIT_SUFFIX, short


def _day(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = clock.local(value).date()
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return rules.written_date(value)


def _risk_content(risk, kind: str) -> dict:
    phases = [p for p in (risk.plan or []) if p.get("kind") != "tests_only"] or list(risk.plan or [])
    if kind == Kind.QUARANTINE_NOTICE and risk.status != "under_measures":
        raise Conflict.field("kind", _("a quarantine notice needs a person under measures"))
    if kind == Kind.RELEASE_CERTIFICATE and risk.status != "released":
        raise Conflict.field("kind", _("a release certificate needs a released person"))
    if not phases:
        raise Conflict.field("kind", _("the person has no measure plan"))
    first = phases[0]
    household = risk.person.household
    place = "指定集中隔离场所" if first.get("kind") == "centralized" else (household.address if household else "居住地")
    end = risk.released_at if kind == Kind.RELEASE_CERTIFICATE and risk.released_at else (risk.measures_end or phases[-1].get("end"))
    return {"person_name": risk.person.name, "id_number": risk.person.id_number,
            "measure": rules.MEASURES.get(first.get("kind"), rules.MEASURES["home"]), "place": place,
            "start": _day(first.get("start")), "end": _day(end), "reason": rules.CATEGORIES.get(risk.category, risk.category)}


def _stay_content(stay, kind: str) -> dict:
    if kind == Kind.QUARANTINE_NOTICE and stay.status not in ("expected", "in"):
        raise Conflict.field("kind", _("a quarantine notice needs an expected or current stay"))
    if kind == Kind.RELEASE_CERTIFICATE and stay.status != "released":
        raise Conflict.field("kind", _("a release certificate needs a released stay"))
    if stay.site_id:
        place = stay.site.name + (f"{stay.room.number}室" if stay.room_id else "")
    else:
        household = stay.person.household
        place = household.address if household else "居住地"
    end = stay.released_at if kind == Kind.RELEASE_CERTIFICATE and stay.released_at else stay.planned_end
    return {"person_name": stay.person.name, "id_number": stay.person.id_number,
            "measure": rules.MEASURES.get(stay.kind, rules.MEASURES["centralized"]), "place": place,
            "start": _day(stay.start), "end": _day(end), "reason": rules.CATEGORIES.get(stay.category, stay.category or "风险人员")}


def _zone_content(zone, kind: str) -> dict:
    if kind == Kind.ZONE_NOTICE and zone.status in ("lifted", "cancelled"):
        raise Conflict.field("kind", _("a sealed-zone notice needs a zone not lifted"))
    if kind == Kind.ZONE_LIFTING and zone.status != "lifted":
        raise Conflict.field("kind", _("a lifting notice needs a lifted zone"))
    area = "、".join(p.get("label", "") for p in (zone.picks or []) if p.get("label")) or zone.name
    kinds = policy.by_code(zone.ruleset).section("zones").get("kinds") or {} if zone.ruleset else {}
    label = (kinds.get(zone.kind) or {}).get("label") or rules.ZONE_KINDS.get(zone.kind, zone.kind)
    common = {"zone_name": zone.name, "zone_kind": label, "area": area[:300],
              "hotline": zone.emergency_phone or rules.DEFAULT_HOTLINE}
    if kind == Kind.ZONE_NOTICE:
        return {**common, "in_force_on": _day(zone.in_force_at or zone.designated_at),
                "measures": rules.ZONE_MEASURES.get(zone.kind, "相应管控措施")}
    return {**common, "designated_on": _day(zone.designated_at), "lifted_on": _day(zone.lifted_at)}


def _record(*, actor, record: str, record_id: int):
    """The record (404 outside the actor's area, 403 without its domain's change permission)."""
    if record == Record.RISK:
        return contacts_selectors.risk_get(actor=actor, pk=record_id, action="change")
    if record == Record.STAY:
        return quarantine_selectors.stay_get(actor=actor, pk=record_id, action="change")
    if record == Record.ZONE:
        return zones_selectors.zone_get(actor=actor, pk=record_id, action="change")
    raise ServiceError.field("record", _("unknown record type"))


def _next_serial(*, kind: str, unit_path: str, year: int) -> int:
    """The next serial, inside the caller's transaction: the counter row is locked until it commits, and a failed issue
    rolls it back, so numbers have no gaps and no repeats."""
    Counter.objects.get_or_create(kind=kind, unit_path=unit_path, year=year)
    counter = Counter.objects.select_for_update().get(kind=kind, unit_path=unit_path, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _sign(*, public_id: str, kind: str, number: str, unit: str, content: dict) -> tuple[str, str]:
    pair = credentials.signing_key()
    data = rules.signed_bytes(public_id=public_id, kind=kind, number=number, unit=unit, issued_on=content["issued_on"],
                              content=content)
    return pair.kid, base64.urlsafe_b64encode(pair.private.sign(data)).rstrip(b"=").decode("ascii")


def document_issue(*, actor, kind: str, record: str, record_id: int) -> Document:
    """Issue a document of `kind` from a record (risk person, quarantine stay or zone), filled from it, numbered,
    signed; the earlier valid one of the same kind and record is superseded."""
    if record not in Record.values:
        raise ServiceError.field("record", _("unknown record type"))
    if kind not in KINDS_OF[record]:
        raise ServiceError.field("kind", _("this kind of document is not issued from this record"))
    obj = _record(actor=actor, record=record, record_id=record_id)
    perm = f"{DOMAIN_OF[record]}.change"
    make = {Record.RISK: _risk_content, Record.STAY: _stay_content, Record.ZONE: _zone_content}[record]
    stated = make(obj, kind)
    unit_path, unit_name, short = issuing_unit(actor=actor, perm=perm, region_path=obj.region_path)
    now = clock.now()
    day = clock.day_of(now)
    template = selectors.template_current(kind=kind)
    with transaction.atomic():
        serial = _next_serial(kind=kind, unit_path=unit_path, year=day.year)
        number = rules.number(unit_short=short, kind=kind, year=day.year, serial=serial)
        public_id = secrets.token_urlsafe(15)
        content = {**stated, "number": number, "unit": unit_name, "issued_on": rules.written_date(day), "title": rules.TITLES[kind]}
        key_id, signature = _sign(public_id=public_id, kind=kind, number=number, unit=unit_name, content=content)
        label = (f"{pii.mask_name(stated['person_name'])} {stated['measure']}" if "person_name" in stated
                 else f"{stated['zone_name']} {stated['zone_kind']}")
        doc = Document.objects.create(region_path=obj.region_path, public_id=public_id, kind=kind, record=record,
                                      record_id=obj.pk, number=number, serial=serial, year=day.year, unit_name=unit_name,
                                      unit_path=unit_path, template=template, content=content, label=label[:200],
                                      issued_at=now, issued_on=day, issued_by=access.user_or_none(actor), key_id=key_id,
                                      signature=signature)
        earlier = list(Document.objects.select_for_update().filter(kind=kind, record=record, record_id=obj.pk,
                                                                   status=DocStatus.VALID).exclude(pk=doc.pk))
        Document.objects.filter(pk__in=[d.pk for d in earlier]).update(status=DocStatus.SUPERSEDED, superseded_by=doc)
        audit.record(actor, "document.issue", doc, changes={"kind": kind, "number": number, "record": f"{record}:{obj.pk}",
                                                            "template": template.version,
                                                            "superseded": [d.number for d in earlier]})
    return doc


def document_revoke(*, actor, document: Document, reason: str) -> Document:
    """Revoke a document with the reason; its verification page then says it is revoked."""
    access.require(actor, "documents.change", document.region_path)
    if not (reason or "").strip():
        raise ServiceError.field("reason", _("say why the document is revoked"))
    if document.status == DocStatus.REVOKED:
        raise Conflict.field("reason", _("the document is revoked already"))
    with transaction.atomic():
        document.status, document.revoked_at = DocStatus.REVOKED, clock.now()
        document.revoked_by, document.revoke_reason = access.user_or_none(actor), reason.strip()[:300]
        document.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        audit.record(actor, "document.revoke", document, changes={"number": document.number, "reason": document.revoke_reason})
    return document


def document_file(*, actor, document: Document, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the filled document as .docx or PDF, from the template version it was
    issued with; audited as an export of personal data."""
    if fmt not in ("docx", "pdf"):
        raise ServiceError.field("format", _("choose docx or pdf"))
    access.require(actor, "documents.export", document.region_path)
    url = selectors.verify_url(document.public_id)
    try:
        filled = render.docx_bytes(bytes(document.template.content), document.content, verify_url=url)
    except render.TemplateInvalid as exc:
        raise ServiceError.field("template", _("the template does not render: %(e)s") % {"e": exc}) from exc
    data, ctype = (filled, render.DOCX_TYPE) if fmt == "docx" else (
        render.pdf_bytes(filled, verify_url=url, title=f"{rules.TITLES[document.kind]} {document.number}"), render.PDF_TYPE)
    personal = "person_name" in document.content
    audit.record(actor, "documents.export", document, changes={"export": "document", "number": document.number, "format": fmt,
                                                              "rows": 1, "unmasked": personal, "unmasked_rows": int(personal)})
    return data, ctype, f"{rules.TITLES[document.kind]}-{document.number}.{fmt}"


def template_upload(*, actor, kind: str, data: bytes, filename: str, note: str = "") -> Template:
    """Store a replacement template as the kind's next version, after checking it renders with the kind's
    placeholders (unknown or missing ones are named); documents issued earlier keep their version."""
    access.require(actor, "documents.admin")
    if kind not in Kind.values:
        raise ServiceError.field("kind", _("unknown document kind"))
    if not data or len(data) > MAX_TEMPLATE_BYTES:
        raise ServiceError.field("file", _("the template file is empty or larger than 5 MB"))
    try:
        used = render.placeholders_of(data)
    except render.TemplateInvalid as exc:
        raise ServiceError.field("file", _("not a .docx template that can be read: %(e)s") % {"e": exc}) from exc
    unknown, missing = rules.check_placeholders(kind, used)
    if unknown:
        raise ServiceError.field("file", _("unknown placeholders: %(names)s") % {"names": ", ".join(unknown)})
    if missing:
        raise ServiceError.field("file", _("missing placeholders: %(names)s") % {"names": ", ".join(missing)})
    try:
        render.docx_bytes(data, rules.sample_context(kind), verify_url="https://example.invalid/documents/v/test/")
    except render.TemplateInvalid as exc:
        raise ServiceError.field("file", _("the template does not render: %(e)s") % {"e": exc}) from exc
    with transaction.atomic():
        selectors.template_current(kind=kind)  # the shipped default is version 1
        last = Template.objects.select_for_update().filter(kind=kind).order_by("-version").first()
        template = Template.objects.create(kind=kind, version=last.version + 1, content=data, filename=(filename or f"{kind}.docx")[:200],
                                           sha256=hashlib.sha256(data).hexdigest(), placeholders=sorted(used),
                                           note=(note or "").strip()[:200], uploaded_by=access.user_or_none(actor),
                                           uploaded_at=clock.now())
        audit.record(actor, "document.template_upload", template, changes={"kind": kind, "version": template.version,
                                                                           "sha256": template.sha256})
    return template
