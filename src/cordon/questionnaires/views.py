"""Questionnaire pages: the list (and creating one), a questionnaire's versions with the current version's answer
counts, a version (its questions, a phone preview, and the admin's editing of a draft: sections, questions, order,
publish, retire), the diff of two versions, the responses export, and answering the current questionnaire about a
case or a risk person (checked through the app that owns the subject)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cordon.core import access, exports
from cordon.core.forms import REFUSED, perform
from cordon.questionnaires import exports as q_exports
from cordon.questionnaires import forms, rules, selectors, services
from cordon.questionnaires.enums import SUBJECT_KINDS, VersionStatus


@login_required
def index(request):
    services.ensure_defaults()
    rows = selectors.questionnaire_list(actor=request.user)
    is_admin = access.can(request.user, services.ADMIN)
    form = forms.QuestionnaireForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        v = form.submit(request, lambda **data: services.questionnaire_create(actor=request.user, **data),
                        success=_("Questionnaire created; edit its first draft."))
        if v is not REFUSED:
            return redirect("questionnaires:version", code=v.questionnaire.code, number=v.number)
    return render(request, "questionnaires/index.html", {"rows": rows, "form": form, "is_admin": is_admin})


@login_required
def detail(request, code: str):
    services.ensure_defaults()
    q = selectors.questionnaire_get(actor=request.user, code=code)
    if request.method == "POST":
        draft = perform(request, lambda: services.draft_of(actor=request.user, questionnaire=q))
        if draft is not REFUSED:
            return redirect("questionnaires:version", code=code, number=draft.number)
        return redirect("questionnaires:detail", code=code)
    versions = list(selectors.versions_of(actor=request.user, questionnaire=q))
    published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    return render(request, "questionnaires/detail.html", {
        "q": q, "versions": versions, "published": published,
        "summary": selectors.summary(actor=request.user, version=published) if published else None,
        "is_admin": access.can(request.user, services.ADMIN),
        "can_export": access.can(request.user, "questionnaires.export"),
    })


EDITS = {
    "section_add": (forms.SectionForm, lambda d: (rules.section_add, d)),
    "question_put": (forms.QuestionForm, None),
    "section_remove": (forms.TargetForm, lambda d: (rules.section_remove, {"code": d["target"]})),
    "section_move": (forms.TargetForm, lambda d: (rules.section_move, {"code": d["target"], "by": d["by"] or 1})),
    "question_remove": (forms.TargetForm, lambda d: (rules.question_remove, {"code": d["target"]})),
    "question_move": (forms.TargetForm, lambda d: (rules.question_move, {"code": d["target"], "by": d["by"] or 1})),
}


def _post_version(request, v):
    """One admin action on a version page: an edit of the draft, publish or retire."""
    action = request.POST.get("action", "")
    if action == "publish":
        perform(request, lambda: services.version_publish(actor=request.user, version=v),
                success=_("Version %(n)s published; it is frozen now.") % {"n": v.number})
        return
    if action == "retire":
        perform(request, lambda: services.version_retire(actor=request.user, version=v), success=_("Version retired."))
        return
    if action not in EDITS:
        return
    form_class, change = EDITS[action]
    form = form_class(request.POST, version=v) if form_class is forms.QuestionForm else form_class(request.POST)
    if form_class is forms.QuestionForm:
        form.submit(request, lambda **d: services.draft_edit(actor=request.user, version=v, change=rules.question_put,
                                                              section=d["section"], question=form.question()),
                    success=_("Question saved."))
        return
    form.submit(request, lambda **d: services.draft_edit(actor=request.user, version=v, change=change(d)[0], **change(d)[1]),
                success=_("Draft saved."))


@login_required
def version(request, code: str, number: int):
    services.ensure_defaults()
    q = selectors.questionnaire_get(actor=request.user, code=code)
    v = selectors.version_get(actor=request.user, questionnaire=q, number=number)
    if request.method == "POST":
        access.require(request.user, services.ADMIN)
        _post_version(request, v)
        return redirect("questionnaires:version", code=code, number=number)
    pick = forms.PickForm(request.GET)
    editing = pick.cleaned_data.get("edit") if pick.is_valid() else ""
    is_admin = access.can(request.user, services.ADMIN)
    edit_q = next(((s["code"], x) for s in rules.sections(v.definition) for x in s.get("questions") or [] if x["code"] == editing), None)
    return render(request, "questionnaires/version.html", {
        "q": q, "v": v, "sections": [{"code": s["code"], "title": rules.text(s, "title"), "questions": s.get("questions") or []}
                                     for s in rules.sections(v.definition)],
        "preview": forms.form_for(v), "problems": rules.definition_problems(v.definition) if v.is_draft else [],
        "can_edit": is_admin and v.is_draft, "is_admin": is_admin, "editing": editing,
        "section_form": forms.SectionForm(),
        "question_form": forms.QuestionForm(version=v, initial=forms.question_initial(*edit_q) if edit_q else None),
    })


@login_required
def diff(request, code: str, number: int):
    services.ensure_defaults()
    q = selectors.questionnaire_get(actor=request.user, code=code)
    v = selectors.version_get(actor=request.user, questionnaire=q, number=number)
    pick = forms.PickForm(request.GET)
    against = pick.cleaned_data.get("against") if pick.is_valid() else None
    old = selectors.version_get(actor=request.user, questionnaire=q, number=against) if against else selectors.version_before(actor=request.user, version=v)
    return render(request, "questionnaires/diff.html", {
        "q": q, "v": v, "old": old, "changes": rules.diff(old.definition if old else {}, v.definition),
        "versions": selectors.versions_of(actor=request.user, questionnaire=q)})


@login_required
def export(request, code: str, number: int):
    services.ensure_defaults()
    q = selectors.questionnaire_get(actor=request.user, code=code)
    v = selectors.version_get(actor=request.user, questionnaire=q, number=number)
    return exports.web_download(request, lambda: q_exports.responses_export(actor=request.user, version=v, fmt=exports.wants(request) or "xlsx"))


@login_required
def answer(request, subject_type: str, subject_id: int):
    """The current questionnaire about one case or risk person (404 outside the actor's area)."""
    if subject_type not in SUBJECT_KINDS:
        raise Http404(subject_type)
    services.subject_region(actor=request.user, subject_type=subject_type, subject_id=subject_id,
                            action="change" if request.method == "POST" else "view")
    v = services.current(SUBJECT_KINDS[subject_type])
    latest = selectors.latest_response(actor=request.user, subject_type=subject_type, subject_id=subject_id)
    form = forms.form_for(v, request.POST if request.method == "POST" else None,
                          initial=latest.answers if latest and latest.version_id == v.pk else None)
    if request.method == "POST":
        saved = form.submit(request, lambda **data: services.answer_subject(actor=request.user, subject_type=subject_type,
                                                                            subject_id=subject_id, data=data),
                            success=_("Answers saved against version %(n)s.") % {"n": v.number})
        if saved is not REFUSED:
            return redirect("questionnaires:answer", subject_type=subject_type, subject_id=subject_id)
    history = selectors.responses(actor=request.user, subject_type=subject_type, subject_id=subject_id)[:20]
    return render(request, "questionnaires/answer.html", {
        "v": v, "form": form, "subject_type": subject_type, "subject_id": subject_id, "history": history,
        "latest": latest, "latest_rows": selectors.answer_rows(latest) if latest else [],
        "can_change": access.can(request.user, f"{subject_type.split('.')[0]}.change")})

