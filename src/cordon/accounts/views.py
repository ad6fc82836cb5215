"""The user's own API tokens: list, issue (the key is shown once on the page), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cordon.accounts import forms, services
from cordon.core.errors import NotFound
from cordon.core.forms import REFUSED


@never_cache
@login_required
def tokens(request):
    issued = None
    if request.method == "POST":
        key = forms.TokenForm(request.POST).submit(request, lambda name: services.token_issue(actor=request.user, user=request.user,
                                                                                           name=name))
        issued = None if key is REFUSED else key
    return render(request, "accounts/tokens.html", {
        "tokens": services.token_list(actor=request.user, user=request.user), "issued": issued,
    })


@require_POST
@login_required
def token_revoke(request, pk: int):
    try:
        token = services.token_revoke(actor=request.user, token_id=pk)
    except NotFound:
        raise Http404 from None  # someone else's token and a token that does not exist answer alike
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")
