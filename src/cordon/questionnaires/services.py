"""Writes and the public interface of questionnaires: the shipped defaults, the current version of a kind,
checking and saving answers, and editing, publishing and retiring versions (the `questionnaires.admin` role).

Other apps call:
    from cordon.questionnaires import services as questionnaires
    questionnaires.current(kind) -> Version                  # the published version; NotFound when there is none
    questionnaires.clean_answers(version, data) -> dict      # ServiceError, one field error per bad question
    questionnaires.answer_save(*, actor, version, subject_type, subject_id, region_path, data) -> Response
    cordon.questionnaires.forms.form_for(version, data=None) -> a Django form
"""

import datetime as dt
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from cordon.core import access, audit, clock
from cordon.core.errors import Conflict, NotFound, ServiceError
from cordon.questionnaires import events, rules
from cordon.questionnaires.enums import SUBJECT_KINDS, Kind, VersionStatus
from cordon.questionnaires.models import Questionnaire, Response, Version

DEFAULTS_DIR = Path(__file__).parent / "defaults"
ADMIN = "questionnaires.admin"


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _defaults() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(DEFAULTS_DIR.glob("*.json"))]


def ensure_defaults() -> int:
    """Load the shipped protocol's questionnaires (defaults/*.json) that the database lacks, each published as
    version 1 on the protocol's date (`published_on`); idempotent. Returns how many were added."""
    shipped = _defaults()
    if Questionnaire.objects.filter(code__in=[d["code"] for d in shipped]).count() == len(shipped):
        return 0
    added = 0
    with transaction.atomic():
        for d in shipped:
            if Questionnaire.objects.filter(code=d["code"]).exists():
                continue
            now = clock.now()
            # published on the protocol's date: a version the city published itself is newer, so it stays current
            published = clock.day_start(dt.date.fromisoformat(d["published_on"]))
            q = Questionnaire.objects.create(code=d["code"], title=d["title"], kind=d["kind"], created_at=now)
            v = Version.objects.create(questionnaire=q, number=1, status=VersionStatus.PUBLISHED, definition=d["definition"],
                                       note=d.get("note", ""), created_at=now, published_at=published)
            audit.record(access.system("questionnaires"), "questionnaires.default_loaded", v, changes={"code": q.code})
            added += 1
    return added


def current(kind: str) -> Version:
    """The published version of `kind` (the most recently published, when several questionnaires share the kind);
    NotFound when none is published."""
    ensure_defaults()
    version = (Version.objects.select_related("questionnaire").filter(questionnaire__kind=kind, status=VersionStatus.PUBLISHED)
               .order_by("-published_at", "-id").first())
    if version is None:
        raise NotFound(_("No questionnaire of kind %(kind)s is published.") % {"kind": kind})
    return version


def clean_answers(version: Version, data: dict) -> dict:
    """The answers checked against the version (required, types, ranges, choices, conditions) and normalised;
    ServiceError with one field error per bad question (field = the question's code)."""
    clean, errors = rules.check_answers(version.definition, data or {}, aware=lambda d: clock.local(clock.aware(d)))
    if errors:
        raise ServiceError("；".join(e["message"] for e in errors), fields=errors)
    return clean


def answer_save(*, actor, version: Version, subject_type: str, subject_id, region_path: str, data: dict) -> Response:
    """Check and keep answers about a subject against the version used. The actor must be allowed to change the
    subject's app at its region (a case: cases.change); the version must be published."""
    if not Version.objects.filter(pk=version.pk, status=VersionStatus.PUBLISHED).exists():  # as stored now, not as read earlier
        raise Conflict(_("Version %(n)s of this questionnaire is not published; answer the current version.") % {"n": version.number})
    app = subject_type.split(".", 1)[0]
    access.require(actor, f"{app}.change", region_path)
    clean = clean_answers(version, data)
    with transaction.atomic():
        response = Response.objects.create(version=version, subject_type=subject_type, subject_id=int(subject_id), region_path=region_path,
                                           answers=clean, answered_by=_user(actor), at=clock.now(),
                                           answered_by_label=getattr(actor, "audit_label", "") or getattr(actor, "username", ""))
        audit.record(actor, "questionnaires.answer", response,
                     changes={"questionnaire": version.questionnaire.code, "version": version.number,
                              "subject": f"{subject_type}:{subject_id}", "questions": len(clean)})
    return response


