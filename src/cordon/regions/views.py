"""The regions app's own pages: loading official division codes (the region list is in cordon.web)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from cordon.core import access
from cordon.core.errors import ServiceError
from cordon.regions import forms, selectors, services


@login_required
def import_codes(request):
    """Load official division codes from files (the city's commander): what changed, or every bad row listed."""
    access.require(request.user, "regions.change", selectors.root_path() or None)
    form, report, problems = forms.CodesImportForm(), None, None
    if request.method == "POST":
        form = forms.CodesImportForm(request.POST, request.FILES)
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            try:
                report = services.regions_import(actor=request.user, files=files, city=form.cleaned_data["city"] or None)
                messages.success(request, _("Division codes loaded: %(created)d new, %(renamed)d renamed, %(abolished)d "
                                            "abolished, %(restored)d restored, %(unchanged)d unchanged.") % report)
            except ServiceError as exc:  # every bad row is listed on the page, by file, row and field
                problems = {"errors": exc.fields, "message": exc.message}
        else:
            messages.error(request, form.error_summary())
    return render(request, "regions/import.html", {"form": form, "report": report, "problems": problems})
