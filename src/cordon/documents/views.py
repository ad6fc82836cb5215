"""Document pages: the register (filters, search), issuing from a record's page, detail with downloads and
revocation, the templates (placeholders, versions, upload by the administrator), and the public verification page."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cordon.core import access, qr
from cordon.core.forms import REFUSED
from cordon.core.pages import list_page, record_post
from cordon.documents import forms, selectors, services
from cordon.documents.enums import DocStatus, Kind, Record


def _file(data: bytes, ctype: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename=\"{quote(filename)}\"; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def index(request):
    access.require(request.user, "documents.view")
    return list_page(request, "documents/index.html", rows=lambda f: selectors.document_list(actor=request.user, filters=f),
                     context={"kinds": Kind.choices, "statuses": DocStatus.choices, "records": Record.choices})


@login_required
@require_POST
def issue(request):
    form = forms.IssueForm(request.POST)
    doc = form.submit(request, lambda back, **data: services.document_issue(actor=request.user, **data),
                      success=lambda d: _("Issued %(number)s.") % {"number": d.number})
    if doc is REFUSED:
        back = form.cleaned_data.get("back") or ""
        return redirect(back if back.startswith("/") and not back.startswith("//") else "documents:index")
    return redirect("documents:detail", pk=doc.pk)


@login_required
def detail(request, pk: int):
    form = forms.RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (done := record_post(request, lambda action: selectors.document_get(actor=request.user, pk=pk, action=action),
                                                         lambda doc: form.submit(request, lambda reason: services.document_revoke(
                                                             actor=request.user, document=doc, reason=reason), success=_("Revoked.")),
                                                         back="documents:detail", render_refused=True)):
        return done
    doc = selectors.document_get(actor=request.user, pk=pk)
    view = selectors.public_view(doc)
    return render(request, "documents/detail.html", {
        "doc": doc, "view": view, "form": form, "qr": qr.svg(selectors.verify_url(doc.public_id)),
        "verify_url": selectors.verify_url(doc.public_id),
        "can_revoke": doc.status != DocStatus.REVOKED and access.can(request.user, "documents.change", doc.region_path),
        "can_download": access.can(request.user, "documents.export", doc.region_path),
    })


@login_required
def download(request, pk: int, fmt: str):
    doc = selectors.document_get(actor=request.user, pk=pk, action="export")
    form = forms.FormatForm({"fmt": fmt})
    if not form.is_valid():
        raise Http404("no such format")
    data, ctype, filename = services.document_file(actor=request.user, document=doc, fmt=form.cleaned_data["fmt"])
    return _file(data, ctype, filename)


@login_required
@require_http_methods(["GET", "POST"])
def templates(request):
    access.require(request.user, "documents.view")
    is_admin = access.can(request.user, "documents.admin")
    form = forms.TemplateForm()
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied("documents.admin")
        form = forms.TemplateForm(request.POST, request.FILES)
        done = form.submit(request, lambda kind, file, note: services.template_upload(
            actor=request.user, kind=kind, data=file.read(), filename=file.name, note=note),
            success=lambda t: _("Template version %(v)d is in use.") % {"v": t.version})
        if done is not REFUSED:
            return redirect("documents:templates")
    return render(request, "documents/templates.html", {"kinds": selectors.templates(), "form": form, "is_admin": is_admin})


@login_required
def template_download(request, kind: str, version: int):
    access.require(request.user, "documents.view")
    template = selectors.template_get(kind=kind, version=version)
    return _file(bytes(template.content), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 f"{template.kind}-v{template.version}.docx")


def verify(request, public_id: str):
    """No login: what the document states, masked, and whether it is valid, superseded or revoked."""
    doc = selectors.by_public_id(public_id=public_id)
    if doc is None:
        raise Http404("no such document")
    return render(request, "documents/verify.html", {"view": selectors.public_view(doc)})