def subject_region(*, actor, subject_type: str, subject_id, action: str = "view") -> str:
    """The region path of the subject a response is about, answered by the app that owns it through its scoped selector
    (404 outside the actor's area, 403 without the action); an unknown subject type is refused."""
    if subject_type not in SUBJECT_KINDS:
        raise ServiceError.field("subject_type", _("Subject type: one of %(types)s") % {"types": ", ".join(SUBJECT_KINDS)})
    found = [path for path in events.SUBJECT_REGION.emit(actor=actor, subject_type=subject_type, subject_id=subject_id, action=action)
             if path is not None]
    if not found:
        raise ServiceError.field("subject_type", _("Subject type %(type)s cannot be answered here") % {"type": subject_type})
    return found[0]


def answer_subject(*, actor, subject_type: str, subject_id, data: dict) -> Response:
    """Answer the current questionnaire of the subject's kind about one subject (a case, a risk person) checked through
    the app that owns it: the actor must be allowed to change it."""
    region_path = subject_region(actor=actor, subject_type=subject_type, subject_id=subject_id, action="change")
    return answer_save(actor=actor, version=current(SUBJECT_KINDS[subject_type]), subject_type=subject_type,
                       subject_id=subject_id, region_path=region_path, data=data)


def questionnaire_create(*, actor, code: str, title: str, kind: str, definition: dict | None = None) -> Version:
    """A new questionnaire with its first draft version (empty, or the definition given)."""
    access.require(actor, ADMIN)
    code, title = (code or "").strip(), (title or "").strip()
    errors = []
    if not rules.CODE.match(code.replace("-", "_")):
        errors.append({"field": "code", "message": _("Code: lower-case letters, digits, - and _, starting with a letter")})
    elif Questionnaire.objects.filter(code=code).exists():
        errors.append({"field": "code", "message": _("Code: a questionnaire with this code exists already")})
    if not title:
        errors.append({"field": "title", "message": _("Title: required")})
    if kind not in Kind.values:
        errors.append({"field": "kind", "message": _("Kind: unknown kind")})
    if errors:
        raise ServiceError("；".join(e["message"] for e in errors), fields=errors)
    with transaction.atomic():
        now = clock.now()
        q = Questionnaire.objects.create(code=code, title=title, kind=kind, created_at=now, created_by=_user(actor))
        v = Version.objects.create(questionnaire=q, number=1, definition=definition or {"sections": []}, created_at=now,
                                   created_by=_user(actor))
        audit.record(actor, "questionnaires.create", v, changes={"code": code, "kind": kind})
    return v


def draft_of(*, actor, questionnaire: Questionnaire) -> Version:
    """The questionnaire's draft; when it has none, a new draft version copied from its newest version (editing a
    published questionnaire starts a new version, the published one stays frozen)."""
    access.require(actor, ADMIN)
    with transaction.atomic():
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        draft = questionnaire.versions.filter(status=VersionStatus.DRAFT).first()
        if draft:
            return draft
        latest = questionnaire.versions.order_by("-number").first()
        draft = Version.objects.create(questionnaire=questionnaire, number=(latest.number + 1) if latest else 1,
                                       definition=latest.definition if latest else {"sections": []},
                                       created_at=clock.now(), created_by=_user(actor))
        audit.record(actor, "questionnaires.draft", draft, changes={"from": latest.number if latest else None})
    return draft


def _structure(definition) -> list[dict]:
    """What makes a definition unusable even as a draft (not a dict of sections of questions)."""
    if not isinstance(definition, dict) or not isinstance(definition.get("sections", []), list):
        return [{"field": "definition", "message": _("The definition must hold a list of sections.")}]
    for s in definition.get("sections", []):
        if not isinstance(s, dict) or not isinstance(s.get("questions", []), list) or "code" not in s:
            return [{"field": "definition", "message": _("Each section needs a code and a list of questions.")}]
        if any(not isinstance(q, dict) or "code" not in q for q in s.get("questions", [])):
            return [{"field": "definition", "message": _("Each question needs a code.")}]
    return []


def draft_update(*, actor, version: Version, definition: dict, note: str | None = None) -> Version:
    """Replace a draft's definition (a published or retired version is frozen: Conflict)."""
    access.require(actor, ADMIN)
    with transaction.atomic():
        version = Version.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise Conflict(_("Version %(n)s is %(status)s and frozen; edit a new draft.") % {"n": version.number, "status": version.get_status_display()})
        problems = _structure(definition)
        if problems:
            raise ServiceError(problems[0]["message"], fields=problems)
        before = version.definition
        version.definition = definition
        if note is not None:
            version.note = note[:300]
        version.save(update_fields=["definition", "note"])
        audit.record(actor, "questionnaires.edit", version,
                     changes={"changes": len(rules.diff(before, definition)), "questions": len(rules.questions(definition))})
    return version


def draft_edit(*, actor, version: Version, change, **kwargs) -> Version:
    """Apply one edit from `rules` (section_add, question_put, question_move ...) to a draft; bad input names its field."""
    if change is rules.question_put:
        q = kwargs["question"]
        others = {x["code"] for x in rules.questions(version.definition) if x["code"] != q.get("code")}
        problems = rules.question_problems(q, earlier=others, all_questions=rules.questions(version.definition))
        if problems:
            raise ServiceError("；".join(problems), fields=[{"field": "code", "message": p} for p in problems])
    if change is rules.section_add:
        code = kwargs["code"]
        if not rules.CODE.match(code or "") or code in [s["code"] for s in rules.sections(version.definition)]:
            raise ServiceError.field("code", _("section code must be unique: lower-case letters, digits and _"))
    try:
        definition = change(version.definition, **kwargs)
    except (KeyError, ValueError):
        raise ServiceError.field("section", _("no such section or question in this draft")) from None
    return draft_update(actor=actor, version=version, definition=definition)


def version_publish(*, actor, version: Version) -> Version:
    """Publish a draft: it is checked, frozen, and replaces (retires) the questionnaire's published version."""
    access.require(actor, ADMIN)
    with transaction.atomic():
        version = Version.objects.select_for_update().select_related("questionnaire").get(pk=version.pk)
        if version.status != VersionStatus.DRAFT:
            raise Conflict(_("Only a draft can be published; version %(n)s is %(status)s.") % {"n": version.number, "status": version.get_status_display()})
        problems = rules.definition_problems(version.definition)
        if problems:
            raise ServiceError("；".join(f"{p['field']}: {p['message']}" for p in problems), fields=problems)
        now = clock.now()
        old = list(Version.objects.select_for_update().filter(questionnaire=version.questionnaire, status=VersionStatus.PUBLISHED))
        for v in old:
            v.status, v.retired_at = VersionStatus.RETIRED, now
            v.save(update_fields=["status", "retired_at"])
        version.status, version.published_at, version.published_by = VersionStatus.PUBLISHED, now, _user(actor)
        version.save(update_fields=["status", "published_at", "published_by"])
        audit.record(actor, "questionnaires.publish", version, changes={"replaces": [v.number for v in old]})
    return version


def version_retire(*, actor, version: Version) -> Version:
    """Retire the published version: the questionnaire is no longer offered until another version is published."""
    access.require(actor, ADMIN)
    with transaction.atomic():
        version = Version.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.PUBLISHED:
            raise Conflict(_("Only the published version can be retired."))
        version.status, version.retired_at = VersionStatus.RETIRED, clock.now()
        version.save(update_fields=["status", "retired_at"])
        audit.record(actor, "questionnaires.retire", version)
    return version
